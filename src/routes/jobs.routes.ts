import { createRoute, z } from "@hono/zod-openapi";
import { assertAdmin, requireOfficer } from "../auth/middleware";
import { notFound } from "../errors";
import { commonErrorResponses, notFoundResponse, PROBLEM_CONTENT_TYPE, ProblemSchema } from "../http/problem";
import { CRON_JOBS, findJob, JOBS, runJob } from "../jobs/registry";
import { bearerSecurity, createRouter, json } from "./router";

const tags = ["Admin"];

const JobNameParamsSchema = z.object({
  name: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/)
    .openapi({ param: { name: "name", in: "path" }, example: "send-digests" }),
});

const JobListSchema = z
  .object({
    jobs: z.array(
      z.object({
        name: z.string().openapi({ example: "send-digests" }),
        description: z.string(),
        crons: z.array(z.string()).openapi({
          description: "The wrangler.toml crons (UTC) that run it.",
          example: ["0 0 * * 1"],
        }),
      }),
    ),
  })
  .openapi("JobList");

const JobRunSchema = z
  .object({
    job: z.string().openapi({ example: "send-digests" }),
    trigger: z.string().openapi({ example: "admin:key_01JC3Z9V6X7Y8Z9A0B1C2D3E4F" }),
    startedAt: z.string().openapi({ format: "date-time" }),
    durationMs: z.number().int(),
    report: z.record(z.string(), z.unknown()).openapi({
      description:
        "What the job did, in its own terms; e.g. send-digests: `planned`, `skipped`, `sent`, `failed`, `retrying`, `remaining`.",
      example: { planned: 12, skipped: 30, sent: 12, failed: 0, retrying: 0, remaining: 0 },
    }),
    continuesInSeconds: z.number().int().nullable().openapi({
      description: "When the job's next chunk runs from the jobs queue; null when its work is done.",
    }),
  })
  .openapi("JobRun");

export const listJobsRoute = createRoute({
  method: "get",
  path: "/admin/jobs",
  operationId: "listJobs",
  summary: "Scheduled jobs and their crons (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  responses: { 200: json(JobListSchema, "Every job."), ...commonErrorResponses },
});

export const runJobRoute = createRoute({
  method: "post",
  path: "/admin/jobs/{name}",
  operationId: "runJob",
  summary: "Run a scheduled job now (admins)",
  description:
    "Runs one bounded chunk of the job, as its cron would, and returns its report; a job with more to do " +
    "continues through the jobs queue. Every job is idempotent (digests go once per recipient and period, " +
    "reminders once per request), so running one again is safe. Admins only: jobs act on the whole city " +
    "and send email.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: JobNameParamsSchema },
  responses: {
    200: json(JobRunSchema, "The job ran; its report."),
    ...notFoundResponse,
    ...commonErrorResponses,
    503: {
      description:
        "The job cannot run in this deployment (e.g. DIGEST_SIGNING_KEY unset), or the database is briefly unavailable.",
      content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
    },
  },
});

export const jobsRoutes = createRouter()
  .openapi(listJobsRoute, (c) => {
    const jobs = JOBS.map((job) => ({
      name: job.name,
      description: job.description,
      crons: Object.entries(CRON_JOBS)
        .filter(([, names]) => names.includes(job.name))
        .map(([cron]) => cron),
    }));
    return c.json({ jobs }, 200);
  })
  .openapi(runJobRoute, async (c) => {
    const admin = assertAdmin(c.get("principal"));
    const job = findJob(c.req.valid("param").name);
    if (!job) throw notFound("Job");
    const run = await runJob(
      job,
      {
        env: c.env,
        now: Date.now(),
        trigger: `admin:${admin.id}`,
        defer: (work) => c.executionCtx.waitUntil(work),
      },
      c.env.JOBS_QUEUE,
    );
    return c.json(run, 200);
  });
