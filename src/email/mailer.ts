/**
 * How the Worker sends email. Providers (issue 5) implement `Mailer`; services only ever see this
 * interface, so tests pass a `MemoryMailer` and local development logs messages instead.
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
    console.log(JSON.stringify({ level: "info", msg: "email (log mailer)", ...message }));
  },
};

/** The mailer for this deployment. Only the log mailer exists until issue 5 adds providers. */
export function mailerFor(_env: Env): Mailer {
  return logMailer;
}
