import { createDb } from "../db";
import {
  consumeRecompute,
  parseChunkSize,
  type RecomputeMessage,
  type RecomputeMode,
  startRecompute,
} from "../services/matching/recompute.service";
import type { Job, JobContext } from "./job";

function recomputeJob(mode: RecomputeMode, description: string): Job {
  return {
    name: `recompute-${mode}`,
    description,
    async run(ctx: JobContext) {
      return {
        ...(await startRecompute(
          {
            db: createDb(ctx.env.DB),
            defer: ctx.defer,
            queue: ctx.env.RECOMPUTE_QUEUE as Queue<RecomputeMessage>,
            chunkSize: parseChunkSize(ctx.env.RECOMPUTE_CHUNK_SIZE),
          },
          { mode, now: ctx.now, trigger: ctx.trigger },
        )),
      };
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

/** The recompute queue's consumer: ack or retry each message as the service decided. */
export async function runRecomputeBatch(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) {
  const outcomes = await consumeRecompute(
    {
      db: createDb(env.DB),
      defer: (work) => ctx.waitUntil(work),
      deadLetter: async (body) => {
        await env.RECOMPUTE_DLQ.send(body, { contentType: "json" });
      },
    },
    {
      messages: batch.messages.map((m) => ({ id: m.id, body: m.body, attempts: m.attempts })),
      now: Date.now(),
    },
  );
  const byId = new Map(batch.messages.map((m) => [m.id, m]));
  for (const outcome of outcomes) {
    const message = byId.get(outcome.id);
    if (!message) continue;
    if (outcome.action === "ack") message.ack();
    else message.retry({ delaySeconds: outcome.delaySeconds });
  }
}
