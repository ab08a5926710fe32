import { Hono } from "hono";
import { z } from "zod";
import { assertOfficer } from "../../auth/middleware";
import { layoutShards } from "../../db-shards";
import { PERIOD_KINDS, resolvePeriod } from "../../domain/calendar";
import { kbliSectionName } from "../../domain/kbli";
import { getDashboard } from "../../services/dashboard/dashboard.service";
import { exportLaporan, LAPORAN_TABLES, type LaporanFile } from "../../services/dashboard/laporan.service";
import { reportPeriod } from "../../services/dashboard/period";
import { getProvinceDashboard, type ProvinceDashboard } from "../../services/dashboard/province.service";
import { listOneStepAway } from "../../services/dashboard/readiness.service";
import { type ForumStats, forumStats } from "../../services/forums/forum-stats.service";
import type { ConsoleEnv } from "../context";
import { label, t } from "../i18n";
import { DashboardPage, type PeriodForm, ReadinessPage } from "../pages/officer/dashboard";
import { deps, page } from "../render";

/** The officers' dashboard, its readiness list and the laporan downloads. */
export const dashboardRoutes = new Hono<ConsoleEnv>();

const PeriodQuery = z.object({
  period: z.enum(PERIOD_KINDS).optional().catch(undefined),
  from: z.string().max(10).optional().catch(undefined),
  to: z.string().max(10).optional().catch(undefined),
});

const READINESS_PAGE_SIZE = 50;

dashboardRoutes.get("/dashboard", async (c) => {
  assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const s = t(lang);
  const q = PeriodQuery.parse(c.req.query());
  // A date typed without choosing "custom" means custom; nothing chosen means this month.
  const kind = q.period ?? (q.from || q.to ? "custom" : "this_month");
  const resolved = resolvePeriod({ kind, from: q.from, to: q.to }, Date.now());
  const form: PeriodForm = { kind, from: q.from ?? "", to: q.to ?? "", errors: {} };
  const view = (
    data: Awaited<ReturnType<typeof getDashboard>> | null,
    periodQuery: string,
    forums?: ForumStats[],
    province?: ProvinceDashboard | null,
  ) => (
    <DashboardPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      data={data}
      form={form}
      periodQuery={periodQuery}
      sectionName={(code) => kbliSectionName(code, lang)}
      forums={forums}
      province={province}
    />
  );
  if ("issues" in resolved) {
    for (const i of resolved.issues) form.errors[i.field] = label(s.dashPeriodInvalid, i.problem);
    return page(c, s.dashboardTitle, view(null, ""), 422);
  }
  const { period } = resolved;
  if (period.kind !== "custom")
    Object.assign(form, { from: period.firstDay ?? "", to: period.lastDay ?? "" });
  const params = new URLSearchParams({ period: period.kind });
  if (period.kind === "custom") {
    params.set("from", period.firstDay ?? "");
    params.set("to", period.lastDay ?? "");
  }
  // A province deployment (`SHARDS`) also shows every shard it binds, for the same period.
  // Its own `DB`, when it is one of the shards (one shard's deployment), is not computed twice.
  const shards = layoutShards(c.env);
  const own = getDashboard(deps(c), { period });
  const [data, forums, province] = await Promise.all([
    own,
    forumStats(deps(c)),
    shards
      ? getProvinceDashboard(deps(c), { shards, period, known: { binding: "DB", dashboard: own } })
      : null,
  ]);
  return page(c, s.dashboardTitle, view(data, params.toString(), forums, province));
});

dashboardRoutes.get("/dashboard/readiness", async (c) => {
  assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const cursor = c.req.query("cursor");
  const result = await listOneStepAway(deps(c), { cursor, limit: READINESS_PAGE_SIZE });
  let nextHref: string | null = null;
  if (result.nextCursor) nextHref = `/ui/dashboard/readiness?cursor=${encodeURIComponent(result.nextCursor)}`;
  return page(
    c,
    t(lang).dashReadinessTitle,
    <ReadinessPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      total={result.total}
      items={result.items}
      nextHref={nextHref}
      first={!cursor}
    />,
  );
});

function download(file: LaporanFile): Response {
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
}

const TableQuery = z.enum(LAPORAN_TABLES).optional().catch(undefined);

for (const format of ["csv", "xlsx"] as const) {
  dashboardRoutes.get(`/dashboard/export.${format}`, async (c) => {
    assertOfficer(c.get("principal"));
    const period = reportPeriod(PeriodQuery.parse(c.req.query()), Date.now());
    const table = format === "csv" ? TableQuery.parse(c.req.query("table")) : undefined;
    return download(await exportLaporan(deps(c), { period, lang: c.get("lang"), format, table }));
  });
}
