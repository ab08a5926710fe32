import { and, asc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { digestOutbox, notificationOutbox } from "../../../schema";
import type { Database } from "../../db";
import { randomToken } from "../../lib/ids";

/**
 * The lease, claim and backoff that both outbox senders (digests, notifications) share: a row is
 * claimed first by one conditional update (due and unclaimed, or claimed under a lapsed lease), so
 * two concurrent runs never send the same row, and is marked only under its own claim. A failed
 * send goes back to `pending` after a backoff with the error recorded, and to `failed` after
 * `MAX_ATTEMPTS`.
 */

/** A claimed row whose sender vanished is taken over after this long. */
export const LEASE_MS = 15 * 60 * 1000;

/** Send attempts per digest before it is marked `failed`. */
export const MAX_ATTEMPTS = 5;

/** Wait after the n-th failed attempt: 1 min, 5 min, 30 min, 2 h. */
export function digestBackoffMs(attempts: number): number {
  const steps = [60_000, 5 * 60_000, 30 * 60_000, 2 * 60 * 60_000];
  return steps[Math.min(Math.max(attempts, 1), steps.length) - 1] ?? steps[0] ?? 60_000;
}

/** An outbox table: both have the same lease columns. */
type OutboxTable = typeof digestOutbox | typeof notificationOutbox;

/** Claims up to `limit` due rows of `table` for this run: `pending` and due, or `sending` with a lapsed lease. */
export function claimDueRows<T extends OutboxTable>(
  db: Database,
  table: T,
  input: { now: number; leaseMs: number; token: string; limit: number },
): Promise<T["$inferSelect"][]> {
  // Both tables have these columns; the union is narrowed to one so drizzle's builder types resolve.
  const t = table as typeof digestOutbox;
  const due = or(
    and(eq(t.status, "pending"), sql`${t.nextAttemptAt} <= ${input.now}`),
    and(eq(t.status, "sending"), sql`${t.leaseUntil} <= ${input.now}`),
  );
  return db
    .update(t)
    .set({
      status: "sending",
      claimToken: input.token,
      leaseUntil: input.now + input.leaseMs,
      attempts: sql`${t.attempts} + 1`,
    })
    .where(
      and(
        inArray(
          t.id,
          db
            .select({ id: t.id })
            .from(t)
            .where(due)
            .orderBy(asc(t.nextAttemptAt), asc(t.id))
            .limit(input.limit),
        ),
        // Repeated so the row is still due when the update itself runs.
        due,
      ),
    )
    .returning() as Promise<T["$inferSelect"][]>;
}

/** What a send run did with its claimed rows. */
export interface OutboxSendTally {
  sent: number;
  skipped: number;
  failed: number;
  retrying: number;
}

/** The columns a settled row gets: sent or skipped (nothing to say, or switched off). */
export type Settled = "sent" | "skipped";

/**
 * Claims due rows of `table` and sends each: `deliver` composes and sends a row's message and says
 * whether one was sent (`false` = skipped), `settle` marks the row under `mine` (its own claim)
 * and says whether the claim still held. A throw from `deliver` is a failed attempt: the row goes
 * back to `pending` after `digestBackoffMs`, or to `failed` after `MAX_ATTEMPTS`.
 */
export async function sendClaimedRows<T extends OutboxTable>(
  db: Database,
  table: T,
  input: {
    now: number;
    limit: number;
    /** The log's word for a row: "digest", "notification". */
    label: string;
    /** Extra fields for the failure log line. */
    logFields?: (row: T["$inferSelect"]) => Record<string, unknown>;
    deliver: (row: T["$inferSelect"]) => Promise<boolean>;
    settle: (row: T["$inferSelect"], outcome: Settled, mine: SQL | undefined) => Promise<boolean>;
  },
): Promise<OutboxSendTally> {
  const token = randomToken(16);
  const claimed = await claimDueRows(db, table, {
    now: input.now,
    leaseMs: LEASE_MS,
    token,
    limit: input.limit,
  });
  const t = table as typeof digestOutbox;
  const result = { sent: 0, skipped: 0, failed: 0, retrying: 0 };
  for (const row of claimed) {
    const mine = and(eq(t.id, row.id), eq(t.claimToken, token));
    let sent: boolean;
    try {
      sent = await input.deliver(row);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const giveUp = row.attempts >= MAX_ATTEMPTS;
      await db
        .update(t)
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
          msg: `${input.label} send failed`,
          outboxId: row.id,
          ...input.logFields?.(row),
          attempts: row.attempts,
          giveUp,
          error,
        }),
      );
      if (giveUp) result.failed += 1;
      else result.retrying += 1;
      continue;
    }
    const held = await input.settle(row, sent ? "sent" : "skipped", mine);
    if (!held) {
      console.warn(
        JSON.stringify({ level: "warn", msg: `${input.label} claim lost after sending`, outboxId: row.id }),
      );
    }
    if (sent) result.sent += 1;
    else result.skipped += 1;
  }
  return result;
}
