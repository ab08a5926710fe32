import { createDb } from "../../db";
import { openShard, type ShardEnv, shardLayoutOf, shardsRunHere } from "../../db-shards";
import { newId } from "../../lib/ids";
import {
  getRecomputeRun,
  type RecomputeDeps,
  type RunProgress,
  type StartedRecompute,
  type StartRecomputeInput,
  startRecompute,
} from "./recompute.service";

/**
 * Recompute runs as the cron and the officer endpoint start and follow them, over the whole
 * deployment: one database, or (a province, `SHARDS`) every shard's. A province run is one run id
 * with a run recorded in each shard's database; each message names its shard, so the consumer
 * opens that shard (recompute.job.ts). Progress is summed over the shards' runs.
 */

/** What a run needs besides its database: the queue and the chunk size. */
export type RunDeps = Omit<RecomputeDeps, "db" | "shard">;

export interface ShardRunStarted {
  shard: string;
  enqueued: StartedRecompute["enqueued"];
}

/** A started run; `shards` (a province) says what each shard enqueued. */
export interface StartedRuns extends StartedRecompute {
  shards?: ShardRunStarted[];
}

export interface ShardRunProgress {
  shard: string;
  finishedAt: string | null;
  messages: number;
  doneMessages: number;
  businesses: number;
}

/** A run's progress; in a province summed over its shards, which `shards` lists. */
export interface RunsProgress extends RunProgress {
  shards?: ShardRunProgress[];
}

/**
 * Starts a run: in the one database, or in every shard (one after another: each picks its own
 * businesses, records its run and enqueues its chunks; 3 D1 queries and a send or more per shard).
 */
export async function startRecomputeRuns(
  env: ShardEnv,
  deps: RunDeps,
  input: StartRecomputeInput,
): Promise<StartedRuns> {
  const layout = shardLayoutOf(env);
  if (!layout) return startRecompute({ ...deps, db: createDb(env.DB) }, input);
  const runId = input.runId ?? newId("run_", input.now);
  const shards: ShardRunStarted[] = [];
  for (const spec of shardsRunHere(env, layout)) {
    const started = await startRecompute({ ...deps, ...openShard(env, layout, spec) }, { ...input, runId });
    shards.push({ shard: spec.name, enqueued: started.enqueued });
  }
  return {
    runId,
    enqueued: {
      messages: shards.reduce((n, s) => n + s.enqueued.messages, 0),
      businesses: shards.reduce((n, s) => n + s.enqueued.businesses, 0),
    },
    shards,
  };
}

/**
 * A run's progress, or null when no database knows it. In a province it is read from every shard
 * (at once) and summed; it is finished when every shard's part is, at the last one's time.
 */
export async function getRecomputeRuns(env: ShardEnv, runId: string): Promise<RunsProgress | null> {
  const layout = shardLayoutOf(env);
  if (!layout) return getRecomputeRun({ db: createDb(env.DB) }, { runId });
  const found = await Promise.all(
    shardsRunHere(env, layout).map(async (spec) => {
      const run = await getRecomputeRun(openShard(env, layout, spec), { runId });
      return run ? { shard: spec.name, run } : null;
    }),
  );
  const parts = found.filter((p) => p !== null);
  const first = parts[0];
  if (!first) return null;
  const finished = parts.map((p) => p.run.finishedAt);
  return {
    ...first.run,
    startedAt: parts.map((p) => p.run.startedAt).sort()[0] as string,
    finishedAt: finished.includes(null) ? null : ((finished as string[]).sort().at(-1) as string),
    messages: parts.reduce((n, p) => n + p.run.messages, 0),
    doneMessages: parts.reduce((n, p) => n + p.run.doneMessages, 0),
    businesses: parts.reduce((n, p) => n + p.run.businesses, 0),
    shards: parts.map(({ shard, run }) => ({
      shard,
      finishedAt: run.finishedAt,
      messages: run.messages,
      doneMessages: run.doneMessages,
      businesses: run.businesses,
    })),
  };
}
