import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { app } from "../../../src/app";
import { faultyD1, TRANSIENT_D1_MESSAGES } from "../d1-faults";
import { snapshot } from "../db-snapshot";
import {
  call,
  confirmedSignUpThroughApi,
  expectProblem,
  industryBody,
  officerKey,
  seedBusiness,
  serviceBody,
  signUpThroughApi,
  uniqueEmail,
} from "../helpers";
import { act, request } from "../services/partnerships/partnerships.helpers";

let logged: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
});

interface Attempt {
  method: string;
  path: string;
  key?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

function toRequest(a: Attempt): Request {
  const headers = new Headers(a.headers);
  if (a.key) headers.set("Authorization", `Bearer ${a.key}`);
  if (a.body !== undefined) headers.set("Content-Type", "application/json");
  return new Request(`https://kemitraan.test${a.path}`, {
    method: a.method,
    headers,
    body: a.body === undefined ? undefined : JSON.stringify(a.body),
  });
}

async function sendWithFault(a: Attempt, failAt: number, message?: string) {
  const { db, gate } = faultyD1(env.DB, { failAt, message });
  const ctx = createExecutionContext();
  const res = await app.fetch(toRequest(a), { ...env, DB: db }, ctx);
  await waitOnExecutionContext(ctx);
  return { res, gate };
}

/** Uses each key once, so recording its first use does not show up as a change later. */
async function warm(...keys: string[]): Promise<void> {
  for (const key of keys) await call("/v1/partnerships?limit=1", { key });
}

/**
 * Fails the 1st, 2nd, 3rd ... database operation of the request in turn, until one attempt runs
 * to completion. Every failed attempt must be a 503 problem with Retry-After and leave every table
 * exactly as it was; then the request is made to succeed, and must change something.
 */
async function expectAllOrNothing(a: Attempt, successStatus: number): Promise<number> {
  const before = await snapshot();
  let failures = 0;
  for (let failAt = 1; failAt <= 80; failAt++) {
    const message = TRANSIENT_D1_MESSAGES[failAt % TRANSIENT_D1_MESSAGES.length];
    const { res, gate } = await sendWithFault(a, failAt, message);
    if (res.status === 503) {
      expect(gate.fired).toBe(true);
      const problem = await expectProblem(res, 503, "storage_unavailable");
      expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
      expect(`${problem.title} ${problem.detail}`).not.toMatch(/D1|SQL|network|overloaded|reset/i);
      expect(await snapshot(), `${a.method} ${a.path}: operation ${failAt} failed and left a change`).toEqual(
        before,
      );
      failures += 1;
      continue;
    }
    // Either no fault was injected (the request has fewer operations), or it hit work deferred
    // past a response that had already succeeded.
    expect(res.status, `${a.method} ${a.path} after ${failures} faults: ${await res.clone().text()}`).toBe(
      successStatus,
    );
    expect(await snapshot()).not.toEqual(before);
    expect(failures).toBeGreaterThan(0);
    return failures;
  }
  throw new Error("the request never completed");
}

describe("D1 faults become 503 and leave no partial state", () => {
  it("creating a business (and its key, audit row, revision bump) is all or nothing", async () => {
    const officer = await officerKey();
    await warm(officer);
    await expectAllOrNothing(
      { method: "POST", path: "/v1/businesses", key: officer, body: industryBody({ name: "Fault Create" }) },
      201,
    );
  });

  it("creating a business with an Idempotency-Key: a failed attempt keeps no claim either", async () => {
    const officer = await officerKey();
    await warm(officer);
    await expectAllOrNothing(
      {
        method: "POST",
        path: "/v1/businesses",
        key: officer,
        body: industryBody({ name: "Fault Idem" }),
        headers: { "Idempotency-Key": "fault-idem-00000001" },
      },
      201,
    );
  });

  it("confirming a sign-up by its link (the link used, the sign-up confirmed and audited, a session)", async () => {
    const { token } = await signUpThroughApi(serviceBody({ name: "Fault Confirm", email: uniqueEmail() }));
    await expectAllOrNothing({ method: "POST", path: "/v1/auth/callback", body: { token } }, 204);
  });

  it("self sign-up", async () => {
    await expectAllOrNothing(
      {
        method: "POST",
        path: "/v1/signup",
        body: serviceBody({ name: "Fault Signup", email: uniqueEmail() }),
      },
      201,
    );
  });

  it("editing and publishing a business", async () => {
    const officer = await officerKey();
    await warm(officer);
    const { business } = await seedBusiness(industryBody({ name: "Fault Edit" }));
    await expectAllOrNothing(
      {
        method: "PATCH",
        path: `/v1/businesses/${business.id}`,
        key: officer,
        body: { offers: "Sepatu kulit dan tas", maxPartners: 7 },
      },
      200,
    );
    const pending = {
      id: await confirmedSignUpThroughApi(serviceBody({ name: "Fault Publish", email: uniqueEmail() })),
    };
    await expectAllOrNothing(
      { method: "POST", path: `/v1/businesses/${pending.id}/publish`, key: officer },
      200,
    );
  });

  it("keys and officers", async () => {
    const biz = await seedBusiness(industryBody({ name: "Fault Keys" }));
    const admin = await officerKey("admin");
    await warm(biz.apiKey, admin);
    await expectAllOrNothing(
      {
        method: "POST",
        path: `/v1/businesses/${biz.business.id}/keys`,
        key: biz.apiKey,
        body: { label: "POS" },
      },
      201,
    );
    const listed = (await (await call(`/v1/businesses/${biz.business.id}/keys`, { key: admin })).json()) as {
      items: Array<{ id: string; label: string }>;
    };
    const pos = listed.items.find((k) => k.label === "POS");
    await expectAllOrNothing({ method: "POST", path: `/v1/keys/${pos?.id}/revoke`, key: admin }, 200);
    await expectAllOrNothing(
      { method: "POST", path: "/v1/officers", key: admin, body: { email: `fault-${Date.now()}@kota.id` } },
      201,
    );
  });

  it("a partnership's request, acceptance, approval and end", async () => {
    const maker = await seedBusiness(industryBody({ name: "Fault Maker" }));
    const shop = await seedBusiness(serviceBody({ name: "Fault Shop" }));
    const officer = await officerKey();
    await warm(maker.apiKey, shop.apiKey, officer);
    await expectAllOrNothing(
      {
        method: "POST",
        path: "/v1/partnerships",
        key: shop.apiKey,
        body: { partnerId: maker.business.id, pattern: "rantai_pasok", message: "Halo" },
      },
      201,
    );
    const { items } = (await (await call("/v1/partnerships", { key: shop.apiKey })).json()) as {
      items: Array<{ id: string }>;
    };
    const id = items[0]?.id ?? "";
    await expectAllOrNothing(
      { method: "POST", path: `/v1/partnerships/${id}/accept`, key: maker.apiKey },
      200,
    );
    await expectAllOrNothing({ method: "POST", path: `/v1/partnerships/${id}/approve`, key: officer }, 200);
    await expectAllOrNothing(
      {
        method: "POST",
        path: `/v1/partnerships/${id}/end`,
        key: shop.apiKey,
        body: { outcome: "cooperation_started" },
      },
      200,
    );
  });

  it("an officer pairing and a declined pair", async () => {
    const maker = await seedBusiness(industryBody({ name: "Fault Pair Maker" }));
    const shop = await seedBusiness(serviceBody({ name: "Fault Pair Shop" }));
    const other = await seedBusiness(serviceBody({ name: "Fault Pair Other" }));
    const officer = await officerKey();
    await warm(maker.apiKey, officer);
    await expectAllOrNothing(
      {
        method: "POST",
        path: "/v1/partnerships",
        key: officer,
        body: { requesterId: shop.business.id, partnerId: maker.business.id, pattern: "rantai_pasok" },
      },
      201,
    );
    await expectAllOrNothing(
      {
        method: "POST",
        path: "/v1/declined-pairs",
        key: maker.apiKey,
        body: { partnerId: other.business.id },
      },
      200,
    );
  });

  it("declining, cancelling, rejecting, deactivating and resetting", async () => {
    const maker = await seedBusiness(industryBody({ name: "Fault Misc Maker", maxPartners: 5 }));
    const shops = [];
    for (const i of [1, 2, 3]) shops.push(await seedBusiness(serviceBody({ name: `Fault Misc Shop ${i}` })));
    const [s1, s2, s3] = shops as [(typeof shops)[0], (typeof shops)[0], (typeof shops)[0]];
    const officer = await officerKey();
    const admin = await officerKey("admin");
    await warm(maker.apiKey, s1.apiKey, s2.apiKey, officer, admin);
    const p1 = await request(s1.apiKey, maker.business.id);
    await expectAllOrNothing(
      { method: "POST", path: `/v1/partnerships/${p1.id}/decline`, key: maker.apiKey },
      200,
    );
    await expectAllOrNothing(
      {
        method: "POST",
        path: "/v1/declined-pairs/reset",
        key: officer,
        body: { businessIds: [maker.business.id, s1.business.id] },
      },
      200,
    );
    const p2 = await request(s2.apiKey, maker.business.id);
    await expectAllOrNothing(
      { method: "POST", path: `/v1/partnerships/${p2.id}/cancel`, key: s2.apiKey },
      200,
    );
    const p3 = await request(s3.apiKey, maker.business.id);
    expect((await act(p3.id, "accept", maker.apiKey)).status).toBe(200);
    await expectAllOrNothing(
      {
        method: "POST",
        path: `/v1/partnerships/${p3.id}/reject`,
        key: officer,
        body: { reason: "Tidak lengkap" },
      },
      200,
    );
    const pending = {
      id: await confirmedSignUpThroughApi(serviceBody({ name: "Fault Reject", email: uniqueEmail() })),
    };
    await expectAllOrNothing(
      {
        method: "POST",
        path: `/v1/businesses/${pending.id}/reject`,
        key: officer,
        body: { reason: "Data palsu" },
      },
      200,
    );
    await expectAllOrNothing(
      { method: "POST", path: `/v1/businesses/${s3.business.id}/deactivate`, key: officer },
      200,
    );
    const created = await call("/v1/officers", {
      key: admin,
      body: { email: `fault-off-${Date.now()}@kota.id` },
    });
    const { officer: newOfficer } = (await created.json()) as { officer: { id: string } };
    await expectAllOrNothing(
      { method: "POST", path: `/v1/officers/${newOfficer.id}/deactivate`, key: admin },
      200,
    );
  });

  it("a request that is refused (409) after a fault is still a clean 409 on retry", async () => {
    const maker = await seedBusiness(industryBody({ name: "Fault Twice" }));
    const shop = await seedBusiness(serviceBody({ name: "Fault Twice Shop" }));
    const p = await request(shop.apiKey, maker.business.id);
    expect((await act(p.id, "accept", maker.apiKey)).status).toBe(200);
    const { res } = await sendWithFault(
      { method: "POST", path: `/v1/partnerships/${p.id}/accept`, key: maker.apiKey },
      1,
    );
    await expectProblem(res, 503, "storage_unavailable");
    await expectProblem(await act(p.id, "accept", maker.apiKey), 409);
  });

  it("logs the storage error with the request id and answers nothing internal", async () => {
    const officer = await officerKey();
    await warm(officer);
    const { res } = await sendWithFault({ method: "GET", path: "/v1/businesses", key: officer }, 1);
    const problem = await expectProblem(res, 503, "storage_unavailable");
    const line = logged.mock.calls
      .map((c: unknown[]) => String(c[0]))
      .find((l: string) => l.includes(problem.requestId));
    expect(line).toContain("Network connection lost");
  });

  it("treats a constraint failure as a bug: 500 with no detail", async () => {
    const officer = await officerKey();
    await warm(officer);
    const before = await snapshot();
    const { res } = await sendWithFault(
      { method: "POST", path: "/v1/businesses", key: officer, body: industryBody({ name: "Fault Bug" }) },
      1,
      "D1_ERROR: UNIQUE constraint failed: api_keys.prefix: SQLITE_CONSTRAINT",
    );
    const problem = await expectProblem(res, 500, "internal_error");
    expect(problem.detail).toBeUndefined();
    expect(JSON.stringify(problem)).not.toMatch(/UNIQUE|api_keys|SQLITE/);
    expect(await snapshot()).toEqual(before);
  });
});
