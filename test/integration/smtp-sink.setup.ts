import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";
import { startSmtpSink } from "../e2e/smtp-sink";
import { type SinkState, SMTP_TEST_CREDENTIALS } from "./smtp-sink.shared";

/**
 * Vitest global setup for the `workers` project: a local SMTP server (test/e2e/smtp-sink.ts)
 * requiring AUTH, for the SMTP provider's tests inside workerd, plus a tiny JSON endpoint that
 * tells those tests what arrived (workerd cannot read the Node process's memory).
 * Recipients starting with bounce@ get 550, later@ 451, drop@ 421 (and the connection closed).
 */

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const sink = await startSmtpSink({
    auth: SMTP_TEST_CREDENTIALS,
    refuseRecipient(address) {
      if (address.startsWith("bounce@")) return { code: 550, message: "5.1.1 No such mailbox" };
      if (address.startsWith("later@")) return { code: 451, message: "4.3.0 Try again later" };
      if (address.startsWith("drop@")) return { code: 421, message: "4.4.2 Closing connection" };
      return undefined;
    },
  });
  const api = createServer((_req, res) => {
    const state: SinkState = {
      connections: sink.connections,
      messages: sink.messages.map((m) => ({
        to: m.envelope.to,
        from: m.envelope.from,
        user: m.user,
        subject: m.parsed.subject,
        text: m.parsed.text,
        html: m.parsed.html,
        messageId: m.parsed.messageId,
        headerLines: m.parsed.headerLines.map((h) => h.line),
      })),
    };
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify(state));
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  project.provide("smtpSink", {
    port: sink.port,
    api: `http://127.0.0.1:${(api.address() as AddressInfo).port}/`,
  });
  return async () => {
    await new Promise<void>((resolve) => api.close(() => resolve()));
    await sink.stop();
  };
}
