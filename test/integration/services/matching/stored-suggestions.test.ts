import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { batchPrepared } from "../../../../src/db";
import { ANALYZER_VERSION, renderReasons } from "../../../../src/matching";
import { deactivateBusiness } from "../../../../src/services/businesses/activation.service";
import { updateBusiness } from "../../../../src/services/businesses/update.service";
import { STALE_SERVE_MAX_MS } from "../../../../src/services/matching/matches.service";
import { servingQueries } from "../../../../src/services/matching/suggestions.queries";
import { countD1RoundTrips } from "../../d1-round-trips";
import {
  call,
  deps,
  industryBody,
  officerKey,
  seedBusiness,
  serviceBody,
  settleSuggestions,
  waitForRefreshes,
} from "../../helpers";

interface MatchJson {
  business: { id: string; name: string; sector: string };
  score: number;
  reasons: string[];
}

interface SetState {
  computed_at: number;
  source_updated_at: number;
  analyzer_version: string;
  stale_since: number | null;
}

async function storedRows(businessId: string) {
  const { results } = await env.DB.prepare(
    "select candidate_id, score, reasons from suggestions where business_id = ? order by score desc, candidate_id",
  )
    .bind(businessId)
    .all<{ candidate_id: string; score: number; reasons: string }>();
  return results;
}

async function setState(businessId: string): Promise<SetState | null> {
  return env.DB.prepare("select * from suggestion_sets where business_id = ?")
    .bind(businessId)
    .first<SetState>();
}

async function getMatches(id: string, key: string, query = "") {
  const res = await call(`/v1/businesses/${id}/matches${query}`, { key });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { items: MatchJson[] };
  return { items: body.items, source: res.headers.get("X-Suggestions-Source") };
}

async function seedRegistry() {
  const maker = await seedBusiness(industryBody({ name: "Sepatu Miji" }));
  const shop = await seedBusiness(serviceBody({ name: "Toko Sepatu Kota" }));
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
  return { maker, shop, caterer, snacks };
}

/**
 * Reads every business's suggestions once, so that each set is fresh (computed if it was missing,
 * recomputed after the read if others' changes made it stale).
 */
async function settle(key: string, ids: string[]) {
  await settleSuggestions(ids, key);
  for (const id of ids) expect((await getMatches(id, key)).source).toBe("stored");
}

function idsOf(registry: Awaited<ReturnType<typeof seedRegistry>>): string[] {
  return Object.values(registry).map((r) => r.business.id);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("stored suggestions", () => {
  it("serves a fresh set with a recently verified key in one D1 statement and no other query", async () => {
    const key = await officerKey();
    const registry = await seedRegistry();
    await settle(key, idsOf(registry));
    const roundTrips = countD1RoundTrips();
    const { items, source } = await getMatches(registry.maker.business.id, key, "?limit=10");
    expect(source).toBe("stored");
    expect(items.length).toBeGreaterThan(0);
    expect(roundTrips()).toEqual({ batches: 0, single: 1 });
  });

  it("serves a set others' changes made stale in one statement, and recomputes it after the response", async () => {
    const key = await officerKey();
    const registry = await seedRegistry();
    await settle(key, idsOf(registry));
    const id = registry.maker.business.id;
    const fresh = await getMatches(id, key, "?limit=50");
    await env.DB.prepare("update suggestion_sets set stale_since = ? where business_id = ?")
      .bind(Date.now(), id)
      .run();
    const roundTrips = countD1RoundTrips();
    const stale = await getMatches(id, key, "?limit=50");
    expect(stale.source).toBe("stale");
    expect(stale.items).toEqual(fresh.items);
    // The serving read alone: the recompute waits for the refresh window, after the response.
    expect(roundTrips()).toEqual({ batches: 0, single: 1 });
    await waitForRefreshes();
    expect((await setState(id))?.stale_since).toBeNull();
    const again = await getMatches(id, key, "?limit=50");
    expect(again.source).toBe("stored");
    expect(again.items).toEqual(fresh.items);
  });

  it("computes on read a set stale for longer than it may be served stale", async () => {
    const key = await officerKey();
    const registry = await seedRegistry();
    await settle(key, idsOf(registry));
    await env.DB.prepare("update suggestion_sets set stale_since = ? where business_id = ?")
      .bind(Date.now() - STALE_SERVE_MAX_MS, registry.maker.business.id)
      .run();
    expect((await getMatches(registry.maker.business.id, key)).source).toBe("computed");
    expect((await getMatches(registry.maker.business.id, key)).source).toBe("stored");
  });

  it("computes a set on read when the business's own inputs changed: the read, then one batch", async () => {
    const key = await officerKey();
    const registry = await seedRegistry();
    await settle(key, idsOf(registry));
    await env.DB.prepare(
      "update suggestion_sets set source_updated_at = source_updated_at - 1 where business_id = ?",
    )
      .bind(registry.maker.business.id)
      .run();
    const roundTrips = countD1RoundTrips();
    const { items, source } = await getMatches(registry.maker.business.id, key, "?limit=10");
    expect(source).toBe("computed");
    expect(items.length).toBeGreaterThan(0);
    // The serving read (which also reads the version: the matcher is current, so it reads nothing),
    // then the set's write and the read of what it serves, in one batch.
    expect(roundTrips()).toEqual({ batches: 1, single: 1 });
    expect((await getMatches(registry.maker.business.id, key, "?limit=10")).source).toBe("stored");
  });

  it("marks earlier sets stale when a newcomer ranks them, then stores and serves them", async () => {
    const key = await officerKey();
    const registry = await seedRegistry();
    const { maker, shop, caterer, snacks } = registry;
    // The maker's set was stored before the shops existed; each newcomer that ranks the maker
    // among its own top suggestions marks it stale. The last one created is fresh as stored.
    expect((await setState(maker.business.id))?.stale_since).not.toBeNull();
    expect((await setState(snacks.business.id))?.stale_since).toBeNull();
    await settle(key, idsOf(registry));
    const rows = await storedRows(maker.business.id);
    // One row per candidate (the key), best first as the matcher ranked them.
    expect(new Set(rows.map((r) => r.candidate_id)).size).toBe(rows.length);
    expect(rows.map((r) => r.candidate_id)).toEqual(
      expect.arrayContaining([shop.business.id, caterer.business.id]),
    );
    const scores = rows.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const state = await setState(maker.business.id);
    expect(state?.stale_since).toBeNull();
    expect(state?.analyzer_version).toBe(ANALYZER_VERSION);

    const { items, source } = await getMatches(maker.business.id, key, "?limit=50&lang=en");
    expect(source).toBe("stored");
    expect(items.map((i) => i.business.id)).toEqual(rows.map((r) => r.candidate_id));
    expect(items.map((i) => i.score)).toEqual(scores);
    // Stored as codes, served as the sentences those codes render to in the caller's language.
    const codes = JSON.parse(rows[0]?.reasons ?? "null");
    expect(renderReasons(codes, "en").length).toBeGreaterThan(0);
    expect(items[0]?.reasons).toEqual(renderReasons(codes, "en"));
    const inId = await getMatches(maker.business.id, key, "?limit=50&lang=id");
    expect(inId.source).toBe("stored");
    expect(inId.items[0]?.reasons).toEqual(renderReasons(codes, "id"));
    expect(inId.items[0]?.reasons).not.toEqual(items[0]?.reasons);
  });

  it("serves limit and minScore from the stored rows", async () => {
    const key = await officerKey();
    const registry = await seedRegistry();
    const { maker } = registry;
    await settle(key, idsOf(registry));
    const rows = await storedRows(maker.business.id);
    const one = await getMatches(maker.business.id, key, "?limit=1");
    expect(one.source).toBe("stored");
    expect(one.items.map((i) => i.business.id)).toEqual([rows[0]?.candidate_id]);
    const threshold = rows[0]?.score ?? 1;
    const strict = await getMatches(maker.business.id, key, `?minScore=${threshold}`);
    expect(strict.items.length).toBeGreaterThanOrEqual(1);
    for (const item of strict.items) expect(item.score).toBeGreaterThanOrEqual(threshold);
  });

  it("computes, stores and returns a missing set on read, then serves it stored", async () => {
    const key = await officerKey();
    const { snacks } = await seedRegistry();
    const before = await storedRows(snacks.business.id);
    await env.DB.batch([
      env.DB.prepare("delete from suggestions where business_id = ?").bind(snacks.business.id),
      env.DB.prepare("delete from suggestion_sets where business_id = ?").bind(snacks.business.id),
    ]);
    const first = await getMatches(snacks.business.id, key, "?limit=50");
    expect(first.source).toBe("computed");
    expect(await storedRows(snacks.business.id)).toEqual(before);
    const second = await getMatches(snacks.business.id, key, "?limit=50");
    expect(second.source).toBe("stored");
    expect(second.items).toEqual(first.items);
  });

  it("rescores an edited business at once and marks stale the sets that list it", async () => {
    const key = await officerKey();
    const registry = await seedRegistry();
    const { maker, shop, snacks } = registry;
    await settle(key, idsOf(registry));
    expect((await storedRows(maker.business.id)).map((r) => r.candidate_id)).toContain(shop.business.id);
    expect((await storedRows(snacks.business.id)).map((r) => r.candidate_id)).toContain(shop.business.id);
    // A little in the past, so the read below starts after the stale mark (a mark made at or after
    // a computation's start survives its write, by design).
    const now = Date.now() - 5;
    const updated = await updateBusiness(deps(), {
      id: shop.business.id,
      patch: { needs: "Mencari pemasok onde-onde dan kue basah untuk dijual" },
      actor: { kind: "officer", id: "test", role: "officer" },
      now,
    });
    const own = await setState(shop.business.id);
    expect(own?.computed_at).toBe(now);
    expect(own?.source_updated_at).toBe(new Date(updated.updatedAt).getTime());
    expect(own?.stale_since).toBeNull();
    expect((await setState(maker.business.id))?.stale_since).toBe(now);
    expect((await setState(snacks.business.id))?.stale_since).toBe(now);

    // The stale set is served as stored on its next read, which starts its recompute after the
    // response; fresh again once that has run, with the shop's new score.
    const before = await storedRows(snacks.business.id);
    const lazy = await getMatches(snacks.business.id, key, "?limit=50");
    expect(lazy.source).toBe("stale");
    expect(lazy.items.map((i) => i.score)).toEqual(before.map((r) => r.score));
    await waitForRefreshes();
    expect((await setState(snacks.business.id))?.stale_since).toBeNull();
    const after = await getMatches(snacks.business.id, key, "?limit=50");
    expect(after.source).toBe("stored");
    const shopScore = (rows: Array<{ candidate_id: string; score: number }>) =>
      rows.find((r) => r.candidate_id === shop.business.id)?.score;
    expect(shopScore(await storedRows(snacks.business.id))).not.toBe(shopScore(before));
  });

  it("recomputes a set computed from an older version of the business", async () => {
    const key = await officerKey();
    const { caterer } = await seedRegistry();
    await env.DB.prepare(
      "update suggestion_sets set source_updated_at = source_updated_at - 1 where business_id = ?",
    )
      .bind(caterer.business.id)
      .run();
    expect((await getMatches(caterer.business.id, key)).source).toBe("computed");
    expect((await getMatches(caterer.business.id, key)).source).toBe("stored");
  });

  it("drops a deactivated business's own set and hides it from stored sets at once", async () => {
    const key = await officerKey();
    const { maker, shop } = await seedRegistry();
    await deactivateBusiness(deps(), { id: shop.business.id, now: Date.now() + 1000 });
    expect(await setState(shop.business.id)).toBeNull();
    expect(await storedRows(shop.business.id)).toEqual([]);
    const { items } = await getMatches(maker.business.id, key, "?limit=50");
    expect(items.map((i) => i.business.id)).not.toContain(shop.business.id);
  });

  it("never serves a stored candidate that is now inactive, even from a set still marked fresh", async () => {
    const key = await officerKey();
    const registry = await seedRegistry();
    const { maker, shop } = registry;
    await settle(key, idsOf(registry));
    await env.DB.prepare("update businesses set active = 0 where id = ?").bind(shop.business.id).run();
    const { items, source } = await getMatches(maker.business.id, key, "?limit=50");
    expect(source).toBe("stored");
    expect(items.map((i) => i.business.id)).not.toContain(shop.business.id);
    expect((await storedRows(maker.business.id)).map((r) => r.candidate_id)).toContain(shop.business.id);
  });

  it("serves from one statement what the caller's state and the stored rows read apart would", async () => {
    const key = await officerKey();
    const registry = await seedRegistry();
    const { maker, shop, caterer, snacks } = registry;
    await settle(key, idsOf(registry));
    // (Run last: a status changed in SQL is not in the change log, so later tests' matchers would
    // still see it published.)
    // A declined pair and an unpublished candidate drop out of the served rows, as in the old reads.
    await env.DB.prepare("insert into declined_pairs (low_id, high_id, declined_by, at) values (?, ?, ?, ?)")
      .bind(...[maker.business.id, caterer.business.id].sort(), maker.business.id, Date.now())
      .run();
    await env.DB.prepare("update businesses set status = 'pending_review' where id = ?")
      .bind(snacks.business.id)
      .run();
    const serving = servingQueries(deps().db);
    for (const id of idsOf(registry)) {
      for (const [limit, minScore] of [
        [50, 0],
        [1, 0],
        [50, 0.99],
      ] as const) {
        const values = { id, limit, minScore };
        const rows = await serving.read.all(values);
        const [self, stored] = await batchPrepared(deps().db, [
          [serving.self, { id }],
          [serving.stored, values],
        ]);
        // Every row repeats the caller's state; a row with a candidate is one stored row served.
        for (const row of rows) expect(row.self).toEqual(self[0]);
        expect(
          rows.filter((r) => r.candidate).map(({ self: _, ...r }) => r),
          `${id} limit ${limit} minScore ${minScore}`,
        ).toEqual(stored);
      }
    }
    // The pair declined by the maker is not served to either side.
    const makerItems = (await getMatches(maker.business.id, key, "?limit=50")).items;
    expect(makerItems.map((i) => i.business.id)).not.toContain(caterer.business.id);
    expect(makerItems.map((i) => i.business.id)).toContain(shop.business.id);
  });

  it("tells a set none of whose rows is servable now from a missing business", async () => {
    const key = await officerKey();
    const registry = await seedRegistry();
    const { maker, shop, caterer } = registry;
    await settle(key, idsOf(registry));
    const { results } = await env.DB.prepare("select candidate_id from suggestions where business_id = ?")
      .bind(maker.business.id)
      .all<{ candidate_id: string }>();
    const candidates = results.map((r) => r.candidate_id);
    expect(candidates).toEqual(expect.arrayContaining([shop.business.id, caterer.business.id]));
    const setActive = (active: number) =>
      env.DB.prepare(
        "update businesses set active = ? where id in (select candidate_id from suggestions where business_id = ?)",
      )
        .bind(active, maker.business.id)
        .run();

    // Every stored candidate inactive (changed in SQL, not the log, and put back below): the one
    // statement comes back empty, and the two reads apart say the business is there.
    await setActive(0);
    let roundTrips = countD1RoundTrips();
    expect(await getMatches(maker.business.id, key, "?limit=50")).toEqual({ items: [], source: "stored" });
    expect(roundTrips()).toEqual({ batches: 1, single: 1 });
    await setActive(1);

    // Every stored candidate declined ("tidak berminat"): declined rows drop out in the join, so the
    // caller's row still comes back, alone, from the one statement.
    for (const id of candidates) {
      await env.DB.prepare(
        "insert into declined_pairs (low_id, high_id, declined_by, at) values (?, ?, ?, ?)",
      )
        .bind(...[maker.business.id, id].sort(), maker.business.id, Date.now())
        .run();
    }
    roundTrips = countD1RoundTrips();
    expect(await getMatches(maker.business.id, key, "?limit=50")).toEqual({ items: [], source: "stored" });
    expect(roundTrips()).toEqual({ batches: 0, single: 1 });

    const missing = await call("/v1/businesses/00000000-0000-4000-8000-000000000000/matches", { key });
    expect(missing.status).toBe(404);
  });
});
