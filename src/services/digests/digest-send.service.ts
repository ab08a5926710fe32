import { and, eq } from "drizzle-orm";
import { type DigestOutboxRow, digestOutbox } from "../../../schema";
import { type PartyRef, parsePartyRef } from "../../domain/party";
import { renderDigest } from "../../email/digest.template";
import type { EmailMessage } from "../../email/mailer";
import { randomToken } from "../../lib/ids";
import type { DigestDeps } from "./digest-config";
import { loadDigestData } from "./digest-content.service";
import { listHeaders, unsubscribeUrl } from "./digest-unsubscribe.service";
import { claimDueStatement } from "./digests.queries";

/** A claimed row whose sender vanished is taken over after this long. */
export const LEASE_MS = 15 * 60 * 1000;

/** Send attempts per digest before it is marked `failed`. */
export const MAX_ATTEMPTS = 5;

/** Wait after the n-th failed attempt: 1 min, 5 min, 30 min, 2 h. */
export function digestBackoffMs(attempts: number): number {
  const steps = [60_000, 5 * 60_000, 30 * 60_000, 2 * 60 * 60_000];
  return steps[Math.min(Math.max(attempts, 1), steps.length) - 1] ?? steps[0] ?? 60_000;
}

/**
 * Sends up to `limit` due digests. Each row is claimed first by one conditional update (due and
 * unclaimed, or claimed under a lapsed lease), so two concurrent runs never send the same row; the
 * row is marked `sent` only under its own claim. A failed send goes back to `pending` after a
 * backoff with the error recorded, and to `failed` after `MAX_ATTEMPTS`.
 *
 * A run that dies after claiming leaves rows `sending`; the next run after the lease resends them.
 * The one window for a duplicate is a crash between the provider accepting a message and the
 * `sent` update (no mail protocol can close it); never a loss.
 */
export async function sendDueDigests(
  deps: DigestDeps,
  input: { now: number; limit: number },
): Promise<{ sent: number; skipped: number; failed: number; retrying: number }> {
  const token = randomToken(16);
  const claimed = await claimDueStatement(deps.db, {
    now: input.now,
    leaseMs: LEASE_MS,
    token,
    limit: input.limit,
  });
  const result = { sent: 0, skipped: 0, failed: 0, retrying: 0 };
  for (const row of claimed) {
    const mine = and(eq(digestOutbox.id, row.id), eq(digestOutbox.claimToken, token));
    let message: EmailMessage | null;
    try {
      message = await composeMessage(deps, row);
      if (message) await deps.mailer.send(message);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const giveUp = row.attempts >= MAX_ATTEMPTS;
      await deps.db
        .update(digestOutbox)
        .set({
          status: giveUp ? "failed" : "pending",
          nextAttemptAt: input.now + digestBackoffMs(row.attempts),
          leaseUntil: null,
          lastError: error.slice(0, 500),
        })
        .where(mine);
      console.warn(
        JSON.stringify({
          level: "warn",
          msg: "digest send failed",
          outboxId: row.id,
          attempts: row.attempts,
          giveUp,
          error,
        }),
      );
      if (giveUp) result.failed += 1;
      else result.retrying += 1;
      continue;
    }
    if (!message) {
      // Nothing left to say (see loadDigestData): the period is done, and nothing was announced.
      await deps.db
        .update(digestOutbox)
        .set({ status: "skipped", suggestionIds: null, leaseUntil: null, lastError: null })
        .where(mine);
      result.skipped += 1;
      continue;
    }
    const marked = await deps.db
      .update(digestOutbox)
      .set({ status: "sent", sentAt: input.now, leaseUntil: null, lastError: null })
      .where(mine)
      .returning({ id: digestOutbox.id });
    if (marked.length === 0) {
      console.warn(
        JSON.stringify({ level: "warn", msg: "digest claim lost after sending", outboxId: row.id }),
      );
    }
    result.sent += 1;
  }
  return result;
}

/**
 * A claimed row's message, rendered now from its stored content and the rows as they are (names,
 * address, messages, reasons); null when nothing is left to send (see `loadDigestData`).
 */
async function composeMessage(deps: DigestDeps, row: DigestOutboxRow): Promise<EmailMessage | null> {
  const recipient = parsePartyRef(row.recipient);
  if (!recipient || !row.content) throw new Error(`outbox row ${row.id} has no content`);
  const unsubscribe = await unsubscribeUrl(deps.config, row.recipient as PartyRef);
  const loaded = await loadDigestData(deps, {
    recipient,
    content: row.content,
    window: { start: row.windowStart, end: row.windowEnd },
    links: { app: `${deps.config.baseUrl}/`, unsubscribe },
  });
  if (!loaded) return null;
  return { to: loaded.to, ...renderDigest(loaded.data), headers: listHeaders(unsubscribe) };
}
