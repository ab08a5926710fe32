import { Hono } from "hono";
import { z } from "zod";
import { assertOfficer } from "../../auth/middleware";
import { findKelurahan, kelurahanNames } from "../../domain/location";
import { listAudit } from "../../services/audit/audit.service";
import { getBusiness, listBusinesses, releaseNib } from "../../services/businesses/businesses.service";
import { listPartnerships } from "../../services/partnerships/partnerships.service";
import type { ConsoleEnv } from "../context";
import { t } from "../i18n";
import { BusinessPage } from "../pages/officer/business";
import { type DirectoryFilters, DirectoryPage } from "../pages/officer/directory";
import { deps, done, page, reasonField, suggestionsOrNone } from "../render";

/** The officers' business directory and business pages. */
export const directoryRoutes = new Hono<ConsoleEnv>();

const DirectoryQuery = z.object({
  kecamatan: z.string().max(60).optional().catch(undefined),
  kelurahan: z.string().max(60).optional().catch(undefined),
  sector: z.enum(["service", "industry"]).optional().catch(undefined),
  kbliDivision: z
    .string()
    .regex(/^\d{2}$/)
    .optional()
    .catch(undefined),
  status: z.enum(["unconfirmed", "pending_review", "published", "rejected"]).optional().catch(undefined),
  q: z.string().trim().min(1).max(100).optional().catch(undefined),
  cursor: z.string().max(200).optional().catch(undefined),
  limit: z.coerce.number().int().min(1).max(100).catch(25),
});

directoryRoutes.post("/businesses/:id/release-nib", async (c) => {
  const officer = assertOfficer(c.get("principal"));
  const reason = await reasonField(c);
  const id = c.req.param("id");
  await releaseNib(deps(c), { id, reason, officerId: officer.id, now: Date.now() });
  return c.redirect(done(`/ui/businesses/${encodeURIComponent(id)}`), 303);
});

function kecamatanNames(): string[] {
  return [...new Set(kelurahanNames().map((k) => findKelurahan(k)?.kecamatan ?? ""))].filter(Boolean).sort();
}

directoryRoutes.get("/businesses", async (c) => {
  assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const q = DirectoryQuery.parse(c.req.query());
  const filters: DirectoryFilters = {
    kecamatan: q.kecamatan || undefined,
    kelurahan: q.kelurahan || undefined,
    sector: q.sector,
    kbliDivision: q.kbliDivision,
    status: q.status,
    q: q.q,
  };
  const result = await listBusinesses(deps(c), { filters, limit: q.limit, cursor: q.cursor });
  let nextHref: string | null = null;
  if (result.nextCursor) {
    const u = new URL(c.req.url);
    u.searchParams.set("cursor", result.nextCursor);
    nextHref = `${u.pathname}${u.search}`;
  }
  return page(
    c,
    t(lang).directoryTitle,
    <DirectoryPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      filters={filters}
      kecamatan={kecamatanNames()}
      kelurahan={kelurahanNames().sort()}
      items={result.items}
      nextHref={nextHref}
    />,
  );
});

/** Suggestions when the business can have any (published and active); none otherwise. */
directoryRoutes.get("/businesses/:id", async (c) => {
  const viewer = assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const id = c.req.param("id");
  const business = await getBusiness(deps(c), { id });
  const [suggestions, partnerships, audit] = await Promise.all([
    suggestionsOrNone(c, id, lang),
    listPartnerships(deps(c), { viewer, filters: { businessId: id }, limit: 100 }),
    listAudit(deps(c), { entityType: "business", entityId: id, limit: 100 }),
  ]);
  return page(
    c,
    business.name,
    <BusinessPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      business={business}
      suggestions={suggestions}
      partnerships={partnerships.items}
      audit={audit.items}
    />,
  );
});
