import { beforeAll, describe, expect, it } from "vitest";
import type { ListFilters } from "../../../../src/services/businesses/businesses.queries";
import { listBusinesses } from "../../../../src/services/businesses/read.service";
import { call, deps, industryBody, officerKey, seedBusiness, serviceBody } from "../../helpers";

interface Page {
  items: Array<{ id: string; name: string; sector: string; active: boolean }>;
  nextCursor: string | null;
}

// Storage is per file: this file's registry holds exactly these businesses.
const names: Record<string, string> = {};
let key: string;

beforeAll(async () => {
  key = await officerKey();
  const seeds = [
    industryBody({ name: "Sepatu Miji 100%", location: { kelurahan: "Miji" } }),
    industryBody({
      name: "Batik Gedangan",
      kbli: [{ code: "13134", version: "2020" }],
      location: { kelurahan: "Gununggedangan" },
      offers: "Kain batik tulis",
    }),
    industryBody({
      name: "Onde-onde Bu Tin",
      kbli: [{ code: "10792", version: "2020" }],
      location: { kelurahan: "Prajuritkulon" },
      offers: "Kue basah onde_onde",
    }),
    serviceBody({
      name: "Hotel Majapahit",
      kbli: [{ code: "55110", version: "2020" }],
      location: { kelurahan: "Kauman" },
    }),
    serviceBody({ name: "Toko Alas Kaki", location: { kelurahan: "Surodinawan" } }),
    serviceBody({
      name: "Warung Jombang",
      location: { city: "Jombang", lat: -7.55, lng: 112.23, kecamatan: "Diwek" },
    }),
  ];
  for (const body of seeds) {
    const { business } = await seedBusiness(body);
    names[business.id] = business.name;
  }
  const inactive = await seedBusiness(serviceBody({ name: "Toko Tutup" }));
  await call(`/v1/businesses/${inactive.business.id}/deactivate`, { key, method: "POST" });
});

async function list(query: string): Promise<Page> {
  const res = await call(`/v1/businesses${query}`, { key });
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
}

function namesOf(page: Page): string[] {
  return page.items.map((i) => i.name).sort();
}

describe("GET /v1/businesses", () => {
  it("lists everything in creation order with a default page size", async () => {
    const page = await list("");
    expect(page.items).toHaveLength(7);
    const ids = page.items.map((i) => i.id);
    expect(ids).toEqual([...ids].sort());
    expect(page.nextCursor).toBeNull();
  });

  it("paginates with an opaque cursor without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await list(`?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen).toEqual([...seen].sort());
  });

  it("filters by sector", async () => {
    const page = await list("?sector=industry");
    expect(namesOf(page)).toEqual(["Batik Gedangan", "Onde-onde Bu Tin", "Sepatu Miji 100%"]);
  });

  it("filters by kecamatan in either spelling", async () => {
    expect(namesOf(await list("?kecamatan=Prajurit%20Kulon"))).toEqual([
      "Hotel Majapahit",
      "Onde-onde Bu Tin",
      "Toko Alas Kaki",
      "Toko Tutup",
    ]);
    expect(namesOf(await list("?kecamatan=Diwek"))).toEqual(["Warung Jombang"]);
  });

  it("filters by kelurahan", async () => {
    expect(namesOf(await list("?kelurahan=gunung%20gedangan"))).toEqual(["Batik Gedangan"]);
  });

  it("normalises place names in the service, so every caller (API, console, jobs) gets it", async () => {
    const names = async (filters: ListFilters) =>
      (await listBusinesses(deps(), { filters, limit: 100 })).items.map((b) => b.name).sort();
    expect(await names({ kelurahan: "Gunung Gedangan" })).toEqual(["Batik Gedangan"]);
    expect(await names({ kelurahan: "GUNUNGGEDANGAN" })).toEqual(["Batik Gedangan"]);
    expect(await names({ kecamatan: " prajuritkulon " })).toEqual(
      namesOf(await list("?kecamatan=Prajuritkulon")).sort(),
    );
    await expect(
      listBusinesses(deps(), { filters: { kelurahan: "Atlantis" }, limit: 10 }),
    ).rejects.toMatchObject({
      code: "validation_failed",
      extra: { errors: [{ path: "kelurahan", message: "Unknown kelurahan." }] },
    });
  });

  it("filters by KBLI division", async () => {
    expect(namesOf(await list("?kbliDivision=10"))).toEqual(["Onde-onde Bu Tin"]);
    expect(namesOf(await list("?kbliDivision=47"))).toEqual([
      "Toko Alas Kaki",
      "Toko Tutup",
      "Warung Jombang",
    ]);
  });

  it("filters by text in name, offers or needs, case-insensitively", async () => {
    expect(namesOf(await list("?q=BATIK"))).toEqual(["Batik Gedangan"]);
    expect(namesOf(await list("?q=hotel"))).toEqual(["Hotel Majapahit"]);
  });

  it("treats % and _ in the text query literally", async () => {
    expect(namesOf(await list("?q=100%25"))).toEqual(["Sepatu Miji 100%"]);
    expect(namesOf(await list("?q=onde_onde"))).toEqual(["Onde-onde Bu Tin"]);
    expect((await list("?q=%25")).items.map((i) => i.name)).toEqual(["Sepatu Miji 100%"]);
  });

  it("filters by active flag", async () => {
    expect(namesOf(await list("?active=false"))).toEqual(["Toko Tutup"]);
    expect((await list("?active=true")).items).toHaveLength(6);
  });

  it("combines filters with AND", async () => {
    expect(namesOf(await list("?sector=service&kecamatan=Prajuritkulon&active=true"))).toEqual([
      "Hotel Majapahit",
      "Toko Alas Kaki",
    ]);
  });
});
