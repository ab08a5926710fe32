import { and, eq } from "drizzle-orm";
import { notificationOutbox } from "../../../schema";
import { TOPIC_OF } from "../../domain/notifications";
import type { PartyRef } from "../../domain/party";
import type { EmailMessage, Mailer } from "../../email/mailer";
import { randomToken } from "../../lib/ids";
import type { ServiceDeps } from "../deps";
import type { DigestConfig } from "../digests/digest-config";
import { digestBackoffMs, LEASE_MS, MAX_ATTEMPTS } from "../digests/digest-send.service";
import { claimDueNotifications, selectNotificationBacklog } from "./notifications.queries";
import { wantsTopic } from "./preferences";
import { composeNotification } from "./render";

export interface NotificationDeps extends ServiceDeps {
  mailer: Mailer;
  /** The digests' settings: public base URL, unsubscribe signing key, chunk size. */
  config: DigestConfig;
}

export interface NotificationSendReport {
  sent: number;
  /** Switched off by the recipient, or nothing left to say (see `composeNotification`). */
  skipped: number;
  /** Used up their attempts this run. */
  failed: number;
  /** Failed sends that will be retried after their backoff. */
  retrying: number;
}

/**
 * Sends up to `limit` due notifications, exactly like the digest sender (src/services/digests): a
 * row is claimed first by one conditional update (due and unclaimed, or claimed under a lapsed
 * lease), so two concurrent runs never send the same row, and is marked only under its own claim.
 * A row whose topic the recipient turned off is `skipped` (the switch is read at send time, so
 * turning it off also stops what is already queued). A failed send goes back to `pending` after
 * `digestBackoffMs` with the error recorded, and to `failed` after `MAX_ATTEMPTS`.
 */
export async function sendDueNotifications(
  deps: NotificationDeps,
  input: { now: number; limit: number },
): Promise<NotificationSendReport> {
  const token = randomToken(16);
  const claimed = await claimDueNotifications(deps.db, {
    now: input.now,
    leaseMs: LEASE_MS,
    token,
    limit: input.limit,
  });
  const result = { sent: 0, skipped: 0, failed: 0, retrying: 0 };
  for (const row of claimed) {
    const mine = and(eq(notificationOutbox.id, row.id), eq(notificationOutbox.claimToken, token));
    let message: EmailMessage | null = null;
    try {
      const wanted = await wantsTopic(deps, {
        recipient: row.recipient as PartyRef,
        topic: TOPIC_OF[row.kind],
      });
      if (wanted) message = await composeNotification(deps, row);
      if (message) await deps.mailer.send(message);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const giveUp = row.attempts >= MAX_ATTEMPTS;
      await deps.db
        .update(notificationOutbox)
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
          msg: "notification send failed",
          outboxId: row.id,
          kind: row.kind,
          attempts: row.attempts,
          giveUp,
          error,
        }),
      );
      if (giveUp) result.failed += 1;
      else result.retrying += 1;
      continue;
    }
    const marked = await deps.db
      .update(notificationOutbox)
      .set(
        message
          ? { status: "sent", sentAt: input.now, leaseUntil: null, lastError: null }
          : { status: "skipped", leaseUntil: null, lastError: null },
      )
      .where(mine)
      .returning({ id: notificationOutbox.id });
    if (marked.length === 0) {
      console.warn(
        JSON.stringify({ level: "warn", msg: "notification claim lost after sending", outboxId: row.id }),
      );
    }
    if (message) result.sent += 1;
    else result.skipped += 1;
  }
  return result;
}

export interface NotificationRunReport extends NotificationSendReport {
  /** Rows still to send: due now, or waiting for their retry. */
  remaining: number;
  /** 0 = more are due now (continue at once); null = done until the next cron run. */
  continueInSeconds: number | null;
}

/**
 * One bounded chunk: send up to `chunkSize` due notifications, then count what is left. More due
 * now continues through the jobs queue; retries waiting for their backoff are picked up by the
 * next cron run (every few minutes).
 */
export async function runNotificationChunk(
  deps: NotificationDeps,
  input: { now: number },
): Promise<NotificationRunReport> {
  const sent = await sendDueNotifications(deps, { now: input.now, limit: deps.config.chunkSize });
  const [backlog] = await selectNotificationBacklog(deps.db, input.now);
  const dueNow = backlog?.dueNow ?? 0;
  return {
    ...sent,
    remaining: dueNow + (backlog?.later ?? 0),
    continueInSeconds: dueNow > 0 ? 0 : null,
  };
}
