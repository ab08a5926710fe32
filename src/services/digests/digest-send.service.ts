import { type DigestOutboxRow, digestOutbox } from "../../../schema";
import { type PartyRef, parsePartyRef } from "../../domain/party";
import { renderDigest } from "../../email/digest.template";
import type { EmailMessage } from "../../email/mailer";
import { sendClaimedRows } from "../notifications/outbox-lease";
import type { DigestDeps } from "./digest-config";
import { loadDigestData } from "./digest-content.service";
import { listHeaders, unsubscribeUrl } from "./digest-unsubscribe.service";

/**
 * Sends up to `limit` due digests. Each row is claimed first by one conditional update (due and
 * unclaimed, or claimed under a lapsed lease), so two concurrent runs never send the same row; the
 * row is marked `sent` only under its own claim. A failed send goes back to `pending` after a
 * backoff with the error recorded, and to `failed` after `MAX_ATTEMPTS` (the lease, claim and
 * backoff are shared with the notification sender: ../notifications/outbox-lease.ts).
 *
 * A run that dies after claiming leaves rows `sending`; the next run after the lease resends them.
 * The one window for a duplicate is a crash between the provider accepting a message and the
 * `sent` update (no mail protocol can close it); never a loss.
 */
export function sendDueDigests(
  deps: DigestDeps,
  input: { now: number; limit: number },
): Promise<{ sent: number; skipped: number; failed: number; retrying: number }> {
  return sendClaimedRows(deps.db, digestOutbox, {
    now: input.now,
    limit: input.limit,
    label: "digest",
    deliver: async (row) => {
      const message = await composeMessage(deps, row);
      if (message) await deps.mailer.send(message);
      return message !== null;
    },
    settle: async (_row, outcome, mine) => {
      if (outcome === "skipped") {
        // Nothing left to say (see loadDigestData): the period is done, and nothing was announced.
        await deps.db
          .update(digestOutbox)
          .set({ status: "skipped", suggestionIds: null, leaseUntil: null, lastError: null })
          .where(mine);
        return true;
      }
      const marked = await deps.db
        .update(digestOutbox)
        .set({ status: "sent", sentAt: input.now, leaseUntil: null, lastError: null })
        .where(mine)
        .returning({ id: digestOutbox.id });
      return marked.length > 0;
    },
  });
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
