import { beforeAll, describe, expect, it } from "vitest";
import { findKelurahan } from "../../../../src/domain/location";
import { type Dashboard, getDashboard } from "../../../../src/services/dashboard/dashboard.service";
import { call, deps, industryBody, officerKey, seedBusiness, serviceBody, uniqueNib } from "../../helpers";

/**
 * The dashboard aggregates over a small registry built here (storage is per file, so the counts
 * are exact): two makers and two shops, two active partnerships, one accepted, one declined.
 * Kecamatan: Miji and Sentanan are in Kranggan, Prajurit Kulon in Prajuritkulon, Gununggedangan in
 * Magersari; so one active partnership spans two kecamatan and the other has both sides in one.
 */

let dashboard: Dashboard;
const kecamatanOf = (kelurahan: string) => findKelurahan(kelurahan)?.kecamatan ?? "";

async function post(path: string, key: string, body?: unknown) {
  const res = await call(path, { key, method: "POST", ...(body === undefined ? {} : { body }) });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as { id: string };
}

beforeAll(async () => {
  const officer = await officerKey();
  const ready = await seedBusiness(
    industryBody({
      name: "UD Siap",
      location: { kelurahan: "Miji" },
      nib: uniqueNib(),
      ekatalog: { listed: true, url: "https://katalog.inaproc.id/ud-siap" },
    }),
  );
  const almost = await seedBusiness(
    industryBody({
      name: "UD Hampir",
      location: { kelurahan: "Gununggedangan" },
      sizeClass: "kecil",
      nib: uniqueNib(),
    }),
  );
  const shop = await seedBusiness(
    serviceBody({ name: "Toko Kecil", location: { kelurahan: "Prajurit Kulon" } }),
  );
  const big = await seedBusiness(
    serviceBody({ name: "Toko Besar", location: { kelurahan: "Sentanan" }, sizeClass: "besar" }),
  );

  const active = await post("/v1/partnerships", shop.apiKey, {
    partnerId: ready.business.id,
    pattern: "rantai_pasok",
  });
  await post(`/v1/partnerships/${active.id}/accept`, ready.apiKey);
  await post(`/v1/partnerships/${active.id}/approve`, officer);
  const local = await post("/v1/partnerships", big.apiKey, {
    partnerId: ready.business.id,
    pattern: "rantai_pasok",
  });
  await post(`/v1/partnerships/${local.id}/accept`, ready.apiKey);
  await post(`/v1/partnerships/${local.id}/approve`, officer);
  const declined = await post("/v1/partnerships", shop.apiKey, {
    partnerId: almost.business.id,
    pattern: "subkontrak",
  });
  await post(`/v1/partnerships/${declined.id}/decline`, almost.apiKey);
  const accepted = await post("/v1/partnerships", big.apiKey, {
    partnerId: almost.business.id,
    pattern: "subkontrak",
  });
  await post(`/v1/partnerships/${accepted.id}/accept`, almost.apiKey);

  dashboard = await getDashboard(deps());
});

describe("getDashboard", () => {
  it("counts active partnerships by each side's kecamatan, by pattern and by KBLI section", () => {
    expect(kecamatanOf("Miji")).toBe("Kranggan");
    expect(kecamatanOf("Sentanan")).toBe("Kranggan");
    expect(kecamatanOf("Prajurit Kulon")).toBe("Prajuritkulon");
    // Kranggan holds three sides of two partnerships: a partnership counts once per kecamatan.
    expect(dashboard.activeByKecamatan).toEqual([
      { key: "Kranggan", count: 2 },
      { key: "Prajuritkulon", count: 1 },
    ]);
    expect(dashboard.activeByPattern).toEqual([{ key: "rantai_pasok", count: 2 }]);
    expect(dashboard.activeSidesByKbliSection).toEqual([
      { key: "C", count: 2 },
      { key: "G", count: 2 },
    ]);
  });

  it("computes the acceptance rate over answered or expired requests", () => {
    expect(dashboard.requests).toEqual({ accepted: 3, declinedOrExpired: 1, acceptanceRate: 3 / 4 });
  });

  it("counts UMKM (not besar) with an active partner", () => {
    expect(dashboard.umkm).toEqual({ registered: 3, withActivePartner: 2, share: 2 / 3 });
  });

  it("finds UMKM ready for procurement (NIB + e-katalog) and those one step away", () => {
    expect(dashboard.procurement.ready).toBe(1);
    expect(dashboard.procurement.oneStepAway).toBe(1);
    expect(dashboard.procurement.oneStepAwaySample.map((b) => [b.name, b.missing])).toEqual([
      ["UD Hampir", "ekatalog"],
    ]);
  });

  it("reports activity per kelurahan for the map", () => {
    const byName = Object.fromEntries(dashboard.kelurahan.map((k) => [k.kelurahan, k]));
    expect(byName.Miji).toEqual({ kelurahan: "Miji", businesses: 1, partnerships: 2, active: 2 });
    expect(byName.Prajuritkulon).toEqual({
      kelurahan: "Prajuritkulon",
      businesses: 1,
      partnerships: 2,
      active: 1,
    });
    expect(byName.Gununggedangan).toEqual({
      kelurahan: "Gununggedangan",
      businesses: 1,
      partnerships: 2,
      active: 0,
    });
    expect(byName.Sentanan).toEqual({ kelurahan: "Sentanan", businesses: 1, partnerships: 2, active: 1 });
  });
});
