import { z } from "zod";
import { expireRequestsJob } from "./expire-requests.job";
import { expireSignUpsJob } from "./expire-sign-ups.job";
import type { Job, JobContext, JobReport } from "./job";
import { officerSummaryJob } from "./officer-summary.job";
import { proposePairingsJob } from "./propose-pairings.job";
import { recomputeFullJob, recomputeIncrementalJob } from "./recompute.job";
import { sendDigestsJob } from "./send-digests.job";
import { sendNotificationsJob } from "./send-notifications.job";

/**
 * Every scheduled job, by its stable name (URLs, the CLI, logs). Runnable by its cron, by an admin
 * (`POST /v1/admin/jobs/{name}`) and locally (`npm run job -- NAME`).
 */
export const JOBS: readonly Job[] = [
  recomputeIncrementalJob,
  recomputeFullJob,
  expireRequestsJob,
  expireSignUpsJob,
  proposePairingsJob,
  sendDigestsJob,
  sendNotificationsJob,
  officerSummaryJob,
];

/**
 * What each cron in wrangler.toml runs, in order (a job's failure is logged and the next still
 * runs). Asia/Jakarta is WIB, UTC+7 without daylight saving.
 */
export const CRON_JOBS: Readonly<Record<string, readonly string[]>> = {
  /** 19:00 UTC daily = 02:00 WIB: nightly refresh of stored suggestions. */
  "0 19 * * *": ["recompute-incremental"],
  /** 20:00 UTC Saturday = 03:00 WIB Sunday: weekly full rebuild. */
  "0 20 * * 6": ["recompute-full"],
  /**
   * 23:00 UTC daily = 06:00 WIB: expire unanswered requests, remind partners before expiry; delete
   * sign-ups never confirmed from their address; then the officers' daily summary of what waits.
   */
  "0 23 * * *": ["expire-requests", "expire-sign-ups", "officer-summary"],
  /** 00:00 UTC Monday = 07:00 WIB Monday: propose pairings, then digests (which then list them). */
  "0 0 * * 1": ["propose-pairings", "send-digests"],
  /** Every 5 minutes: send the event notifications the outbox holds (sign-ups, requests, expiries). */
  "*/5 * * * *": ["send-notifications"],
};

export function findJob(name: string): Job | undefined {
  return JOBS.find((job) => job.name === name);
}

/** A continuation on the jobs queue: run this job again (its next bounded chunk). */
export const JobMessageSchema = z.strictObject({
  v: z.literal(1),
  job: z.string().min(1).max(64),
  /** The trigger of the run this continues ("cron:0 0 * * 1", "admin:<id>"). */
  trigger: z.string().min(1).max(200),
  /** The run's clock when this was enqueued (epoch ms): a cron's scheduledTime plus time spent. */
  now: z.number().int().nonnegative(),
  /** The wall clock when this was enqueued: the consumer adds the time since to `now`. */
  enqueuedAt: z.number().int().nonnegative(),
});
export type JobMessage = z.infer<typeof JobMessageSchema>;

/** The queue's name in wrangler.toml; the `queue` handler routes its batches here. */
export const JOBS_QUEUE_NAME = "kemitraan-jobs";

/**
 * Whether a batch comes from the jobs queue (else from the recompute queue): a name ending in
 * `-jobs` (`JOBS_QUEUE_NAME`), since each shard's deployment of a province has queues of its own
 * (`kemitraan-jombang-jobs`; docs/OPERATIONS.md, "Shards").
 */
export function isJobsQueue(name: string): boolean {
  return name.endsWith("-jobs");
}

/** Queues delay a message by at most 12 hours. */
const MAX_DELAY_SECONDS = 12 * 60 * 60;

export interface JobRun {
  job: string;
  trigger: string;
  startedAt: string;
  durationMs: number;
  report: JobReport;
  /** Seconds until the enqueued continuation runs; null when the job finished its work. */
  continuesInSeconds: number | null;
}

/**
 * Runs one job once and, when its report asks to continue (`continueInSeconds` a number), enqueues
 * the next chunk on the jobs queue. Logs one line with the report.
 */
export async function runJob(
  job: Job,
  ctx: JobContext,
  queue: Pick<Queue<JobMessage>, "send"> | null,
): Promise<JobRun> {
  const started = Date.now();
  const report = await job.run(ctx);
  let continuesInSeconds: number | null = null;
  const wanted = report.continueInSeconds;
  if (typeof wanted === "number" && queue) {
    continuesInSeconds = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(wanted)));
    await queue.send(
      { v: 1, job: job.name, trigger: ctx.trigger, now: ctx.now, enqueuedAt: Date.now() },
      { contentType: "json", delaySeconds: continuesInSeconds },
    );
  }
  const run: JobRun = {
    job: job.name,
    trigger: ctx.trigger,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    report,
    continuesInSeconds,
  };
  console.log(JSON.stringify({ level: "info", msg: "job finished", ...run }));
  return run;
}

function logError(msg: string, fields: Record<string, unknown>, err: unknown) {
  console.error(
    JSON.stringify({
      level: "error",
      msg,
      ...fields,
      error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
    }),
  );
}

function contextFor(env: Env, ctx: ExecutionContext, now: number, trigger: string): JobContext {
  return { env, now, trigger, defer: (work) => ctx.waitUntil(work) };
}

/** The `scheduled` handler: runs the cron's jobs in order. Unknown crons are logged. */
export async function runScheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext) {
  const names = CRON_JOBS[controller.cron];
  if (!names) {
    console.warn(JSON.stringify({ level: "warn", msg: "unknown cron", cron: controller.cron }));
    return;
  }
  const trigger = `cron:${controller.cron}`;
  for (const name of names) {
    const job = findJob(name);
    if (!job) {
      console.error(
        JSON.stringify({
          level: "error",
          msg: "cron names an unknown job",
          cron: controller.cron,
          job: name,
        }),
      );
      continue;
    }
    try {
      await runJob(job, contextFor(env, ctx, controller.scheduledTime, trigger), env.JOBS_QUEUE);
    } catch (err) {
      logError("job failed", { job: name, trigger }, err);
    }
  }
}

/**
 * The jobs queue's consumer: runs the named job's next chunk. A body that fails validation or
 * names no job is logged and acked (it can never succeed); a failing run is retried with backoff.
 */
export async function runJobsBatch(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) {
  for (const message of batch.messages) {
    const parsed = JobMessageSchema.safeParse(message.body);
    const job = parsed.success ? findJob(parsed.data.job) : undefined;
    if (!parsed.success || !job) {
      console.error(JSON.stringify({ level: "error", msg: "poisoned job message", messageId: message.id }));
      message.ack();
      continue;
    }
    try {
      // The run's clock carries on from where it was: a continuation stays in its run's period even
      // when the run was started for another time (`/cdn-cgi/handler/scheduled?time=...`, tests).
      const { now, enqueuedAt } = parsed.data;
      const clock = now + Math.max(0, Date.now() - enqueuedAt);
      await runJob(job, contextFor(env, ctx, clock, parsed.data.trigger), env.JOBS_QUEUE);
      message.ack();
    } catch (err) {
      logError("job continuation failed", { job: job.name, attempts: message.attempts }, err);
      message.retry({ delaySeconds: Math.min(300, 10 * 2 ** Math.max(0, message.attempts - 1)) });
    }
  }
}
