import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { app } from "../../../src/app";
import { resetVerifiedKeyCache, VERIFIED_KEY_TTL_MS } from "../../../src/auth/verified-keys.cache";
import { createApiKey, findKeyByPrefix, revokeApiKey } from "../../../src/services/accounts/api-keys.service";
import { deps, expectProblem, industryBody, seedBusiness, serviceBody } from "../helpers";

beforeEach(() => {
  resetVerifiedKeyCache();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** A D1 binding that fails every query: a request that still succeeds did not ask D1. */
const brokenDb = {
  prepare() {
    throw new Error("D1 is not reachable in this test");
  },
  batch() {
    throw new Error("D1 is not reachable in this test");
  },
} as unknown as D1Database;

/** Calls the app in this module instance (the one whose cache the test inspects). */
async function fetchApp(path: string, key: string, db: D1Database = env.DB): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`https://kemitraan.test${path}`, { headers: { Authorization: `Bearer ${key}` } }),
    { ...env, DB: db },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

/** Auth runs before validation, so `limit=1000` answers 422 without any query of the route's own. */
const AUTH_ONLY = "/v1/businesses?limit=1000";

async function newOfficerKey() {
  return createApiKey(deps(), { kind: "officer", label: "cache test", now: Date.now() });
}

async function lastUsedAt(prefix: string) {
  return (await findKeyByPrefix(deps(), prefix))?.lastUsedAt;
}

describe("verified API key cache", () => {
  it("serves a key verified a moment ago without asking D1", async () => {
    const key = await newOfficerKey();
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    await expectProblem(await fetchApp(AUTH_ONLY, key.plaintext, brokenDb), 500, "internal_error");
    await expectProblem(await fetchApp(AUTH_ONLY, key.plaintext), 422);
    await expectProblem(await fetchApp(AUTH_ONLY, key.plaintext, brokenDb), 422);
  });

  it("refuses a cached key right after it is revoked", async () => {
    const key = await newOfficerKey();
    expect((await fetchApp("/v1/businesses", key.plaintext)).status).toBe(200);
    await expectProblem(await fetchApp(AUTH_ONLY, key.plaintext, brokenDb), 422);
    await revokeApiKey(deps(), { keyId: key.id, now: Date.now() });
    await expectProblem(await fetchApp("/v1/businesses", key.plaintext), 401, "unauthorized");
  });

  it("does not let in a key with a cached key's prefix but another secret", async () => {
    const key = await newOfficerKey();
    expect((await fetchApp("/v1/businesses", key.plaintext)).status).toBe(200);
    const forged = `${key.plaintext.slice(0, 13)}${"z".repeat(40)}`;
    expect(forged.slice(0, 13)).toBe(key.plaintext.slice(0, 13));
    expect(forged).not.toBe(key.plaintext);
    await expectProblem(await fetchApp("/v1/businesses", forged), 401, "unauthorized");
  });

  it("caches a business key as that business only", async () => {
    const a = await seedBusiness(industryBody({ name: "A" }));
    const b = await seedBusiness(serviceBody({ name: "B" }));
    expect((await fetchApp(`/v1/businesses/${a.business.id}`, a.apiKey)).status).toBe(200);
    await expectProblem(await fetchApp(`/v1/businesses/${b.business.id}`, a.apiKey), 404, "not_found");
  });

  it("keeps a key revoked by another isolate until the TTL, recording use at most hourly", async () => {
    const t0 = Date.now();
    const clock = vi.spyOn(Date, "now").mockReturnValue(t0);
    const key = await newOfficerKey();
    // Last recorded 59.5 min ago: not due at t0, due 45 s later.
    await env.DB.prepare("update api_keys set last_used_at = ? where id = ?")
      .bind(t0 - 59.5 * 60_000, key.id)
      .run();
    expect((await fetchApp("/v1/businesses", key.plaintext)).status).toBe(200);
    expect(await lastUsedAt(key.prefix)).toBe(t0 - 59.5 * 60_000);

    // Another isolate revokes it: this one is not told, and trusts its entry until the TTL.
    await env.DB.prepare("update api_keys set revoked_at = ? where id = ?").bind(t0, key.id).run();
    clock.mockReturnValue(t0 + 45_000);
    expect((await fetchApp("/v1/businesses", key.plaintext)).status).toBe(200);
    expect(await lastUsedAt(key.prefix)).toBe(t0 + 45_000);
    clock.mockReturnValue(t0 + 50_000);
    expect((await fetchApp("/v1/businesses", key.plaintext)).status).toBe(200);
    expect(await lastUsedAt(key.prefix)).toBe(t0 + 45_000);

    clock.mockReturnValue(t0 + VERIFIED_KEY_TTL_MS);
    await expectProblem(await fetchApp("/v1/businesses", key.plaintext), 401, "unauthorized");
  });
});
