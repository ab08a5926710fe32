import { beforeAll, describe, expect, it } from "vitest";
import { batchEntries } from "../../src/db";
import { ANALYZER_VERSION } from "../../src/matching";
import { updateBusiness } from "../../src/services/businesses/update.service";
import { requestDeletion } from "../../src/services/data-rights/deletion-requests.service";
import { confirmDeletion } from "../../src/services/data-rights/erasure.service";
import { currentMatcher, resetMatcherCache } from "../../src/services/matching/matcher.cache";
import {
  replaceSetStatements,
  SUGGESTIONS_PER_BUSINESS,
} from "../../src/services/matching/suggestions.queries";
import { rescoreSets } from "../../src/services/matching/suggestions.service";
import { industryBody, serviceBody } from "../integration/helpers";
import { createInShard, shardDatabases, shardDeps, storedCandidates } from "./layout";

const NOW = Date.UTC(2026, 11, 3, 3);
const officer = { kind: "officer", id: "test", role: "officer" } as const;

const create = (body: Record<string, unknown>, now = NOW - 60_000) => createInShard(body, now);

/** When a stored set was marked stale in one database (null: fresh; undefined: no set there). */
async function staleSince(d1: D1Database, businessId: string): Promise<number | null | undefined> {
  const row = await d1
    .prepare("select stale_since from suggestion_sets where business_id = ?")
    .bind(businessId)
    .first<{ stale_since: number | null }>();
  return row === null ? undefined : row.stale_since;
}

let maker: string;
let jombangShop: string;
let surabayaMaker: string;

beforeAll(async () => {
  maker = await create(industryBody({ name: "Sepatu Miji" }));
  jombangShop = await create(
    serviceBody({ name: "Toko Sepatu Jombang", location: { city: "Kab. Jombang", lat: -7.55, lng: 112.23 } }),
  );
  surabayaMaker = await create(
    industryBody({ name: "Sepatu Rungkut", location: { city: "Surabaya", lat: -7.32, lng: 112.77 } }),
  );
});

/** Fresh sets for the Mojokerto maker (listing the Jombang shop) and the Surabaya maker. */
async function freshSets(now: number) {
  resetMatcherCache();
  await rescoreSets(shardDeps("mojokerto"), { ids: [maker], now });
  await rescoreSets(shardDeps("surabaya"), { ids: [surabayaMaker], now });
  const dbs = shardDatabases();
  expect(await storedCandidates(dbs.mojokerto, maker)).toContain(jombangShop);
  expect(await staleSince(dbs.mojokerto, maker)).toBeNull();
  expect(await staleSince(dbs.surabaya, surabayaMaker)).toBeNull();
}

describe("staleness across a shard border (staleness.service markSetsTheyEnter)", () => {
  it("marks stale the neighbour shard's sets that list a business edited in this shard", async () => {
    await freshSets(NOW);
    await updateBusiness(shardDeps("jombang"), {
      id: jombangShop,
      patch: { needs: "sepatu kulit dan sandal untuk dijual lagi, grosir" },
      now: NOW + 10,
      actor: officer,
    });
    const dbs = shardDatabases();
    expect(await staleSince(dbs.mojokerto, maker)).toBe(NOW + 10);
    // A shard that does not border Jombang keeps its sets: Surabaya's matcher never held the shop.
    expect(await staleSince(dbs.surabaya, surabayaMaker)).toBeNull();
  });

  it("marks stale the neighbour shard's sets that a new business there can now enter", async () => {
    await freshSets(NOW + 20);
    const newShop = await create(
      serviceBody({ name: "Toko Alas Kaki Diwek", location: { city: "Jombang", lat: -7.57, lng: 112.25 } }),
      NOW + 30,
    );
    const dbs = shardDatabases();
    // The maker's set did not list the new shop (it did not exist): it is marked because the shop
    // scores at least the set's lowest stored score against the maker (the set is not full: 0).
    expect(await storedCandidates(dbs.mojokerto, maker)).not.toContain(newShop);
    expect(await staleSince(dbs.mojokerto, maker)).toBe(NOW + 30);
    expect(await staleSince(dbs.surabaya, surabayaMaker)).toBeNull();
    // Rescored in its own shard, the set lists it.
    await rescoreSets(shardDeps("mojokerto"), { ids: [maker], now: NOW + 40 });
    expect(await storedCandidates(dbs.mojokerto, maker)).toContain(newShop);
  });

  it("keeps a neighbour's set stale when a computation whose matcher missed the change lands", async () => {
    await freshSets(NOW + 50);
    const dbs = shardDatabases();
    // Mojokerto's matcher as it stands: it holds Jombang's registry at its current revision.
    const held = await currentMatcher(shardDeps("mojokerto"));
    const items = held.matcher.rankForStorage(maker, { limit: SUGGESTIONS_PER_BUSINESS });
    const sourceUpdatedAt = held.updatedAt.get(maker) ?? 0;
    const before = { revision: held.revision, sourceRevisions: { ...held.sourceRevisions } };
    expect(Object.keys(before.sourceRevisions)).toContain("jombang");
    // The maker's set is being recomputed (stale) when the shop it lists changes in Jombang.
    await dbs.mojokerto
      .prepare("update suggestion_sets set stale_since = ? where business_id = ?")
      .bind(NOW + 55, maker)
      .run();
    await updateBusiness(shardDeps("jombang"), {
      id: jombangShop,
      patch: { needs: "sandal jepit dan sepatu sekolah untuk toko, grosir" },
      now: NOW + 60,
      actor: officer,
    });
    const marked = await dbs.mojokerto
      .prepare("select stale_since, stale_sources from suggestion_sets where business_id = ?")
      .bind(maker)
      .first<{ stale_since: number; stale_sources: string }>();
    // The mark kept its time and recorded Jombang's revision with the change.
    expect(marked?.stale_since).toBe(NOW + 55);
    const jombangRevision = JSON.parse(marked?.stale_sources ?? "{}").jombang as number;
    expect(jombangRevision).toBeGreaterThan(before.sourceRevisions.jombang as number);
    // The computation in flight lands, started after the mark (the time rule alone would clear it)
    // with a matcher that had not read Jombang's change (a replica behind, say): still stale.
    const land = (computedAt: number, sourceRevisions: Record<string, number>) =>
      batchEntries(
        shardDeps("mojokerto").db,
        replaceSetStatements(
          shardDeps("mojokerto").db,
          { businessId: maker, items, sourceUpdatedAt },
          {
            computedAt,
            analyzerVersion: ANALYZER_VERSION,
            runId: null,
            matcherRevision: before.revision,
            sourceRevisions,
          },
        ),
      );
    await land(NOW + 70, before.sourceRevisions);
    expect(await staleSince(dbs.mojokerto, maker)).toBe(NOW + 55);
    // One whose matcher had read it: fresh, and the recorded sources are cleared.
    await land(NOW + 80, { ...before.sourceRevisions, jombang: jombangRevision });
    expect(await staleSince(dbs.mojokerto, maker)).toBeNull();
    const cleared = await dbs.mojokerto
      .prepare("select stale_sources from suggestion_sets where business_id = ?")
      .bind(maker)
      .first<{ stale_sources: string | null }>();
    expect(cleared?.stale_sources).toBeNull();
    // A mark recorded for a shard this matcher does not hold (a layout changed since) does not
    // keep the set stale for ever: that shard's businesses are none of its candidates.
    await dbs.mojokerto
      .prepare("update suggestion_sets set stale_since = ?, stale_sources = ? where business_id = ?")
      .bind(NOW + 85, JSON.stringify({ kediri: 999 }), maker)
      .run();
    await land(NOW + 90, { ...before.sourceRevisions, jombang: jombangRevision });
    expect(await staleSince(dbs.mojokerto, maker)).toBeNull();
  });

  // Last: it erases the Jombang shop the tests above use.
  it("an erasure in this shard removes the business from the neighbour shard's stored sets", async () => {
    await freshSets(NOW + 100);
    const dbs = shardDatabases();
    // A pair the shop declined across the border is kept in Mojokerto's database too.
    const pairOf = () =>
      dbs.mojokerto
        .prepare("select count(*) as n from declined_pairs where low_id = ? and high_id = ?")
        .bind(...[jombangShop, maker].sort())
        .first<{ n: number }>();
    await dbs.mojokerto
      .prepare(
        "insert into declined_pairs (low_id, high_id, declined_by, partnership_id, at) values (?, ?, ?, null, ?)",
      )
      .bind(...[jombangShop, maker].sort(), jombangShop, NOW + 105)
      .run();
    expect((await pairOf())?.n).toBe(1);
    const request = await requestDeletion(shardDeps("jombang"), {
      businessId: jombangShop,
      actor: { kind: "business", businessId: jombangShop, keyId: null },
      now: NOW + 110,
    });
    await confirmDeletion(shardDeps("jombang"), { id: request.id, actor: officer, now: NOW + 120 });
    // Its rows (their reasons quote its offers and needs) are gone from Mojokerto's set, which is
    // stale, recording Jombang's revision with the erasure; Surabaya's never listed it.
    expect(await storedCandidates(dbs.mojokerto, maker)).not.toContain(jombangShop);
    const row = await dbs.mojokerto
      .prepare("select stale_since, stale_sources from suggestion_sets where business_id = ?")
      .bind(maker)
      .first<{ stale_since: number | null; stale_sources: string | null }>();
    expect(row?.stale_since).toBe(NOW + 120);
    expect(JSON.parse(row?.stale_sources ?? "{}").jombang).toBeGreaterThan(0);
    expect(await staleSince(dbs.surabaya, surabayaMaker)).toBeNull();
    // The pair it declined across the border is gone there too.
    expect((await pairOf())?.n).toBe(0);
    // Rescored, the set lists others only.
    await rescoreSets(shardDeps("mojokerto"), { ids: [maker], now: NOW + 130 });
    expect(await storedCandidates(dbs.mojokerto, maker)).not.toContain(jombangShop);
  });
});
