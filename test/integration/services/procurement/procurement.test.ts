import { describe, expect, it } from "vitest";
import { MemoryMailer } from "../../../../src/email/mailer";
import { lastMatcherLoad, matcherBuildCounts } from "../../../../src/services/matching/matcher.cache";
import { getEmailPreferences, setEmailPreferences } from "../../../../src/services/notifications/preferences";
import { notifySuppliers } from "../../../../src/services/procurement/notify.service";
import {
  getOpportunity,
  listOpportunities,
} from "../../../../src/services/procurement/opportunities.service";
import { listPackages } from "../../../../src/services/procurement/packages.service";
import { importRealisations } from "../../../../src/services/procurement/realisation-import.service";
import { importRup } from "../../../../src/services/procurement/rup-import.service";
import { getShare } from "../../../../src/services/procurement/share.service";
import { suppliersForPackage } from "../../../../src/services/procurement/suppliers.service";
import generatedRup from "../../../fixtures/procurement/rup-2026.csv?raw";
import { deps, industryBody, seedBusiness, serviceBody, uniqueNib } from "../../helpers";
import { rowsTo, sendAll } from "../notifications/notifications.helpers";

const actor = { kind: "officer" as const, id: "ofc_test" };
const bytes = (text: string) => new TextEncoder().encode(text);
const RUP_HEADER =
  "Kode RUP;Nama Paket;Satuan Kerja;Pagu;Metode Pemilihan;Jenis Pengadaan;Sumber Dana;Waktu Pemilihan\n";

describe("RUP import", () => {
  it("reports bad rows by line and column, writes the good ones, and is idempotent", async () => {
    const file =
      RUP_HEADER +
      "9100001;Belanja makanan dan minuman rapat;Dinas Uji Impor;45.000.000;Pengadaan Langsung;Barang;APBD;Maret 2026\n" +
      "9100002;Belanja alat tulis kantor;Dinas Uji Impor;banyak;E-Purchasing;Barang;APBD;April 2026\n" +
      "9100003;Pemeliharaan gedung;Dinas Uji Impor;150000000;Lelang kilat;Barang;APBD;Kapan-kapan\n" +
      "9100001;Belanja makanan dan minuman rapat;Dinas Uji Impor;45.000.000;Pengadaan Langsung;Barang;APBD;Maret 2026\n";
    const first = await importRup(deps(), { bytes: bytes(file), actor, now: Date.now() });
    expect(first).toMatchObject({ rows: 4, created: 1, updated: 0, unchanged: 0 });
    expect(first.errors.map((e) => [e.line, e.column])).toEqual([
      [3, "Pagu"],
      [4, "Metode Pemilihan"],
      [4, "Waktu Pemilihan"],
      [5, "Kode RUP"],
    ]);
    const again = await importRup(deps(), { bytes: bytes(file), actor, now: Date.now() });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    const changed = file.replace("45.000.000;Pengadaan", "50.000.000;Pengadaan");
    const third = await importRup(deps(), { bytes: bytes(changed), actor, now: Date.now() });
    expect(third).toMatchObject({ created: 0, updated: 1 });
    const list = await listPackages(deps(), { q: "makanan dan minuman rapat" });
    expect(list.items.filter((p) => p.rupKey === "rup:9100001").map((p) => p.pagu)).toEqual([50_000_000]);
  });

  it("refuses a file without SiRUP's required columns", async () => {
    await expect(
      importRup(deps(), { bytes: bytes("Nama;Harga\nA;1\n"), actor, now: Date.now() }),
    ).rejects.toMatchObject({
      code: "procurement_file_unreadable",
    });
  });

  it("imports the generated city year (230 packages) without errors", async () => {
    const r = await importRup(deps(), { bytes: bytes(generatedRup), actor, now: Date.now() });
    expect(r.errors).toEqual([]);
    expect(r.created).toBe(230);
  });
});

describe("suppliers, notices and what a business may see", () => {
  it("ranks a caterer for a meeting-meals package, and shows the package only to the business told about it", async () => {
    const nib = uniqueNib();
    const { business: caterer } = await seedBusiness(
      serviceBody({
        name: "Katering Uji Sekar",
        kbli: [{ code: "56210", version: "2020" }],
        offers: "Katering nasi kotak dan snack rapat kantor",
        nib,
        sizeClass: "mikro",
      }),
    );
    const { business: shoes } = await seedBusiness(
      industryBody({ name: "Sepatu Uji Miji", sizeClass: "mikro" }),
    );
    const { business: medium } = await seedBusiness(
      serviceBody({
        name: "Katering Uji Menengah",
        kbli: [{ code: "56210", version: "2020" }],
        offers: "Katering nasi kotak rapat",
        sizeClass: "menengah",
      }),
    );
    await importRup(deps(), {
      bytes: bytes(
        `${RUP_HEADER}9200001;Belanja makan minum rapat koordinasi;Dinas Uji Pemasok;40000000;Pengadaan Langsung;Barang;APBD;Mei 2026\n`,
      ),
      actor,
      now: Date.now(),
    });
    const pkg = (await listPackages(deps(), { q: "rapat koordinasi" })).items[0];
    if (!pkg) throw new Error("package not imported");
    const s = await suppliersForPackage(deps(), { packageId: pkg.id, lang: "id", limit: 10 });
    const all = [...s.ready, ...s.oneStep];
    // A second page view is a query on the isolate's matcher, not a build.
    const builds = matcherBuildCounts();
    const again = await suppliersForPackage(deps(), { packageId: pkg.id, lang: "id", limit: 10 });
    expect(lastMatcherLoad().kind).toBe("cached");
    expect(matcherBuildCounts()).toEqual(builds);
    expect(again.oneStep.map((m) => [m.id, m.score])).toEqual(s.oneStep.map((m) => [m.id, m.score]));
    const mine = all.find((m) => m.id === caterer.id);
    expect(mine?.lacks).toEqual(["ekatalog"]);
    expect(s.oneStep.map((m) => m.id)).toContain(caterer.id);
    expect(all.map((m) => m.id)).not.toContain(shoes.id);

    const r = await notifySuppliers(deps(), {
      packageId: pkg.id,
      businessIds: [caterer.id, medium.id],
      actor,
      now: Date.now(),
    });
    // A package up to Rp15 bn is reserved for micro and small businesses: the medium one is skipped.
    expect(r).toEqual({ notified: 1, skipped: 1 });
    expect((await listOpportunities(deps(), { businessId: caterer.id })).map((o) => o.id)).toEqual([pkg.id]);
    expect(await listOpportunities(deps(), { businessId: shoes.id })).toEqual([]);
    await expect(getOpportunity(deps(), { businessId: shoes.id, packageId: pkg.id })).rejects.toMatchObject({
      code: "not_found",
    });
    const repeat = await notifySuppliers(deps(), {
      packageId: pkg.id,
      businessIds: [caterer.id],
      actor,
      now: Date.now(),
    });
    expect(repeat).toEqual({ notified: 0, skipped: 1 });
  });
});

describe("realisation import and the share", () => {
  it("matches suppliers on NIB first, then on name, and reports the share by OPD", async () => {
    const nib = uniqueNib();
    await seedBusiness(industryBody({ name: "Batik Uji Realisasi", nib, sizeClass: "kecil" }));
    await seedBusiness(industryBody({ name: "Konveksi Uji Nama", sizeClass: "mikro" }));
    const header =
      "Nama Paket,Satuan Kerja,Nama Penyedia,NIB,Nilai Realisasi,Tanggal,Jalur,Jenis Pengadaan,Kualifikasi Usaha\n";
    const file =
      header +
      `Seragam batik,Dinas Uji Porsi,Nama Lain di SPSE,${nib},100000000,2031-03-02,Pengadaan Langsung,Barang,\n` +
      "Kaos olahraga,Dinas Uji Porsi,CV Konveksi Uji Nama,,50000000,2031-03-10,E-Katalog,Barang,\n" +
      "Laptop,Dinas Uji Porsi,PT Besar Sekali,,350000000,2031-04-01,E-Katalog,Barang,Besar\n" +
      "Kertas,Dinas Uji Porsi,Toko Kecil,,10,2031-13-01,Lewat pos,Barang,\n";
    const r = await importRealisations(deps(), { bytes: bytes(file), actor, now: Date.now() });
    expect(r).toMatchObject({ rows: 4, created: 3, matchedByNib: 1, matchedByName: 1 });
    expect(r.errors.map((e) => [e.line, e.column])).toEqual([
      [5, "Tanggal"],
      [5, "Jalur"],
    ]);
    const again = await importRealisations(deps(), { bytes: bytes(file), actor, now: Date.now() });
    expect(again).toMatchObject({ created: 0, unchanged: 3 });
    const share = await getShare(deps(), { year: "2031" });
    const opd = share.byBuyer.find((b) => b.name === "Dinas Uji Porsi");
    expect(opd).toMatchObject({
      total: 500_000_000,
      small: 150_000_000,
      registrySmall: 150_000_000,
      share: 0.3,
      gap: 50_000_000,
    });
  });
});

describe("the procurement notice's own email switch", () => {
  it("is on by default, is silenced by its own switch and not by the incoming-request one", async () => {
    const seedCaterer = async (name: string, email: string) =>
      (
        await seedBusiness(
          serviceBody({
            name,
            email,
            kbli: [{ code: "56210", version: "2020" }],
            offers: "Katering nasi kotak rapat",
            sizeClass: "mikro",
          }),
        )
      ).business;
    const quiet = await seedCaterer("Katering Uji Sunyi", "sunyi@katering.example.id");
    const loud = await seedCaterer("Katering Uji Ramai", "ramai@katering.example.id");
    const now = Date.now();
    await setEmailPreferences(deps(), {
      recipient: `business:${quiet.id}`,
      notifications: { procurementOpportunity: false },
      now,
    });
    await setEmailPreferences(deps(), {
      recipient: `business:${loud.id}`,
      notifications: { incomingRequest: false },
      now,
    });
    expect(
      (await getEmailPreferences(deps(), { recipient: `business:${loud.id}` })).notifications,
    ).toMatchObject({
      incomingRequest: false,
      procurementOpportunity: true,
    });
    await importRup(deps(), {
      bytes: bytes(
        `${RUP_HEADER}9300001;Belanja nasi kotak rapat uji saklar;Dinas Uji Saklar;30000000;Pengadaan Langsung;Barang;APBD;Juni 2026\n`,
      ),
      actor,
      now,
    });
    const pkg = (await listPackages(deps(), { q: "uji saklar" })).items[0];
    if (!pkg) throw new Error("package not imported");
    await notifySuppliers(deps(), { packageId: pkg.id, businessIds: [quiet.id, loud.id], actor, now });
    const mailer = new MemoryMailer();
    await sendAll(mailer, now + 1000);
    const statusOf = async (id: string) =>
      (await rowsTo(`business:${id}`))
        .filter((r) => r.kind === "procurement_opportunity")
        .map((r) => r.status);
    expect(await statusOf(quiet.id)).toEqual(["skipped"]);
    expect(await statusOf(loud.id)).toEqual(["sent"]);
    const aboutPackage = (email: string) =>
      mailer.sent.filter((m) => m.to === email && m.text.includes("Belanja nasi kotak rapat uji saklar"));
    expect(aboutPackage(loud.email)).toHaveLength(1);
    expect(aboutPackage(quiet.email)).toHaveLength(0);
  });
});
