import { cloudflareMailer } from "./cloudflare";
import { type MailEnv, mailConfig } from "./mail-config";
import { smtpMailer } from "./smtp";

export { isRetryableMailError, MailError, type MailErrorKind } from "./errors";

/**
 * How the Worker sends email. Providers implement `Mailer`; services only ever see this
 * interface, so tests pass a `MemoryMailer` and local development logs messages instead.
 * Providers: src/email/cloudflare.ts (Email Service binding), src/email/smtp.ts (worker-mailer);
 * which one is configuration (src/email/mail-config.ts, docs/OPERATIONS.md "Mail").
 *
 * Failures: `send()` rejects with a `MailError` whose `retryable` says whether trying again later
 * can help (network, timeouts, 4xx, rate limits) or not (misconfiguration, invalid address or
 * header, permanent 5xx refusal).
 */
export interface EmailMessage {
  to: string;
  subject: string;
  /** Plain text; the one-time links are in here. Always present (plain-text clients). */
  text: string;
  /** Optional HTML alternative (digests); sent as multipart/alternative with `text`. */
  html?: string;
  /** Extra headers, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post` on digests. */
  headers?: Record<string, string>;
}

export interface Mailer {
  send(message: EmailMessage): Promise<void>;
  /**
   * Optional: a session that sends several messages over one connection (SMTP). Providers
   * without connections leave it out; use `withMailSession()` rather than calling it directly.
   */
  open?(): Promise<MailSession>;
}

/** Several sends over one connection; `close()` it when done (withMailSession does). */
export interface MailSession {
  send(message: EmailMessage): Promise<void>;
  close(): Promise<void>;
}

/**
 * Runs `work` with a mailer that reuses one connection when the provider has connections (SMTP),
 * and with the mailer itself otherwise. The session is closed even when `work` throws; one failed
 * message does not end the session (send() rejects for that message only).
 *
 * @example
 * await withMailSession(mailer, async (m) => { for (const d of digests) await m.send(d); });
 */
export async function withMailSession<T>(mailer: Mailer, work: (mailer: Mailer) => Promise<T>): Promise<T> {
  if (!mailer.open) return work(mailer);
  const session = await mailer.open();
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}

/** Keeps every message in memory, for tests. */
export class MemoryMailer implements Mailer {
  readonly sent: EmailMessage[] = [];

  async send(message: EmailMessage): Promise<void> {
    this.sent.push(message);
  }
}

/**
 * Local development: writes each message to the log (`wrangler dev` prints it), links included.
 * Never use it in production, where the log is readable by more people than the addressee.
 */
export const logMailer: Mailer = {
  async send(message) {
    // The text part carries every link; the HTML part would only bury it in markup.
    const { html, ...rest } = message;
    const htmlNote = html === undefined ? {} : { html: `(${html.length} characters of HTML, not shown)` };
    console.log(JSON.stringify({ level: "info", msg: "email (log mailer)", ...rest, ...htmlNote }));
  },
};

/**
 * The mailer this deployment is configured for (MAIL_PROVIDER, default "log").
 * @throws MailError `config` (not retryable) when the chosen provider lacks a setting, so a
 *   misconfigured deployment fails loudly at the first send instead of dropping mail.
 */
export function mailerFor(env: Env): Mailer {
  const config = mailConfig(env as MailEnv);
  switch (config.provider) {
    case "log":
      return logMailer;
    case "cloudflare":
      return cloudflareMailer(config.binding, config.from);
    case "smtp":
      return smtpMailer(config.smtp);
  }
}
