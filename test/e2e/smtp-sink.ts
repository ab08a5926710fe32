import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";

/**
 * A local SMTP server for end-to-end tests (npm `smtp-server`): plain text on 127.0.0.1 and a
 * random free port, no STARTTLS, AUTH only when `auth` is given (PLAIN/LOGIN over the plain
 * connection, checked against it). Every accepted message is kept raw and parsed by mailparser.
 *
 * Point the bundled Worker at it with the harness's test-only vars and secrets:
 *
 * @example
 * const sink = await startSmtpSink({ auth: { user: "kemitraan", password: "test-only" } });
 * const server = createTestHarness({ root, workers: [{ configPath: "./wrangler.toml",
 *   prebuiltWorkerDir: BUNDLE_DIR, vars: sink.workerVars(), secrets: sink.workerSecrets() }] });
 * // ... make the Worker send ...
 * const mail = await sink.waitFor((m) => m.envelope.to.includes("owner@example.id"));
 * mail.parsed.subject; mail.parsed.text; mail.parsed.html; mail.raw
 * await sink.stop();
 */

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  /** The user the client authenticated as, when the sink requires AUTH. */
  user: string | undefined;
  /** The message exactly as received after DATA (CRLF line ends, dot-stuffing undone). */
  raw: string;
  parsed: ParsedMail;
}

export interface SmtpSinkOptions {
  /** Require AUTH with these credentials (a wrong pair gets 535). Without it, AUTH is not offered. */
  auth?: { user: string; password: string };
  /** Answer RCPT TO for matching addresses with this reply (e.g. 550 or 451), to test failures. */
  refuseRecipient?: (address: string) => { code: number; message: string } | undefined;
  /** The MAIL_FROM the Worker is given by `workerVars()`. */
  from?: string;
  /** Listen here instead of on a random free port (`npm run mail:sink`). */
  port?: number;
  /** Called for every accepted message, after parsing. */
  onMessage?: (mail: ReceivedMail) => void;
}

export interface SmtpSink {
  readonly host: "127.0.0.1";
  readonly port: number;
  /** Every message accepted so far, in arrival order. */
  readonly messages: readonly ReceivedMail[];
  /** SMTP connections opened so far (a session that sends many messages opens one). */
  readonly connections: number;
  /** Resolves with the first message (already received or still to come) that matches. */
  waitFor(match?: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Vars that make the Worker send here over SMTP (MAIL_PROVIDER, MAIL_FROM, SMTP_*). */
  workerVars(): Record<string, string>;
  /** SMTP_USER / SMTP_PASSWORD for the harness's `secrets`, when the sink requires AUTH. */
  workerSecrets(): Record<string, string>;
  clear(): void;
  stop(): Promise<void>;
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<{ match: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }>();
  const auth = options.auth;
  let connections = 0;

  const server = new SMTPServer({
    secure: false,
    disabledCommands: auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !auth,
    allowInsecureAuth: true,
    authMethods: ["PLAIN", "LOGIN"],
    logger: false,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onAuth(credentials, _session, callback) {
      if (auth && credentials.username === auth.user && credentials.password === auth.password)
        return callback(null, { user: credentials.username });
      const error = Object.assign(new Error("Invalid username or password"), { responseCode: 535 });
      return callback(error);
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refusal = options.refuseRecipient?.(address.address);
      if (!refusal) return callback();
      return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        simpleParser(raw)
          .then((parsed) => {
            const mail: ReceivedMail = {
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              user: typeof session.user === "string" ? session.user : undefined,
              raw,
              parsed,
            };
            messages.push(mail);
            options.onMessage?.(mail);
            for (const waiter of waiters) {
              if (waiter.match(mail)) {
                waiters.delete(waiter);
                waiter.resolve(mail);
              }
            }
            callback();
          })
          .catch(callback);
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    host: "127.0.0.1",
    port,
    messages,
    get connections() {
      return connections;
    },
    waitFor(match = () => true, timeoutMs = 15_000) {
      const found = messages.find(match);
      if (found) return Promise.resolve(found);
      return new Promise<ReceivedMail>((resolve, reject) => {
        const waiter = {
          match,
          resolve: (m: ReceivedMail) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`No matching message within ${timeoutMs} ms (${messages.length} received).`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    workerVars() {
      return {
        MAIL_PROVIDER: "smtp",
        MAIL_FROM: options.from ?? "noreply@kemitraan.test",
        SMTP_HOST: "127.0.0.1",
        SMTP_PORT: String(port),
        SMTP_SECURITY: "none",
      };
    },
    workerSecrets() {
      const secrets: Record<string, string> = {};
      if (auth) Object.assign(secrets, { SMTP_USER: auth.user, SMTP_PASSWORD: auth.password });
      return secrets;
    },
    clear() {
      messages.length = 0;
      connections = 0;
    },
    stop() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
