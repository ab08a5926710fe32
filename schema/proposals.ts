import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { StoredComponents } from "./suggestions";

/**
 * Pairings the weekly `propose-pairings` job chose (src/matching/assign.ts), waiting in the
 * officers' review queue. A separate table rather than a `proposed` status on `partnerships`: no
 * business can ever see a draft (every partnership query and count stays as it was, so drafts
 * cannot leak into a business's list or count against `MAX_OPEN_REQUESTS`), and a draft carries
 * what only the review needs (score, components, reasons, the week).
 *
 * draft -> published (an officer; the partnership request it became is `partnershipId`)
 * draft -> discarded (an officer, with a reason)
 *
 * One row per pair and week (`period`, the ISO week in Asia/Jakarta): a rerun of the job in the
 * same week cannot write a second draft of a pair. Transitions are conditional updates that
 * rewrite `revision`, like partnerships, so the audit insert in the same batch knows who won.
 */
export const pairingProposals = sqliteTable(
  "pairing_proposals",
  {
    /** `prp_` + ULID. */
    id: text().primaryKey(),
    /** ISO week of the run in Asia/Jakarta, e.g. "2026-W48". */
    period: text().notNull(),
    serviceId: text().notNull(),
    industryId: text().notNull(),
    /** Reciprocal pair score in [0, 1] when proposed. */
    score: real().notNull(),
    components: text({ mode: "json" }).$type<StoredComponents>().notNull(),
    /** Reasons as the stored suggestion gave them (the service business's view when it had one). */
    reasonsId: text({ mode: "json" }).$type<string[]>().notNull(),
    reasonsEn: text({ mode: "json" }).$type<string[]>().notNull(),
    /** Whose view the reasons are written from: "service" or "industry". */
    reasonsFor: text({ enum: ["service", "industry"] }).notNull(),
    /** Suggested PP 7/2021 pattern. */
    pattern: text().notNull(),
    status: text({ enum: ["draft", "published", "discarded"] }).notNull(),
    revision: text().notNull(),
    /** The job run that wrote it (`prun_` + ULID). */
    runId: text().notNull(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
    decidedAt: integer(),
    /** "officer:<id>". */
    decidedBy: text(),
    discardReason: text(),
    /** The partnership request a published draft became. */
    partnershipId: text(),
  },
  (t) => [
    uniqueIndex("pairing_proposals_period_pair_uq").on(t.period, t.serviceId, t.industryId),
    index("pairing_proposals_status_id_idx").on(t.status, t.id),
    index("pairing_proposals_pair_idx").on(t.serviceId, t.industryId),
    index("pairing_proposals_industry_idx").on(t.industryId),
    index("pairing_proposals_run_idx").on(t.runId),
  ],
);

export type PairingProposalRow = typeof pairingProposals.$inferSelect;
