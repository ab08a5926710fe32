import { strFromU8, unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { call, industryBody, officerKey, seedBusiness, serviceBody, uniqueNib } from "../helpers";
import { type ConsoleClient, officerClient } from "./console.helpers";

/**
 * The dashboard page, its readiness list and the laporan downloads, over a registry built here
 * (storage is per file): one partnership approved today and ended "kerja sama dimulai", and 52
 * UMKM with an NIB but no e-katalog listing (more than one page of 50).
 */

let officer: ConsoleClient;
let apiOfficer: string;
const READINESS = 52;

async function post(path: string, key: string, body?: unknown) {
  const res = await call(path, { key, method: "POST", ...(body === undefined ? {} : { body }) });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as { id: string };
}

const metric = (html: string, name: string) =>
  new RegExp(`data-metric="${name}"[^>]*>([^<]*)<`).exec(html)?.[1]?.trim();

beforeAll(async () => {
  apiOfficer = await officerKey();
  const maker = await seedBusiness(
    industryBody({ name: "UD Dimulai", email: "ui-m@example.id", location: { kelurahan: "Miji" } }),
  );
  const shop = await seedBusiness(serviceBody({ name: "Toko Mulai", email: "ui-s@example.id" }));
  const p = await post("/v1/partnerships", shop.apiKey, {
    partnerId: maker.business.id,
    pattern: "subkontrak",
  });
  await post(`/v1/partnerships/${p.id}/accept`, maker.apiKey);
  await post(`/v1/partnerships/${p.id}/approve`, apiOfficer);
  await post(`/v1/partnerships/${p.id}/end`, maker.apiKey, { outcome: "cooperation_started" });
  const places = ["Miji", "Gununggedangan", "Prajurit Kulon"];
  for (let i = 0; i < READINESS; i++)
    await seedBusiness(
      industryBody({
        name: `UD Siap ${String(i).padStart(2, "0")}`,
        email: `ui-r${i}@example.id`,
        nib: uniqueNib(),
        location: { kelurahan: places[i % places.length] },
      }),
    );
  officer = await officerClient();
});

describe("the dashboard page", () => {
  it("counts a partnership ended with kerja sama dimulai, this month, with its breakdowns", async () => {
    const res = await officer.get("/ui/dashboard");
    expect(res.status).toBe(200);
    const html = officer.lastHtml;
    expect(html).toMatch(
      /<h2 id="d-period" data-period="this_month">Hasil: Bulan ini · \d{4}-\d{2}-01 s\.d\. /,
    );
    expect(metric(html, "partnerships-started")).toBe("1");
    // 1 of the 53 industry UMKM has a partner.
    expect(metric(html, "umkm-share")).toBe("2%");
    expect(html).toContain("1 dari 53 UMKM industri terdaftar");
    const card = (table: string) =>
      new RegExp(`data-table="${table}">(.*?)</section>`, "s").exec(html)?.[1] ?? "";
    expect(card("kecamatan")).toContain("<span>Kranggan</span>");
    expect(card("kecamatan")).toContain("<span>Prajuritkulon</span>");
    expect(card("pattern")).toContain("<span>Subkontrak</span>");
    expect(card("kbli")).toContain("<span>C Industri Pengolahan</span>");
    expect(html).toContain('href="/ui/dashboard/export.xlsx?period=this_month"');
    expect(html).toContain('href="/ui/dashboard/export.csv?period=this_month&amp;table=readiness"');
  });

  it("leaves it out of a period before it, and keeps the stock", async () => {
    await officer.get("/ui/dashboard?period=custom&from=2020-01-01&to=2020-12-31");
    const html = officer.lastHtml;
    expect(html).toContain("2020-01-01 s.d. 2020-12-31 (WIB)");
    expect(metric(html, "partnerships-started")).toBe("0");
    expect(metric(html, "requests-sent")).toBe("0");
    expect(metric(html, "umkm-share")).toBe("2%");
    expect(html).toContain('value="2020-01-01"');
  });

  it("shows a bad date at its field, keeping what was typed", async () => {
    const res = await officer.get("/ui/dashboard?period=custom&from=2026-12-31&to=2026-12-01");
    expect(res.status).toBe(422);
    expect(officer.lastHtml).toContain('value="2026-12-31"');
    expect(officer.lastHtml).toMatch(/id="period-to-error">Tanggal akhir sebelum tanggal awal\.</);
    expect(officer.lastHtml).not.toContain('data-metric="partnerships-started"');
  });
});

describe("the readiness list", () => {
  it("pages through all of them by kecamatan then name", async () => {
    await officer.get("/ui/dashboard");
    expect(metric(officer.lastHtml, "procurement-one-step")).toBe(String(READINESS));
    expect(officer.lastHtml).toContain(`href="/ui/dashboard/readiness">Lihat semua (${READINESS})</a>`);

    const rows: string[] = [];
    let next: string | undefined = "/ui/dashboard/readiness";
    let pages = 0;
    while (next) {
      const res = await officer.get(next);
      expect(res.status).toBe(200);
      for (const m of officer.lastHtml.matchAll(
        /<tr data-business="[^"]+"><td>([^<]*)<\/td><td><a [^>]*>([^<]*)</g,
      ))
        rows.push(`${m[1]} ${m[2]}`);
      next = /<a href="([^"]+)" rel="next"/.exec(officer.lastHtml)?.[1]?.replace(/&amp;/g, "&");
      pages++;
    }
    expect(pages).toBe(2);
    expect(rows).toHaveLength(READINESS);
    expect(new Set(rows).size).toBe(READINESS);
    expect(rows).toEqual([...rows].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(rows[0]).toBe("Kranggan UD Siap 00");
    expect(rows.at(-1)).toBe("Prajuritkulon UD Siap 50");
  });
});

describe("the laporan", () => {
  it("downloads one CSV per table, UTF-8 with a BOM", async () => {
    const summary = await officer.get("/ui/dashboard/export.csv?period=this_month&table=summary");
    expect(summary.status).toBe(200);
    expect(summary.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(summary.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="laporan-kemitraan-summary-\d{4}-\d{2}-01_/,
    );
    const bytes = new Uint8Array(await summary.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).split("\r\n");
    expect(lines[0]).toBe("Angka,Nilai");
    expect(lines).toContain("Kemitraan dimulai dalam periode,1");
    expect(lines).toContain("UMKM industri dengan mitra (kemitraan yang dimulai),1");
    expect(lines).toContain(`UMKM satu langkah lagi,${READINESS}`);

    const readiness = await officer.get("/ui/dashboard/export.csv?table=readiness");
    const text = new TextDecoder().decode(new Uint8Array(await readiness.arrayBuffer()).slice(3));
    const rows = text.trim().split("\r\n");
    expect(rows[0]).toBe("Nama usaha,Kecamatan,Kelurahan,NIB,Yang kurang,ID");
    expect(rows).toHaveLength(READINESS + 1);
    expect(rows[1]).toMatch(/^UD Siap 00,Kranggan,Miji,\d{13},Tayang di e-katalog,biz_/);
  });

  it("downloads an XLSX with one sheet per table holding the figures and the list", async () => {
    const res = await officer.get("/ui/dashboard/export.xlsx?period=this_year");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const workbook = strFromU8(files["xl/workbook.xml"] ?? new Uint8Array());
    expect([...workbook.matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1])).toEqual([
      "Ringkasan",
      "Per kecamatan",
      "Per pola kemitraan",
      "Per seksi KBLI",
      "Satu langkah lagi",
    ]);
    const sheet = (n: number) => strFromU8(files[`xl/worksheets/sheet${n}.xml`] ?? new Uint8Array());
    const cells = (xml: string) =>
      [...xml.matchAll(/<row r="(\d+)">(.*?)<\/row>/g)].map((r) =>
        [
          ...(r[2] ?? "").matchAll(
            /<c r="[A-Z]+\d+"[^>]*>(?:<v>([^<]*)<\/v>|<is><t[^>]*>([^<]*)<\/t><\/is>)<\/c>/g,
          ),
        ].map((c) => c[1] ?? c[2]),
      );
    const summary = cells(sheet(1));
    expect(summary).toContainEqual(["Kemitraan dimulai dalam periode", "1"]);
    expect(summary).toContainEqual(["UMKM satu langkah lagi", String(READINESS)]);
    // Numbers are numbers, not text.
    expect(sheet(1)).toMatch(/<c r="B\d+"><v>1<\/v><\/c>/);
    expect(cells(sheet(3))).toEqual([
      ["Kode", "Pola", "Kemitraan dimulai"],
      ["subkontrak", "subkontrak", "1"],
    ]);
    expect(cells(sheet(4))).toContainEqual(["C", "C Industri Pengolahan", "1"]);
    expect(cells(sheet(5))).toHaveLength(READINESS + 1);
  });

  it("serves the same laporan and figures to officers through the API", async () => {
    const json = await call("/v1/dashboard?period=this_month", { key: apiOfficer });
    expect(json.status).toBe(200);
    const body = (await json.json()) as {
      started: { total: number };
      umkmPartnered: { withPartner: number };
    };
    expect(body.started.total).toBe(1);
    expect(body.umkmPartnered.withPartner).toBe(1);
    const bad = await call("/v1/dashboard?from=2026-02-30&to=2026-03-01", { key: apiOfficer });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual([
      "from",
    ]);
    const page = await call("/v1/dashboard/readiness?limit=50", { key: apiOfficer });
    const first = (await page.json()) as { items: unknown[]; total: number; nextCursor: string };
    expect(first.items).toHaveLength(50);
    expect(first.total).toBe(READINESS);
    const rest = await call(`/v1/dashboard/readiness?limit=50&cursor=${first.nextCursor}`, {
      key: apiOfficer,
    });
    expect(((await rest.json()) as { items: unknown[] }).items).toHaveLength(READINESS - 50);
    const xlsx = await call("/v1/dashboard/export.xlsx?lang=en", { key: apiOfficer });
    const names = strFromU8(
      unzipSync(new Uint8Array(await xlsx.arrayBuffer()))["xl/workbook.xml"] ?? new Uint8Array(),
    );
    expect(names).toContain('<sheet name="Summary"');
  });
});
