import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestHarness } from "wrangler";
import { createDb } from "../../src/db";
import { createApiKey } from "../../src/services/accounts/api-keys.service";
import { BUNDLE_DIR } from "./build-worker";

/**
 * The bundled Worker (the `wrangler deploy --dry-run` output, see build-worker.ts) in workerd via
 * wrangler's test harness, with a fresh in-memory D1 migrated from schema/migrations.
 * Only the officer key is written directly; everything else goes through the HTTP API.
 */

const root = path.resolve(import.meta.dirname, "../..");
const server = createTestHarness({
  root,
  workers: [{ configPath: "./wrangler.toml", prebuiltWorkerDir: BUNDLE_DIR }],
});
let officer = "";

interface MatchJson {
  business: { id: string; name: string; sector: string };
  score: number;
  components: { category: number; location: number; text: number };
  reasons: string[];
  pattern: string;
}

async function api(pathname: string, init: { method?: string; body?: unknown; key?: string } = {}) {
  const headers: Record<string, string> = { Authorization: `Bearer ${init.key ?? officer}` };
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const res = await server.fetch(pathname, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  // A 500 here is most likely the bundle failing where the unbundled tests pass.
  if (res.status >= 500) throw new Error(`${pathname} -> ${res.status}: ${await res.text()}`);
  return res;
}

async function create(body: Record<string, unknown>): Promise<string> {
  const res = await api("/v1/businesses", { body: { email: "e2e@example.id", sizeClass: "mikro", ...body } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { business: { id: string } }).business.id;
}

async function matches(id: string, query = ""): Promise<MatchJson[]> {
  const res = await api(`/v1/businesses/${id}/matches${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: MatchJson[] }).items;
}

let caterer = "";
let packaging = "";

beforeAll(async () => {
  await server.listen();
  const worker = server.getWorker<Env>();
  await worker.applyD1Migrations("DB");
  const env = await worker.getEnv();
  const key = await createApiKey(
    { db: createDb(env.DB) },
    { kind: "officer", label: "e2e officer", now: Date.now() },
  );
  officer = key.plaintext;

  // Needs and offers share meaning only after stemming and the lexicon: "pengiriman" / "kirim",
  // "kemasan" / "dus", "makanan" / "makan".
  caterer = await create({
    name: "Katering Rasa Majapahit",
    sector: "service",
    kbli: [{ code: "56210", version: "2020" }],
    location: { kelurahan: "Kedundung" },
    offers: "Katering nasi kotak dan prasmanan untuk kantor dan hajatan.",
    needs: "Membutuhkan pemasok kemasan makanan dan jasa pengiriman kemasan makanan setiap pagi.",
  });
  packaging = await create({
    name: "UD Dus Kemasan Mojosari",
    sector: "industry",
    kbli: [{ code: "17021", version: "2020" }],
    location: { kelurahan: "Balongsari" },
    offers: "Produksi kemasan makanan: dus nasi kotak, kotak kue, besek bambu; bisa dikirimkan.",
    needs: "Mencari pelanggan katering dan rumah makan yang rutin memesan kemasan.",
  });
  await create({
    name: "Bengkel Las Besi Prajurit",
    sector: "industry",
    kbli: [{ code: "25111", version: "2020" }],
    location: { city: "Kabupaten Sidoarjo", lat: -7.45, lng: 112.7 },
    offers: "Pagar besi, kanopi dan teralis.",
    needs: "Pemasok plat besi.",
  });
}, 120_000);

afterAll(async () => {
  await server.close();
});

describe("the bundled Worker", () => {
  it("serves its OpenAPI document and docs page", async () => {
    const doc = (await (await api("/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths)).toContain("/v1/businesses/{id}/matches");
    const docs = await api("/docs");
    expect(docs.status).toBe(200);
    expect(docs.headers.get("Content-Type")).toMatch(/text\/html/);
    // The viewer's scripts are static assets of the same Worker (public/assets), not a CDN.
    for (const asset of ["/assets/scalar-api-reference.js", "/assets/docs.js"]) {
      const res = await api(asset);
      expect(res.status, asset).toBe(200);
      expect(await res.text(), asset).toContain("createApiReference");
    }
  });

  it("ranks the packaging maker first for a caterer needing food packaging, with Indonesian reasons", async () => {
    const items = await matches(caterer);
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items[0]?.business.id).toBe(packaging);
    const scores = items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const item of items) {
      expect(item.business.sector).toBe("industry");
      expect(item.score).toBeGreaterThanOrEqual(0);
      expect(item.score).toBeLessThanOrEqual(1);
      for (const value of Object.values(item.components)) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
      expect(item.reasons.length).toBeGreaterThanOrEqual(1);
      expect(item.pattern).toBeTruthy();
    }
    const top = items[0] as MatchJson;
    // Only the stemmed, lexicon-mapped text connects "kemasan makanan" with "dus"/"besek".
    expect(top.components.text).toBeGreaterThan(0);
    expect(top.reasons[0]).toMatch(/^Mereka menawarkan yang Anda butuhkan: .*kemasan/);
    expect(top.reasons[0]).toMatch(/pengiriman/);
  });

  it("explains the same suggestions in English with ?lang=en", async () => {
    const id = (await matches(caterer))[0]?.business.id;
    const items = await matches(caterer, "?lang=en");
    expect(items[0]?.business.id).toBe(id);
    const reasons = (items[0] as MatchJson).reasons;
    expect(reasons[0]).toMatch(/^They offer what you need: .*packaging/);
    expect(reasons.join(" ")).not.toMatch(/\b(Mereka|Anda|dan)\b/);
  });

  it("matches in the other direction too: the packaging maker sees the caterer", async () => {
    const items = await matches(packaging);
    expect(items.map((i) => i.business.id)).toContain(caterer);
    expect(items.every((i) => i.business.sector === "service")).toBe(true);
  });
});
