import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Stored component scores of one suggestion (each in [0, 1]). */
export interface StoredComponents {
  category: number;
  location: number;
  text: number;
}

/**
 * A stored reason: a kind tag and its parameters (src/matching/explain.ts `ReasonCode`), rendered
 * into a sentence in the reader's language when read (`renderReasons`).
 */
export type StoredReasonCode = [string, ...unknown[]];

/**
 * Stored top-k suggestions: at most `SUGGESTIONS_PER_BUSINESS` rows per business, one per
 * candidate, written by the matcher (only the rows that changed), served best first by score with
 * ties by candidate id (the matcher's own order: `storedOrder` in suggestions.queries.ts). No rank
 * is stored: a candidate moving up or down would rewrite every row between (26 rows per rescore
 * on average when ranks were stored, against the one or two whose score changed).
 * No foreign keys: businesses are never deleted (only deactivated), and serving joins the
 * candidate's row anyway, so a stale candidate simply drops out.
 */
export const suggestions = sqliteTable(
  "suggestions",
  {
    businessId: text().notNull(),
    candidateId: text().notNull(),
    /** Fused reciprocal score in [0, 1]. */
    score: real().notNull(),
    components: text({ mode: "json" }).$type<StoredComponents>().notNull(),
    /** One to three reasons as codes, not sentences: rendered on read in the reader's language. */
    reasons: text({ mode: "json" }).$type<StoredReasonCode[]>().notNull().default(sql`'[]'`),
    pattern: text().notNull(),
  },
  (t) => [
    // One row per candidate in a set; led by the candidate: "which stored sets list this
    // business?" when it changes.
    primaryKey({ columns: [t.candidateId, t.businessId] }),
    // A set best first (`storedOrder`): a read walks it and stops at its limit.
    index("suggestions_serving_idx").on(t.businessId, sql`${t.score} desc`, t.candidateId),
  ],
);

/**
 * One row per business whose suggestions are stored: when and from what they were computed.
 * A set is fresh when it is not marked stale, was computed from the business's current
 * `matchInputsAt` (its matching inputs, not its email) and by the current analyzer; anything else is recomputed on read or by a run.
 */
export const suggestionSets = sqliteTable(
  "suggestion_sets",
  {
    businessId: text().primaryKey(),
    /** Epoch ms when the computation started (a stale mark at or after it survives the write). */
    computedAt: integer().notNull(),
    /** The business's `matchInputsAt` the set was computed from (the column keeps its old name). */
    sourceUpdatedAt: integer().notNull(),
    /** `ANALYZER_VERSION` of the engine that computed it. */
    analyzerVersion: text().notNull(),
    /** Set when something this set depends on changed; null while fresh. */
    staleSince: integer(),
    /**
     * The registry revision (registry_meta) of the latest change that marked this set stale in its
     * own database, null when none did. A computation whose matcher held an earlier revision did
     * not see that change: its write keeps the set stale (the time rule on `computedAt` cannot
     * tell, since a write that started before the computation may land after its matcher read).
     */
    staleRevision: integer(),
    /**
     * In a province deployment: the neighbour shards whose changes marked this set stale, each with
     * its own registry's revision at that change (a JSON object, shard name -> revision; null when
     * none did). A computation whose matcher held an earlier revision of one of them did not see
     * that change: its write keeps the set stale, as `staleRevision` does for this database's own
     * changes (another database's revisions cannot be compared with this one's).
     */
    staleSources: text(),
    /** The recompute run that wrote it, null when written on request or on a registry write. */
    runId: text(),
    /**
     * The lowest score in the set, or 0 when the set holds fewer than the stored maximum (then any
     * candidate enters). A changed business scoring below it against this owner cannot enter the
     * set, so the set stays fresh (unless it lists the changed business).
     */
    lowestScore: real().notNull().default(0),
  },
  (t) => [
    index("suggestion_sets_stale_since_idx").on(t.staleSince),
    // The lowest lowest score of all sets, fresh or stale (a change's mark records its revision on
    // stale sets too): below it a changed business enters no set (staleness.service.ts).
    index("suggestion_sets_lowest_idx").on(t.lowestScore),
  ],
);

export type SuggestionRow = typeof suggestions.$inferSelect;
export type SuggestionSetRow = typeof suggestionSets.$inferSelect;
