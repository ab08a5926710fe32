import { app } from "./app";
import { runRecomputeBatch, runScheduled } from "./jobs/recompute.job";

export default {
  fetch: app.fetch,
  scheduled: runScheduled,
  queue: runRecomputeBatch,
} satisfies ExportedHandler<Env>;
