import { env } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recomputeFullJob, runRecomputeBatch } from "../../src/jobs/recompute.job";
import { updateBusiness } from "../../src/services/businesses/update.service";
import { lastMatcherLoad, resetMatcherCache } from "../../src/services/matching/matcher.cache";
import { suggestPartners } from "../../src/services/matching/matches.service";
import type { RecomputeMessage } from "../../src/services/matching/recompute.service";
import { rescoreSets } from "../../src/services/matching/suggestions.service";
import { call, industryBody, officerKey, serviceBody } from "../integration/helpers";
import { createInShard, hasBusiness, layout, shardDatabases, shardDeps, storedCandidates } from "./layout";

const NOW = Date.UTC(2026, 10, 2, 3);

/** Created a minute before the reads and rescores below (createInShard says why). */
const create = (body: Record<string, unknown>) => createInShard(body, NOW - 60_000);

let maker: string;
let jombangShop: string;
let surabayaShop: string;

// Storage is isolated per file, not per test: the three are created once, and the tests that
// write more (the delta test) come after those that count rows.
beforeAll(async () => {
  maker = await create(industryBody({ name: "Sepatu Miji" }));
  jombangShop = await create(
    serviceBody({
      name: "Toko Sepatu Jombang",
      location: { city: "Kab. Jombang", lat: -7.55, lng: 112.23 },
    }),
  );
  surabayaShop = await create(
    serviceBody({ name: "Toko Sepatu Surabaya", location: { city: "Surabaya", lat: -7.26, lng: 112.75 } }),
  );
});

beforeEach(() => {
  resetMatcherCache();
});

describe("a province deployment: one D1 database per shard", () => {
  it("derives the shards' neighbours from the regions' borders", () => {
    // Neighbour shards are read through D1 sessions; miniflare's D1 has the Sessions API (one
    // local instance, no replicas), so the session path is the one these tests run.
    expect(typeof shardDatabases().jombang.withSession).toBe("function");
    const names = (s: string) =>
      layout()
        .neighbours.get(s)
        ?.map((n) => n.name);
    expect(names("mojokerto")).toEqual(["jombang"]);
    expect(names("jombang")).toEqual(["mojokerto"]);
    expect(names("surabaya")).toEqual([]);
  });

  it("writes a business to its own shard's database only", async () => {
    const dbs = shardDatabases();
    expect(await hasBusiness(dbs.mojokerto, maker)).toBe(true);
    expect(await hasBusiness(dbs.jombang, maker)).toBe(false);
    expect(await hasBusiness(dbs.surabaya, maker)).toBe(false);
    expect(await hasBusiness(env.DB, maker)).toBe(false);
    expect(await hasBusiness(dbs.jombang, jombangShop)).toBe(true);
    expect(await hasBusiness(dbs.mojokerto, jombangShop)).toBe(false);
    expect(await hasBusiness(dbs.surabaya, surabayaShop)).toBe(true);
    // The write moved only its own shard's registry revision.
    const revision = async (d1: D1Database) =>
      (await d1.prepare("select value from registry_meta where key = 'revision'").first<{ value: number }>())
        ?.value;
    expect(await revision(dbs.mojokerto)).toBe(1);
    expect(await revision(dbs.jombang)).toBe(1);
    expect(await revision(env.DB)).toBeUndefined();
  });

  it("finds a candidate in the neighbouring shard, stored in the business's own shard", async () => {
    const { sets } = await rescoreSets(shardDeps("mojokerto"), { ids: [maker], now: NOW });
    expect(sets.get(maker)?.map((s) => s.id)).toContain(jombangShop);
    expect(await storedCandidates(shardDatabases().mojokerto, maker)).toContain(jombangShop);
    expect(await storedCandidates(shardDatabases().jombang, maker)).toEqual([]);
    // And the other way: Jombang's matcher reads Mojokerto's database.
    const back = await rescoreSets(shardDeps("jombang"), { ids: [jombangShop], now: NOW });
    expect(back.sets.get(jombangShop)?.map((s) => s.id)).toContain(maker);
  });

  it("serves the neighbour shard's candidate with its profile read from that shard's database", async () => {
    const deps = shardDeps("mojokerto");
    const first = await suggestPartners(deps, { businessId: maker, limit: 10, minScore: 0, now: NOW });
    const second = await suggestPartners(deps, { businessId: maker, limit: 10, minScore: 0, now: NOW });
    expect(second.source).toBe("stored");
    for (const { items } of [first, second]) {
      const shop = items.find((i) => i.business.id === jombangShop);
      expect(shop?.business).toMatchObject({
        name: "Toko Sepatu Jombang",
        location: { city: "Kabupaten Jombang" },
      });
      expect(items.map((i) => i.business.id)).not.toContain(surabayaShop);
    }
  });

  it("never sees the businesses of a shard that is not a neighbour", async () => {
    const { sets, matcher } = await rescoreSets(shardDeps("mojokerto"), { ids: [maker], now: NOW });
    expect(matcher.updatedAt.has(surabayaShop)).toBe(false);
    expect(sets.get(maker)?.map((s) => s.id)).not.toContain(surabayaShop);
    const surabaya = await rescoreSets(shardDeps("surabaya"), { ids: [surabayaShop], now: NOW });
    expect([...surabaya.matcher.updatedAt.keys()]).toEqual([surabayaShop]);
    expect(surabaya.sets.get(surabayaShop)).toEqual([]);
  });

  it("moves a shard's matcher forward by the neighbour's change log after a write there", async () => {
    const deps = shardDeps("mojokerto");
    await rescoreSets(deps, { ids: [maker], now: NOW });
    expect(lastMatcherLoad().kind).toBe("full");
    const secondShop = await create(
      serviceBody({ name: "Toko Alas Kaki Ploso", location: { city: "Jombang", lat: -7.5, lng: 112.2 } }),
    );
    const { sets } = await rescoreSets(shardDeps("mojokerto"), { ids: [maker], now: NOW + 1 });
    expect(lastMatcherLoad()).toMatchObject({ kind: "delta", businesses: 1 });
    expect(sets.get(maker)?.map((s) => s.id)).toContain(secondShop);
    // A deactivation in the neighbour shard removes the business from this shard's matcher too.
    await updateBusiness(shardDeps("jombang"), {
      id: secondShop,
      patch: { active: false },
      now: NOW + 2,
      actor: { kind: "officer", id: "test", role: "officer" },
    });
    const after = await rescoreSets(shardDeps("mojokerto"), { ids: [maker], now: NOW + 3 });
    expect(lastMatcherLoad().kind).toBe("delta");
    expect(after.sets.get(maker)?.map((s) => s.id)).not.toContain(secondShop);
  });

  it("fans a recompute out per shard: a run in each database, each message naming its shard", async () => {
    const sent: RecomputeMessage[] = [];
    const queue = {
      async sendBatch(batch: Iterable<MessageSendRequest<RecomputeMessage>>) {
        for (const m of batch) sent.push(m.body);
      },
    };
    const report = await recomputeFullJob.run({
      env: { ...env, RECOMPUTE_QUEUE: queue } as unknown as Env,
      now: NOW,
      trigger: "cli",
      defer: () => {},
    });
    const shards = report.shards as Array<{ shard: string; enqueued: { businesses: number } }>;
    expect(shards.map((s) => s.shard).sort()).toEqual(["jombang", "mojokerto", "surabaya"]);
    expect(report.enqueued).toEqual({ messages: 3, businesses: 3 });
    const byShard = new Map(sent.map((m) => [m.shard, m.ids]));
    expect(sent).toHaveLength(3);
    expect(byShard.get("mojokerto")).toEqual([maker]);
    expect(byShard.get("jombang")).toEqual([jombangShop]);
    expect(byShard.get("surabaya")).toEqual([surabayaShop]);
    for (const d1 of Object.values(shardDatabases())) {
      // One run id in every shard: the officer endpoint reads its progress as one run.
      const run = await d1.prepare("select id, messages, finished_at from recompute_runs").all();
      expect(run.results).toEqual([{ id: report.runId, messages: 1, finished_at: null }]);
    }

    // The consumer opens each message's shard: sets land there, and each shard's run finishes.
    const acked: string[] = [];
    const deadLettered: unknown[] = [];
    const messages = [...sent, { ...(sent[0] as RecomputeMessage), shard: "gresik" }].map((body, i) => ({
      id: `m${i}`,
      body,
      attempts: 1,
      timestamp: new Date(NOW),
      ack: () => acked.push(`m${i}`),
      retry: () => {},
    }));
    await runRecomputeBatch(
      {
        queue: "kemitraan-recompute",
        messages,
        ackAll() {},
        retryAll() {},
      } as unknown as MessageBatch<unknown>,
      {
        ...env,
        RECOMPUTE_DLQ: { send: async (body: unknown) => void deadLettered.push(body) },
      } as unknown as Env,
      { waitUntil: () => {}, passThroughOnException: () => {} } as unknown as ExecutionContext,
    );
    expect(acked.sort()).toEqual(["m0", "m1", "m2", "m3"]);
    expect(deadLettered).toEqual([{ ...(sent[0] as RecomputeMessage), shard: "gresik" }]);
    const dbs = shardDatabases();
    expect(await storedCandidates(dbs.mojokerto, maker)).toContain(jombangShop);
    expect(await storedCandidates(dbs.jombang, jombangShop)).toContain(maker);
    expect(await storedCandidates(dbs.surabaya, surabayaShop)).toEqual([]);
    for (const d1 of Object.values(dbs)) {
      const run = await d1
        .prepare("select finished_at from recompute_runs")
        .first<{ finished_at: number | null }>();
      expect(run?.finished_at).not.toBeNull();
    }
  });
});

describe("the officer's recompute endpoints in a province", () => {
  it("starts one run in every shard under one id and reports its progress summed", async () => {
    const key = await officerKey("admin");
    const started = await call("/v1/admin/recompute", { key, body: { mode: "full" } });
    expect(started.status).toBe(202);
    const body = (await started.json()) as {
      runId: string;
      enqueued: { messages: number; businesses: number };
      shards: Array<{ shard: string; enqueued: { messages: number; businesses: number } }>;
    };
    expect(body.shards.map((s) => s.shard).sort()).toEqual(["jombang", "mojokerto", "surabaya"]);
    expect(body.enqueued.businesses).toBe(body.shards.reduce((n, s) => n + s.enqueued.businesses, 0));
    for (const d1 of Object.values(shardDatabases())) {
      const run = await d1.prepare("select id from recompute_runs where id = ?").bind(body.runId).first();
      expect(run).toEqual({ id: body.runId });
    }
    expect(await env.DB.prepare("select count(*) as n from recompute_runs").first()).toEqual({ n: 0 });

    const progress = await call(`/v1/admin/recompute/${body.runId}`, { key });
    expect(progress.status).toBe(200);
    const run = (await progress.json()) as {
      runId: string;
      mode: string;
      messages: number;
      businesses: number;
      shards: Array<{ shard: string; messages: number }>;
    };
    expect(run).toMatchObject({ runId: body.runId, mode: "full", businesses: body.enqueued.businesses });
    expect(run.messages).toBe(body.enqueued.messages);
    expect(run.shards.map((s) => s.shard).sort()).toEqual(["jombang", "mojokerto", "surabaya"]);

    const unknown = await call("/v1/admin/recompute/run_unknown", { key });
    expect(unknown.status).toBe(404);
  });
});
