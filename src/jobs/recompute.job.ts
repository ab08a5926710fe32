import { createDb } from "../db";
import {
  consumeRecompute,
  parseChunkSize,
  type RecomputeMessage,
  type RecomputeMode,
  startRecompute,
} from "../services/recompute.service";

/**
 * Crons (UTC, see wrangler.toml) and the run each starts. Asia/Jakarta is UTC+7 without DST:
 * 19:00 UTC is 02:00 WIB, the nightly incremental; Saturday 20:00 UTC is Sunday 03:00 WIB, the
 * weekly full rebuild.
 */
export const RECOMPUTE_CRONS: Readonly<Record<string, RecomputeMode>> = {
  "0 19 * * *": "incremental",
  "0 20 * * 6": "full",
};

/** The `scheduled` handler's work: start the run the cron stands for. Unknown crons are logged. */
export async function runScheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext) {
  const mode = RECOMPUTE_CRONS[controller.cron];
  if (!mode) {
    console.warn(JSON.stringify({ level: "warn", msg: "unknown cron", cron: controller.cron }));
    return;
  }
  const started = await startRecompute(
    {
      db: createDb(env.DB),
      defer: (work) => ctx.waitUntil(work),
      queue: env.RECOMPUTE_QUEUE as Queue<RecomputeMessage>,
      chunkSize: parseChunkSize(env.RECOMPUTE_CHUNK_SIZE),
    },
    { mode, now: controller.scheduledTime, trigger: `cron:${controller.cron}` },
  );
  console.log(JSON.stringify({ level: "info", msg: "recompute started", cron: controller.cron, ...started }));
}

/** The `queue` handler's work: consume, then ack or retry each message as the service decided. */
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
