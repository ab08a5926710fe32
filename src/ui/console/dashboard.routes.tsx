import { Hono } from "hono";
import { assertOfficer } from "../../auth/middleware";
import { kbliSectionName } from "../../domain/kbli";
import { getDashboard } from "../../services/dashboard/dashboard.service";
import type { ConsoleEnv } from "../context";
import { t } from "../i18n";
import { DashboardPage } from "../pages/officer/dashboard";
import { deps, page } from "../render";

/** The officers' dashboard. */
export const dashboardRoutes = new Hono<ConsoleEnv>();

dashboardRoutes.get("/dashboard", async (c) => {
  assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const data = await getDashboard(deps(c));
  return page(
    c,
    t(lang).dashboardTitle,
    <DashboardPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      data={data}
      sectionName={(code) => kbliSectionName(code, lang)}
    />,
  );
});
