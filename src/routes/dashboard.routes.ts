import { createRoute, z } from "@hono/zod-openapi";
import { requireOfficer } from "../auth/middleware";
import { pageQueryFields } from "../contracts/page.schemas";
import { layoutShards } from "../db-shards";
import { PERIOD_KINDS } from "../domain/calendar";
import { LANGUAGES } from "../domain/language";
import { ApiError } from "../errors";
import { commonErrorResponses, notFoundResponse } from "../http/problem";
import { getDashboard } from "../services/dashboard/dashboard.service";
import { exportLaporan, LAPORAN_TABLES } from "../services/dashboard/laporan.service";
import { reportPeriod } from "../services/dashboard/period";
import { getProvinceDashboard } from "../services/dashboard/province.service";
import { listOneStepAway } from "../services/dashboard/readiness.service";
import { bearerSecurity, createRouter, json, serviceDeps } from "./router";

const tags = ["Dashboard"];

const day = z
  .string()
  .max(10)
  .optional()
  .openapi({ example: "2026-12-01", description: "WIB date, YYYY-MM-DD (both ends included)." });

const PeriodQuerySchema = z.object({
  period: z
    .enum(PERIOD_KINDS)
    .optional()
    .openapi({
      description:
        "WIB calendar: `this_month` (default), `last_month`, `this_year`, `all`, or `custom` with `from` " +
        "and `to` (given `from`/`to` alone also mean custom).",
    }),
  from: day,
  to: day,
});

const CountSchema = z.object({ key: z.string(), count: z.number().int() }).openapi("Count");

const PeriodSchema = z
  .object({
    kind: z.enum(PERIOD_KINDS),
    from: z.number().int().nullable().openapi({ description: "Inclusive start, epoch ms (00:00 WIB)." }),
    to: z.number().int().nullable().openapi({ description: "Exclusive end, epoch ms (00:00 WIB)." }),
    firstDay: z.string().nullable().openapi({ example: "2026-12-01" }),
    lastDay: z.string().nullable().openapi({ example: "2026-12-31" }),
  })
  .openapi("ReportPeriod");

const DashboardSchema = z
  .object({
    period: PeriodSchema.nullable(),
    signups: z.object({ registered: z.number().int(), published: z.number().int() }),
    requestsSent: z.number().int(),
    requests: z.object({
      accepted: z.number().int(),
      declinedOrExpired: z.number().int(),
      acceptanceRate: z.number().nullable(),
    }),
    started: z.object({
      total: z.number().int(),
      byKecamatan: z.array(CountSchema),
      byPattern: z.array(CountSchema),
      byKbliSection: z.array(CountSchema),
    }),
    umkmPartnered: z.object({
      registered: z.number().int(),
      withPartner: z.number().int(),
      share: z.number().nullable(),
    }),
    umkm: z.object({
      registered: z.number().int(),
      withActivePartner: z.number().int(),
      share: z.number().nullable(),
    }),
    procurement: z.object({
      ready: z.number().int(),
      oneStepAway: z.number().int(),
      oneStepAwaySample: z.array(
        z.object({ id: z.string(), name: z.string(), missing: z.enum(["nib", "ekatalog"]) }),
      ),
    }),
    activeByKecamatan: z.array(CountSchema),
    activeByPattern: z.array(CountSchema),
    activeSidesByKbliSection: z.array(CountSchema),
    kelurahan: z.array(
      z.object({
        kelurahan: z.string(),
        businesses: z.number().int(),
        partnerships: z.number().int(),
        active: z.number().int(),
      }),
    ),
  })
  .openapi("Dashboard", {
    description:
      "Flows (`signups`, `requestsSent`, `requests`, `started`) count the period; the rest is the " +
      "registry now. A partnership has started when it is active, or ended with outcome " +
      '`cooperation_started` (docs/OPERATIONS.md: "The dashboard and the laporan").',
  });

const ShardFiguresSchema = DashboardSchema.pick({
  signups: true,
  requestsSent: true,
  requests: true,
  umkmPartnered: true,
  umkm: true,
})
  .extend({
    started: z.number().int().openapi({ description: "Partnerships started in the period." }),
    procurement: z.object({ ready: z.number().int(), oneStepAway: z.number().int() }),
  })
  .openapi("ShardFigures");

const ProvinceDashboardSchema = z
  .object({
    period: PeriodSchema.nullable(),
    shards: z.array(
      z.object({
        shard: z.string(),
        regions: z
          .array(z.string())
          .openapi({ description: "Kemendagri codes of its regencies and cities." }),
        figures: ShardFiguresSchema.nullable().openapi({
          description:
            "Null for a shard this Worker does not bind (one shard's deployment binds its neighbours only).",
        }),
      }),
    ),
    totals: ShardFiguresSchema,
    complete: z.boolean().openapi({ description: "Whether every shard of the layout is in the totals." }),
  })
  .openapi("ProvinceDashboard");

const OneStepAwaySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kecamatan: z.string().nullable(),
    kelurahan: z.string().nullable(),
    nib: z.string().nullable(),
    missing: z.enum(["nib", "ekatalog"]),
  })
  .openapi("OneStepAway");

export const getDashboardRoute = createRoute({
  method: "get",
  path: "/dashboard",
  operationId: "getDashboard",
  summary: "Dashboard figures for a period (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { query: PeriodQuerySchema },
  responses: { 200: json(DashboardSchema, "The figures."), ...commonErrorResponses },
});

export const getProvinceDashboardRoute = createRoute({
  method: "get",
  path: "/dashboard/province",
  operationId: "getProvinceDashboard",
  summary: "A province's overview: each shard's headline figures and the totals (officers)",
  description:
    "In a province deployment (`SHARDS`): for each shard of the layout, the dashboard's headline figures " +
    "for the period, computed in that shard's database by the same rules, and their sums. A Worker over " +
    "every shard binds them all; one shard's deployment gives figures for itself and its neighbours only " +
    "(`complete` false). 404 in a city deployment.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { query: PeriodQuerySchema },
  responses: {
    200: json(ProvinceDashboardSchema, "The figures."),
    ...notFoundResponse,
    ...commonErrorResponses,
  },
});

export const listReadinessRoute = createRoute({
  method: "get",
  path: "/dashboard/readiness",
  operationId: "listProcurementReadiness",
  summary: "UMKM one step from procurement readiness, by kecamatan then name (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { query: z.object(pageQueryFields) },
  responses: {
    200: json(
      z
        .object({
          items: z.array(OneStepAwaySchema),
          total: z.number().int(),
          nextCursor: z.string().nullable(),
        })
        .openapi("OneStepAwayPage"),
      "One page.",
    ),
    ...commonErrorResponses,
  },
});

const ExportQuerySchema = PeriodQuerySchema.extend({
  lang: z.enum(LANGUAGES).optional().openapi({ description: "Headers and labels; default `id`." }),
});

export const exportCsvRoute = createRoute({
  method: "get",
  path: "/dashboard/export.csv",
  operationId: "exportLaporanCsv",
  summary: "The laporan as CSV, one table per request (officers)",
  description:
    "UTF-8 with a byte-order mark, comma-separated, plain numbers. `table` picks the table: `summary` " +
    "(default), `kecamatan`, `pattern`, `kbli` (partnerships started in the period), `readiness`.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { query: ExportQuerySchema.extend({ table: z.enum(LAPORAN_TABLES).optional() }) },
  responses: {
    200: { description: "The table.", content: { "text/csv": { schema: z.string() } } },
    ...commonErrorResponses,
  },
});

export const exportXlsxRoute = createRoute({
  method: "get",
  path: "/dashboard/export.xlsx",
  operationId: "exportLaporanXlsx",
  summary: "The laporan as an Excel workbook, one sheet per table (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { query: ExportQuerySchema },
  responses: {
    200: {
      description: "The workbook.",
      content: {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
          schema: z.string().openapi({ format: "binary" }),
        },
      },
    },
    ...commonErrorResponses,
  },
});

/** A download: attachment with the file's name. */
export function download(file: { filename: string; contentType: string; body: Uint8Array }): Response {
  return new Response(file.body, {
    status: 200,
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
    },
  });
}

export const dashboardApiRoutes = createRouter()
  .openapi(getDashboardRoute, async (c) =>
    c.json(
      await getDashboard(serviceDeps(c), { period: reportPeriod(c.req.valid("query"), Date.now()) }),
      200,
    ),
  )
  .openapi(getProvinceDashboardRoute, async (c) => {
    const shards = layoutShards(c.env);
    if (!shards)
      throw new ApiError("not_found", "This deployment is not part of a province (SHARDS is unset).");
    const period = reportPeriod(c.req.valid("query"), Date.now());
    return c.json(await getProvinceDashboard(serviceDeps(c), { shards, period }), 200);
  })
  .openapi(listReadinessRoute, async (c) =>
    c.json(await listOneStepAway(serviceDeps(c), c.req.valid("query")), 200),
  )
  .openapi(exportCsvRoute, async (c) => {
    const q = c.req.valid("query");
    return download(
      await exportLaporan(serviceDeps(c), {
        period: reportPeriod(q, Date.now()),
        lang: q.lang ?? "id",
        format: "csv",
        table: q.table,
      }),
    );
  })
  .openapi(exportXlsxRoute, async (c) => {
    const q = c.req.valid("query");
    return download(
      await exportLaporan(serviceDeps(c), {
        period: reportPeriod(q, Date.now()),
        lang: q.lang ?? "id",
        format: "xlsx",
      }),
    );
  });
