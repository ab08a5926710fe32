import { createDb } from "../db";
import { openShard, shardLayoutOf, shardsRunHere } from "../db-shards";
import type { ShardLayout } from "../domain/shards";
import {
  type ConsumeDeps,
  consumeRecompute,
  type IncomingMessage,
  parseChunkSize,
  type RecomputeMessage,
  type RecomputeMode,
  shardOfMessage,
} from "../services/matching/recompute.service";
import { startRecomputeRuns } from "../services/matching/recompute-runs.service";
import type { Job, JobContext } from "./job";

function recomputeJob(mode: RecomputeMode, description: string): Job {
  return {
    name: `recompute-${mode}`,
    description,
    async run(ctx: JobContext) {
      // A province deployment: one run per shard under one id (recompute-runs.service.ts).
      const started = await startRecomputeRuns(
        ctx.env,
        {
          defer: ctx.defer,
          queue: ctx.env.RECOMPUTE_QUEUE as Queue<RecomputeMessage>,
          chunkSize: parseChunkSize(ctx.env.RECOMPUTE_CHUNK_SIZE),
        },
        { mode, now: ctx.now, trigger: ctx.trigger },
      );
      return { ...started };
    },
  };
}

/**
 * Nightly: enqueue the businesses whose stored suggestions are missing, stale or outdated, and the
 * likely neighbours of those changed since the last finished run. The queue consumer rescores them.
 */
export const recomputeIncrementalJob = recomputeJob(
  "incremental",
  "Refresh stored suggestions that are missing, stale or affected by changes (queued in chunks).",
);

/** Weekly: enqueue every active business (refreshes IDF drift and anything incremental missed). */
export const recomputeFullJob = recomputeJob(
  "full",
  "Rebuild every active business's stored suggestions (queued in chunks).",
);

/** The shard a batch's messages are consumed in: their own shard's database (and its neighbours). */
function consumeDepsFor(
  env: Env,
  layout: ShardLayout | null,
  shard: string | null,
  base: Omit<ConsumeDeps, "db">,
): ConsumeDeps | null {
  if (!layout) return { ...base, db: createDb(env.DB) };
  // Only a shard this Worker runs (its own, in one shard's deployment).
  const spec = shard === null ? undefined : shardsRunHere(env, layout).find((s) => s.name === shard);
  return spec ? { ...base, ...openShard(env, layout, spec) } : null;
}

/** The recompute queue's consumer: ack or retry each message as the service decided. */
export async function runRecomputeBatch(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) {
  const base = {
    defer: (work: Promise<unknown>) => ctx.waitUntil(work),
    deadLetter: async (body: unknown) => {
      await env.RECOMPUTE_DLQ.send(body, { contentType: "json" });
    },
  };
  const layout = shardLayoutOf(env);
  const byShard = new Map<string | null, IncomingMessage[]>();
  for (const m of batch.messages) {
    const shard = layout ? shardOfMessage(m.body) : null;
    byShard.set(shard, [...(byShard.get(shard) ?? []), { id: m.id, body: m.body, attempts: m.attempts }]);
  }
  const byId = new Map(batch.messages.map((m) => [m.id, m]));
  for (const [shard, messages] of byShard) {
    const deps = consumeDepsFor(env, layout, shard, base);
    if (!deps) {
      // A message for a shard this deployment does not have (no shard, or a layout changed under
      // the queue): it can never succeed here, so it goes to the dead-letter queue for a person.
      console.error(JSON.stringify({ level: "error", msg: "recompute message for an unknown shard", shard }));
      for (const m of messages) {
        await base.deadLetter(m.body);
        byId.get(m.id)?.ack();
      }
      continue;
    }
    const outcomes = await consumeRecompute(deps, { messages, now: Date.now() });
    for (const outcome of outcomes) {
      const message = byId.get(outcome.id);
      if (!message) continue;
      if (outcome.action === "ack") message.ack();
      else message.retry({ delaySeconds: outcome.delaySeconds });
    }
  }
}
