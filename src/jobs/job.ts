/**
 * One scheduled job: run by its cron (the `scheduled` handler dispatches on `controller.cron`), by an
 * admin over HTTP and by `npm run job -- NAME` locally. A job does bounded work per run (chunked so
 * it fits one invocation's CPU budget) and returns a small JSON report of what it did.
 */
export interface JobContext {
  env: Env;
  /** The run's clock (the cron's scheduledTime, or Date.now() for manual runs), epoch ms. */
  now: number;
  /** "cron:<expr>", "admin:<officer id>" or "cli". */
  trigger: string;
  /** Work that may finish after the response (ctx.waitUntil). */
  defer(work: Promise<unknown>): void;
}

export type JobReport = Record<string, unknown>;

export interface Job {
  /** kebab-case, stable: it appears in URLs, the CLI and logs. */
  name: string;
  description: string;
  run(ctx: JobContext): Promise<JobReport>;
}
