import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Batch recomputes of stored suggestions. A run is started by the cron or an officer and
 * finished when every one of its queue messages has been processed once; "changed since the last
 * run" means since the `startedAt` of the latest finished run.
 */
export const recomputeRuns = sqliteTable("recompute_runs", {
  id: text().primaryKey(),
  mode: text({ enum: ["incremental", "full"] }).notNull(),
  /** What started it: "officer:<id>" or "cron:<expression>". */
  trigger: text().notNull(),
  startedAt: integer().notNull(),
  /** Queue messages sent (chunks of business ids). */
  messages: integer().notNull(),
  businesses: integer().notNull(),
  /** Distinct messages processed so far (retries and duplicates count once). */
  doneMessages: integer().notNull().default(0),
  finishedAt: integer(),
});

/** One row per processed message of a run, so a redelivered message is not counted twice. */
export const recomputeChunks = sqliteTable(
  "recompute_chunks",
  {
    runId: text().notNull(),
    seq: integer().notNull(),
    doneAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] })],
);

export type RecomputeRunRow = typeof recomputeRuns.$inferSelect;
