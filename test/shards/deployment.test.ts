import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { csvField } from "../../scripts/lib/business-csv";
import { createDb } from "../../src/db";
import worker from "../../src/index";
import { createApiKey } from "../../src/services/accounts/api-keys.service";
import { IMPORT_COLUMNS } from "../../src/services/businesses/business-import.validate";
import { resetMatcherCache } from "../../src/services/matching/matcher.cache";
import { suggestPartners } from "../../src/services/matching/matches.service";
import { rescoreSets } from "../../src/services/matching/suggestions.service";
import { resetDeclinedPair } from "../../src/services/partnerships/declined-pair-write.service";
import { listDeclinedPartners } from "../../src/services/partnerships/declined-pairs.service";
import { listOwnDeclines } from "../../src/services/partnerships/undo-decline.service";
import { industryBody, serviceBody } from "../integration/helpers";
import { ConsoleClient, logLine } from "../integration/ui/console.helpers";
import { createInShard, hasBusiness, shardDatabases, shardDeps, storedCandidates } from "./layout";

/**
 * One shard's own deployment of a province (`SHARD`, docs/OPERATIONS.md "Shards"): Jombang's
 * Worker, whose `DB` is Jombang's database and whose layout binds its neighbour Mojokerto as
 * DB_MOJOKERTO (Surabaya, no neighbour, as DB_SURABAYA). The same databases as the rest of the
 * `shards` project, reached through this deployment's env, and called through the Worker's own
 * fetch handler: the HTTP routes, not the services.
 */
const JOMBANG_LAYOUT = JSON.stringify([
  { name: "mojokerto", binding: "DB_MOJOKERTO", regions: ["35.76", "35.16"] },
  { name: "jombang", binding: "DB", regions: ["35.17"] },
  { name: "surabaya", binding: "DB_SURABAYA", regions: ["35.78"] },
]);

function jombangEnv(): Env {
  const dbs = shardDatabases();
  return { ...env, DB: dbs.jombang, SHARDS: JOMBANG_LAYOUT, SHARD: "jombang" } as Env;
}

/** Any request to Jombang's deployment, its deferred work (refreshes, marks, mail) awaited. */
async function jombangFetch(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, jombangEnv(), ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** A request to Jombang's deployment, its deferred work (refreshes, marks) awaited. */
async function jombang(
  path: string,
  init: { key: string; method?: string; body?: unknown },
): Promise<Response> {
  const headers = new Headers({ Authorization: `Bearer ${init.key}` });
  if (init.body !== undefined) headers.set("Content-Type", "application/json");
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://kemitraan.test${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
    jombangEnv(),
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

const NOW = Date.now();
let officer: string;
let maker: string;
let surabayaMaker: string;

beforeAll(async () => {
  // The deployment's officers live in its own database, like everything but the neighbours.
  const key = await createApiKey(
    { db: createDb(shardDatabases().jombang) },
    { kind: "officer", role: "admin", label: "Jombang officer", now: NOW },
  );
  officer = key.plaintext;
  maker = await createInShard(industryBody({ name: "Sepatu Miji" }), NOW - 60_000);
  surabayaMaker = await createInShard(
    industryBody({ name: "Sepatu Rungkut", location: { city: "Surabaya", lat: -7.32, lng: 112.77 } }),
    NOW - 60_000,
  );
  resetMatcherCache();
});

describe("one shard's deployment (SHARD): the HTTP routes work on its shard and reach its neighbours", () => {
  let shop: { id: string; apiKey: string };

  it("creates a business in its own database and serves the neighbour shard's candidates", async () => {
    const created = await jombang("/v1/businesses", {
      key: officer,
      body: serviceBody({
        name: "Toko Sepatu Jombang",
        location: { city: "Kab. Jombang", lat: -7.55, lng: 112.23 },
      }),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { business: { id: string }; apiKey: string };
    shop = { id: body.business.id, apiKey: body.apiKey };
    const dbs = shardDatabases();
    expect(await hasBusiness(dbs.jombang, shop.id)).toBe(true);
    expect(await hasBusiness(env.DB, shop.id)).toBe(false);
    expect(await hasBusiness(dbs.mojokerto, shop.id)).toBe(false);

    const matches = await jombang(`/v1/businesses/${shop.id}/matches`, { key: shop.apiKey });
    expect(matches.status).toBe(200);
    const ids = ((await matches.json()) as { items: Array<{ business: { id: string } }> }).items.map(
      (i) => i.business.id,
    );
    // Mojokerto borders Jombang: its maker is suggested; Surabaya does not: its maker is not.
    expect(ids).toContain(maker);
    expect(ids).not.toContain(surabayaMaker);
  });

  it("names the neighbour shard of a candidate from across the border, in the API and the owner's console", async () => {
    const matches = await jombang(`/v1/businesses/${shop.id}/matches`, { key: shop.apiKey });
    const items = (
      (await matches.json()) as { items: Array<{ business: { id: string }; neighbourShard?: string }> }
    ).items;
    expect(items.find((i) => i.business.id === maker)?.neighbourShard).toBe("mojokerto");

    // The owner signs in to Jombang's console by email link (log mailer) and sees the maker's card
    // with the neighbour note and no request form; "tidak berminat" stays.
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const client = new ConsoleClient("http://localhost", jombangFetch);
    await client.get("/ui/login");
    expect((await client.post("/ui/login/email", { email: "toko@example.id" })).status).toBe(200);
    const token = /login\/confirm\?token=([A-Za-z0-9_-]{43})/.exec(
      await logLine(log, "toko@example.id"),
    )?.[1];
    expect(token).toBeDefined();
    await client.get(`/ui/login/confirm?token=${token}`);
    expect((await client.post("/ui/login/confirm", { token: token ?? "" })).status).toBe(303);
    const page = await client.get("/ui/me");
    expect(page.status).toBe(200);
    const html = await page.text();
    const card = html.slice(
      html.indexOf(`data-business="${maker}"`),
      html.indexOf("</article>", html.indexOf(`data-business="${maker}"`)),
    );
    expect(card).toContain("Terdaftar di wilayah tetangga (mojokerto)");
    expect(card).not.toContain("/ui/me/requests");
    expect(card).toContain("/ui/me/declined");
  });

  it("marks stale, through an HTTP edit, the neighbour's set that lists the business", async () => {
    const dbs = shardDatabases();
    await rescoreSets(shardDeps("mojokerto"), { ids: [maker], now: Date.now() });
    expect(await storedCandidates(dbs.mojokerto, maker)).toContain(shop.id);
    const fresh = await dbs.mojokerto
      .prepare("select stale_since from suggestion_sets where business_id = ?")
      .bind(maker)
      .first<{ stale_since: number | null }>();
    expect(fresh?.stale_since).toBeNull();
    // The owner's export counts the neighbour's list that holds it (its own shard has none).
    const exported = await jombang(`/v1/businesses/${shop.id}/export`, { key: shop.apiKey });
    expect(exported.status).toBe(200);
    expect(
      ((await exported.json()) as { suggestions: { listedByOthers: number } }).suggestions.listedByOthers,
    ).toBe(1);

    const edited = await jombang(`/v1/businesses/${shop.id}`, {
      key: shop.apiKey,
      method: "PATCH",
      body: { needs: "sepatu kulit dan sandal untuk dijual lagi, grosir" },
    });
    expect(edited.status).toBe(200);
    const marked = await dbs.mojokerto
      .prepare("select stale_since, stale_sources from suggestion_sets where business_id = ?")
      .bind(maker)
      .first<{ stale_since: number | null; stale_sources: string | null }>();
    expect(marked?.stale_since).not.toBeNull();
    expect(Object.keys(JSON.parse(marked?.stale_sources ?? "{}"))).toEqual(["jombang"]);
  });

  it("refuses a partnership with a neighbour shard's business by name, and lets the owner decline it", async () => {
    const request = await jombang("/v1/partnerships", {
      key: shop.apiKey,
      body: { partnerId: maker, pattern: "rantai_pasok", message: "Kami ingin menjual sepatu Anda" },
    });
    expect(request.status).toBe(409);
    const problem = (await request.json()) as { code: string; detail: string };
    expect(problem.code).toBe("partner_in_other_region");
    expect(problem.detail).toContain('"mojokerto"');
    // An id no shard holds is still unknown.
    const unknown = await jombang("/v1/partnerships", {
      key: shop.apiKey,
      body: { partnerId: "biz_nope", pattern: "rantai_pasok", message: "Halo" },
    });
    expect(unknown.status).toBe(404);

    const declined = await jombang("/v1/declined-pairs", { key: shop.apiKey, body: { partnerId: maker } });
    expect(declined.status).toBe(200);
    const matches = await jombang(`/v1/businesses/${shop.id}/matches`, { key: shop.apiKey });
    const ids = ((await matches.json()) as { items: Array<{ business: { id: string } }> }).items.map(
      (i) => i.business.id,
    );
    expect(ids).not.toContain(maker);
  });

  it("keeps a decline across the border in both shards, names it on both sides, and takes it back in both", async () => {
    const dbs = shardDatabases();
    const mojokerto = shardDeps("mojokerto");
    const declinedBy = async (d1: D1Database) =>
      (
        await d1
          .prepare("select declined_by from declined_pairs where low_id = ? and high_id = ?")
          .bind(...[shop.id, maker].sort())
          .first<{ declined_by: string }>()
      )?.declined_by ?? null;
    // What Mojokerto's deployment serves its maker: the shop is a candidate from across the border.
    const servedToMaker = async () =>
      (
        await suggestPartners(mojokerto, { businessId: maker, limit: 50, minScore: 0, now: Date.now() })
      ).items.map((i) => i.business.id);
    // Declined in Jombang (the test above): kept in Mojokerto's database too, so neither side
    // suggests the pair.
    expect(await declinedBy(dbs.jombang)).toBe(shop.id);
    expect(await declinedBy(dbs.mojokerto)).toBe(shop.id);
    expect(await servedToMaker()).not.toContain(shop.id);
    // The owner's list of declines names the maker from Mojokerto's database; Mojokerto's officers
    // see the pair on the maker's page with the shop's name and shard.
    const owner = { kind: "business", businessId: shop.id, keyId: null } as const;
    expect(await listOwnDeclines(shardDeps("jombang"), { actor: owner })).toEqual([
      { id: maker, name: "Sepatu Miji", neighbourShard: "mojokerto" },
    ]);
    expect((await listDeclinedPartners(mojokerto, { businessId: maker })).map((d) => d.name)).toEqual([
      "Toko Sepatu Jombang (jombang)",
    ]);

    // Undone through Jombang's API: gone on both sides, and Mojokerto suggests the shop again.
    const undone = await jombang("/v1/declined-pairs/undo", { key: shop.apiKey, body: { partnerId: maker } });
    expect(undone.status).toBe(200);
    expect(await declinedBy(dbs.jombang)).toBeNull();
    expect(await declinedBy(dbs.mojokerto)).toBeNull();
    expect(await servedToMaker()).toContain(shop.id);

    // Declined again, then reset by one of Mojokerto's officers: gone on both sides.
    const again = await jombang("/v1/declined-pairs", { key: shop.apiKey, body: { partnerId: maker } });
    expect(again.status).toBe(200);
    expect(await declinedBy(dbs.mojokerto)).toBe(shop.id);
    const mojokertoOfficer = { kind: "officer", id: "mojokerto-officer", role: "officer" } as const;
    await resetDeclinedPair(mojokerto, {
      businessIds: [maker, shop.id],
      actor: mojokertoOfficer,
      now: Date.now(),
    });
    expect(await declinedBy(dbs.mojokerto)).toBeNull();
    expect(await declinedBy(dbs.jombang)).toBeNull();
  });

  it("imports a CSV file into its own shard", async () => {
    const row: Partial<Record<(typeof IMPORT_COLUMNS)[number], string>> = {
      name: "Kerupuk Diwek",
      sector: "industry",
      kbli: "10792",
      sizeClass: "mikro",
      city: "Kab. Jombang",
      lat: "-7.57",
      lng: "112.25",
      offers: "Kerupuk dan rambak",
      needs: "Toko oleh-oleh",
      email: "diwek@example.id",
    };
    const csv = `${IMPORT_COLUMNS.join(",")}\n${IMPORT_COLUMNS.map((c) => csvField(row[c] ?? "", ",")).join(",")}\n`;
    const res = await jombangFetch(
      new Request("https://kemitraan.test/v1/businesses/import", {
        method: "POST",
        headers: { Authorization: `Bearer ${officer}`, "Content-Type": "text/csv" },
        body: csv,
      }),
    );
    expect(res.status).toBe(201);
    const report = (await res.json()) as { imported: number; businesses: Array<{ id: string }> };
    expect(report.imported).toBe(1);
    const id = report.businesses[0]?.id as string;
    const dbs = shardDatabases();
    expect(await hasBusiness(dbs.jombang, id)).toBe(true);
    expect(await hasBusiness(env.DB, id)).toBe(false);
  });

  it("lists a neighbour shard's business among a weekly digest's new suggestions", async () => {
    // The digest job through Jombang's deployment (its mail goes to the log here): the shop's
    // stored set holds Mojokerto's maker, which the digest names from Mojokerto's database.
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const run = await jombang("/v1/admin/jobs/send-digests", { key: officer, body: {} });
    const lines = log.mock.calls.map((c) => String(c[0]));
    log.mockRestore();
    expect(run.status).toBe(200);
    const digest = lines.find((l) => l.includes("toko@example.id") && l.includes("Sepatu Miji"));
    expect(digest).toBeDefined();
  });

  it("starts and reads recompute runs in its own shard only", async () => {
    const started = await jombang("/v1/admin/recompute", { key: officer, body: { mode: "full" } });
    expect(started.status).toBe(202);
    const run = (await started.json()) as { runId: string; shards: Array<{ shard: string }> };
    expect(run.shards.map((s) => s.shard)).toEqual(["jombang"]);
    const progress = await jombang(`/v1/admin/recompute/${run.runId}`, { key: officer });
    expect(progress.status).toBe(200);
    expect(
      ((await progress.json()) as { shards: Array<{ shard: string }> }).shards.map((s) => s.shard),
    ).toEqual(["jombang"]);
  });
});
