import { sql } from "drizzle-orm";
import { digestPreferences } from "../../../schema";
import { type PartyRef, parsePartyRef } from "../../domain/party";
import { ApiError } from "../../errors";
import { sign, verify } from "../../lib/signing";
import type { ServiceDeps } from "../deps";
import type { DigestConfig } from "./digest-config";

const UNSUBSCRIBE_PURPOSE = "digest-unsubscribe";

/** The signed one-click unsubscribe URL of a recipient (no expiry: old digests keep working). */
export async function unsubscribeUrl(config: DigestConfig, recipient: PartyRef): Promise<string> {
  const sig = await sign(config.signingKey, UNSUBSCRIBE_PURPOSE, recipient);
  const query = new URLSearchParams({ r: recipient, sig });
  return `${config.baseUrl}/v1/digests/unsubscribe?${query}`;
}

/** Checks an unsubscribe link's signature; 403 `invalid_signature` when it does not verify. */
export async function verifyUnsubscribe(
  config: DigestConfig,
  input: { recipient: string; signature: string },
): Promise<PartyRef> {
  const ok =
    config.signingKey !== "" &&
    parsePartyRef(input.recipient) !== null &&
    (await verify(config.signingKey, UNSUBSCRIBE_PURPOSE, input.recipient, input.signature));
  if (!ok) {
    throw new ApiError(
      "invalid_signature",
      "This unsubscribe link is not valid. Use the link from the email as it is.",
    );
  }
  return input.recipient as PartyRef;
}

/** Headers of a digest: RFC 2369 List-Unsubscribe, and RFC 8058 one-click when the link is https. */
export function listHeaders(url: string): Record<string, string> {
  const headers: Record<string, string> = { "List-Unsubscribe": `<${url}>` };
  if (url.startsWith("https://")) headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  return headers;
}

/**
 * One-click unsubscribe (RFC 8058): verifies the link's signature, then sets the cadence to `off`.
 * Idempotent: a second click keeps the first time.
 *
 * @throws 403 `invalid_signature` for a tampered or foreign link.
 */
export async function unsubscribe(
  deps: ServiceDeps & { config: DigestConfig },
  input: { recipient: string; signature: string; now: number },
): Promise<{ recipient: PartyRef }> {
  const recipient = await verifyUnsubscribe(deps.config, input);
  await deps.db
    .insert(digestPreferences)
    .values({ recipient, cadence: "off", unsubscribedAt: input.now, updatedAt: input.now })
    .onConflictDoUpdate({
      target: digestPreferences.recipient,
      set: {
        cadence: "off",
        unsubscribedAt: sql`coalesce(${digestPreferences.unsubscribedAt}, ${input.now})`,
        updatedAt: input.now,
      },
    });
  return { recipient };
}
