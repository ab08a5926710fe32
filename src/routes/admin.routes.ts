import { createRoute, z } from "@hono/zod-openapi";
import { assertOfficer, requireOfficer } from "../auth/middleware";
import { partyRef } from "../domain/party";
import { notFound } from "../errors";
import { IdempotencyHeadersSchema } from "../http/idempotency";
import { bodyErrorResponses, commonErrorResponses, notFoundResponse } from "../http/problem";
import { getRecomputeRuns, startRecomputeRuns } from "../services/matching/recompute-runs.service";
import { bearerSecurity, createRouter, recomputeDeps } from "./router";

const tags = ["Admin"];

const StartRecomputeSchema = z
  .strictObject({
    mode: z
      .enum(["incremental", "full"])
      .default("incremental")
      .openapi({
        description:
          "`incremental`: businesses whose stored suggestions are missing, stale or outdated, and the likely " +
          "neighbours of those changed since the last finished run; `full`: every active business.",
      }),
  })
  .openapi("StartRecompute");

const EnqueuedSchema = z.object({
  messages: z.number().int().openapi({ description: "Queue messages (chunks of business ids)." }),
  businesses: z.number().int(),
});

const RecomputeStartedSchema = z
  .object({
    runId: z.string().openapi({ example: "run_01JC3Z9V6X7Y8Z9A0B1C2D3E4F" }),
    enqueued: EnqueuedSchema,
    shards: z
      .array(z.object({ shard: z.string(), enqueued: EnqueuedSchema }))
      .optional()
      .openapi({
        description:
          "A province deployment (`SHARDS`): the run is started in every shard's database under this one id; what each enqueued. Absent with one database.",
      }),
  })
  .openapi("RecomputeStarted");

const RecomputeRunSchema = z
  .object({
    runId: z.string(),
    mode: z.enum(["incremental", "full"]),
    trigger: z.string().openapi({ example: "cron:0 19 * * *" }),
    startedAt: z.string().openapi({ format: "date-time" }),
    finishedAt: z.string().nullable().openapi({ format: "date-time" }),
    messages: z.number().int(),
    doneMessages: z.number().int(),
    businesses: z.number().int(),
    shards: z
      .array(
        z.object({
          shard: z.string(),
          finishedAt: z.string().nullable().openapi({ format: "date-time" }),
          messages: z.number().int(),
          doneMessages: z.number().int(),
          businesses: z.number().int(),
        }),
      )
      .optional()
      .openapi({
        description:
          "A province deployment: each shard's part of the run. The counts above are their sums; the run is finished when every part is.",
      }),
  })
  .openapi("RecomputeRun");

const RunIdParamsSchema = z.object({
  runId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "runId", in: "path" }, example: "run_01JC3Z9V6X7Y8Z9A0B1C2D3E4F" }),
});

export const startRecomputeRoute = createRoute({
  method: "post",
  path: "/admin/recompute",
  operationId: "startRecompute",
  summary: "Recompute stored suggestions in the background (officers)",
  description:
    "Enqueues the chosen businesses on the recompute queue in chunks and returns at once; the nightly " +
    "cron starts the same kind of run. Follow it with `GET /v1/admin/recompute/{runId}`.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: {
    headers: IdempotencyHeadersSchema,
    body: { required: true, content: { "application/json": { schema: StartRecomputeSchema } } },
  },
  responses: {
    202: {
      description: "Run started.",
      content: { "application/json": { schema: RecomputeStartedSchema } },
    },
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const getRecomputeRunRoute = createRoute({
  method: "get",
  path: "/admin/recompute/{runId}",
  operationId: "getRecomputeRun",
  summary: "Progress of a recompute run (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: RunIdParamsSchema },
  responses: {
    200: { description: "The run.", content: { "application/json": { schema: RecomputeRunSchema } } },
    ...notFoundResponse,
    ...commonErrorResponses,
  },
});

export const adminRoutes = createRouter()
  .openapi(startRecomputeRoute, async (c) => {
    const officer = assertOfficer(c.get("principal"));
    const started = await startRecomputeRuns(c.env, recomputeDeps(c), {
      mode: c.req.valid("json").mode,
      now: Date.now(),
      trigger: partyRef("officer", officer.id),
    });
    return c.json(started, 202);
  })
  .openapi(getRecomputeRunRoute, async (c) => {
    const run = await getRecomputeRuns(c.env, c.req.valid("param").runId);
    if (!run) throw notFound("Recompute run");
    return c.json(run, 200);
  });
