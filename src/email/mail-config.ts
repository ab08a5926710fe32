import { MailError } from "./errors";
import { checkAddress, type MailAddress } from "./mime";
import type { SmtpConfig } from "./smtp";

/**
 * Which provider sends mail, from the Worker's vars and secrets (docs/OPERATIONS.md "Mail"):
 * - `MAIL_PROVIDER`: "log" (default; local development only, see `isLocalDevelopment`),
 *   "cloudflare" or "smtp";
 * - `MAIL_FROM` (address) and `MAIL_FROM_NAME` (display name) for both real providers;
 * - cloudflare: the `send_email` binding `EMAIL`;
 * - smtp: `SMTP_HOST`, `SMTP_PORT` (default 587), `SMTP_SECURITY` ("tls" | "starttls" | "none";
 *   default "tls" on 465, "starttls" otherwise) and the secrets `SMTP_USER`, `SMTP_PASSWORD`.
 *   Plain text ("none") only to a local host; STARTTLS to any other host must succeed (smtp.ts).
 * Anything missing, malformed or unsafe is a MailError `config` naming the setting: never a silent
 * drop, and never a secret (a sign-in link, a password) sent where it should not go.
 */
export type MailConfig =
  | { provider: "log" }
  | { provider: "cloudflare"; binding: SendEmail; from: MailAddress }
  | { provider: "smtp"; smtp: SmtpConfig };

/**
 * The mail settings as the Worker sees them. Vars and the binding come from `wrangler types`;
 * the SMTP credentials are secrets (`wrangler secret put`), absent from wrangler.toml and so from
 * the generated Env, hence declared here. Everything is optional because a deployment sets only
 * what its provider needs.
 */
export interface MailEnv {
  /** "development" only in .dev.vars and the tests: the one setting that allows the log mailer. */
  ENVIRONMENT?: string;
  MAIL_PROVIDER?: string;
  MAIL_FROM?: string;
  MAIL_FROM_NAME?: string;
  EMAIL?: SendEmail;
  SMTP_HOST?: string;
  SMTP_PORT?: string;
  SMTP_SECURITY?: string;
  SMTP_USER?: string;
  SMTP_PASSWORD?: string;
}

const PROVIDERS = ["log", "cloudflare", "smtp"] as const;

function configError(message: string): MailError {
  return new MailError("config", `Mail configuration: ${message}`);
}

function sender(env: MailEnv, provider: string): MailAddress {
  const email = env.MAIL_FROM?.trim();
  if (!email) throw configError(`MAIL_PROVIDER=${provider} needs MAIL_FROM (the sender address).`);
  try {
    checkAddress("MAIL_FROM", email);
  } catch (err) {
    throw configError((err as Error).message);
  }
  const name = env.MAIL_FROM_NAME?.trim();
  if (name && /[\r\n\0]/.test(name)) throw configError("MAIL_FROM_NAME contains a line break.");
  return name ? { email, name } : { email };
}

/** This machine: the only hosts mail may reach without TLS (a local test server or relay). */
export function isLocalHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Local development is known only by `ENVIRONMENT = "development"`, which `npm start` writes into
 * the git-ignored .dev.vars and the tests set; wrangler.toml says "production" and `wrangler
 * deploy` never uploads .dev.vars. Anything else (unset, misspelt) counts as production: when
 * unsure, refuse.
 */
export function isLocalDevelopment(env: Pick<MailEnv, "ENVIRONMENT">): boolean {
  return env.ENVIRONMENT?.trim() === "development";
}

function smtpConfig(env: MailEnv): SmtpConfig {
  const host = env.SMTP_HOST?.trim();
  if (!host) throw configError("MAIL_PROVIDER=smtp needs SMTP_HOST.");
  const portText = env.SMTP_PORT?.trim() || "587";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65_535)
    throw configError(`SMTP_PORT "${portText}" is not a port number (465, 587, ...).`);
  const securityText = env.SMTP_SECURITY?.trim() || (port === 465 ? "tls" : "starttls");
  if (securityText !== "tls" && securityText !== "starttls" && securityText !== "none")
    throw configError(`SMTP_SECURITY "${securityText}" must be "tls", "starttls" or "none".`);
  const user = env.SMTP_USER?.trim() || undefined;
  if (user && !env.SMTP_PASSWORD) throw configError("SMTP_USER is set but the secret SMTP_PASSWORD is not.");
  if (!user && env.SMTP_PASSWORD) throw configError("SMTP_PASSWORD is set but SMTP_USER is not.");
  // Every message carries a secret (a sign-in link, a signed unsubscribe link), with or without a
  // password: plain text only to this machine.
  if (securityText === "none" && !isLocalHost(host))
    throw configError(
      `SMTP_SECURITY=none would send sign-in links${user ? " and SMTP_PASSWORD" : ""} in clear text to ${host}; ` +
        "use tls (port 465) or starttls.",
    );
  return {
    host,
    port,
    security: securityText,
    user,
    password: user ? env.SMTP_PASSWORD : undefined,
    from: sender(env, "smtp"),
  };
}

/** Reads and checks the mail settings. @throws MailError `config` (not retryable). */
export function mailConfig(env: MailEnv): MailConfig {
  const provider = env.MAIL_PROVIDER?.trim() || "log";
  if (!(PROVIDERS as readonly string[]).includes(provider))
    throw configError(`MAIL_PROVIDER "${provider}" is not one of ${PROVIDERS.join(", ")}.`);
  if (provider === "log") {
    if (!isLocalDevelopment(env))
      throw configError(
        `MAIL_PROVIDER=${env.MAIL_PROVIDER?.trim() ? "log" : "log (the default)"} writes sign-in links to the ` +
          'Worker log, so it only runs with ENVIRONMENT="development" (.dev.vars). Set MAIL_PROVIDER to ' +
          '"cloudflare" or "smtp" (docs/EMAIL.md).',
      );
    return { provider: "log" };
  }
  if (provider === "cloudflare") {
    const binding = env.EMAIL;
    if (!binding || typeof binding.send !== "function")
      throw configError(
        'MAIL_PROVIDER=cloudflare needs the send_email binding EMAIL ([[send_email]] name = "EMAIL").',
      );
    return { provider: "cloudflare", binding, from: sender(env, "cloudflare") };
  }
  return { provider: "smtp", smtp: smtpConfig(env) };
}
