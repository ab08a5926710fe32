import { describe, expect, inject, it } from "vitest";
import { classifySmtpError } from "../../../src/email/errors";
import { type EmailMessage, MailError, withMailSession } from "../../../src/email/mailer";
import { type SmtpConfig, smtpConnectOptions, smtpMailer } from "../../../src/email/smtp";
import { type SinkState, SMTP_TEST_CREDENTIALS } from "../smtp-sink.shared";

/**
 * The SMTP provider inside workerd (worker-mailer over cloudflare:sockets) against a local
 * smtp-server started by the global setup (smtp-sink.setup.ts): connections, sessions,
 * authentication and how each server answer is classified.
 */

const sinkInfo = inject("smtpSink");
const config: SmtpConfig = {
  host: "127.0.0.1",
  port: sinkInfo.port,
  security: "none",
  user: SMTP_TEST_CREDENTIALS.user,
  password: SMTP_TEST_CREDENTIALS.password,
  from: { email: "noreply@kemitraan.test", name: "Kemitraan Kota Mojokerto" },
  timeoutMs: 5_000,
};

async function sink(): Promise<SinkState> {
  return (await (await fetch(sinkInfo.api)).json()) as SinkState;
}

function message(to: string, overrides: Partial<EmailMessage> = {}): EmailMessage {
  return {
    to,
    subject: "Kemitraan: 3 usulan mitra baru — Kota Mojokerto",
    text: "Ada 3 usulan mitra baru untuk Anda.\nhttps://kemitraan.example.id/",
    html: "<p>Ada <b>3</b> usulan mitra baru untuk Anda.</p>",
    headers: {
      "List-Unsubscribe": "<https://kemitraan.example.id/v1/unsubscribe?t=abc>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
    ...overrides,
  };
}

async function failure(work: Promise<unknown>): Promise<MailError> {
  const error = await work.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(MailError);
  return error as MailError;
}

const received = (state: SinkState, to: string) => state.messages.filter((m) => m.to.includes(to));

describe("SMTP provider (worker-mailer in workerd, local smtp-server)", () => {
  it("delivers one authenticated message per connection, with our headers and both parts", async () => {
    const before = await sink();
    await smtpMailer(config).send(message("one@smtp.example.id"));
    const after = await sink();
    expect(after.connections - before.connections).toBe(1);
    const [mail] = received(after, "one@smtp.example.id");
    expect(mail).toMatchObject({
      from: "noreply@kemitraan.test",
      user: "kemitraan",
      subject: "Kemitraan: 3 usulan mitra baru — Kota Mojokerto",
    });
    // worker-mailer ends each part with a line break.
    expect(typeof mail?.html === "string" ? mail.html.trimEnd() : mail?.html).toBe(
      "<p>Ada <b>3</b> usulan mitra baru untuk Anda.</p>",
    );
    expect(mail?.text?.trimEnd()).toBe("Ada 3 usulan mitra baru untuk Anda.\nhttps://kemitraan.example.id/");
    expect(mail?.messageId).toMatch(/@kemitraan\.test>$/);
    expect(mail?.headerLines).toContain(
      "List-Unsubscribe: <https://kemitraan.example.id/v1/unsubscribe?t=abc>",
    );
    expect(mail?.headerLines).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(mail?.headerLines).toContain('From: "Kemitraan Kota Mojokerto" <noreply@kemitraan.test>');
  });

  it("sends a batch over one connection; a refused recipient fails alone and the batch goes on", async () => {
    const before = await sink();
    const outcome = await withMailSession(smtpMailer(config), async (mailer) => {
      await mailer.send(message("batch-1@smtp.example.id"));
      const refused = await failure(mailer.send(message("bounce@smtp.example.id")));
      await mailer.send(message("batch-2@smtp.example.id"));
      return refused;
    });
    expect([outcome.kind, outcome.retryable, outcome.providerCode]).toEqual(["rejected", false, "550"]);
    const after = await sink();
    expect(after.connections - before.connections).toBe(1);
    expect(received(after, "batch-1@smtp.example.id")).toHaveLength(1);
    expect(received(after, "batch-2@smtp.example.id")).toHaveLength(1);
    expect(received(after, "bounce@smtp.example.id")).toHaveLength(0);
  });

  it("reconnects within a session after the server closes the connection (421)", async () => {
    const before = await sink();
    const dropped = await withMailSession(smtpMailer(config), async (mailer) => {
      await mailer.send(message("drop-1@smtp.example.id"));
      const error = await failure(mailer.send(message("drop@smtp.example.id")));
      await mailer.send(message("drop-2@smtp.example.id"));
      return error;
    });
    expect([dropped.kind, dropped.retryable, dropped.providerCode]).toEqual(["transient", true, "421"]);
    const after = await sink();
    expect(after.connections - before.connections).toBe(2);
    expect(received(after, "drop-2@smtp.example.id")).toHaveLength(1);
  });

  it("classifies a 451 as retryable", async () => {
    const error = await failure(smtpMailer(config).send(message("later@smtp.example.id")));
    expect([error.kind, error.retryable, error.providerCode]).toEqual(["transient", true, "451"]);
  });

  it("classifies a wrong password as configuration, not retryable", async () => {
    const error = await failure(
      smtpMailer({ ...config, password: "wrong" }).send(message("x@smtp.example.id")),
    );
    expect([error.kind, error.retryable, error.providerCode]).toEqual(["config", false, "535"]);
  });

  it("classifies a server that needs AUTH but got no credentials as configuration", async () => {
    const error = await failure(
      smtpMailer({ ...config, user: undefined, password: undefined }).send(message("x@smtp.example.id")),
    );
    expect([error.kind, error.retryable]).toEqual(["config", false]);
  });

  it("classifies a refused connection as retryable", async () => {
    const error = await failure(smtpMailer({ ...config, port: 1 }).send(message("x@smtp.example.id")));
    expect([error.kind, error.retryable]).toEqual(["transient", true]);
  });

  it("refuses an invalid message without opening a connection", async () => {
    const before = await sink();
    const error = await failure(
      smtpMailer(config).send(message("x@smtp.example.id", { subject: "Halo\r\nBcc: victim@example.id" })),
    );
    expect([error.kind, error.retryable]).toEqual(["invalid", false]);
    expect((await sink()).connections).toBe(before.connections);
  });

  it("sends nothing, not even AUTH, to a server without STARTTLS when STARTTLS is required (any host but this one)", async () => {
    const before = await sink();
    // What a remote host on port 587 gets, pointed at the local sink, which never offers STARTTLS
    // (as if an attacker in the path had stripped the offer).
    const remote = smtpConnectOptions({ ...config, host: "mail.kota.example.id", security: "starttls" });
    expect(remote.requireStartTls).toBe(true);
    const { WorkerMailer } = await import("worker-mailer");
    const error = await WorkerMailer.connect({ ...remote, host: "127.0.0.1", port: sinkInfo.port }).then(
      (client) => client.close().then(() => null),
      (err: unknown) => err,
    );
    expect(String(error)).toMatch(/STARTTLS is required but the SMTP server did not offer it/);
    const classified = classifySmtpError(error);
    expect([classified.kind, classified.retryable]).toEqual(["config", false]);
    // A local server may go without: the same settings for 127.0.0.1 deliver in plain text.
    await smtpMailer({ ...config, security: "starttls" }).send(message("local-starttls@smtp.example.id"));
    const after = await sink();
    expect(received(after, "local-starttls@smtp.example.id")).toHaveLength(1);
    expect(after.messages.length - before.messages.length).toBe(1);
  });
});
