import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../../../../src/db";
import { createLiveMatcher } from "../../../../src/matching";
import { deactivateBusiness } from "../../../../src/services/businesses/activation.service";
import {
  selectRegistryVersion,
  toRegistryVersion,
} from "../../../../src/services/businesses/registry.queries";
import { updateBusiness } from "../../../../src/services/businesses/update.service";
import {
  changesSinceHeld,
  currentMatcher,
  lastMatcherLoad,
  matcherBuildCounts,
  matcherInput,
  resetMatcherCache,
  setMatcherPageRows,
} from "../../../../src/services/matching/matcher.cache";
import {
  selectChangedMatcherRows,
  selectChangedSince,
  selectMatcherRows,
} from "../../../../src/services/matching/matcher.queries";
import { countD1RoundTrips } from "../../d1-round-trips";
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

// The first four trades of each sector.
const INDUSTRY = INDUSTRY_TRADES.slice(0, 4);
const SERVICE = SERVICE_TRADES.slice(0, 4);

/** A small registry of varied businesses (two sectors, several trades and kelurahan). */
async function seedRegistry(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const [code, offers, needs] = (i % 2 === 0 ? INDUSTRY : SERVICE)[Math.floor(i / 2) % 4];
    const body = i % 2 === 0 ? industryBody : serviceBody;
    const seeded = await seedBusiness(
      body({
        name: `Usaha ${i}`,
        kbli: [{ code, version: "2020" }],
        offers: `${offers} ${i % 3 === 0 ? "murah" : "berkualitas"}`,
        needs,
        location: { kelurahan: KELURAHAN[i % KELURAHAN.length] },
      }),
    );
    ids.push(seeded.business.id);
  }
  return ids;
}

async function revision(): Promise<number> {
  const row = await env.DB.prepare("select value from registry_meta where key = 'revision'").first<{
    value: number;
  }>();
  return row?.value ?? 0;
}

/** A matching change made in SQL (text and the change log), as another isolate's write would. */
async function updateRevisionInSql(id: string, needs: string): Promise<void> {
  await env.DB.batch([
    env.DB.prepare("update businesses set needs = ? where id = ?").bind(needs, id),
    env.DB.prepare("update registry_meta set value = value + 1 where key = 'revision'"),
    env.DB.prepare(
      "insert into matching_changes (revision, business_id) select value, ? from registry_meta where key = 'revision'",
    ).bind(id),
  ]);
}

async function changeRows(): Promise<number> {
  const row = await env.DB.prepare("select count(*) as n from matching_changes").first<{ n: number }>();
  return row?.n ?? 0;
}

/** D1's own count of rows read (meta.rows_read) by running a drizzle query's SQL on the binding. */
async function d1RowsRead(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<number> {
  const { sql, params } = query.toSQL();
  const res = await env.DB.prepare(sql)
    .bind(...params)
    .all();
  return res.meta.rows_read;
}

beforeEach(() => {
  resetMatcherCache();
});

describe("matching revision: only matching inputs move it", () => {
  it("an email, WhatsApp or language edit leaves the revision, the change log and the stored set as they are", async () => {
    const [maker, shop] = await seedRegistry(4);
    const key = await officerKey();
    const first = await call(`/v1/businesses/${shop}/matches`, { key });
    expect(first.status).toBe(200);
    await waitForRefreshes();
    const second = await call(`/v1/businesses/${shop}/matches`, { key });
    expect(second.headers.get("X-Suggestions-Source")).toBe("stored");
    const rev = await revision();
    const logged = await changeRows();

    const patches: Parameters<typeof updateBusiness>[1]["patch"][] = [
      { email: "baru@example.id" },
      { whatsapp: "+6281234567890" },
      { language: "en" },
    ];
    for (const patch of patches) {
      await updateBusiness(deps(), { id: shop, patch, actor: officer, now: Date.now() });
      await updateBusiness(deps(), { id: maker, patch, actor: officer, now: Date.now() });
    }
    expect(await revision()).toBe(rev);
    expect(await changeRows()).toBe(logged);
    const after = await call(`/v1/businesses/${shop}/matches`, { key });
    expect(after.headers.get("X-Suggestions-Source")).toBe("stored");

    // A text edit does move it, with one change-log row at the new revision.
    await updateBusiness(deps(), {
      id: maker,
      patch: { offers: "Sandal jepit dan sepatu sekolah grosir" },
      actor: officer,
      now: Date.now(),
    });
    expect(await revision()).toBe(rev + 1);
    const row = await env.DB.prepare(
      "select revision, business_id from matching_changes order by revision desc",
    ).first<{ revision: number; business_id: string }>();
    expect(row).toEqual({ revision: rev + 1, business_id: maker });
    // The maker's change may rank it differently for the shop: its set is served as stored once,
    // and recomputed after that read.
    const stale = await call(`/v1/businesses/${shop}/matches`, { key });
    expect(stale.headers.get("X-Suggestions-Source")).toBe("stale");
    await waitForRefreshes();
    const recomputed = await call(`/v1/businesses/${shop}/matches`, { key });
    expect(recomputed.headers.get("X-Suggestions-Source")).toBe("stored");
  });

  it("size class, place, KBLI codes and deactivation each move it", async () => {
    const [maker] = await seedRegistry(2);
    const patches: Parameters<typeof updateBusiness>[1]["patch"][] = [
      { sizeClass: "kecil" },
      { location: { kelurahan: "Wates" } },
      { kbli: [{ code: "15202", version: "2020" }] },
    ];
    for (const patch of patches) {
      const rev = await revision();
      await updateBusiness(deps(), { id: maker, patch, actor: officer, now: Date.now() });
      expect(await revision(), JSON.stringify(patch)).toBe(rev + 1);
    }
    const rev = await revision();
    await deactivateBusiness(deps(), { id: maker, now: Date.now() });
    expect(await revision()).toBe(rev + 1);
  });
});

describe("matcher cache: the change log as a delta", () => {
  it("catches up by the change log to the suggestions of a full build with the same statistics", async () => {
    const ids = await seedRegistry(16);
    resetMatcherCache(); // seeding went through the cache: start from a cold isolate
    await currentMatcher(deps());
    expect(lastMatcherLoad().kind).toBe("full");
    expect(matcherBuildCounts()).toEqual({ full: 1, delta: 0 });

    // Each write rescores its business through the cache, which catches up by a delta each time.
    await updateBusiness(deps(), {
      id: ids[3],
      patch: { needs: "Pemasok roti tawar dan kue basah untuk sarapan", sizeClass: "menengah" },
      actor: officer,
      now: Date.now(),
    });
    await updateBusiness(deps(), {
      id: ids[4],
      patch: { location: { kelurahan: "Sentanan" }, kbli: [{ code: "10710", version: "2020" }] },
      actor: officer,
      now: Date.now(),
    });
    const added = await seedBusiness(
      serviceBody({ name: "Kantin Baru", offers: "Kantin sekolah", needs: "Roti dan kue basah setiap pagi" }),
    );
    await deactivateBusiness(deps(), { id: ids[7], now: Date.now() });
    expect(matcherBuildCounts()).toEqual({ full: 1, delta: 4 });

    const cached = await currentMatcher(deps());
    expect(lastMatcherLoad().kind).toBe("cached");
    expect(cached.matcher.has(ids[7])).toBe(false);
    expect(cached.matcher.has(added.business.id)).toBe(true);

    const rows = await selectMatcherRows(deps().db).all();
    // (Earlier tests' businesses are in this file's database too.)
    expect(rows.length).toBeGreaterThanOrEqual(16);
    expect(cached.matcher.size).toBe(rows.length);
    const rebuilt = createLiveMatcher(rows.map(matcherInput), undefined, cached.matcher.stats);
    for (const r of rows) {
      expect(cached.updatedAt.get(r.id), r.id).toBe(r.matchInputsAt);
      const got = cached.matcher.rankForStorage(r.id, { limit: 50 });
      expect(got.length, r.id).toBeGreaterThan(0);
      expect(got, r.id).toEqual(rebuilt.rankForStorage(r.id, { limit: 50 }));
    }
  });

  it("builds in full from pages of rows as from all of them at once", async () => {
    await seedRegistry(12);
    // In id order, as the pages read them: features are then numbered in the same order.
    const rows = (await selectMatcherRows(deps().db).all()).sort((a, b) => (a.id < b.id ? -1 : 1));
    const whole = createLiveMatcher(rows.map(matcherInput));
    // Pages of 5 (the last one partial or empty): every row read once, in id order across pages.
    setMatcherPageRows(5);
    try {
      resetMatcherCache();
      const paged = await currentMatcher(deps());
      expect(lastMatcherLoad()).toMatchObject({ kind: "full", businesses: rows.length });
      expect(paged.matcher.size).toBe(rows.length);
      expect(paged.matcher.stats).toEqual(whole.stats);
      for (const r of rows) {
        expect(paged.updatedAt.get(r.id), r.id).toBe(r.matchInputsAt);
        expect(paged.matcher.rankForStorage(r.id, { limit: 50 }), r.id).toEqual(
          whole.rankForStorage(r.id, { limit: 50 }),
        );
      }
    } finally {
      setMatcherPageRows();
    }
  });

  it("reads only the changed rows for one edit (D1's rows_read), not the registry", async () => {
    const ids = await seedRegistry(24);
    resetMatcherCache();
    await currentMatcher(deps());
    const full = lastMatcherLoad();
    expect(full.businesses).toBeGreaterThanOrEqual(24);
    const before = await revision();

    await updateBusiness(deps(), {
      id: ids[5],
      patch: { offers: "Konveksi kaos dan seragam olahraga" },
      actor: officer,
      now: Date.now(),
    });
    const load = lastMatcherLoad();
    expect(load).toMatchObject({ kind: "delta", businesses: 1 });
    // At most 3 version rows, then 1 change-log row and 1 business row.
    expect(load.rowsRead).toBeLessThanOrEqual(5);

    const db = deps().db;
    const rowsRead =
      (await d1RowsRead(selectRegistryVersion(db))) +
      (await d1RowsRead(selectChangedSince(db, before))) +
      (await d1RowsRead(selectChangedMatcherRows(db, before)));
    const fullRowsRead = await d1RowsRead(selectMatcherRows(db));
    console.log(
      JSON.stringify({ rowsReadPerWrite: rowsRead, fullLoadRowsRead: fullRowsRead, businesses: 24 }),
    );
    expect(rowsRead).toBeLessThan(12);
    expect(fullRowsRead).toBeGreaterThanOrEqual(full.businesses);
  });

  it("builds once for concurrent requests of one version", async () => {
    const ids = await seedRegistry(6);
    resetMatcherCache();
    const [a, b, c] = await Promise.all([
      currentMatcher(deps()),
      currentMatcher(deps()),
      currentMatcher(deps()),
    ]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(matcherBuildCounts()).toEqual({ full: 1, delta: 0 });

    // A write moves the version (its own refresh catches up: one delta); then, after another
    // write that is not yet caught up, concurrent requests share one delta.
    await updateBusiness(deps(), {
      id: ids[0],
      patch: { needs: "Toko oleh-oleh" },
      actor: officer,
      now: Date.now(),
    });
    expect(matcherBuildCounts()).toEqual({ full: 1, delta: 1 });
    await env.DB.batch([
      env.DB.prepare("update registry_meta set value = value + 1 where key = 'revision'"),
      env.DB.prepare(
        "insert into matching_changes (revision, business_id) select value, ? from registry_meta where key = 'revision'",
      ).bind(ids[1]),
    ]);
    const [d, e] = await Promise.all([currentMatcher(deps()), currentMatcher(deps())]);
    expect(d).toBe(e);
    expect(matcherBuildCounts()).toEqual({ full: 1, delta: 2 });
  });

  it("builds in a waiting request when the build it waited for fails", async () => {
    const ids = await seedRegistry(4);
    resetMatcherCache();
    // A D1 whose version read works but whose registry read fails: the first request's build fails
    // after the second request has started waiting for it.
    const failing = {
      prepare: (query: string) => {
        const statement = env.DB.prepare(query);
        if (!/order by "businesses"\."id"/.test(query)) return statement;
        const refuse = () => Promise.reject(new Error("D1 unavailable"));
        const broken = { bind: () => broken, all: refuse, raw: refuse, first: refuse, run: refuse };
        return broken;
      },
      batch: (statements: D1PreparedStatement[]) => env.DB.batch(statements),
    } as unknown as D1Database;
    const [first, second] = await Promise.allSettled([
      currentMatcher({ db: createDb(failing) }),
      currentMatcher(deps()),
    ]);
    expect(first.status).toBe("rejected");
    expect(second.status).toBe("fulfilled");
    expect(matcherBuildCounts()).toEqual({ full: 1, delta: 0 });
    if (second.status === "fulfilled") {
      for (const id of ids) expect(second.value.updatedAt.has(id)).toBe(true);
      expect(await currentMatcher(deps())).toBe(second.value);
    }
  });

  it("rebuilds in full after a full recompute started a new generation", async () => {
    await seedRegistry(4);
    await currentMatcher(deps());
    const key = await officerKey("admin");
    const res = await call("/v1/admin/recompute", { key, method: "POST", body: { mode: "full" } });
    expect(res.status).toBeLessThan(300);
    expect(await changeRows()).toBe(0);
    await currentMatcher(deps());
    expect(lastMatcherLoad().kind).toBe("full");
    expect(matcherBuildCounts().full).toBe(2);
  });

  it("takes a version its caller read: no version read; an older one keeps the later matcher", async () => {
    const ids = await seedRegistry(6);
    resetMatcherCache();
    await currentMatcher(deps());
    const readVersion = async () => toRegistryVersion(await selectRegistryVersion(deps().db).all());
    const before = await readVersion();
    await env.DB.batch([
      env.DB.prepare("update registry_meta set value = value + 1 where key = 'revision'"),
      env.DB.prepare(
        "insert into matching_changes (revision, business_id) select value, ? from registry_meta where key = 'revision'",
      ).bind(ids[2]),
    ]);
    const after = await readVersion();
    expect(after.revision).toBe(before.revision + 1);

    const roundTrips = countD1RoundTrips();
    const caughtUp = await currentMatcher(deps(), { version: after });
    // One change-log row and one business row, in one batch; no version rows, no lone statement.
    expect(lastMatcherLoad()).toEqual({ kind: "delta", rowsRead: 2, businesses: 1 });
    expect(roundTrips()).toEqual({ batches: 1, single: 0 });

    // A version read before the matcher caught up (an earlier request's) is older than the
    // matcher: the version is read again (it could be a restored database), and the matcher, still
    // current, is used as it is, never rebuilt backwards.
    const again = countD1RoundTrips();
    expect(await currentMatcher(deps(), { version: before })).toBe(caughtUp);
    expect(again()).toEqual({ batches: 0, single: 1 });
    expect(lastMatcherLoad()).toMatchObject({ kind: "cached", businesses: 0 });
    expect(matcherBuildCounts()).toEqual({ full: 1, delta: 1 });

    // A write reads the change log in its own batch only when the matcher was current lately.
    expect(changesSinceHeld(deps())?.since).toBe(after.revision);
    expect(changesSinceHeld(deps(), Date.now() + 11_000)).toBeNull();

    // The change log read with the version (as a write's batch does): no D1 call at all.
    await updateRevisionInSql(ids[4] as string, "Pemasok tepung dan gula");
    const next = await readVersion();
    const db = deps().db;
    const [changed, rows] = await db.batch([
      selectChangedSince(db, after.revision),
      selectChangedMatcherRows(db, after.revision),
    ]);
    const quiet = countD1RoundTrips();
    const moved = await currentMatcher(deps(), {
      version: next,
      changes: { since: after.revision, changed, rows },
    });
    expect(quiet()).toEqual({ batches: 0, single: 0 });
    expect(lastMatcherLoad()).toEqual({ kind: "delta", rowsRead: 2, businesses: 1 });
    // The same matcher as one that read the change log itself.
    resetMatcherCache();
    const rebuilt = await currentMatcher(deps());
    for (const id of ids)
      expect(moved.matcher.topScored(id, { limit: 6 })).toEqual(rebuilt.matcher.topScored(id, { limit: 6 }));
    // Rows read after another revision than the matcher holds are not taken for its delta.
    await updateRevisionInSql(ids[0] as string, "Toko roti");
    const latest = await readVersion();
    const reads = countD1RoundTrips();
    await currentMatcher(deps(), { version: latest, changes: { since: after.revision, changed, rows } });
    expect(reads()).toEqual({ batches: 1, single: 0 });
    expect(lastMatcherLoad()).toEqual({ kind: "delta", rowsRead: 2, businesses: 1 });
  });

  it("an edit's refresh takes the version and the change log from the edit's own batch", async () => {
    const ids = await seedRegistry(6);
    await currentMatcher(deps());
    const roundTrips = countD1RoundTrips();
    await updateBusiness(deps(), {
      id: ids[3],
      patch: { needs: "Pemasok kemasan dan kardus" },
      actor: officer,
      now: Date.now(),
    });
    // The row read, then batches: the write (with the version and the change log since the
    // matcher's revision), the rescore and, when a set can be entered, the stale marks. No version
    // read of its own, no delta batch.
    const { batches, single } = roundTrips();
    expect(single).toBe(1);
    expect(batches).toBeGreaterThanOrEqual(2);
    expect(batches).toBeLessThanOrEqual(3);
    expect(lastMatcherLoad()).toEqual({ kind: "delta", rowsRead: 2, businesses: 1 });
  });
});
