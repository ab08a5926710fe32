import { createRoute, z } from "@hono/zod-openapi";
import { assertOfficer, requireOfficer, requirePrincipal } from "../auth/middleware";
import { EKATALOG_STAGES } from "../domain/ekatalog-pipeline";
import { LANGUAGES } from "../domain/language";
import { PROCUREMENT_METHODS, PROCUREMENT_TYPES } from "../domain/procurement";
import { ApiError } from "../errors";
import { bodyErrorResponses, commonErrorResponses, notFoundResponse } from "../http/problem";
import { actorOf } from "../services/audit/audit.queries";
import { listBuyers, saveBuyer } from "../services/procurement/buyers.service";
import { getPipeline, pipelineBoard, recordStage } from "../services/procurement/ekatalog-pipeline.service";
import { notifySuppliers } from "../services/procurement/notify.service";
import { getOpportunity, listOpportunities } from "../services/procurement/opportunities.service";
import { listPackages, savePackage } from "../services/procurement/packages.service";
import { listChecklistProgress } from "../services/procurement/readiness-checklist.service";
import { importRealisations } from "../services/procurement/realisation-import.service";
import { importRup } from "../services/procurement/rup-import.service";
import { getShare } from "../services/procurement/share.service";
import { exportShare, SHARE_TABLES } from "../services/procurement/share-export.service";
import { suppliersForPackage } from "../services/procurement/suppliers.service";
import { download } from "./dashboard.routes";
import { bearerSecurity, createRouter, json, jsonBody, serviceDeps } from "./router";

/**
 * The city as a buyer over the API (docs/PROCUREMENT.md, docs/API.md): thin routes over
 * src/services/procurement. Buyers, packages, suppliers, imports, the 40% share and readiness are
 * officers' only; a business reads the packages an officer opened to it under /me.
 */

const tags = ["Procurement"];

/** Mounted under /v1; app.ts gives these paths the larger body limit (CSV or XLSX files). */
export const PROCUREMENT_IMPORT_PATHS = [
  "/v1/procurement/packages/import",
  "/v1/procurement/realisations/import",
] as const;

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const FILE_TYPES = new Set(["text/csv", "application/csv", XLSX, "application/octet-stream"]);

const fileBody = {
  required: true,
  content: {
    "text/csv": { schema: z.string().openapi({ format: "binary" }) },
    [XLSX]: { schema: z.string().openapi({ format: "binary" }) },
  },
};

/** The uploaded sheet's bytes: CSV or XLSX (the service tells them apart by their content). */
async function readSheet(request: Request): Promise<Uint8Array> {
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!FILE_TYPES.has(type))
    throw new ApiError("unsupported_media_type", `Send the file as text/csv or ${XLSX}.`);
  return new Uint8Array(await request.arrayBuffer());
}

const IdParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });
const BusinessParams = z.object({
  businessId: z.string().openapi({ param: { name: "businessId", in: "path" } }),
});

const BuyerSchema = z
  .object({
    id: z.string().openapi({ example: "opd_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" }),
    name: z.string().openapi({ example: "Dinas Pendidikan" }),
    contactName: z.string().nullable(),
    contactEmail: z.string().nullable(),
    contactPhone: z.string().nullable(),
  })
  .openapi("ProcurementBuyer");

const SaveBuyerSchema = z
  .object({
    name: z.string().openapi({ example: "Satpol PP" }),
    contactName: z.string().optional(),
    contactEmail: z.string().optional(),
    contactPhone: z.string().optional(),
  })
  .openapi("SaveProcurementBuyer");

const PackageSchema = z
  .object({
    id: z.string().openapi({ example: "pkt_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" }),
    rupKey: z.string().openapi({ description: "`rup:` + SiRUP's Kode RUP, or `h:` + OPD, year and name." }),
    buyerId: z.string(),
    buyerName: z.string(),
    name: z.string(),
    pagu: z.number().int().openapi({ description: "Budget ceiling, whole rupiah." }),
    method: z.enum(PROCUREMENT_METHODS),
    type: z.enum(PROCUREMENT_TYPES),
    fundingSource: z.string().nullable(),
    plannedMonth: z.string().openapi({ example: "2026-03" }),
    source: z.enum(["import", "manual"]),
  })
  .openapi("ProcurementPackage");

const SavePackageSchema = z
  .object({
    code: z.string().optional().openapi({ description: "SiRUP's Kode RUP, if any." }),
    name: z.string().openapi({ example: "Belanja makanan dan minuman rapat" }),
    buyer: z
      .string()
      .openapi({ description: "The OPD's name (registered if new).", example: "Dinas Pendidikan" }),
    pagu: z.string().openapi({ example: "45.000.000" }),
    method: z.string().openapi({ example: "Pengadaan Langsung" }),
    type: z.string().openapi({ example: "Barang" }),
    fundingSource: z.string().optional(),
    plannedMonth: z.string().openapi({ example: "Maret 2026" }),
  })
  .openapi("SaveProcurementPackage", {
    description:
      "The RUP file's fields as text, read and checked exactly as an imported row (docs/PROCUREMENT.md).",
  });

const RowErrorSchema = z
  .object({ line: z.number().int(), column: z.string(), message: z.string() })
  .openapi("ProcurementRowError");

const RupReportSchema = z
  .object({
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    newBuyers: z.number().int(),
    errors: z.array(RowErrorSchema),
  })
  .openapi("RupImportReport");

const RealisationReportSchema = z
  .object({
    rows: z.number().int(),
    created: z.number().int(),
    unchanged: z.number().int(),
    newBuyers: z.number().int(),
    matchedByNib: z.number().int(),
    matchedByName: z.number().int(),
    errors: z.array(RowErrorSchema),
  })
  .openapi("RealisationImportReport");

const SupplierSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kecamatan: z.string().nullable(),
    kelurahan: z.string().nullable(),
    sizeClass: z.string(),
    nib: z.string().nullable(),
    score: z.number(),
    relevance: z.number(),
    readiness: z.number(),
    lacks: z.array(z.enum(["nib", "ekatalog"])),
    reasons: z.array(z.string()),
  })
  .openapi("ProcurementSupplier");

const SuppliersSchema = z
  .object({
    package: PackageSchema,
    activities: z.array(z.string()).openapi({ description: "KBLI 2020 codes the package's words ask for." }),
    ready: z.array(SupplierSchema).openapi({ description: "NIB and e-katalog listing, best first." }),
    oneStep: z
      .array(SupplierSchema)
      .openapi({ description: "Matched, not yet procurement-ready: see `lacks`." }),
  })
  .openapi("PackageSuppliers");

const FiguresSchema = z.object({
  total: z.number().int(),
  small: z.number().int(),
  registrySmall: z.number().int(),
  share: z.number(),
  gap: z.number().int(),
});

const ShareSchema = z
  .object({
    year: z.string().nullable(),
    years: z.array(z.string()),
    target: z.number(),
    overall: FiguresSchema,
    byBuyer: z.array(FiguresSchema.extend({ key: z.string(), name: z.string() })),
    byMonth: z.array(FiguresSchema.extend({ key: z.string() })),
    byType: z.array(FiguresSchema.extend({ key: z.enum(PROCUREMENT_TYPES) })),
    matched: z.object({ nib: z.number().int(), name: z.number().int(), rows: z.number().int() }),
    closing: z.record(
      z.string(),
      z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          pagu: z.number().int(),
          method: z.string(),
          plannedMonth: z.string(),
        }),
      ),
    ),
  })
  .openapi("ProcurementShare");

const PipelineSchema = z
  .object({
    businessId: z.string(),
    name: z.string(),
    ekatalogListed: z.boolean(),
    current: z.enum(EKATALOG_STAGES).nullable(),
    steps: z.array(
      z.object({ stage: z.enum(EKATALOG_STAGES), date: z.string().nullable(), note: z.string().nullable() }),
    ),
  })
  .openapi("EkatalogPipeline");

const PipelineEntrySchema = z.object({
  businessId: z.string(),
  name: z.string(),
  kecamatan: z.string().nullable(),
  date: z.string(),
  note: z.string().nullable(),
  ekatalogListed: z.boolean(),
});

const ReadinessSchema = z
  .object({
    checklist: z.array(
      z.object({
        businessId: z.string(),
        name: z.string(),
        kecamatan: z.string().nullable(),
        nib: z.string().nullable(),
        ekatalogListed: z.boolean(),
        done: z.number().int(),
        steps: z.number().int(),
        completedAt: z.number().int().nullable(),
        updatedAt: z.number().int(),
      }),
    ),
    pipeline: z.record(z.enum(EKATALOG_STAGES), z.array(PipelineEntrySchema)),
  })
  .openapi("ProcurementReadiness");

const RecordStageSchema = z
  .object({
    stage: z.enum(EKATALOG_STAGES),
    date: z.string().openapi({ example: "2026-05-20" }),
    note: z.string().optional(),
    url: z.string().optional().openapi({ description: "The listing's address (for `tayang`)." }),
  })
  .openapi("RecordEkatalogStage");

const OpportunitySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    buyerName: z.string(),
    contactName: z.string().nullable(),
    contactEmail: z.string().nullable(),
    contactPhone: z.string().nullable(),
    pagu: z.number().int(),
    method: z.string(),
    type: z.string(),
    plannedMonth: z.string(),
    notifiedAt: z.number().int(),
  })
  .openapi("ProcurementOpportunity");

export const listBuyersRoute = createRoute({
  path: "/procurement/buyers",
  operationId: "listProcurementBuyers",
  summary: "The city's offices as buyers (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  method: "get",
  responses: {
    200: json(z.object({ items: z.array(BuyerSchema) }), "Buyers by name."),
    ...commonErrorResponses,
  },
});

export const saveBuyerRoute = createRoute({
  path: "/procurement/buyers",
  operationId: "saveProcurementBuyer",
  summary: "Register an OPD, or update its contact (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  method: "post",
  request: { body: jsonBody(SaveBuyerSchema) },
  responses: { 200: json(BuyerSchema, "Saved."), ...bodyErrorResponses, ...commonErrorResponses },
});

export const listPackagesRoute = createRoute({
  path: "/procurement/packages",
  operationId: "listProcurementPackages",
  summary: "RUP packages, by planned month (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  method: "get",
  request: {
    query: z.object({
      buyerId: z.string().max(40).optional(),
      q: z.string().max(100).optional(),
      after: z.string().max(40).optional().openapi({ description: "`next` of the previous page." }),
    }),
  },
  responses: {
    200: json(
      z.object({ items: z.array(PackageSchema), total: z.number().int(), next: z.string().nullable() }),
      "One page.",
    ),
    ...commonErrorResponses,
  },
});

export const createPackageRoute = createRoute({
  path: "/procurement/packages",
  operationId: "createProcurementPackage",
  summary: "Enter a package by hand (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  method: "post",
  request: { body: jsonBody(SavePackageSchema) },
  responses: {
    201: json(z.object({ id: z.string() }), "Saved (the same package again is updated)."),
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const importRupRoute = createRoute({
  path: "/procurement/packages/import",
  operationId: "importRup",
  summary: "Import the RUP from a SiRUP CSV or XLSX (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  method: "post",
  description:
    "SiRUP's columns (docs/PROCUREMENT.md). Valid rows are written, refused ones listed by line and column; " +
    "idempotent by Kode RUP. A file without the required headers is a 422 `procurement_file_unreadable`.",
  request: { body: fileBody },
  responses: { 200: json(RupReportSchema, "Imported."), ...bodyErrorResponses, ...commonErrorResponses },
});

export const packageSuppliersRoute = createRoute({
  path: "/procurement/packages/{id}/suppliers",
  operationId: "listPackageSuppliers",
  summary: "Local UMKM that could supply a package (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  method: "get",
  request: {
    params: IdParams,
    query: z.object({
      lang: z.enum(LANGUAGES).default("id"),
      limit: z.coerce.number().int().min(1).max(50).default(10),
    }),
  },
  responses: {
    200: json(SuppliersSchema, "Ranked suppliers."),
    ...notFoundResponse,
    ...commonErrorResponses,
  },
});

export const notifySuppliersRoute = createRoute({
  path: "/procurement/packages/{id}/notify",
  operationId: "notifyPackageSuppliers",
  summary: "Tell matched UMKM about a package (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  method: "post",
  description:
    "A notice and a `procurement_opportunity` email per business, once per business and package; a business " +
    "the package is not open to (by size) is skipped.",
  request: {
    params: IdParams,
    body: jsonBody(z.object({ businessIds: z.array(z.string()).min(1).max(100) })),
  },
  responses: {
    200: json(z.object({ notified: z.number().int(), skipped: z.number().int() }), "Done."),
    ...notFoundResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const importRealisationsRoute = createRoute({
  path: "/procurement/realisations/import",
  operationId: "importRealisations",
  summary: "Import realised spending from CSV or XLSX (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  method: "post",
  request: { body: fileBody },
  responses: {
    200: json(RealisationReportSchema, "Imported."),
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

const YearQuery = z.object({
  year: z
    .string()
    .regex(/^\d{4}$/)
    .optional(),
});

export const shareRoute = createRoute({
  path: "/procurement/share",
  operationId: "getProcurementShare",
  summary: "The 40% share to micro and small businesses (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  method: "get",
  request: { query: YearQuery },
  responses: {
    200: json(ShareSchema, "By OPD, month and type, with the gap and the packages that could close it."),
    ...commonErrorResponses,
  },
});

export const shareCsvRoute = createRoute({
  path: "/procurement/share/export.csv",
  operationId: "exportProcurementShareCsv",
  summary: "The share as CSV, one table per request (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  method: "get",
  request: {
    query: YearQuery.extend({
      lang: z.enum(LANGUAGES).default("id"),
      table: z.enum(SHARE_TABLES).optional(),
    }),
  },
  responses: {
    200: { description: "The table.", content: { "text/csv": { schema: z.string() } } },
    ...commonErrorResponses,
  },
});

export const shareXlsxRoute = createRoute({
  path: "/procurement/share/export.xlsx",
  operationId: "exportProcurementShareXlsx",
  summary: "The share as an Excel workbook (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  method: "get",
  request: { query: YearQuery.extend({ lang: z.enum(LANGUAGES).default("id") }) },
  responses: {
    200: {
      description: "The workbook.",
      content: { [XLSX]: { schema: z.string().openapi({ format: "binary" }) } },
    },
    ...commonErrorResponses,
  },
});

export const readinessRoute = createRoute({
  path: "/procurement/readiness",
  operationId: "getProcurementReadiness",
  summary: "Readiness checklists and the e-katalog registration pipeline (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  method: "get",
  responses: {
    200: json(ReadinessSchema, "Who ticked what, and who is at which stage."),
    ...commonErrorResponses,
  },
});

export const pipelineRoute = createRoute({
  path: "/procurement/readiness/{businessId}",
  operationId: "getEkatalogPipeline",
  summary: "One business's e-katalog registration stages (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  method: "get",
  request: { params: BusinessParams },
  responses: {
    200: json(PipelineSchema, "Every stage, recorded or not."),
    ...notFoundResponse,
    ...commonErrorResponses,
  },
});

export const recordStageRoute = createRoute({
  path: "/procurement/readiness/{businessId}/stages",
  operationId: "recordEkatalogStage",
  summary: "Record a stage of a business's e-katalog registration (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  method: "post",
  description: "`tayang` also lists the business in the e-katalog. Audited.",
  request: { params: BusinessParams, body: jsonBody(RecordStageSchema) },
  responses: {
    200: json(PipelineSchema, "The pipeline after it."),
    ...notFoundResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const myOpportunitiesRoute = createRoute({
  method: "get",
  path: "/me/procurement/opportunities",
  operationId: "listMyProcurementOpportunities",
  summary: "The packages an officer opened to the calling business (businesses)",
  description:
    "Only packages an officer told it about and that are open to its size class; officers get 403.",
  tags,
  security: bearerSecurity,
  responses: {
    200: json(z.object({ items: z.array(OpportunitySchema) }), "Newest first."),
    ...commonErrorResponses,
  },
});

export const myOpportunityRoute = createRoute({
  method: "get",
  path: "/me/procurement/opportunities/{id}",
  operationId: "getMyProcurementOpportunity",
  summary: "One package opened to the calling business, with the OPD's contact (businesses)",
  description: "Any other package is a 404.",
  tags,
  security: bearerSecurity,
  request: { params: IdParams },
  responses: { 200: json(OpportunitySchema, "The package."), ...notFoundResponse, ...commonErrorResponses },
});

/** The calling business's id; officers have no opportunities of their own. */
function callingBusiness(principal: Parameters<typeof requirePrincipal>[0]): string {
  const p = requirePrincipal(principal);
  if (p.kind !== "business")
    throw new ApiError("forbidden", "Businesses only: officers read packages under /v1/procurement.");
  return p.businessId;
}

const toBuyer = (b: Awaited<ReturnType<typeof saveBuyer>>) => ({
  id: b.id,
  name: b.name,
  contactName: b.contactName,
  contactEmail: b.contactEmail,
  contactPhone: b.contactPhone,
});

const toPackage = (p: Awaited<ReturnType<typeof listPackages>>["items"][number]) => ({
  id: p.id,
  rupKey: p.rupKey,
  buyerId: p.buyerId,
  buyerName: p.buyerName,
  name: p.name,
  pagu: p.pagu,
  method: p.method,
  type: p.type,
  fundingSource: p.fundingSource,
  plannedMonth: p.plannedMonth,
  source: p.source,
});

export const procurementRoutes = createRouter()
  .openapi(listBuyersRoute, async (c) =>
    c.json({ items: (await listBuyers(serviceDeps(c))).map(toBuyer) }, 200),
  )
  .openapi(saveBuyerRoute, async (c) => {
    const actor = actorOf(assertOfficer(c.get("principal")));
    return c.json(
      toBuyer(await saveBuyer(serviceDeps(c), { buyer: c.req.valid("json"), actor, now: Date.now() })),
      200,
    );
  })
  .openapi(listPackagesRoute, async (c) => {
    const page = await listPackages(serviceDeps(c), c.req.valid("query"));
    return c.json({ items: page.items.map(toPackage), total: page.total, next: page.next }, 200);
  })
  .openapi(createPackageRoute, async (c) => {
    const actor = actorOf(assertOfficer(c.get("principal")));
    const b = c.req.valid("json");
    const fields = { ...b, code: b.code ?? "", fundingSource: b.fundingSource ?? "" };
    return c.json({ id: await savePackage(serviceDeps(c), { fields, actor, now: Date.now() }) }, 201);
  })
  .openapi(importRupRoute, async (c) => {
    const actor = actorOf(assertOfficer(c.get("principal")));
    const bytes = await readSheet(c.req.raw);
    return c.json(await importRup(serviceDeps(c), { bytes, actor, now: Date.now() }), 200);
  })
  .openapi(packageSuppliersRoute, async (c) => {
    const q = c.req.valid("query");
    const r = await suppliersForPackage(serviceDeps(c), {
      packageId: c.req.valid("param").id,
      lang: q.lang,
      limit: q.limit,
    });
    return c.json({ ...r, package: toPackage(r.package) }, 200);
  })
  .openapi(notifySuppliersRoute, async (c) => {
    const actor = actorOf(assertOfficer(c.get("principal")));
    const r = await notifySuppliers(serviceDeps(c), {
      packageId: c.req.valid("param").id,
      businessIds: c.req.valid("json").businessIds,
      actor,
      now: Date.now(),
    });
    return c.json(r, 200);
  })
  .openapi(importRealisationsRoute, async (c) => {
    const actor = actorOf(assertOfficer(c.get("principal")));
    const bytes = await readSheet(c.req.raw);
    return c.json(await importRealisations(serviceDeps(c), { bytes, actor, now: Date.now() }), 200);
  })
  .openapi(shareRoute, async (c) => c.json(await getShare(serviceDeps(c), c.req.valid("query")), 200))
  .openapi(shareCsvRoute, async (c) => {
    const q = c.req.valid("query");
    return download(
      await exportShare(serviceDeps(c), { year: q.year, lang: q.lang, format: "csv", table: q.table }),
    );
  })
  .openapi(shareXlsxRoute, async (c) => {
    const q = c.req.valid("query");
    return download(await exportShare(serviceDeps(c), { year: q.year, lang: q.lang, format: "xlsx" }));
  })
  .openapi(readinessRoute, async (c) => {
    const [checklist, pipeline] = await Promise.all([
      listChecklistProgress(serviceDeps(c)),
      pipelineBoard(serviceDeps(c)),
    ]);
    return c.json({ checklist, pipeline }, 200);
  })
  .openapi(pipelineRoute, async (c) =>
    c.json(await getPipeline(serviceDeps(c), { businessId: c.req.valid("param").businessId }), 200),
  )
  .openapi(recordStageRoute, async (c) => {
    const actor = actorOf(assertOfficer(c.get("principal")));
    const p = await recordStage(serviceDeps(c), {
      businessId: c.req.valid("param").businessId,
      step: c.req.valid("json"),
      actor,
      now: Date.now(),
    });
    return c.json(p, 200);
  })
  .openapi(myOpportunitiesRoute, async (c) => {
    const businessId = callingBusiness(c.get("principal"));
    return c.json({ items: await listOpportunities(serviceDeps(c), { businessId }) }, 200);
  })
  .openapi(myOpportunityRoute, async (c) => {
    const businessId = callingBusiness(c.get("principal"));
    return c.json(
      await getOpportunity(serviceDeps(c), { businessId, packageId: c.req.valid("param").id }),
      200,
    );
  });
