/**
 * The province overview (`GET /v1/dashboard/province`): each shard's dashboard headline, computed
 * in its own database, and the province's totals, through the Worker's fetch handler.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db";
import worker from "../../src/index";
import { createApiKey } from "../../src/services/accounts/api-keys.service";
import { getDashboard } from "../../src/services/dashboard/dashboard.service";
import { reportPeriod } from "../../src/services/dashboard/period";
import type { ProvinceDashboard } from "../../src/services/dashboard/province.service";
import { industryBody, serviceBody } from "../integration/helpers";
import { ConsoleClient } from "../integration/ui/console.helpers";
import { createInShard, shardDeps } from "./layout";

const NOW = Date.now();
let officer: string;

async function province(workerEnv: Env): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request("https://kemitraan.test/v1/dashboard/province?period=all", {
      headers: { Authorization: `Bearer ${officer}` },
    }),
    workerEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

beforeAll(async () => {
  // A Worker over every shard keeps its officers in `DB`.
  officer = (
    await createApiKey(
      { db: createDb(env.DB) },
      { kind: "officer", role: "officer", label: "Province officer", now: NOW },
    )
  ).plaintext;
  await createInShard(industryBody({ name: "Onde-onde Miji" }), NOW - 3000);
  await createInShard(industryBody({ name: "Sepatu Kranggan", sizeClass: "kecil" }), NOW - 2000);
  await createInShard(
    serviceBody({ name: "Warung Jombang", location: { city: "Kab. Jombang", lat: -7.55, lng: 112.23 } }),
    NOW - 1000,
  );
  await createInShard(
    industryBody({ name: "Batik Rungkut", location: { city: "Surabaya", lat: -7.32, lng: 112.77 } }),
    NOW - 500,
  );
});

describe("the province overview", () => {
  it("gives each shard's figures from its own database and their sums", async () => {
    const res = await province(env);
    expect(res.status).toBe(200);
    const body = (await res.json()) as ProvinceDashboard;
    expect(body.shards.map((s) => s.shard)).toEqual(["mojokerto", "jombang", "surabaya"]);
    expect(body.complete).toBe(true);
    const period = reportPeriod({ period: "all" }, Date.now());
    for (const s of body.shards) {
      const own = await getDashboard(shardDeps(s.shard), { period });
      expect(s.figures?.umkm).toEqual(own.umkm);
      expect(s.figures?.signups).toEqual(own.signups);
    }
    const registered = body.shards.map((s) => s.figures?.umkm.registered ?? 0);
    // UMKM of either sector: Mojokerto's two makers, Jombang's warung, Surabaya's batik maker; the
    // industry count leaves the warung out.
    expect(registered).toEqual([2, 1, 1]);
    expect(body.totals.umkm.registered).toBe(4);
    expect(body.shards.map((s) => s.figures?.umkmPartnered.registered)).toEqual([2, 0, 1]);
    expect(body.totals.umkmPartnered.registered).toBe(3);
    expect(body.totals.signups.registered).toBe(
      body.shards.reduce((n, s) => n + (s.figures?.signups.registered ?? 0), 0),
    );
  });

  it("leaves out a shard this Worker does not bind, and says the totals are incomplete", async () => {
    const { DB_SURABAYA: _, ...rest } = env as unknown as Record<string, unknown>;
    const res = await province(rest as unknown as Env);
    expect(res.status).toBe(200);
    const body = (await res.json()) as ProvinceDashboard;
    expect(body.shards.find((s) => s.shard === "surabaya")?.figures).toBeNull();
    expect(body.complete).toBe(false);
    expect(body.totals.umkm.registered).toBe(3);
  });

  it("shows the officers' console dashboard a table of the shards and the totals", async () => {
    const client = new ConsoleClient();
    expect((await client.officerLogin(officer)).status).toBe(303);
    const page = await client.get("/ui/dashboard?period=all");
    expect(page.status).toBe(200);
    const html = await page.text();
    const table = html.slice(
      html.indexOf('data-table="province"'),
      html.indexOf("</section>", html.indexOf('data-table="province"')),
    );
    for (const shard of ["mojokerto", "jombang", "surabaya", "total"])
      expect(table).toContain(`data-shard="${shard}"`);
    // Mojokerto's two industry UMKM, neither with a partner yet.
    const mojokerto = table.slice(
      table.indexOf('data-shard="mojokerto"'),
      table.indexOf("</tr>", table.indexOf('data-shard="mojokerto"')),
    );
    expect(mojokerto).toContain("0/2");
  });

  it("is a 404 problem in a city deployment", async () => {
    const res = await province({ ...env, SHARDS: "" } as Env);
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toContain("application/problem+json");
  });
});
