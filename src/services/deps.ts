import type { Database } from "../db";
import type { ShardContext } from "../db-shards";

/** What services need from the outside world. Built by routes, jobs and tests alike. */
export interface ServiceDeps {
  db: Database;
  /**
   * Keeps follow-up work alive after the response (`ctx.waitUntil` in a request or job). Absent
   * in tests and scripts: the work is then awaited in place, so its effects are visible at once.
   */
  defer?: ((work: Promise<unknown>) => void) | undefined;
  /**
   * In a sharded (province) deployment: the shard `db` is, and the neighbour shards whose
   * businesses its matcher also indexes (docs/SCALING.md, "Province topology"). Absent in a
   * single-database deployment, where `db` is the whole registry.
   */
  shard?: ShardContext | undefined;
}

/**
 * Runs `task` after the caller's main work: deferred when the caller can defer, awaited otherwise.
 * A failure is logged and swallowed: follow-up work must never fail a write that already succeeded.
 */
export async function runAfter(deps: ServiceDeps, label: string, task: () => Promise<void>): Promise<void> {
  const work = task().catch((err: unknown) => {
    console.error(
      JSON.stringify({
        level: "error",
        msg: label,
        error:
          err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
      }),
    );
  });
  if (deps.defer) deps.defer(work);
  else await work;
}
