import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { PARTNERSHIP_OUTCOMES } from "../src/domain/partnership";

/** Optional terms a requester proposes (free text: "500 pasang/bulan", "tempo 30 hari"). */
export interface StoredTerms {
  volume?: string;
  paymentTerms?: string;
}

/**
 * Partnership requests and the partnerships they become: one row, one status machine.
 *
 * requested -> accepted | declined | expired | cancelled
 * accepted  -> active (officer approves) | rejected (officer, with a reason) | cancelled
 * active    -> ended (either side or an officer, with an outcome)
 *
 * Officer-created pairings are inserted straight as `active`. Every transition is a conditional
 * update on `status` that also rewrites `revision`, so the audit insert in the same batch can tell
 * whether this batch's update won.
 */
export const partnerships = sqliteTable(
  "partnerships",
  {
    /** `ptn_` + ULID. */
    id: text().primaryKey(),
    requesterId: text().notNull(),
    partnerId: text().notNull(),
    origin: text({ enum: ["request", "officer", "engine", "forum"] }).notNull(),
    /** The forum whose meeting led to it (origin "forum": both sides rated it "lanjut"). */
    forumId: text(),
    /** PP 7/2021 pattern (`PartnershipPattern` in src/matching/types.ts). */
    pattern: text().notNull(),
    message: text().notNull().default(""),
    terms: text({ mode: "json" }).$type<StoredTerms>(),
    status: text({
      enum: ["requested", "accepted", "declined", "expired", "cancelled", "rejected", "active", "ended"],
    }).notNull(),
    /** Random token rewritten by every transition (see above). */
    revision: text().notNull(),
    /** Who created it: "business:<id>" or "officer:<id>". */
    createdBy: text().notNull(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
    /** A `requested` row past this (epoch ms) is expired by `expireRequests`. */
    expiresAt: integer(),
    /** When the partner accepted or declined. */
    answeredAt: integer(),
    /** When an officer approved or rejected it (or created it). */
    decidedAt: integer(),
    decidedBy: text(),
    rejectionReason: text(),
    endedAt: integer(),
    endedBy: text(),
    outcome: text({ enum: PARTNERSHIP_OUTCOMES }),
    outcomeNote: text(),
    /** When the expiry reminder went to the partner (set once, by the claim that sends it). */
    remindedAt: integer(),
  },
  (t) => [
    index("partnerships_requester_status_idx").on(t.requesterId, t.status),
    index("partnerships_partner_status_idx").on(t.partnerId, t.status),
    index("partnerships_status_expires_idx").on(t.status, t.expiresAt),
  ],
);

/**
 * Pairs one side declined ("tidak berminat"): never suggested again, in either direction, and not
 * requestable, until an officer resets the pair. The key is the two ids in ascending order. In a
 * province, a pair across a shard border is kept in both shards' databases (`mirrorToNeighbour`).
 */
export const declinedPairs = sqliteTable(
  "declined_pairs",
  {
    lowId: text().notNull(),
    highId: text().notNull(),
    declinedBy: text().notNull(),
    partnershipId: text(),
    at: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.lowId, t.highId] })],
);

export type PartnershipRow = typeof partnerships.$inferSelect;
export type NewPartnershipRow = typeof partnerships.$inferInsert;
export type DeclinedPairRow = typeof declinedPairs.$inferSelect;
