import { Hono } from "hono";
import { z } from "zod";
import { assertOfficer } from "../../auth/middleware";
import { kecamatanNames, kelurahanNames } from "../../domain/location";
import { PartnershipTextSchema } from "../../domain/texts";
import { ApiError, validationError } from "../../errors";
import { PARTNERSHIP_PATTERNS } from "../../matching";
import { listAudit } from "../../services/audit/audit.service";
import { auditNames } from "../../services/audit/audit-names.service";
import { deactivateBusiness, reactivateBusiness } from "../../services/businesses/activation.service";
import { getBusiness, listBusinesses } from "../../services/businesses/read.service";
import { releaseNib } from "../../services/businesses/release-nib.service";
import { updateBusiness } from "../../services/businesses/update.service";
import { resetDeclinedPair } from "../../services/partnerships/declined-pair-write.service";
import { listDeclinedPartners } from "../../services/partnerships/declined-pairs.service";
import { parsePartnershipConfig } from "../../services/partnerships/partnership-config";
import { listPartnerships } from "../../services/partnerships/read.service";
import { createPartnership } from "../../services/partnerships/request.service";
import { type ConsoleContext, type ConsoleEnv, formField, formFieldOrNull } from "../context";
import {
  EDIT_FIELDS,
  type EditValues,
  editPatch,
  editValues,
  fieldOfPath,
} from "../forms/business-edit.form";
import { t } from "../i18n";
import { BusinessPage, type EditState } from "../pages/officer/business";
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

const BusinessPageQuery = z.object({
  partner: z.string().trim().min(1).max(100).optional().catch(undefined),
});

/** The officer's page of one business; `edit` re-renders the edit form with the officer's values. */
async function renderBusinessPage(c: ConsoleContext, id: string, edit?: EditState) {
  const viewer = assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const business = await getBusiness(deps(c), { id });
  const q = BusinessPageQuery.parse(c.req.query());
  const otherSector = business.sector === "service" ? "industry" : "service";
  const [suggestions, partnerships, audit, declined, candidates] = await Promise.all([
    suggestionsOrNone(c, id, lang),
    listPartnerships(deps(c), { viewer, filters: { businessId: id }, limit: 100 }),
    listAudit(deps(c), { entityType: "business", entityId: id, limit: 100 }),
    listDeclinedPartners(deps(c), { businessId: id }),
    q.partner
      ? listBusinesses(deps(c), {
          filters: { q: q.partner, sector: otherSector, status: "published", active: true },
          limit: 10,
        })
      : null,
  ]);
  const names = await auditNames(deps(c), audit.items);
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
      auditNames={names}
      declined={declined}
      partnerQuery={q.partner ?? ""}
      candidates={candidates?.items ?? null}
      edit={edit ?? { values: editValues(business), errors: [] }}
      done={c.req.query("done") === "1"}
    />,
    edit && edit.errors.length > 0 ? 422 : undefined,
  );
}

/** Suggestions when the business can have any (published and active); none otherwise. */
directoryRoutes.get("/businesses/:id", (c) => renderBusinessPage(c, c.req.param("id")));

const businessPath = (id: string) => `/ui/businesses/${encodeURIComponent(id)}`;

/**
 * The officer edits a profile through the API's update service and schema. Bad input re-renders
 * the page with the officer's values and each error at its field (422); nothing is saved.
 */
directoryRoutes.post("/businesses/:id/edit", async (c) => {
  const officer = assertOfficer(c.get("principal"));
  const id = c.req.param("id");
  const current = await getBusiness(deps(c), { id });
  // A field the form does not carry keeps its stored value (the checkbox has a hidden "" first).
  const stored = editValues(current);
  const values = Object.fromEntries(
    await Promise.all(EDIT_FIELDS.map(async (f) => [f, (await formFieldOrNull(c, f)) ?? stored[f]] as const)),
  ) as EditValues;
  const result = editPatch(current, values);
  if (!result.ok) {
    return renderBusinessPage(c, id, {
      values,
      errors: result.errors.map((e) => ({ field: fieldOfPath(e.path), message: e.message })),
    });
  }
  if (Object.keys(result.patch).length > 0) {
    try {
      await updateBusiness(deps(c), { id, patch: result.patch, actor: officer, now: Date.now() });
    } catch (err) {
      // The service's own checks (a KBLI division that does not exist, a NIB taken...) land at
      // their fields too; anything else is the console's error page.
      const errors = err instanceof ApiError ? (err.extra?.errors ?? []) : [];
      if (!(err instanceof ApiError) || (errors.length === 0 && err.code !== "nib_taken")) throw err;
      const shown =
        errors.length > 0
          ? errors.map((e) => ({ field: fieldOfPath(e.path), message: e.message }))
          : [{ field: "nib" as const, message: err.detail ?? err.title }];
      return renderBusinessPage(c, id, { values, errors: shown });
    }
  }
  return c.redirect(`${done(businessPath(id))}#b-profile`, 303);
});

directoryRoutes.post("/businesses/:id/deactivate", async (c) => {
  const officer = assertOfficer(c.get("principal"));
  const id = c.req.param("id");
  await deactivateBusiness(deps(c), { id, now: Date.now(), actor: { kind: "officer", id: officer.id } });
  return c.redirect(done(businessPath(id)), 303);
});

directoryRoutes.post("/businesses/:id/reactivate", async (c) => {
  const officer = assertOfficer(c.get("principal"));
  const id = c.req.param("id");
  await reactivateBusiness(deps(c), { id, now: Date.now(), actor: { kind: "officer", id: officer.id } });
  return c.redirect(done(businessPath(id)), 303);
});

const PairingForm = z.object({
  partnerId: z.string().min(1).max(100),
  pattern: z.enum(PARTNERSHIP_PATTERNS),
  message: PartnershipTextSchema,
});

/** Direct pairing: the officer pairs this business with another (active at once; the officer approves). */
directoryRoutes.post("/businesses/:id/pairings", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  const id = c.req.param("id");
  const form = PairingForm.safeParse({
    partnerId: await formField(c, "partnerId"),
    pattern: await formField(c, "pattern"),
    message: await formField(c, "message"),
  });
  if (!form.success)
    throw validationError([{ path: "partnerId", message: "Choose a partner and a pattern." }]);
  await createPartnership(
    { ...deps(c), config: parsePartnershipConfig(c.env) },
    { actor, requesterId: id, ...form.data, now: Date.now() },
  );
  return c.redirect(`${done(businessPath(id))}#b-partnerships`, 303);
});

/** Resets a declined pair of this business and `otherId`: they may be suggested and request again. */
directoryRoutes.post("/businesses/:id/declined/:otherId/reset", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  const id = c.req.param("id");
  await resetDeclinedPair(deps(c), { businessIds: [id, c.req.param("otherId")], actor, now: Date.now() });
  return c.redirect(done(businessPath(id)), 303);
});
