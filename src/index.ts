import { app } from "./app";
import { runRecomputeBatch } from "./jobs/recompute.job";
import { isJobsQueue, runJobsBatch, runScheduled } from "./jobs/registry";

export default {
  fetch: app.fetch,
  scheduled: runScheduled,
  // Two queues, one consumer each: job continuations and recompute chunks.
  queue: (batch, env, ctx) =>
    isJobsQueue(batch.queue) ? runJobsBatch(batch, env, ctx) : runRecomputeBatch(batch, env, ctx),
} satisfies ExportedHandler<Env>;
