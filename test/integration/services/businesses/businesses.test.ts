import { describe, expect, it } from "vitest";
import { call, industryBody, officerKey, seedBusiness, serviceBody, uniqueNib } from "../../helpers";

interface BusinessJson {
  id: string;
  name: string;
  nib: string | null;
  location: {
    kelurahan: string | null;
    kecamatan: string | null;
    city: string;
    regionCode: string | null;
    lat: number;
    lng: number;
  };
  language: string;
  maxPartners: number;
  ekatalog: { listed: boolean; url: string | null };
  active: boolean;
  offers: string;
  createdAt: string;
  updatedAt: string;
}

describe("POST /v1/businesses", () => {
  it("creates a business with defaults and returns its API key once", async () => {
    const key = await officerKey();
    const nib = uniqueNib();
    const res = await call("/v1/businesses", { key, body: industryBody({ nib }) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { business: BusinessJson; apiKey: string };
    expect(body.business.id).toMatch(/^biz_[0-9A-Z]{26}$/);
    expect(body.business.nib).toBe(nib);
    expect(body.business.language).toBe("id");
    expect(body.business.maxPartners).toBe(3);
    expect(body.business.active).toBe(true);
    expect(body.business.ekatalog).toEqual({ listed: false, url: null });
    expect(body.apiKey).toMatch(/^kmt_[a-z2-9]{8}_[a-z2-9]{40}$/);

    const again = await call(`/v1/businesses/${body.business.id}`, { key });
    expect(again.status).toBe(200);
    expect(JSON.stringify(await again.json())).not.toContain(body.apiKey);
  });

  it("normalises the split kelurahan spelling and fills in the centroid", async () => {
    const key = await officerKey();
    const res = await call("/v1/businesses", {
      key,
      body: industryBody({ location: { kelurahan: "  gunung   GEDANGAN ", kecamatan: "magersari" } }),
    });
    expect(res.status).toBe(201);
    const { business } = (await res.json()) as { business: BusinessJson };
    expect(business.location).toMatchObject({
      kelurahan: "Gununggedangan",
      kecamatan: "Magersari",
      city: "Kota Mojokerto",
      regionCode: "35.76",
    });
    expect(business.location.lat).toBeCloseTo(-7.47, 1);
    expect(business.location.lng).toBeCloseTo(112.43, 1);
  });

  it("canonicalises a known regency alias outside the city and keeps an unknown city as written", async () => {
    const key = await officerKey();
    const known = await call("/v1/businesses", {
      key,
      body: serviceBody({ location: { city: "Kab.  Jombang", lat: -7.55, lng: 112.23 } }),
    });
    expect(known.status).toBe(201);
    expect(((await known.json()) as { business: BusinessJson }).business.location).toMatchObject({
      city: "Kabupaten Jombang",
      regionCode: "35.17",
      kelurahan: null,
    });
    const unknown = await call("/v1/businesses", {
      key,
      body: serviceBody({
        location: { city: "Kabupaten Sragen", lat: -7.43, lng: 111.02, kecamatan: "Sidoharjo" },
      }),
    });
    expect(unknown.status).toBe(201);
    expect(((await unknown.json()) as { business: BusinessJson }).business.location).toMatchObject({
      city: "Kabupaten Sragen",
      regionCode: null,
      kecamatan: "Sidoharjo",
    });
  });

  it("accepts a KBLI 2025 code and an e-katalog listing with its link", async () => {
    const key = await officerKey();
    const res = await call("/v1/businesses", {
      key,
      body: industryBody({
        kbli: [
          { code: "15201", version: "2025" },
          { code: "10792", version: "2020" },
        ],
        ekatalog: { listed: true, url: "https://katalog.inaproc.id/umkm-miji" },
      }),
    });
    expect(res.status).toBe(201);
    const { business } = (await res.json()) as { business: BusinessJson };
    expect(business.ekatalog).toEqual({ listed: true, url: "https://katalog.inaproc.id/umkm-miji" });
  });
});

describe("GET and PATCH /v1/businesses/{id}", () => {
  it("lets the business read and update its own profile", async () => {
    const { business, apiKey } = await seedBusiness(industryBody());
    const read = await call(`/v1/businesses/${business.id}`, { key: apiKey });
    expect(read.status).toBe(200);
    expect(((await read.json()) as BusinessJson).name).toBe(business.name);

    const patched = await call(`/v1/businesses/${business.id}`, {
      key: apiKey,
      method: "PATCH",
      body: { offers: "Sepatu sekolah dan sandal jepit", maxPartners: 7, language: "en" },
    });
    expect(patched.status).toBe(200);
    const after = (await patched.json()) as BusinessJson;
    expect(after.offers).toBe("Sepatu sekolah dan sandal jepit");
    expect(after.maxPartners).toBe(7);
    expect(after.language).toBe("en");
    expect(after.name).toBe(business.name);
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(business.updatedAt));
  });

  it("lets an officer move a business to another city and clear its NIB", async () => {
    const key = await officerKey();
    const { business } = await seedBusiness(industryBody({ nib: uniqueNib() }));
    const res = await call(`/v1/businesses/${business.id}`, {
      key,
      method: "PATCH",
      body: { nib: null, location: { city: "Sidoarjo", lat: -7.45, lng: 112.72 } },
    });
    expect(res.status).toBe(200);
    const after = (await res.json()) as BusinessJson;
    expect(after.nib).toBeNull();
    expect(after.location).toMatchObject({
      city: "Kabupaten Sidoarjo",
      regionCode: "35.15",
      kelurahan: null,
    });
  });

  it("lets an officer reactivate a deactivated business with PATCH", async () => {
    const key = await officerKey();
    const { business } = await seedBusiness(industryBody());
    const off = await call(`/v1/businesses/${business.id}/deactivate`, { key, method: "POST" });
    expect(((await off.json()) as BusinessJson).active).toBe(false);
    const on = await call(`/v1/businesses/${business.id}`, { key, method: "PATCH", body: { active: true } });
    expect(on.status).toBe(200);
    expect(((await on.json()) as BusinessJson).active).toBe(true);
  });
});

describe("POST /v1/businesses/{id}/deactivate", () => {
  it("deactivates idempotently", async () => {
    const key = await officerKey();
    const { business } = await seedBusiness(industryBody());
    const first = await call(`/v1/businesses/${business.id}/deactivate`, { key, method: "POST" });
    expect(first.status).toBe(200);
    expect(((await first.json()) as BusinessJson).active).toBe(false);
    const second = await call(`/v1/businesses/${business.id}/deactivate`, { key, method: "POST" });
    expect(second.status).toBe(200);
    expect(((await second.json()) as BusinessJson).active).toBe(false);
  });

  it("keeps the deactivated business's key able to read its profile", async () => {
    const key = await officerKey();
    const { business, apiKey } = await seedBusiness(industryBody());
    await call(`/v1/businesses/${business.id}/deactivate`, { key, method: "POST" });
    const res = await call(`/v1/businesses/${business.id}`, { key: apiKey });
    expect(res.status).toBe(200);
  });
});
