import { describe, expect, it } from "vitest";
import {
  call,
  expectProblem,
  industryBody,
  officerKey,
  seedBusiness,
  serviceBody,
  settleSuggestions,
  waitForRefreshes,
} from "../../helpers";

interface MatchJson {
  business: Record<string, unknown> & { id: string; name: string; sector: string };
  score: number;
  components: { category: number; location: number; text: number };
  reasons: string[];
  pattern: string;
}

async function matches(id: string, key: string, query = ""): Promise<MatchJson[]> {
  const res = await call(`/v1/businesses/${id}/matches${query}`, { key });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: MatchJson[] }).items;
}

/** A small registry: one shoe maker, two shoe shops, a caterer, a snack maker, and an inactive shop. */
async function seedRegistry() {
  const maker = await seedBusiness(industryBody({ name: "Sepatu Miji" }));
  const shop = await seedBusiness(serviceBody({ name: "Toko Sepatu Kota" }));
  const shop2 = await seedBusiness(
    serviceBody({ name: "Grosir Alas Kaki Jombang", location: { city: "Jombang", lat: -7.55, lng: 112.23 } }),
  );
  const caterer = await seedBusiness(
    serviceBody({
      name: "Katering Bu Sri",
      kbli: [{ code: "56210", version: "2020" }],
      offers: "Katering nasi kotak untuk acara kantor",
      needs: "Pemasok kue basah dan onde-onde",
    }),
  );
  const snacks = await seedBusiness(
    industryBody({
      name: "Onde-onde Bu Tin",
      kbli: [{ code: "10792", version: "2020" }],
      offers: "Onde-onde dan kue basah pesanan",
      needs: "Pelanggan katering dan toko oleh-oleh",
      location: { kelurahan: "Kranggan" },
    }),
  );
  return { maker, shop, shop2, caterer, snacks };
}

describe("GET /v1/businesses/{id}/matches", () => {
  it("returns ranked, explained suggestions from the other sector only, never itself", async () => {
    const key = await officerKey();
    const { maker, shop } = await seedRegistry();
    const items = await matches(maker.business.id, key);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.business.sector).toBe("service");
      expect(item.business.id).not.toBe(maker.business.id);
      expect(item.score).toBeGreaterThanOrEqual(0);
      expect(item.score).toBeLessThanOrEqual(1);
      for (const c of Object.values(item.components)) {
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(1);
      }
      expect(item.reasons.length).toBeGreaterThanOrEqual(1);
      expect(item.reasons.length).toBeLessThanOrEqual(3);
      expect(typeof item.pattern).toBe("string");
    }
    const scores = items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(items.map((i) => i.business.id)).toContain(shop.business.id);
  });

  it("shows only the public profile of each candidate", async () => {
    const key = await officerKey();
    const { maker } = await seedRegistry();
    const [first] = await matches(maker.business.id, key);
    expect(first).toBeDefined();
    expect(Object.keys(first?.business ?? {}).sort()).toEqual(
      ["ekatalog", "id", "kbli", "location", "name", "needs", "nib", "offers", "sector", "sizeClass"].sort(),
    );
    expect(JSON.stringify(first)).not.toContain("@example.id");
  });

  it("lets a business read its own suggestions with its key", async () => {
    const { snacks, caterer } = await seedRegistry();
    const items = await matches(snacks.business.id, snacks.apiKey);
    expect(items.map((i) => i.business.id)).toContain(caterer.business.id);
  });

  it("respects limit and minScore", async () => {
    const key = await officerKey();
    const { maker } = await seedRegistry();
    expect(await matches(maker.business.id, key, "?limit=1")).toHaveLength(1);
    const all = await matches(maker.business.id, key, "?limit=50");
    const threshold = all[0]?.score ?? 0;
    const strict = await matches(maker.business.id, key, `?minScore=${threshold}`);
    expect(strict.length).toBeGreaterThanOrEqual(1);
    for (const item of strict) expect(item.score).toBeGreaterThanOrEqual(threshold);
  });

  it("drops a candidate as soon as it is deactivated, and shows it again once the sets are refreshed", async () => {
    const key = await officerKey();
    const { maker, shop } = await seedRegistry();
    await settleSuggestions([maker.business.id], key);
    expect((await matches(maker.business.id, key)).map((i) => i.business.id)).toContain(shop.business.id);

    await call(`/v1/businesses/${shop.business.id}/deactivate`, { key, method: "POST" });
    expect((await matches(maker.business.id, key)).map((i) => i.business.id)).not.toContain(shop.business.id);

    await call(`/v1/businesses/${shop.business.id}`, {
      key,
      method: "PATCH",
      body: { active: true, name: "Toko Baru" },
    });
    // The reactivation's follow-up (after its response) marks the maker's set, which the shop
    // enters again; a read then serves the set as stored and starts its recompute (unless an
    // earlier read's recompute already saw the shop back); after it, the shop is listed under
    // its new name.
    await waitForRefreshes();
    await settleSuggestions([maker.business.id], key);
    const back = (await matches(maker.business.id, key)).find((i) => i.business.id === shop.business.id);
    expect(back?.business.name).toBe("Toko Baru");
  });

  it("returns 409 for an inactive business", async () => {
    const key = await officerKey();
    const { maker } = await seedRegistry();
    await call(`/v1/businesses/${maker.business.id}/deactivate`, { key, method: "POST" });
    await expectProblem(
      await call(`/v1/businesses/${maker.business.id}/matches`, { key }),
      409,
      "business_inactive",
    );
  });

  it("rejects out-of-range parameters", async () => {
    const key = await officerKey();
    const { maker } = await seedRegistry();
    const id = maker.business.id;
    for (const [query, path] of [
      ["?limit=51", "limit"],
      ["?limit=0", "limit"],
      ["?minScore=1.5", "minScore"],
      ["?minScore=-0.1", "minScore"],
      ["?lang=fr", "lang"],
    ] as const) {
      const problem = await expectProblem(await call(`/v1/businesses/${id}/matches${query}`, { key }), 422);
      expect(problem.errors?.map((e) => e.path)).toEqual([path]);
    }
  });

  it("explains in the requested language", async () => {
    const key = await officerKey();
    const { snacks } = await seedRegistry();
    const id = await matches(snacks.business.id, key, "?lang=id");
    const en = await matches(snacks.business.id, key, "?lang=en");
    const accept = (await (
      await call(`/v1/businesses/${snacks.business.id}/matches`, {
        key,
        headers: { "Accept-Language": "en-GB,en;q=0.9" },
      })
    ).json()) as { items: MatchJson[] };
    // The same suggestions in both languages: only the words of each reason change.
    expect(id.length).toBeGreaterThan(0);
    expect(en.map((m) => m.business.id)).toEqual(id.map((m) => m.business.id));
    for (const [i, match] of id.entries()) {
      const english = en[i]?.reasons ?? [];
      expect(match.reasons.length).toBeGreaterThan(0);
      expect(english).toHaveLength(match.reasons.length);
      for (const [j, reason] of english.entries()) expect(reason).not.toBe(match.reasons[j]);
    }
    const idText = id.flatMap((m) => m.reasons).join(" | ");
    const enText = en.flatMap((m) => m.reasons).join(" | ");
    expect(enText).not.toMatch(/\b(Mereka|Bidang usaha|Satu|Sama-sama|berjarak|dan)\b/);
    expect(idText).not.toMatch(/\b(They|Complementary|Same|Both|apart|and)\b/);
    // Accept-Language picks English when no ?lang is given.
    expect(accept.items).toEqual(en);
  });
});
