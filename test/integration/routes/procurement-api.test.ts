import { describe, expect, it } from "vitest";
import { call, expectProblem, officerKey, seedBusiness, serviceBody, uniqueNib } from "../helpers";

const RUP_HEADER =
  "Kode RUP;Nama Paket;Satuan Kerja;Pagu;Metode Pemilihan;Jenis Pengadaan;Sumber Dana;Waktu Pemilihan\n";
const csv = (text: string) => ({ rawBody: text, headers: { "Content-Type": "text/csv" } });

describe("/v1/procurement", () => {
  it("imports the RUP, ranks suppliers, notifies, and the business sees only the package opened to it", async () => {
    const key = await officerKey();
    const { business: caterer, apiKey: catererKey } = await seedBusiness(
      serviceBody({
        name: "Katering Uji API",
        email: "api-caterer@example.id",
        kbli: [{ code: "56210", version: "2020" }],
        offers: "Katering nasi kotak dan snack rapat kantor",
        nib: uniqueNib(),
        sizeClass: "mikro",
      }),
    );
    const { apiKey: strangerKey } = await seedBusiness(
      serviceBody({ name: "Penjahit Uji API", email: "api-tailor@example.id", sizeClass: "mikro" }),
    );

    const imported = await call("/v1/procurement/packages/import", {
      key,
      method: "POST",
      ...csv(
        `${RUP_HEADER}9400001;Belanja makan minum rapat API;Dinas Uji API;40000000;Pengadaan Langsung;Barang;APBD;Mei 2026\n` +
          "9400002;Belanja alat tulis;Dinas Uji API;banyak;E-Purchasing;Barang;APBD;Mei 2026\n",
      ),
    });
    expect(imported.status).toBe(200);
    const report = (await imported.json()) as {
      created: number;
      errors: Array<{ line: number; column: string }>;
    };
    expect(report.created).toBe(1);
    expect(report.errors.map((e) => [e.line, e.column])).toEqual([[3, "Pagu"]]);

    const list = (await (await call("/v1/procurement/packages?q=rapat%20API", { key })).json()) as {
      items: Array<{ id: string; name: string; buyerName: string; pagu: number }>;
    };
    const pkg = list.items[0];
    expect(pkg).toMatchObject({
      name: "Belanja makan minum rapat API",
      buyerName: "Dinas Uji API",
      pagu: 40_000_000,
    });
    if (!pkg) throw new Error("no package");

    const suppliers = (await (
      await call(`/v1/procurement/packages/${pkg.id}/suppliers?lang=en`, { key })
    ).json()) as {
      oneStep: Array<{ id: string; lacks: string[]; reasons: string[] }>;
    };
    const mine = suppliers.oneStep.find((s) => s.id === caterer.id);
    expect(mine?.lacks).toEqual(["ekatalog"]);
    expect(mine?.reasons).toContain("Holds an NIB");

    const notified = await call(`/v1/procurement/packages/${pkg.id}/notify`, {
      key,
      body: { businessIds: [caterer.id] },
    });
    expect(await notified.json()).toEqual({ notified: 1, skipped: 0 });

    const mineList = (await (await call("/v1/me/procurement/opportunities", { key: catererKey })).json()) as {
      items: Array<{ id: string }>;
    };
    expect(mineList.items.map((o) => o.id)).toEqual([pkg.id]);
    expect((await call(`/v1/me/procurement/opportunities/${pkg.id}`, { key: catererKey })).status).toBe(200);
    // Another business: not in its list, and the package itself is a 404.
    const theirs = (await (await call("/v1/me/procurement/opportunities", { key: strangerKey })).json()) as {
      items: unknown[];
    };
    expect(theirs.items).toEqual([]);
    await expectProblem(
      await call(`/v1/me/procurement/opportunities/${pkg.id}`, { key: strangerKey }),
      404,
      "not_found",
    );
    // Buyers' data and the package's suppliers are officers' only.
    await expectProblem(await call("/v1/procurement/buyers", { key: catererKey }), 403, "forbidden");
    await expectProblem(
      await call(`/v1/procurement/packages/${pkg.id}/suppliers`, { key: catererKey }),
      403,
      "forbidden",
    );
  });

  it("answers problem+json for a wrong file type, an unreadable sheet, a bad stage and an unknown package", async () => {
    const key = await officerKey();
    await expectProblem(
      await call("/v1/procurement/packages/import", {
        key,
        method: "POST",
        rawBody: "{}",
        headers: { "Content-Type": "application/json" },
      }),
      415,
      "unsupported_media_type",
    );
    await expectProblem(
      await call("/v1/procurement/packages/import", { key, method: "POST", ...csv("Nama;Harga\nA;1\n") }),
      422,
      "procurement_file_unreadable",
    );
    const { business } = await seedBusiness(serviceBody({ name: "Batik Uji API Tahap", sizeClass: "mikro" }));
    const bad = await expectProblem(
      await call(`/v1/procurement/readiness/${business.id}/stages`, {
        key,
        body: { stage: "tayang", date: "2026-13-01" },
      }),
      422,
      "validation_failed",
    );
    expect(JSON.stringify(bad)).toContain("date");
    await expectProblem(await call("/v1/procurement/packages/pkt_nope/suppliers", { key }), 404, "not_found");
  });

  it("records e-katalog stages, lists the business at tayang, and reports share and readiness", async () => {
    const key = await officerKey();
    const { business } = await seedBusiness(serviceBody({ name: "Kue Uji API Tayang", sizeClass: "kecil" }));
    const r = await call(`/v1/procurement/readiness/${business.id}/stages`, {
      key,
      body: { stage: "tayang", date: "2026-06-01", url: "https://katalog.example/kue-uji" },
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ current: "tayang", ekatalogListed: true });
    const board = (await (await call("/v1/procurement/readiness", { key })).json()) as {
      pipeline: Record<string, Array<{ businessId: string }>>;
    };
    expect(board.pipeline.tayang?.map((e) => e.businessId)).toContain(business.id);

    const imported = await call("/v1/procurement/realisations/import", {
      key,
      method: "POST",
      ...csv(
        "Nama Paket;Satuan Kerja;Nama Penyedia;Nilai Realisasi;Tanggal;Jalur;Kualifikasi Usaha\n" +
          "Snack rapat;Dinas Uji Porsi API;UD Snack Uji;30000000;2031-03-10;E-Katalog;Kecil\n" +
          "Laptop;Dinas Uji Porsi API;PT Besar Uji;70000000;2031-03-11;Tender;Besar\n",
      ),
    });
    expect(imported.status).toBe(200);
    const share = (await (await call("/v1/procurement/share?year=2031", { key })).json()) as {
      byBuyer: Array<{ name: string; total: number; small: number; share: number; gap: number }>;
    };
    expect(share.byBuyer.find((b) => b.name === "Dinas Uji Porsi API")).toEqual(
      expect.objectContaining({ total: 100_000_000, small: 30_000_000, share: 0.3, gap: 10_000_000 }),
    );
    const exported = await call("/v1/procurement/share/export.csv?year=2031&table=opd", { key });
    expect(exported.headers.get("Content-Type")).toContain("text/csv");
    expect(await exported.text()).toContain("Dinas Uji Porsi API");
  });
});
