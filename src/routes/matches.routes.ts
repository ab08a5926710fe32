import { createRoute } from "@hono/zod-openapi";
import { requireBusinessOrOfficer } from "../auth/middleware";
import { BusinessIdParamsSchema, MatchesQuerySchema, MatchListSchema } from "../contracts/businesses.schemas";
import type { Language } from "../domain/language";
import { commonErrorResponses, conflictResponse, notFoundResponse } from "../http/problem";
import { suggestPartners } from "../services/matching/matches.service";
import { bearerSecurity, createRouter, serviceDeps } from "./router";

export const listMatchesRoute = createRoute({
  method: "get",
  path: "/businesses/{id}/matches",
  operationId: "listMatches",
  summary: "Ranked, explained partner suggestions (officers, or the business itself)",
  description:
    "Active businesses of the other sector, best first, each with its component scores, reasons and a " +
    "suggested PP 7/2021 partnership pattern. 409 `business_inactive` for a deactivated business.",
  tags: ["Matches"],
  security: bearerSecurity,
  middleware: [requireBusinessOrOfficer] as const,
  request: { params: BusinessIdParamsSchema, query: MatchesQuerySchema },
  responses: {
    200: { description: "Suggestions.", content: { "application/json": { schema: MatchListSchema } } },
    ...notFoundResponse,
    ...conflictResponse,
    ...commonErrorResponses,
  },
});

/** First of `id`/`en` in an Accept-Language header, by q-value. */
export function preferredLanguage(header: string | undefined): Language | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.toLowerCase().split("-")[0], q: q === undefined ? 1 : Number(q) };
    })
    .filter((x): x is { lang: Language; q: number } => (x.lang === "id" || x.lang === "en") && x.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked[0]?.lang;
}

export const matchesRoutes = createRouter().openapi(listMatchesRoute, async (c) => {
  const { limit, minScore, lang } = c.req.valid("query");
  const principal = c.get("principal");
  // A business reads in its own language; an officer's browser says which it prefers.
  const language =
    lang ??
    (principal?.kind === "officer"
      ? (preferredLanguage(c.req.header("Accept-Language")) ?? "id")
      : undefined);
  const { items, source } = await suggestPartners(serviceDeps(c), {
    businessId: c.req.valid("param").id,
    limit,
    minScore,
    lang: language,
    now: Date.now(),
  });
  // Diagnostic only (benchmarks and tests): served from the stored set, served from it while it is
  // recomputed after the response (`stale`), or computed just now.
  c.header("X-Suggestions-Source", source);
  return c.json({ items }, 200);
});
