/**
 * A local catch-all SMTP server that prints every message it receives, to see real SMTP mail
 * from `npm start` / `wrangler dev` (docs/EMAIL.md "Seeing mail locally"):
 *
 *   npm run mail:sink -- --port 2525
 *   # .dev.vars: MAIL_PROVIDER=smtp  MAIL_FROM=noreply@kemitraan.test  SMTP_HOST=127.0.0.1
 *   #            SMTP_PORT=2525  SMTP_SECURITY=none
 *
 * No AUTH, no TLS, loopback only. Ctrl-C stops it.
 */
import { parseArgs } from "node:util";
import { startSmtpSink } from "../test/e2e/smtp-sink";

const { values } = parseArgs({ options: { port: { type: "string", default: "2525" } } });
const port = Number(values.port);

const sink = await startSmtpSink({
  port,
  onMessage(mail) {
    const html = typeof mail.parsed.html === "string" ? mail.parsed.html : "";
    console.log(
      [
        "─".repeat(72),
        `From: ${mail.parsed.from?.text ?? mail.envelope.from}`,
        `To: ${mail.envelope.to.join(", ")}`,
        `Subject: ${mail.parsed.subject ?? ""}`,
        `Message-ID: ${mail.parsed.messageId ?? ""}`,
        ...mail.parsed.headerLines.filter((h) => h.key.startsWith("list-")).map((h) => h.line),
        "",
        mail.parsed.text ?? "(no text part)",
        html ? `(+ HTML part, ${html.length} characters)` : "(no HTML part)",
      ].join("\n"),
    );
  },
});
console.log(`SMTP sink listening on 127.0.0.1:${sink.port}; Ctrl-C to stop.`);
process.on("SIGINT", () => {
  void sink.stop().then(() => process.exit(0));
});
