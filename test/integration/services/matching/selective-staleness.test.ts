/**
 * Selective staleness: a business edit marks stale only the stored sets it can now enter (its
 * score against the owner reaches the set's lowest stored score) and those that list it, and
 * every set it leaves fresh is exactly what a recompute would write.
 */
import { env } from "cloudflare:workers";
import { fillPlaceholders } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { batchEntries } from "../../../../src/db";
import { ANALYZER_VERSION, renderReasons } from "../../../../src/matching";
import { deactivateBusiness } from "../../../../src/services/businesses/activation.service";
import { updateBusiness } from "../../../../src/services/businesses/update.service";
import { currentMatcher } from "../../../../src/services/matching/matcher.cache";
import {
  replaceSetStatements,
  SUGGESTIONS_PER_BUSINESS,
} from "../../../../src/services/matching/suggestions.queries";
import { rescoreSets } from "../../../../src/services/matching/suggestions.service";
import {
  call,
  deps,
  industryBody,
  officerKey,
  seedBusiness,
  serviceBody,
  waitForRefreshes,
} from "../../helpers";
import { INDUSTRY_TRADES, KELURAHAN, SERVICE_TRADES } from "./trades.fixture";

const officer = { kind: "officer", id: "test", role: "officer" } as const;
const SIZES = ["mikro", "kecil", "menengah"] as const;
const INDUSTRY = INDUSTRY_TRADES;
const SERVICE = SERVICE_TRADES;
/**
 * Per sector: well over what a stored set holds, so every set is full and has a lowest score, and
 * an edited business is missing from a good share of the other sector's sets.
 */
const PER_SECTOR = SUGGESTIONS_PER_BUSINESS + 30;

const ids = { industry: [] as string[], service: [] as string[] };
let now = Date.now();
const tick = () => ++now;

async function setRows(): Promise<Map<string, { stale: number | null; lowest: number }>> {
  const { results } = await env.DB.prepare(
    "select business_id as id, stale_since as stale, lowest_score as lowest from suggestion_sets",
  ).all<{ id: string; stale: number | null; lowest: number }>();
  return new Map(results.map((r) => [r.id, r]));
}

async function setsListing(candidateId: string): Promise<Set<string>> {
  const { results } = await env.DB.prepare("select business_id as id from suggestions where candidate_id = ?")
    .bind(candidateId)
    .all<{ id: string }>();
  return new Set(results.map((r) => r.id));
}

async function storedSet(businessId: string) {
  const { results } = await env.DB.prepare(
    "select candidate_id as id, score, components, reasons, pattern from suggestions where business_id = ? order by score desc, candidate_id",
  )
    .bind(businessId)
    .all<{ id: string; score: number; components: string; reasons: string; pattern: string }>();
  return results.map((r) => ({
    id: r.id,
    score: r.score,
    components: JSON.parse(r.components),
    reasons: JSON.parse(r.reasons),
    pattern: r.pattern,
  }));
}

/**
 * Applies one matching edit and checks the marks it left: a fresh set of the other sector is
 * marked stale exactly when it listed the edited business or the business's new score against its
 * owner reaches its lowest stored score. Returns how many sets went each way.
 */
async function editAndCheck(id: string, edit: () => Promise<unknown>) {
  const listed = await setsListing(id);
  const before = await setRows();
  for (const [owner, row] of before) expect(row.stale, `${owner} fresh before the edit`).toBeNull();
  await edit();
  const after = await setRows();
  const { matcher } = await currentMatcher(deps());
  const counts = { entered: 0, listed: 0, leftFresh: 0 };
  for (const [owner, row] of after) {
    if (owner === id) continue;
    const s = matcher.score(id, owner)?.score;
    // Symmetric: what the owner's own ranking gives the edited business.
    expect(s, owner).toBe(matcher.score(owner, id)?.score);
    const lowest = before.get(owner)?.lowest ?? 0;
    const enters = s !== undefined && s >= lowest;
    const shouldBeStale = listed.has(owner) || enters;
    expect(row.stale !== null, `${owner}: score ${s} against lowest ${lowest}`).toBe(shouldBeStale);
    if (listed.has(owner)) counts.listed++;
    else if (enters) counts.entered++;
    else if (s !== undefined) counts.leftFresh++; // of the other sector, and it cannot enter
  }
  return counts;
}

/** Every set still marked fresh holds exactly what rescoring it now would write. */
async function expectFreshSetsExact() {
  const { matcher } = await currentMatcher(deps());
  let fresh = 0;
  for (const [owner, row] of await setRows()) {
    if (row.stale !== null || !matcher.has(owner)) continue;
    fresh++;
    expect(await storedSet(owner), owner).toEqual(
      matcher.rankForStorage(owner, { limit: SUGGESTIONS_PER_BUSINESS }),
    );
  }
  expect(fresh).toBeGreaterThan(0);
}

beforeAll(async () => {
  for (let i = 0; i < 2 * PER_SECTOR; i++) {
    const industry = i % 2 === 0;
    const j = Math.floor(i / 2);
    const [code, offers, needs] = (industry ? INDUSTRY : SERVICE)[j % 6];
    const extra = ["murah", "berkualitas", "pesanan", "grosir", "harian"][j % 5];
    const seeded = await seedBusiness(
      (industry ? industryBody : serviceBody)({
        name: `Usaha ${i}`,
        kbli: [{ code, version: "2020" }],
        sizeClass: SIZES[j % 3],
        offers: `${offers} ${extra}`,
        needs,
        location: { kelurahan: KELURAHAN[(i * 3) % KELURAHAN.length] },
      }),
    );
    ids[industry ? "industry" : "service"].push(seeded.business.id);
  }
  // Every set written once by the same matcher, all fresh (after the seeding's own stale marks).
  now = Date.now() + 1000;
  await rescoreSets(deps(), { ids: [...ids.industry, ...ids.service], now: tick() });
}, 120_000);

describe("selective staleness by the lowest stored score", () => {
  it("stores each full set's lowest score; rewriting writes only the rows whose candidate or score changed", async () => {
    const rows = await setRows();
    const owner = ids.service[0] as string;
    const set = await storedSet(owner);
    expect(set).toHaveLength(SUGGESTIONS_PER_BUSINESS);
    expect(rows.get(owner)?.lowest).toBe(Math.min(...set.map((s) => s.score)));
    expect(rows.get(owner)?.lowest).toBeGreaterThan(0);

    // D1's own rows_written for the replacing statements: a full write, then the same set again.
    const { matcher, updatedAt } = await currentMatcher(deps());
    const items = matcher.rankForStorage(owner, { limit: SUGGESTIONS_PER_BUSINESS });
    const written = async (list = items) => {
      let n = 0;
      const meta = { computedAt: tick(), analyzerVersion: ANALYZER_VERSION, runId: null, matcherRevision: 0 };
      const set = { businessId: owner, items: list, sourceUpdatedAt: updatedAt.get(owner) ?? 0 };
      for (const [statement, values] of replaceSetStatements(deps().db, set, meta)) {
        const { sql, params } = statement.getQuery();
        n += (
          await env.DB.prepare(sql)
            .bind(...fillPlaceholders(params, values))
            .run()
        ).meta.rows_written;
      }
      return n;
    };
    // The old way, every time: delete the set's rows, then insert them all.
    const del = await env.DB.prepare("delete from suggestions where business_id = ?").bind(owner).run();
    const first = await written();
    const again = await written();
    console.log(
      JSON.stringify({ rowsWritten: { deleteAndInsert: del.meta.rows_written + first, unchanged: again } }),
    );
    expect(first).toBeGreaterThan(SUGGESTIONS_PER_BUSINESS);
    expect(again).toBeLessThan(5);
    expect(await storedSet(owner)).toEqual(items);

    // The last candidate moves to the top: rows carry no rank, so only its row and the set's row
    // are written (keyed by rank, every rank changed: 103 rows_written).
    const [best, ...rest] = items;
    const last = rest.pop();
    if (!best || !last) throw new Error("a full set was expected");
    const moved = [{ ...last, score: best.score + 0.001 }, best, ...rest];
    const movedWritten = await written(moved);
    expect(await storedSet(owner)).toEqual(moved);
    // A candidate replaced by another: the old row deleted, the new one inserted.
    const tail = moved[moved.length - 1] as (typeof moved)[number];
    const swapped = [...moved.slice(0, -1), { ...tail, id: "bus_never_stored", score: tail.score - 0.0001 }];
    const swappedWritten = await written(swapped);
    expect(await storedSet(owner)).toEqual(swapped);
    console.log(JSON.stringify({ rowsWritten: { moved: movedWritten, swapped: swappedWritten } }));
    // D1 counts index entries too: the moved row's serving-index entry, the set's row and its index.
    expect(movedWritten).toBeLessThan(10);
    expect(swappedWritten).toBeLessThan(10);
    await written();
    expect(await storedSet(owner)).toEqual(items);
  });

  it("an edit that cannot enter someone's top 50 leaves their set fresh; one that can marks it", async () => {
    // A shoe maker turns to cakes: caterers, coffee stalls and souvenir shops now want it.
    const maker = ids.industry[1] as string;
    const counts = await editAndCheck(maker, () =>
      updateBusiness(deps(), {
        id: maker,
        patch: {
          offers: "Onde-onde, kue basah, roti manis dan keripik tempe pesanan untuk katering dan toko",
        },
        actor: officer,
        now: tick(),
      }),
    );
    console.log(JSON.stringify({ strongEdit: counts }));
    expect(counts.entered).toBeGreaterThan(0);
    expect(counts.leftFresh).toBeGreaterThan(0);
    await expectFreshSetsExact();
  });

  it("after the recompute, every served set equals a full recompute", async () => {
    const key = await officerKey();
    // The reads below stamp what they compute with the Worker's clock, and a stale mark made at or
    // after a set's computedAt survives it: let real time pass the marks this file's clock (`now`,
    // ahead of it) made, or a fast run leaves those sets stale for the next test.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, now - Date.now() + 5)));
    // Read once (stale ones served as stored and recomputed after the read), then served and
    // compared with rescoring everyone now.
    const owners = [...ids.industry, ...ids.service];
    let stale = 0;
    for (const owner of owners) {
      const res = await call(`/v1/businesses/${owner}/matches?limit=50&lang=en`, { key });
      expect(res.status).toBe(200);
      if (res.headers.get("X-Suggestions-Source") === "stale") stale++;
    }
    expect(stale).toBeGreaterThan(0);
    await waitForRefreshes();
    const { matcher } = await currentMatcher(deps());
    for (const owner of owners) {
      const res = await call(`/v1/businesses/${owner}/matches?limit=50&lang=en`, { key });
      expect(res.status).toBe(200);
      expect(res.headers.get("X-Suggestions-Source"), owner).toBe("stored");
      const body = (await res.json()) as {
        items: Array<{ business: { id: string }; score: number; reasons: string[] }>;
      };
      const full = matcher.rankForStorage(owner, { limit: SUGGESTIONS_PER_BUSINESS });
      expect(
        body.items.map((i) => [i.business.id, i.score, i.reasons]),
        owner,
      ).toEqual(full.map((s) => [s.id, s.score, renderReasons(s.reasons, "en")]));
    }
  });

  it("a weak edit and a deactivation mark only the sets they enter or were listed in", async () => {
    const shop = ids.service[7] as string;
    const weak = await editAndCheck(shop, () =>
      updateBusiness(deps(), {
        id: shop,
        patch: { offers: "Jasa sablon kaos dan spanduk", needs: "Tinta sablon" },
        actor: officer,
        now: tick(),
      }),
    );
    expect(weak.leftFresh).toBeGreaterThan(0);
    await expectFreshSetsExact();
    // Everyone fresh again, then a deactivation: only the sets listing it change.
    await rescoreSets(deps(), { ids: [...ids.industry, ...ids.service], now: tick() });
    const gone = ids.industry[4] as string;
    const counts = await editAndCheck(gone, () => deactivateBusiness(deps(), { id: gone, now: tick() }));
    expect(counts.listed).toBeGreaterThan(0);
    expect(counts.entered).toBe(0);
    await expectFreshSetsExact();
  });

  it("a set stays stale after a computation whose matcher missed a change, whenever it started", async () => {
    await rescoreSets(deps(), { ids: [...ids.industry, ...ids.service], now: tick() });
    const owner = ids.service[2] as string;
    const [first, second] = (await storedSet(owner)).map((s) => s.id);
    const held = await currentMatcher(deps());
    const items = held.matcher.rankForStorage(owner, { limit: SUGGESTIONS_PER_BUSINESS });
    const sourceUpdatedAt = held.updatedAt.get(owner) ?? 0;
    const revision = async () =>
      (
        await env.DB.prepare("select value from registry_meta where key = 'revision'").first<{
          value: number;
        }>()
      )?.value ?? 0;
    // A computation that writes `items` as a matcher of `matcherRevision` ranked them, started now.
    const computedWith = (matcherRevision: number) =>
      batchEntries(
        deps().db,
        replaceSetStatements(
          deps().db,
          { businessId: owner, items, sourceUpdatedAt },
          { computedAt: tick(), analyzerVersion: ANALYZER_VERSION, runId: null, matcherRevision },
        ),
      );
    const edit = (id: string, needs: string) =>
      updateBusiness(deps(), { id, patch: { needs }, actor: officer, now: tick() });

    // Two businesses the owner's set lists change, one after the other: the first marks the set,
    // the second finds it stale already and records its later revision.
    await edit(first as string, "Pemesan nasi kotak untuk rapat kantor");
    const afterFirst = await revision();
    await edit(second as string, "Pemesan tumpeng dan kue untuk hajatan");
    expect((await setRows()).get(owner)?.stale).not.toBeNull();
    // A computation that saw the first change but not the second, started after both marks (the
    // time rule alone would clear the mark): the set stays stale.
    await computedWith(afterFirst);
    expect((await setRows()).get(owner)?.stale).not.toBeNull();
    // One whose matcher held the second change too: fresh.
    await computedWith(await revision());
    expect((await setRows()).get(owner)?.stale).toBeNull();
  });
  it("a stale set being recomputed stays stale after a change that enters it, however low its lowest score", async () => {
    await rescoreSets(deps(), { ids: [...ids.industry, ...ids.service], now: tick() });
    const owner = ids.service[4] as string;
    const held = await currentMatcher(deps());
    const items = held.matcher.rankForStorage(owner, { limit: SUGGESTIONS_PER_BUSINESS });
    const sourceUpdatedAt = held.updatedAt.get(owner) ?? 0;
    const matcherRevision = held.revision;
    // The owner's set is stale (a recompute of it is in flight) and its lowest score is below every
    // fresh set's: here made so by hand, with the lower half of the other sets stale too.
    await env.DB.prepare("update suggestion_sets set stale_since = ?, lowest_score = 0 where business_id = ?")
      .bind(tick(), owner)
      .run();
    const lows = [...(await setRows()).values()].map((r) => r.lowest).sort((a, b) => a - b);
    await env.DB.prepare("update suggestion_sets set stale_since = ? where lowest_score < ?")
      .bind(tick(), lows[Math.floor(lows.length / 2)])
      .run();
    const freshFloor = Math.min(
      ...[...(await setRows()).values()].filter((r) => r.stale === null).map((r) => r.lowest),
    );
    // The business that scores lowest against the owner, below that floor, changes; its score
    // still reaches the owner's lowest (0): it enters the set.
    const ranked = held.matcher.topScored(owner, { limit: held.matcher.size });
    const last = ranked[ranked.length - 1] as { id: string; score: number };
    expect(last.score).toBeLessThan(freshFloor);
    await updateBusiness(deps(), {
      id: last.id,
      patch: { needs: "Pemesan nasi kotak dan kue basah untuk rapat kantor" },
      actor: officer,
      now: tick(),
    });
    // The recompute in flight, whose matcher missed the change, lands: the set stays stale.
    await batchEntries(
      deps().db,
      replaceSetStatements(
        deps().db,
        { businessId: owner, items, sourceUpdatedAt },
        { computedAt: tick(), analyzerVersion: ANALYZER_VERSION, runId: null, matcherRevision },
      ),
    );
    expect((await setRows()).get(owner)?.stale).not.toBeNull();
  });
});
