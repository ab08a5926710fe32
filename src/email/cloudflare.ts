import { classifyCloudflareError } from "./errors";
import type { EmailMessage, Mailer } from "./mailer";
import { assertNoLineBreaks, checkAddress, extraHeaders, type MailAddress } from "./mime";

/**
 * Cloudflare Email Service through a `send_email` binding (`[[send_email]] name = "EMAIL"`).
 *
 * Which API: the binding's structured builder, `env.EMAIL.send({ from, to, subject, text, html,
 * headers })`, which Cloudflare's Workers API page marks "recommended" and which returns a
 * `messageId` and throws errors carrying a `code` (E_RATE_LIMIT_EXCEEDED, ...). The older form,
 * `send(new EmailMessage(from, to, rawMime))` from `cloudflare:email`, is documented as "legacy,
 * supported for backward compatibility". With the builder the platform writes Date, Message-ID,
 * MIME-Version and Content-* itself (setting them is E_HEADER_NOT_ALLOWED) and DKIM-signs, so this
 * provider sends fields, not our MIME bytes; it still runs the same header checks as the MIME
 * builder first, so a CR/LF in a value is refused here exactly as it is for SMTP.
 *
 * Locally (wrangler dev, the vitest pool, the e2e harness) miniflare simulates the binding: nothing
 * is delivered, the message is logged and written under the local miniflare directory.
 */
export function cloudflareMailer(binding: SendEmail, from: MailAddress): Mailer {
  return {
    async send(message: EmailMessage): Promise<void> {
      const payload = cloudflarePayload(message, from);
      try {
        await binding.send(payload);
      } catch (err) {
        throw classifyCloudflareError(err);
      }
    },
  };
}

/** The builder object for `send()`; exported for tests. Throws MailError `invalid` on bad input. */
export function cloudflarePayload(message: EmailMessage, from: MailAddress): EmailMessageBuilder {
  checkAddress("From", from.email);
  checkAddress("To", message.to);
  assertNoLineBreaks("Subject", message.subject);
  if (from.name) assertNoLineBreaks("From display name", from.name);
  const headers = Object.fromEntries(
    extraHeaders(message.headers).map(([name, value]) => [name, unfold(value)]),
  );
  return {
    from: from.name ? { email: from.email, name: from.name } : from.email,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html === undefined ? {} : { html: message.html }),
    // The platform folds long headers itself; it wants the logical value.
    ...(Object.keys(headers).length ? { headers } : {}),
  };
}

function unfold(value: string): string {
  return value.replace(/\r\n(?=[ \t])/g, "");
}
