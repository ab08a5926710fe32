import { Hono } from "hono";
import { z } from "zod";
import { assertOfficer } from "../../auth/middleware";
import { findKecamatan, kecamatanNames } from "../../domain/location";
import { PARTNERSHIP_OUTCOMES } from "../../domain/partnership";
import { PartnershipTextSchema } from "../../domain/texts";
import { validationError } from "../../errors";
import { PARTNERSHIP_PATTERNS } from "../../matching";
import { listAudit } from "../../services/audit/audit.service";
import { auditNames } from "../../services/audit/audit-names.service";
import { endPartnership } from "../../services/partnerships/end.service";
import { getPartnership, listPartnerships } from "../../services/partnerships/read.service";
import { type ConsoleEnv, formField } from "../context";
import { t } from "../i18n";
import { PartnershipListPage, PartnershipPage } from "../pages/officer/partnerships";
import { deps, done, page } from "../render";

/** The officers' list of partnerships and each one's page with its history. */
export const partnershipRoutes = new Hono<ConsoleEnv>();

export const PARTNERSHIP_PAGE_SIZE = 50;

const STATUSES = [
  "requested",
  "accepted",
  "declined",
  "expired",
  "cancelled",
  "rejected",
  "active",
  "ended",
] as const;

const ListQuery = z.object({
  status: z.enum(STATUSES).optional().catch(undefined),
  kecamatan: z.string().trim().max(60).optional().catch(undefined),
  pattern: z.enum(PARTNERSHIP_PATTERNS).optional().catch(undefined),
  cursor: z.string().min(1).max(200).optional().catch(undefined),
});

partnershipRoutes.get("/partnerships", async (c) => {
  const viewer = assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const q = ListQuery.parse(c.req.query());
  const kecamatan = q.kecamatan ? (findKecamatan(q.kecamatan) ?? q.kecamatan) : undefined;
  const filters = { status: q.status, kecamatan, pattern: q.pattern };
  const result = await listPartnerships(deps(c), {
    viewer,
    filters,
    limit: PARTNERSHIP_PAGE_SIZE,
    cursor: q.cursor,
  });
  const u = new URL(c.req.url);
  let nextHref: string | null = null;
  if (result.nextCursor) {
    u.searchParams.set("cursor", result.nextCursor);
    nextHref = `${u.pathname}${u.search}`;
  }
  let firstHref: string | null = null;
  if (q.cursor) {
    const f = new URL(c.req.url);
    f.searchParams.delete("cursor");
    firstHref = `${f.pathname}${f.search}`;
  }
  return page(
    c,
    t(lang).partnershipsTitle,
    <PartnershipListPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      filters={{ status: q.status, kecamatan: q.kecamatan, pattern: q.pattern }}
      kecamatan={kecamatanNames()}
      items={result.items}
      nextHref={nextHref}
      firstHref={firstHref}
    />,
  );
});

partnershipRoutes.get("/partnerships/:id", async (c) => {
  const viewer = assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const id = c.req.param("id");
  const partnership = await getPartnership(deps(c), { id, viewer });
  const audit = await listAudit(deps(c), { entityType: "partnership", entityId: id, limit: 100 });
  const names = await auditNames(deps(c), audit.items);
  return page(
    c,
    `${partnership.requester.name} – ${partnership.partner.name}`,
    <PartnershipPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      partnership={partnership}
      audit={audit.items}
      auditNames={names}
      done={c.req.query("done") === "1"}
    />,
  );
});

const EndForm = z.object({
  outcome: z.enum(PARTNERSHIP_OUTCOMES),
  note: PartnershipTextSchema,
});

/** An officer ends an active partnership with an outcome (a required choice) and an optional note. */
partnershipRoutes.post("/partnerships/:id/end", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  const form = EndForm.safeParse({
    outcome: await formField(c, "outcome"),
    note: await formField(c, "note"),
  });
  if (!form.success) throw validationError([{ path: "outcome", message: "Choose an outcome." }]);
  const id = c.req.param("id");
  await endPartnership(deps(c), {
    id,
    actor,
    outcome: form.data.outcome,
    note: form.data.note || undefined,
    now: Date.now(),
  });
  return c.redirect(done(`/ui/partnerships/${encodeURIComponent(id)}`), 303);
});
