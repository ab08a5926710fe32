import type { EmailOptions, WorkerMailer, WorkerMailerOptions } from "worker-mailer";
import { classifySmtpError, MailError } from "./errors";
import { isLocalHost } from "./mail-config";
import type { EmailMessage, Mailer, MailSession } from "./mailer";
import { buildHeaders, type MailAddress } from "./mime";

/**
 * SMTP submission for a city that runs its own mail server, through worker-mailer 1.2.1 over
 * `cloudflare:sockets`.
 *
 * - `security`: "tls" = implicit TLS (port 465), "starttls" = upgrade after EHLO (port 587),
 *   "none" = plain text (a server on this machine only, see mail-config.ts). worker-mailer on its
 *   own upgrades with STARTTLS only when the server offers it, so an attacker who strips the offer
 *   would read the password and the links; our patch adds `requireStartTls`, which
 *   `smtpConnectOptions` sets for every host but this machine: no offer, nothing sent.
 * - Headers come from our MIME builder (encoded-words, folding, injection checks, Message-ID);
 *   worker-mailer writes them verbatim (it only fills From/To/Subject/Date/Message-ID when absent)
 *   and builds the quoted-printable body itself (multipart/mixed > multipart/alternative).
 * - One connection per `send()`; `open()` gives a session that sends many messages over one
 *   connection (worker-mailer queues them on one SMTP session, RSET after a refused message), and
 *   reconnects by itself after a connection-level failure.
 */
export interface SmtpConfig {
  host: string;
  port: number;
  security: "tls" | "starttls" | "none";
  user?: string | undefined;
  password?: string | undefined;
  from: MailAddress;
  /** Socket open and per-reply timeout; a whole send is abandoned after twice this. Default 10 s. */
  timeoutMs?: number | undefined;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** worker-mailer's options for one message: our headers, its body. Throws MailError `invalid`. */
export function smtpEmailOptions(message: EmailMessage, from: MailAddress): EmailOptions {
  const { headers } = buildHeaders({
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers: message.headers,
  });
  return {
    from: from.name ? { email: from.email, name: from.name } : from.email,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html === undefined ? {} : { html: message.html }),
    headers: Object.fromEntries(headers),
  };
}

/** worker-mailer's `LogLevel.NONE`, spelt out so this module imports no runtime value from it. */
const LOG_LEVEL_NONE = 4;

/**
 * How to connect: implicit TLS, STARTTLS or plain text, and whether STARTTLS is required. It is
 * required for every host but this machine, so a server (or an attacker in the path) that does not
 * offer it gets neither the password nor a message; a local test server may go without.
 */
export function smtpConnectOptions(config: SmtpConfig): WorkerMailerOptions {
  const timeout = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const startTls = config.security === "starttls";
  return {
    host: config.host,
    port: config.port,
    secure: config.security === "tls",
    startTls,
    requireStartTls: startTls && !isLocalHost(config.host),
    ...(config.user ? { credentials: { username: config.user, password: config.password ?? "" } } : {}),
    authType: ["plain", "login", "cram-md5"],
    // Failures reach the caller as MailError; the library's own console lines would only repeat them.
    logLevel: LOG_LEVEL_NONE,
    socketTimeoutMs: timeout,
    responseTimeoutMs: timeout,
  };
}

async function connect(config: SmtpConfig): Promise<WorkerMailer> {
  // Imported on first use: `cloudflare:sockets` exists only in workerd, and this keeps the mail
  // module (and provider selection) importable from Node scripts and unit tests.
  const { WorkerMailer } = await import("worker-mailer");
  try {
    return await WorkerMailer.connect(smtpConnectOptions(config));
  } catch (err) {
    throw classifySmtpError(err);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new MailError("transient", `SMTP: ${what} timed out after ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

class SmtpSession implements MailSession {
  private client: Promise<WorkerMailer> | null = null;

  constructor(private readonly config: SmtpConfig) {}

  async send(message: EmailMessage): Promise<void> {
    // Validate before touching the network: an invalid message never opens a connection.
    const options = smtpEmailOptions(message, this.config.from);
    this.client ??= connect(this.config);
    const current = this.client;
    const budget = 2 * (this.config.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    let connected = false;
    try {
      const client = await current;
      connected = true;
      await withTimeout(client.send(options), budget, "sending");
    } catch (err) {
      const error = classifySmtpError(err);
      // Connecting failed, no reply code (socket closed, timeout) or 421 (service closing): the
      // connection is gone or unusable; the next send in this session opens a new one.
      if (!connected || !error.providerCode || error.providerCode === "421") await this.drop(current);
      throw error;
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    if (client !== null) await this.drop(client);
  }

  private async drop(client: Promise<WorkerMailer>): Promise<void> {
    if (this.client === client) this.client = null;
    try {
      await withTimeout(
        client.then((c) => c.close()),
        this.config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        "closing",
      );
    } catch {
      // Closing a broken or never-opened connection has nothing left to report.
    }
  }
}

export function smtpMailer(config: SmtpConfig): Mailer {
  return {
    async send(message) {
      const session = new SmtpSession(config);
      try {
        await session.send(message);
      } finally {
        await session.close();
      }
    },
    async open() {
      return new SmtpSession(config);
    },
  };
}
