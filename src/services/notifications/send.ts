import { notificationOutbox } from "../../../schema";
import { TOPIC_OF } from "../../domain/notifications";
import type { PartyRef } from "../../domain/party";
import type { EmailMessage, Mailer } from "../../email/mailer";
import type { ServiceDeps } from "../deps";
import type { DigestConfig } from "../digests/digest-config";
import { selectNotificationBacklog } from "./notifications.queries";
import { sendClaimedRows } from "./outbox-lease";
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
export function sendDueNotifications(
  deps: NotificationDeps,
  input: { now: number; limit: number },
): Promise<NotificationSendReport> {
  return sendClaimedRows(deps.db, notificationOutbox, {
    now: input.now,
    limit: input.limit,
    label: "notification",
    logFields: (row) => ({ kind: row.kind }),
    deliver: async (row) => {
      let message: EmailMessage | null = null;
      const wanted = await wantsTopic(deps, {
        recipient: row.recipient as PartyRef,
        topic: TOPIC_OF[row.kind],
      });
      if (wanted) message = await composeNotification(deps, row);
      if (message) await deps.mailer.send(message);
      return message !== null;
    },
    settle: async (_row, outcome, mine) => {
      const marked = await deps.db
        .update(notificationOutbox)
        .set(
          outcome === "sent"
            ? { status: "sent", sentAt: input.now, leaseUntil: null, lastError: null }
            : { status: "skipped", leaseUntil: null, lastError: null },
        )
        .where(mine)
        .returning({ id: notificationOutbox.id });
      return marked.length > 0;
    },
  });
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
