/**
 * Why a message was not sent, in terms a caller can act on. Every provider throws `MailError` and
 * nothing else, so the outbox decides between "retry with backoff" and "give up and record" from
 * `retryable` alone, whichever provider is configured.
 *
 * - `config`: the deployment is misconfigured (no SMTP host, no binding, sender not verified, bad
 *   credentials). Not retryable: retrying cannot help until an operator fixes it.
 * - `invalid`: this message can never be sent (bad address, header injection attempt, too large).
 * - `rejected`: the provider refused this message for good (5xx, suppressed recipient).
 * - `transient`: network trouble, timeouts, 4xx, rate limits, provider outages. Retryable.
 */
export type MailErrorKind = "config" | "invalid" | "rejected" | "transient";

export class MailError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly kind: MailErrorKind,
    message: string,
    /** The provider's own code when it gave one: an SMTP reply code ("550") or Cloudflare's "E_...". */
    readonly providerCode?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "MailError";
    this.retryable = kind === "transient";
  }
}

/** True for a MailError that is worth retrying later; unknown errors count as transient. */
export function isRetryableMailError(err: unknown): boolean {
  return err instanceof MailError ? err.retryable : true;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Cloudflare Email Service error codes (Workers API, "Error codes" table), by what a retry can do.
 * Limits reset with time, so rate and daily limits are transient; an unknown code is treated as
 * transient too, so a new code from the platform delays mail instead of dropping it.
 */
const CLOUDFLARE_CODES: Record<string, MailErrorKind> = {
  E_VALIDATION_ERROR: "invalid",
  E_FIELD_MISSING: "invalid",
  E_TOO_MANY_RECIPIENTS: "invalid",
  E_CONTENT_TOO_LARGE: "invalid",
  E_HEADER_NOT_ALLOWED: "invalid",
  E_HEADER_USE_API_FIELD: "invalid",
  E_HEADER_VALUE_INVALID: "invalid",
  E_HEADER_VALUE_TOO_LONG: "invalid",
  E_HEADER_NAME_INVALID: "invalid",
  E_HEADERS_TOO_LARGE: "invalid",
  E_HEADERS_TOO_MANY: "invalid",
  E_SENDER_NOT_VERIFIED: "config",
  E_SENDER_DOMAIN_NOT_AVAILABLE: "config",
  E_RECIPIENT_NOT_ALLOWED: "rejected",
  E_RECIPIENT_SUPPRESSED: "rejected",
  E_DELIVERY_FAILED: "transient",
  E_RATE_LIMIT_EXCEEDED: "transient",
  E_DAILY_LIMIT_EXCEEDED: "transient",
  E_INTERNAL_SERVER_ERROR: "transient",
};

/** Classifies whatever `env.EMAIL.send()` threw (an Error with a `code` property, per the docs). */
export function classifyCloudflareError(err: unknown): MailError {
  if (err instanceof MailError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const message = messageOf(err);
  if (typeof code === "string" && code) {
    return new MailError(CLOUDFLARE_CODES[code] ?? "transient", `Email Service: ${code}: ${message}`, code, {
      cause: err,
    });
  }
  // Local simulation (miniflare) throws plain errors for sender / recipient restrictions.
  if (/ not allowed$/.test(message))
    return new MailError("config", `Email Service: ${message}`, undefined, { cause: err });
  return new MailError("transient", `Email Service: ${message}`, undefined, { cause: err });
}

/**
 * Classifies an error from the SMTP client (worker-mailer), which throws plain Errors whose message
 * carries the server's reply ("Invalid RCPT TO: <a@b> 550 5.1.1 no such user"). The reply code
 * decides: 4xx transient, 5xx permanent (authentication failures are configuration). No reply code
 * means the connection failed or timed out: transient.
 */
export function classifySmtpError(err: unknown): MailError {
  if (err instanceof MailError) return err;
  const message = messageOf(err);
  // A server that never offers STARTTLS will not start to on a retry: an operator must switch to
  // implicit TLS (465) or fix the server (the offer may also have been stripped on the way).
  if (
    /requires authentication, but no credentials|No supported auth method|STARTTLS is required/i.test(message)
  )
    return new MailError("config", `SMTP: ${message}`, undefined, { cause: err });
  const reply = /(?:^|[\s:])([245]\d\d)(?:[\s-]|$)/.exec(message)?.[1];
  if (!reply || reply.startsWith("2"))
    return new MailError("transient", `SMTP: ${message}`, reply, { cause: err });
  if (reply.startsWith("4")) return new MailError("transient", `SMTP: ${message}`, reply, { cause: err });
  // 530/534/535/538: authentication required / too weak / bad credentials / encryption required.
  if (/^53[0-8]$/.test(reply) || /authentication/i.test(message))
    return new MailError("config", `SMTP: ${message}`, reply, { cause: err });
  // 550-553 on RCPT are the recipient; 552/554 on DATA are the content. Either way, never again.
  return new MailError("rejected", `SMTP: ${message}`, reply, { cause: err });
}
