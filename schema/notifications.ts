import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { NOTIFICATION_KINDS, type OfficerSummaryCounts } from "../src/domain/notifications";

/**
 * The notification outbox: one row per event and recipient, written in the same D1 batch as the
 * state change it announces (conditional on that change winning), so a lost race or a failed write
 * leaves no row and a committed change always has its row. The unique `eventKey` makes a repeated
 * enqueue of the same event a no-op. A sender claims due rows (lease + claim token, like
 * `digest_outbox`), renders the message from the rows as they are when it sends, and marks the row.
 *
 * Only ids are stored: names, messages and reasons are read when sending (an erased business's
 * text never sits here; its own rows are deleted by the erasure).
 *
 * pending -> sending -> sent | skipped (switched off, or nothing left to say) | pending (retry
 * after `nextAttemptAt`) | failed (attempts used up)
 */
export const notificationOutbox = sqliteTable(
  "notification_outbox",
  {
    /** `ntf_` + ULID. */
    id: text().primaryKey(),
    /** `<kind>:<audit row id>:<recipient>`, or `officer_summary:<WIB date>:<recipient>`. */
    eventKey: text().notNull(),
    kind: text({ enum: NOTIFICATION_KINDS }).notNull(),
    /** "business:<id>" or "officer:<id>" (`partyRef`). */
    recipient: text().notNull(),
    /** The business (sign-up decisions), the partnership, or the officer (summary). */
    subjectId: text().notNull(),
    /** The audit row of the event (its reason, when it has one, is read from there). */
    auditId: integer(),
    /** Officer summary only: the counts when it was planned. */
    counts: text({ mode: "json" }).$type<OfficerSummaryCounts>(),
    status: text({ enum: ["pending", "sending", "sent", "skipped", "failed"] })
      .notNull()
      .default("pending"),
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
    uniqueIndex("notification_outbox_event_key_idx").on(t.eventKey),
    index("notification_outbox_status_next_idx").on(t.status, t.nextAttemptAt),
    index("notification_outbox_recipient_idx").on(t.recipient),
  ],
);

export type NotificationOutboxRow = typeof notificationOutbox.$inferSelect;
