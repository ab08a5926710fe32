import { Hono } from "hono";
import { z } from "zod";
import { assertOfficer } from "../../auth/middleware";
import type { AuditActor } from "../../domain/party";
import { ApiError } from "../../errors";
import { toApiError } from "../../http/problem";
import { getBusiness } from "../../services/businesses/read.service";
import { listBuyers, saveBuyer } from "../../services/procurement/buyers.service";
import {
  findPipelineBusiness,
  getPipeline,
  pipelineBoard,
  recordStage,
} from "../../services/procurement/ekatalog-pipeline.service";
import { notifySuppliers } from "../../services/procurement/notify.service";
import { getOpportunity, listOpportunities } from "../../services/procurement/opportunities.service";
import type { PackageText } from "../../services/procurement/package-fields";
import { listPackages, savePackage } from "../../services/procurement/packages.service";
import {
  getChecklist,
  listChecklistProgress,
  saveChecklist,
} from "../../services/procurement/readiness-checklist.service";
import { importRealisations } from "../../services/procurement/realisation-import.service";
import { importRup } from "../../services/procurement/rup-import.service";
import { getShare } from "../../services/procurement/share.service";
import { exportShare, SHARE_TABLES } from "../../services/procurement/share-export.service";
import { suppliersForPackage } from "../../services/procurement/suppliers.service";
import { type ConsoleContext, type ConsoleEnv, formField, formValues } from "../context";
import { fill, t } from "../i18n";
import { OwnerPipeline, PipelineBoard, PipelinePage, type StageFormState } from "../pages/ekatalog-pipeline";
import {
  type ImportOutcome,
  type PackageFormState,
  PackagePage,
  ProcurementPage,
  ReadinessProgressPage,
  SharePage,
} from "../pages/officer/procurement";
import { OpportunitiesPage, OpportunityPage } from "../pages/owner-procurement";
import { asBusiness, deps, page } from "../render";

/** The city as a buyer (docs/PROCUREMENT.md): officers' RUP, suppliers and 40% share; owners' opportunities. */
export const procurementRoutes = new Hono<ConsoleEnv>();

const officerActor = (c: ConsoleContext): AuditActor => ({
  kind: "officer",
  id: assertOfficer(c.get("principal")).id,
});

const ListQuery = z.object({
  opd: z.string().max(40).optional().catch(undefined),
  q: z.string().max(100).optional().catch(undefined),
  after: z.string().max(40).optional().catch(undefined),
});

const EMPTY_FORM: PackageFormState = { values: { method: "pengadaan_langsung", type: "barang" }, errors: {} };

async function overview(
  c: ConsoleContext,
  extra: {
    outcome?: ImportOutcome | null;
    packageForm?: PackageFormState;
    buyerErrors?: Record<string, string>;
  },
  status?: 200 | 422,
) {
  const lang = c.get("lang");
  const q = ListQuery.parse(c.req.query());
  const [buyers, packages] = await Promise.all([
    listBuyers(deps(c)),
    listPackages(deps(c), { buyerId: q.opd || undefined, q: q.q || undefined, after: q.after || undefined }),
  ]);
  let nextHref: string | null = null;
  if (packages.next) {
    const params = new URLSearchParams({
      ...(q.opd ? { opd: q.opd } : {}),
      ...(q.q ? { q: q.q } : {}),
      after: packages.next,
    });
    nextHref = `/ui/pengadaan?${params}`;
  }
  return page(
    c,
    t(lang).procTitle,
    <ProcurementPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      buyers={buyers}
      packages={{ items: packages.items, total: packages.total, nextHref }}
      filters={{ buyer: q.opd ?? "", q: q.q ?? "" }}
      outcome={extra.outcome ?? null}
      packageForm={extra.packageForm ?? EMPTY_FORM}
      buyerErrors={extra.buyerErrors ?? {}}
    />,
    status,
  );
}

procurementRoutes.get("/pengadaan", async (c) => {
  assertOfficer(c.get("principal"));
  return overview(c, {});
});

/** The uploaded file's bytes; a validation error at the field when none was chosen. */
async function uploaded(c: ConsoleContext): Promise<Uint8Array> {
  const file = (await c.req.parseBody()).file;
  if (!(file instanceof File) || file.size === 0)
    throw new ApiError("procurement_file_unreadable", "Choose a CSV or XLSX file.", {
      errors: [{ path: "file", message: "Choose a CSV or XLSX file." }],
    });
  return new Uint8Array(await file.arrayBuffer());
}

procurementRoutes.post("/pengadaan/rup/import", async (c) => {
  const actor = officerActor(c);
  const s = t(c.get("lang"));
  const r = await importRup(deps(c), { bytes: await uploaded(c), actor, now: Date.now() });
  const message = fill(s.procImportDone, { ...r, errors: r.errors.length });
  return overview(c, { outcome: { kind: "rup", message, errors: r.errors } });
});

procurementRoutes.post("/pengadaan/realisasi/import", async (c) => {
  const actor = officerActor(c);
  const s = t(c.get("lang"));
  const r = await importRealisations(deps(c), { bytes: await uploaded(c), actor, now: Date.now() });
  const message = fill(s.procRealisationDone, {
    rows: r.rows,
    created: r.created,
    unchanged: r.unchanged,
    errors: r.errors.length,
    nib: r.matchedByNib,
    name: r.matchedByName,
  });
  return overview(c, { outcome: { kind: "realisation", message, errors: r.errors } });
});

const PACKAGE_FIELDS = [
  "code",
  "name",
  "buyer",
  "pagu",
  "method",
  "type",
  "fundingSource",
  "plannedMonth",
] as const;

procurementRoutes.post("/pengadaan/paket", async (c) => {
  const actor = officerActor(c);
  const values = {} as PackageText;
  for (const f of PACKAGE_FIELDS) values[f] = await formField(c, f);
  try {
    const id = await savePackage(deps(c), { fields: values, actor, now: Date.now() });
    return c.redirect(`/ui/pengadaan/paket/${id}`, 303);
  } catch (err) {
    const e = toApiError(err);
    if (e.code !== "validation_failed") throw err;
    const errors = Object.fromEntries((e.extra?.errors ?? []).map((x) => [x.path, x.message]));
    return overview(c, { packageForm: { values, errors } }, 422);
  }
});

procurementRoutes.post("/pengadaan/opd", async (c) => {
  const actor = officerActor(c);
  const buyer = {
    name: await formField(c, "name"),
    contactName: await formField(c, "contactName"),
    contactEmail: await formField(c, "contactEmail"),
    contactPhone: await formField(c, "contactPhone"),
  };
  try {
    await saveBuyer(deps(c), { buyer, actor, now: Date.now() });
    return c.redirect("/ui/pengadaan#p-buyers", 303);
  } catch (err) {
    const e = toApiError(err);
    if (e.code !== "validation_failed") throw err;
    const buyerErrors = Object.fromEntries((e.extra?.errors ?? []).map((x) => [x.path, x.message]));
    return overview(c, { buyerErrors }, 422);
  }
});

const SUPPLIERS_SHOWN = 10;

procurementRoutes.get("/pengadaan/paket/:id", async (c) => {
  assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const data = await suppliersForPackage(deps(c), {
    packageId: c.req.param("id"),
    lang,
    limit: SUPPLIERS_SHOWN,
  });
  const n = c.req.query("notified");
  const skipped = c.req.query("skipped");
  const notified =
    n !== undefined
      ? fill(t(lang).procNotifyDone, { n: Number(n) || 0, skipped: Number(skipped) || 0 })
      : null;
  return page(
    c,
    data.package.name,
    <PackagePage lang={lang} csrfToken={c.get("csrfToken")} data={data} notified={notified} />,
  );
});

procurementRoutes.post("/pengadaan/paket/:id/notify", async (c) => {
  const actor = officerActor(c);
  const id = c.req.param("id");
  const r = await notifySuppliers(deps(c), {
    packageId: id,
    businessIds: await formValues(c, "business"),
    actor,
    now: Date.now(),
  });
  return c.redirect(`/ui/pengadaan/paket/${id}?notified=${r.notified}&skipped=${r.skipped}`, 303);
});

const YearQuery = z
  .string()
  .regex(/^\d{4}$/)
  .optional()
  .catch(undefined);

procurementRoutes.get("/pengadaan/porsi", async (c) => {
  assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const data = await getShare(deps(c), { year: YearQuery.parse(c.req.query("year")) });
  return page(c, t(lang).procShare, <SharePage lang={lang} csrfToken={c.get("csrfToken")} data={data} />);
});

const TableQuery = z.enum(SHARE_TABLES).optional().catch(undefined);

for (const format of ["csv", "xlsx"] as const) {
  procurementRoutes.get(`/pengadaan/porsi/export.${format}`, async (c) => {
    assertOfficer(c.get("principal"));
    const file = await exportShare(deps(c), {
      year: YearQuery.parse(c.req.query("year")),
      lang: c.get("lang"),
      format,
      table: format === "csv" ? TableQuery.parse(c.req.query("table")) : undefined,
    });
    return new Response(file.body, {
      headers: {
        "Content-Type": file.contentType,
        "Content-Disposition": `attachment; filename="${file.filename}"`,
        "Cache-Control": "no-store",
      },
    });
  });
}

procurementRoutes.get("/pengadaan/kesiapan", async (c) => {
  assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const [items, board] = await Promise.all([listChecklistProgress(deps(c)), pipelineBoard(deps(c))]);
  return page(
    c,
    t(lang).procReadiness,
    <>
      <ReadinessProgressPage lang={lang} csrfToken={c.get("csrfToken")} items={items} />
      <PipelineBoard
        lang={lang}
        csrfToken={c.get("csrfToken")}
        board={board}
        missing={c.req.query("missing") === "1"}
      />
    </>,
  );
});

procurementRoutes.get("/pengadaan/kesiapan/cari", async (c) => {
  assertOfficer(c.get("principal"));
  const id = await findPipelineBusiness(deps(c), { q: (c.req.query("q") ?? "").slice(0, 40) });
  return c.redirect(id ? `/ui/pengadaan/kesiapan/${id}` : "/ui/pengadaan/kesiapan?missing=1#pipe", 303);
});

async function pipelinePage(c: ConsoleContext, form: StageFormState, status?: 200 | 422) {
  const lang = c.get("lang");
  const pipeline = await getPipeline(deps(c), { businessId: c.req.param("id") ?? "" });
  return page(
    c,
    `${t(lang).pipeOpen}: ${pipeline.name}`,
    <PipelinePage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      pipeline={pipeline}
      form={form}
      saved={c.req.query("saved") === "1"}
    />,
    status,
  );
}

procurementRoutes.get("/pengadaan/kesiapan/:id", async (c) => {
  assertOfficer(c.get("principal"));
  return pipelinePage(c, { values: { date: new Date().toISOString().slice(0, 10) }, errors: {} });
});

procurementRoutes.post("/pengadaan/kesiapan/:id", async (c) => {
  const actor = officerActor(c);
  const values = {
    stage: await formField(c, "stage"),
    date: await formField(c, "date"),
    note: await formField(c, "note"),
    url: await formField(c, "url"),
  };
  try {
    await recordStage(deps(c), { businessId: c.req.param("id"), step: values, actor, now: Date.now() });
    return c.redirect(`/ui/pengadaan/kesiapan/${c.req.param("id")}?saved=1`, 303);
  } catch (err) {
    const e = toApiError(err);
    if (e.code !== "validation_failed") throw err;
    const errors = Object.fromEntries((e.extra?.errors ?? []).map((x) => [x.path, x.message]));
    return pipelinePage(c, { values, errors }, 422);
  }
});

// Owners ------------------------------------------------------------------------------------------

async function ownerPage(c: ConsoleContext, saved: boolean) {
  const me = asBusiness(c.get("principal"));
  const lang = c.get("lang");
  const [items, checklist, business, pipeline] = await Promise.all([
    listOpportunities(deps(c), { businessId: me.businessId }),
    getChecklist(deps(c), { businessId: me.businessId }),
    getBusiness(deps(c), { id: me.businessId }),
    getPipeline(deps(c), { businessId: me.businessId }),
  ]);
  return page(
    c,
    t(lang).procOppTitle,
    <>
      <OwnerPipeline lang={lang} csrfToken={c.get("csrfToken")} pipeline={pipeline} />
      <OpportunitiesPage
        lang={lang}
        csrfToken={c.get("csrfToken")}
        items={items}
        checklist={checklist}
        // The checklist is for those not yet listed in the e-katalog (or who started it).
        showChecklist={!business.ekatalog.listed || checklist.done.length > 0}
        saved={saved}
      />
    </>,
  );
}

procurementRoutes.get("/me/pengadaan", (c) => ownerPage(c, c.req.query("done") === "1"));

procurementRoutes.post("/me/pengadaan/langkah", async (c) => {
  const me = asBusiness(c.get("principal"));
  await saveChecklist(deps(c), {
    businessId: me.businessId,
    done: await formValues(c, "step"),
    now: Date.now(),
  });
  return c.redirect("/ui/me/pengadaan?done=1#ck", 303);
});

procurementRoutes.get("/me/pengadaan/:id", async (c) => {
  const me = asBusiness(c.get("principal"));
  const lang = c.get("lang");
  const o = await getOpportunity(deps(c), { businessId: me.businessId, packageId: c.req.param("id") });
  return page(c, o.name, <OpportunityPage lang={lang} csrfToken={c.get("csrfToken")} o={o} />);
});
