import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { LANGUAGES, type Language } from "../src/domain/language";
import type { NotificationTopic } from "../src/domain/notifications";

/**
 * Who gets digests, how often and in which language. One row per recipient, created on the first
 * change; a recipient without a row gets the defaults (weekly; a business's own `language`, `id`
 * for officers). `recipient` is "business:<id>" or "officer:<id>" (an `officers` row).
 */
export const digestPreferences = sqliteTable("digest_preferences", {
  recipient: text().primaryKey(),
  cadence: text({ enum: ["weekly", "monthly", "off"] })
    .notNull()
    .default("weekly"),
  /** null: follow the business's language (officers: Bahasa Indonesia). */
  language: text({ enum: LANGUAGES }),
  /** Set by a one-click unsubscribe (which also sets cadence to `off`); cleared by opting back in. */
  unsubscribedAt: integer(),
  /**
   * Event notifications the recipient turned off (src/domain/notifications.ts topics); null or
   * absent topics are on.
   */
  notificationsOff: text({ mode: "json" }).$type<NotificationTopic[]>(),
  updatedAt: integer().notNull(),
});

/**
 * A planned business digest: which items it lists, by id. The candidate's name and the stored
 * reasons, the requester's name and message, the other side's name and an officer's reason are read
 * from their rows at send time (so an erased business's items drop out).
 */
export interface StoredBusinessDigest {
  kind: "business";
  language: Language;
  cadence: "weekly" | "monthly";
  /** New suggestions listed, best first (the pair's fused score and suggested pattern). */
  newSuggestions: Array<{ candidateId: string; score: number; pattern: string }>;
  /** New suggestions counted but not listed ("and 4 more"). */
  moreSuggestions: number;
  /** Partnership ids of the requests awaiting its answer. */
  waiting: string[];
  /** Audit row ids of the changes to its requests and partnerships. */
  changes: number[];
}

/** A planned officer digest: business and partnership ids, totals and the period's counts. */
export interface StoredOfficerDigest {
  kind: "officer";
  language: Language;
  cadence: "weekly" | "monthly";
  /** Sign-ups awaiting review (business ids listed, and the total). */
  signups: { ids: string[]; total: number };
  /** Accepted requests awaiting approval (partnership ids listed, and the total). */
  pairings: { ids: string[]; total: number };
  /** Unanswered requests that expire soon (partnership ids listed, and the total). */
  expiring: { ids: string[]; total: number };
  /** The period's counts by kind (sign-ups, requests, accepted, ...). */
  numbers: Record<string, number>;
}

export type StoredDigestContent = StoredBusinessDigest | StoredOfficerDigest;

/**
 * The digest outbox: one row per recipient and period, written before anything is sent. The unique
 * (recipient, period) key makes a second planning run a no-op; a conditional claim (`pending`, or
 * `sending` with an expired lease -> `sending` with a new lease and claim token) makes sure two
 * concurrent runs never send the same row. `skipped` records "nothing new" so the period is done.
 *
 * pending -> sending -> sent | pending (retry after `nextAttemptAt`) | failed (attempts used up)
 */
export const digestOutbox = sqliteTable(
  "digest_outbox",
  {
    /** `dgo_` + ULID. */
    id: text().primaryKey(),
    recipient: text().notNull(),
    /** "2026-W48" (ISO week of the Asia/Jakarta date) or "2026-11" (monthly cadence). */
    period: text().notNull(),
    status: text({ enum: ["pending", "sending", "sent", "failed", "skipped"] }).notNull(),
    /** The content covers changes in [windowStart, windowEnd) (epoch ms). */
    windowStart: integer().notNull(),
    windowEnd: integer().notNull(),
    /**
     * What the digest says, as ids and numbers, fixed at planning so a retry sends the same items.
     * Names, addresses, messages and reasons are read when it is sent, never stored here, so a
     * business's erasure leaves nothing of it in anyone's digest. Null when skipped.
     */
    content: text({ mode: "json" }).$type<StoredDigestContent>(),
    /** Candidate ids announced as new suggestions (never announced again once sent). */
    suggestionIds: text({ mode: "json" }).$type<string[]>(),
    attempts: integer().notNull().default(0),
    nextAttemptAt: integer().notNull(),
    /** While `sending`: the claim expires at this time and another run may take the row over. */
    leaseUntil: integer(),
    claimToken: text(),
    lastError: text(),
    createdAt: integer().notNull(),
    sentAt: integer(),
  },
  (t) => [
    uniqueIndex("digest_outbox_recipient_period_idx").on(t.recipient, t.period),
    index("digest_outbox_status_next_idx").on(t.status, t.nextAttemptAt),
  ],
);

export type DigestPreferenceRow = typeof digestPreferences.$inferSelect;
export type DigestOutboxRow = typeof digestOutbox.$inferSelect;
