import { desc, eq, isNotNull, sql } from "drizzle-orm";
import { recomputeChunks, recomputeRuns } from "../../../schema";
import type { Database } from "../../db";

/** The latest finished run's start: "changed since the last run" means after this. */
export function selectLastFinishedRun(db: Database) {
  return db
    .select({ id: recomputeRuns.id, startedAt: recomputeRuns.startedAt })
    .from(recomputeRuns)
    .where(isNotNull(recomputeRuns.finishedAt))
    .orderBy(desc(recomputeRuns.startedAt))
    .limit(1);
}

export function selectRun(db: Database, runId: string) {
  return db.select().from(recomputeRuns).where(eq(recomputeRuns.id, runId));
}

/**
 * Records one processed message of a run and refreshes its progress; finishes the run when every
 * message has been seen once. Idempotent: a redelivered message changes nothing.
 */
export function chunkDoneStatements(db: Database, input: { runId: string; seq: number; now: number }) {
  const done = sql`(select count(*) from ${recomputeChunks} where ${recomputeChunks.runId} = ${input.runId})`;
  return [
    db
      .insert(recomputeChunks)
      .values({ runId: input.runId, seq: input.seq, doneAt: input.now })
      .onConflictDoNothing(),
    db
      .update(recomputeRuns)
      .set({
        doneMessages: done,
        finishedAt: sql`coalesce(${recomputeRuns.finishedAt}, case when ${done} >= ${recomputeRuns.messages} then ${input.now} end)`,
      })
      .where(eq(recomputeRuns.id, input.runId)),
  ] as const;
}
