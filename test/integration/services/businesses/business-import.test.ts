import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { generateDemoRegistry } from "../../../../scripts/demo/generate";
import { businessesToCsv, csvField } from "../../../../scripts/lib/business-csv";
import { toSeedBusiness } from "../../../../scripts/local/demo-registry";
import { BODY_LIMIT_BYTES } from "../../../../src/app";
import { createDb } from "../../../../src/db";
import { importBusinesses } from "../../../../src/services/businesses/business-import.service";
import {
  IMPORT_COLUMNS,
  rowToCreateBody,
} from "../../../../src/services/businesses/business-import.validate";
import type { RecomputeMessage } from "../../../../src/services/matching/recompute.service";
import { call, expectProblem, industryBody, officerKey, seedBusiness, uniqueNib } from "../../helpers";

interface ImportReportJson {
  importId: string;
  mode: string;
  delimiter: string;
  rows: number;
  imported: number;
  failed: number;
  businesses: Array<{ line: number; id: string; name: string; nib: string | null }>;
  errors: Array<{ line: number; column: string; path: string; message: string }>;
  writes: { batches: number; statements: number };
}

function postCsv(csv: string | Uint8Array, key: string | null, query = "", contentType = "text/csv") {
  const headers = new Headers({ "Content-Type": contentType });
  if (key) headers.set("Authorization", `Bearer ${key}`);
  return exports.default.fetch(
    new Request(`https://kemitraan.test/v1/businesses/import${query}`, {
      method: "POST",
      headers,
      body: csv,
    }),
  );
}

async function count(sqlText: string, ...binds: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sqlText)
    .bind(...binds)
    .first<{ n: number }>();
  return row?.n ?? -1;
}

const businessCount = () => count("select count(*) as n from businesses");
const importAuditCount = () => count("select count(*) as n from audit_log where action = 'import'");

/** A header line and data rows built from cells by column name (missing cells empty). */
function csvOf(rows: Array<Partial<Record<(typeof IMPORT_COLUMNS)[number], string>>>, sep = ","): string {
  const lines = [IMPORT_COLUMNS.join(sep)];
  for (const r of rows) lines.push(IMPORT_COLUMNS.map((c) => csvField(r[c] ?? "", sep)).join(sep));
  return `${lines.join("\n")}\n`;
}

const good = (o: Partial<Record<(typeof IMPORT_COLUMNS)[number], string>> = {}) => ({
  name: "Krupuk Bu Sri",
  sector: "industry",
  nib: uniqueNib(),
  kbli: "10792",
  sizeClass: "mikro",
  kelurahan: "Prajurit Kulon",
  offers: "Krupuk udang dan rambak",
  needs: "Toko oleh-oleh",
  email: "SRI@Example.id",
  ...o,
});

describe("POST /v1/businesses/import: a 500-row file", () => {
  it("imports 500 demo businesses from a semicolon-separated Excel-style file with BOM and decimal commas", async () => {
    const officer = await officerKey();
    const demo = generateDemoRegistry({ count: 500, seed: 9001 }).map((b) => toSeedBusiness(b).fields);
    const csv = businessesToCsv(demo, { delimiter: ";", bom: true, decimalComma: true });
    expect(new TextEncoder().encode(csv).length).toBeGreaterThan(BODY_LIMIT_BYTES);
    const before = await businessCount();
    const revisionBefore = await count(
      "select coalesce(max(value), 0) as n from registry_meta where key = 'revision'",
    );

    const res = await postCsv(csv, officer);
    const report = (await res.json()) as ImportReportJson;
    expect(res.status, JSON.stringify(report.errors.slice(0, 3))).toBe(201);
    expect(report).toMatchObject({ mode: "partial", delimiter: ";", rows: 500, imported: 500, failed: 0 });
    expect(report.errors).toEqual([]);
    expect(await businessCount()).toBe(before + 500);
    // One INSERT and one audit INSERT per 100 rows, the revision bump (epoch, revision, one
    // change-log insert for all 500 ids), the read-back: one batch.
    expect(report.writes).toEqual({ batches: 1, statements: 5 * 2 + 3 + 1 });
    expect(await count("select coalesce(max(value), 0) as n from registry_meta where key = 'revision'")).toBe(
      revisionBefore + 1,
    );

    // Each business went in as the create endpoint would have stored it.
    const first = report.businesses[0];
    expect(first?.line).toBe(2);
    const stored = await call(`/v1/businesses/${first?.id}`, { key: officer });
    const body = (await stored.json()) as Record<string, unknown>;
    const source = demo[0];
    expect(body).toMatchObject({
      name: source?.name,
      sector: source?.sector,
      nib: source?.nib,
      kbli: source?.kbli,
      email: source?.email,
      status: "published",
      active: source?.active,
      maxPartners: source?.maxPartners,
    });
    expect((body.location as { lat: number }).lat).toBeCloseTo(source?.location.lat ?? 0, 5);

    // Audited in the same batches: one `import` row per business, with the import id and line.
    expect(await importAuditCount()).toBe(500);
    const audit = await call(`/v1/audit?entity=business&entityId=${first?.id}`, { key: officer });
    const entries = ((await audit.json()) as { items: Array<Record<string, unknown>> }).items;
    expect(entries).toEqual([
      expect.objectContaining({
        action: "import",
        toState: "published",
        actor: expect.objectContaining({ kind: "officer" }),
        details: { importId: report.importId, line: 2 },
      }),
    ]);

    // A second upload of the same file: every NIB is now registered, so every NIB row fails.
    const again = await postCsv(csv, officer, "?atomic=true");
    const problem = await expectProblem(again, 422, "import_failed");
    const withNib = demo.filter((b) => b.nib !== null).length;
    expect(problem.errors?.filter((e) => /already registered/.test(e.message))).toHaveLength(withNib);
    expect(await businessCount()).toBe(before + 500);
  });
});

describe("POST /v1/businesses/import: the error report", () => {
  // Physical lines: 1 is the header; the record on lines 3-4 holds a line break in its offers.
  const rows = (taken: string, repeated = uniqueNib()) => [
    good({ nib: repeated }), // line 2
    good({ offers: "Keripik\nsingkong" }), // lines 3-4
    good({ sector: "retail" }), // 5
    good({ kelurahan: "Atlantis" }), // 6
    good({ kbli: "10792|abc" }), // 7
    good({ nib: repeated }), // 8
    good({ nib: taken }), // 9
    good({ lat: "-7,47", lng: "112,43", kelurahan: "", city: "Kab. Jombang" }), // 10
    good({ maxPartners: "banyak" }), // 11
    good({ ekatalogListed: "ya" }), // 12: listed without its link (a domain rule, after the schema)
  ];

  it("writes the valid rows and reports every failing one by physical line, column and the create endpoint's message", async () => {
    const officer = await officerKey();
    const taken = uniqueNib();
    await seedBusiness(industryBody({ nib: taken }));
    const before = await businessCount();
    const auditBefore = await importAuditCount();
    const res = await postCsv(csvOf(rows(taken)), officer);
    const report = (await res.json()) as ImportReportJson;
    expect(res.status).toBe(201);
    expect(report.rows).toBe(10);
    expect(report.businesses.map((b) => b.line)).toEqual([2, 3, 10]);
    expect(report.imported).toBe(3);
    expect(report.failed).toBe(7);
    expect(await businessCount()).toBe(before + 3);
    expect(await importAuditCount()).toBe(auditBefore + 3);

    const at = (line: number) => report.errors.filter((e) => e.line === line);
    expect(at(5)).toEqual([expect.objectContaining({ column: "sector", path: "sector" })]);
    expect(at(6)).toEqual([expect.objectContaining({ column: "kelurahan", path: "location.kelurahan" })]);
    expect(at(7).map((e) => [e.column, e.path])).toEqual([["kbli", "kbli.1.code"]]);
    expect(at(8)).toEqual([
      expect.objectContaining({ column: "nib", message: expect.stringContaining("line 2") }),
    ]);
    expect(at(9)).toEqual([
      expect.objectContaining({ column: "nib", message: expect.stringContaining("already registered") }),
    ]);
    expect(at(11)).toEqual([expect.objectContaining({ column: "maxPartners", path: "maxPartners" })]);
    expect(at(12)).toEqual([expect.objectContaining({ column: "ekatalogUrl", path: "ekatalog.url" })]);
  });

  it("uses the same rules and messages as POST /v1/businesses for each bad row", async () => {
    const officer = await officerKey();
    const taken = uniqueNib();
    await seedBusiness(industryBody({ nib: taken }));
    const bad = rows(taken);
    const res = await postCsv(csvOf(bad), officer, "?atomic=true");
    const problem = await expectProblem(res, 422, "import_failed");
    for (const [i, row] of bad.entries()) {
      const line = i === 0 ? 2 : i === 1 ? 3 : i + 3;
      if ([2, 3, 8, 9, 10].includes(line)) continue; // valid, or duplicates (not a body rule)
      const direct = await call("/v1/businesses", { key: officer, body: rowToCreateBody(row) });
      const expected = await expectProblem(direct, 422, "validation_failed");
      const fromImport = (problem.errors ?? []).filter((e) => (e as { line?: number }).line === line);
      expect(fromImport.map((e) => [e.path, e.message])).toEqual(
        (expected.errors ?? []).map((e) => [e.path, e.message]),
      );
    }
  });

  it("atomic=true writes nothing when any row fails, and everything when none does", async () => {
    const officer = await officerKey();
    const taken = uniqueNib();
    await seedBusiness(industryBody({ nib: taken }));
    const before = await businessCount();
    const auditBefore = await importAuditCount();
    const res = await postCsv(csvOf(rows(taken)), officer, "?atomic=true");
    const problem = await expectProblem(res, 422, "import_failed");
    expect(problem.detail).toMatch(/nothing was imported/);
    expect(new Set(problem.errors?.map((e) => (e as { line?: number }).line))).toEqual(
      new Set([5, 6, 7, 8, 9, 11, 12]),
    );
    expect(await businessCount()).toBe(before);
    expect(await importAuditCount()).toBe(auditBefore);

    const ok = await postCsv(
      csvOf([good(), good({ sector: "service", kbli: "47711 | 56101" })]),
      officer,
      "?atomic=true",
    );
    const report = (await ok.json()) as ImportReportJson;
    expect(ok.status).toBe(201);
    expect(report).toMatchObject({ mode: "atomic", imported: 2, failed: 0 });
    expect(await businessCount()).toBe(before + 2);
    const second = await call(`/v1/businesses/${report.businesses[1]?.id}`, { key: officer });
    expect(((await second.json()) as { kbli: unknown }).kbli).toEqual([
      { code: "47711", version: "2020" },
      { code: "56101", version: "2020" },
    ]);
  });

  it("answers 422 when no row at all can be imported, in partial mode too", async () => {
    const officer = await officerKey();
    const before = await businessCount();
    const res = await postCsv(csvOf([good({ sector: "x" }), good({ email: "not-an-email" })]), officer);
    const problem = await expectProblem(res, 422, "import_failed");
    expect(
      problem.errors?.map((e) => [(e as { line?: number }).line, (e as { column?: string }).column]),
    ).toEqual([
      [2, "sector"],
      [3, "email"],
    ]);
    expect(await businessCount()).toBe(before);
  });

  it("reports header problems on line 1: unknown, repeated and missing columns", async () => {
    const officer = await officerKey();
    const res = await postCsv("name,sector,sector,colour\nA,industry,industry,red\n", officer);
    const problem = await expectProblem(res, 422, "import_failed");
    const cols = problem.errors?.map((e) => (e as { column?: string }).column);
    expect(cols).toEqual(expect.arrayContaining(["colour", "sector", "kbli", "sizeClass", "email"]));
    expect(problem.errors?.every((e) => (e as { line?: number }).line === 1)).toBe(true);
  });

  it("rejects malformed CSV with the line of the unclosed quote", async () => {
    const officer = await officerKey();
    const problem = await expectProblem(
      await postCsv(`${IMPORT_COLUMNS.join(",")}\n"unclosed,industry\n`, officer),
      422,
      "import_failed",
    );
    expect(problem.errors?.[0]).toMatchObject({ line: 2, path: "file" });
  });
});

describe("POST /v1/businesses/import: transport and access", () => {
  it("is for officers only: 401 without a key, 403 for a business", async () => {
    const biz = await seedBusiness(industryBody());
    const csv = csvOf([good()]);
    await expectProblem(await postCsv(csv, null), 401, "unauthorized");
    await expectProblem(await postCsv(csv, biz.apiKey), 403, "forbidden");
  });

  it("answers 415 for anything but text/csv in UTF-8, and 400 for bytes that are not UTF-8", async () => {
    const officer = await officerKey();
    const csv = csvOf([good()]);
    await expectProblem(await postCsv(csv, officer, "", "application/json"), 415, "unsupported_media_type");
    await expectProblem(await postCsv(csv, officer, "", "text/csv; charset=windows-1252"), 415);
    const latin1 = new Uint8Array([...new TextEncoder().encode(csv), 0xe9, 0x0a]);
    await expectProblem(await postCsv(latin1, officer, "", "text/csv; charset=utf-8"), 400, "malformed_body");
  });

  it("has its own 10 MiB limit while every other route keeps 64 KiB", async () => {
    const officer = await officerKey();
    const big = "x".repeat(BODY_LIMIT_BYTES + 1);
    await expectProblem(
      await call("/v1/businesses", {
        key: officer,
        rawBody: big,
        headers: { "Content-Type": "application/json" },
      }),
      413,
      "payload_too_large",
    );
    const huge = `${IMPORT_COLUMNS.join(",")}\n${"y".repeat(10 * 1024 * 1024)}\n`;
    await expectProblem(await postCsv(huge, officer), 413, "payload_too_large");
  });

  it("refuses more than 10,000 rows with 413 before validating any", async () => {
    const officer = await officerKey();
    const row = "A,industry,,10792,,mikro,Miji,,,,,,,a@b.id,,,,,\n";
    const res = await postCsv(`${IMPORT_COLUMNS.join(",")}\n${row.repeat(10_001)}`, officer);
    await expectProblem(res, 413, "too_many_rows");
  });
});

describe("importBusinesses: suggestions afterwards", () => {
  const officerActor = { kind: "officer" as const, id: "off_test" };
  function depsWithQueue(chunkSize: number) {
    const sent: RecomputeMessage[] = [];
    const queue = {
      sendBatch: async (messages: Iterable<{ body: RecomputeMessage }>) => {
        for (const m of messages) sent.push(m.body);
      },
    } as unknown as Queue<RecomputeMessage>;
    return { deps: { db: createDb(env.DB), queue, chunkSize }, sent };
  }

  it("rescores a small import at once, as a create does, and marks the sets of its new neighbours stale", async () => {
    // A shop that is exactly what the imported krupuk makers look for, next door: in their top 50.
    const shop = await seedBusiness(
      industryBody({
        name: "Toko Oleh-oleh Prajurit",
        sector: "service",
        kbli: [{ code: "47211", version: "2020" }],
        location: { kelurahan: "Prajurit Kulon" },
        offers: "Toko oleh-oleh khas Mojokerto, menjual krupuk dan rambak",
        needs: "Mencari pemasok krupuk udang dan rambak",
      }),
    );
    const officer = await officerKey();
    expect((await call(`/v1/businesses/${shop.business.id}/matches`, { key: officer })).status).toBe(200);
    const { deps: d, sent } = depsWithQueue(200);
    const report = await importBusinesses(d, {
      csv: csvOf([good(), good({ name: "Kerupuk Pak Darto", nib: uniqueNib() })]),
      atomic: true,
      actor: officerActor,
      now: Date.now(),
    });
    const ids = report.businesses.map((b) => b.id);
    const sets = await env.DB.prepare(
      `select count(*) as n from suggestion_sets where business_id in (?, ?) and stale_since is null`,
    )
      .bind(ids[0], ids[1])
      .first<{ n: number }>();
    expect(sets?.n).toBe(2);
    expect(sent).toEqual([]);
    const listed = await env.DB.prepare(
      "select count(*) as n from suggestions where business_id in (?, ?) and candidate_id = ?",
    )
      .bind(ids[0], ids[1], shop.business.id)
      .first<{ n: number }>();
    expect(listed?.n).toBeGreaterThan(0);
    const shopSet = await env.DB.prepare("select stale_since as s from suggestion_sets where business_id = ?")
      .bind(shop.business.id)
      .first<{ s: number | null }>();
    expect(shopSet?.s).not.toBeNull();
  });

  it("starts a full recompute run over the queue when the import is larger than a chunk", async () => {
    const { deps: d, sent } = depsWithQueue(1);
    const report = await importBusinesses(d, {
      csv: csvOf([good(), good()]),
      atomic: false,
      actor: officerActor,
      now: Date.now(),
    });
    expect(report.imported).toBe(2);
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent.map((m) => m.mode))).toEqual(new Set(["full"]));
    const ids = sent.flatMap((m) => m.ids);
    for (const b of report.businesses) expect(ids).toContain(b.id);
  });
});
