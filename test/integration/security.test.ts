import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import { createApiKey, findKeyByPrefix, revokeApiKey } from "../../src/services/api-keys.service";
import { call, deps, expectProblem, industryBody, officerKey, seedBusiness, serviceBody } from "./helpers";

afterEach(() => {
  vi.restoreAllMocks();
});

const v1Routes: Array<[string, string]> = [
  ["POST", "/v1/businesses"],
  ["GET", "/v1/businesses"],
  ["GET", "/v1/businesses/biz_x"],
  ["PATCH", "/v1/businesses/biz_x"],
  ["POST", "/v1/businesses/biz_x/deactivate"],
  ["GET", "/v1/businesses/biz_x/matches"],
];

describe("anonymous and bad credentials", () => {
  it.each(v1Routes)("returns 401 with a Bearer challenge for anonymous %s %s", async (method, path) => {
    const res = await call(path, { method, ...(method !== "GET" ? { body: industryBody() } : {}) });
    await expectProblem(res, 401, "unauthorized");
    expect(res.headers.get("WWW-Authenticate")).toBe('Bearer realm="kemitraan"');
  });

  it.each([
    ["a non-Bearer scheme", "Basic dXNlcjpwYXNz"],
    ["a malformed key", "Bearer kmt_short"],
    ["an unknown well-formed key", `Bearer kmt_abcdefgh_${"a".repeat(40)}`],
  ])("returns 401 invalid_token for %s", async (_label, authorization) => {
    const res = await call("/v1/businesses", { headers: { Authorization: authorization } });
    await expectProblem(res, 401, "unauthorized");
    expect(res.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
  });

  it("returns 401 for a key with the right prefix but the wrong secret", async () => {
    const key = await officerKey();
    const forged = `${key.slice(0, 13)}${"z".repeat(40)}`;
    expect(forged).not.toBe(key);
    await expectProblem(await call("/v1/businesses", { key: forged }), 401, "unauthorized");
  });

  it("returns 401 once a key is revoked", async () => {
    const created = await createApiKey(deps(), { kind: "officer", label: "to revoke", now: Date.now() });
    expect((await call("/v1/businesses", { key: created.plaintext })).status).toBe(200);
    await revokeApiKey(deps(), { keyId: created.id, now: Date.now() });
    await expectProblem(await call("/v1/businesses", { key: created.plaintext }), 401, "unauthorized");
  });
});

describe("key use", () => {
  it("records when a key was last used", async () => {
    const created = await createApiKey(deps(), { kind: "officer", label: "usage", now: Date.now() });
    const before = await findKeyByPrefix(deps(), created.prefix);
    expect(before?.lastUsedAt).toBeNull();
    expect((await call("/v1/businesses", { key: created.plaintext })).status).toBe(200);
    await vi.waitFor(async () => {
      expect((await findKeyByPrefix(deps(), created.prefix))?.lastUsedAt).toBeTypeOf("number");
    });
  });
});

describe("business keys see only themselves", () => {
  it("hides another business as 404 on read, update and matches", async () => {
    const a = await seedBusiness(industryBody({ name: "A" }));
    const b = await seedBusiness(serviceBody({ name: "B" }));
    await expectProblem(await call(`/v1/businesses/${b.business.id}`, { key: a.apiKey }), 404, "not_found");
    await expectProblem(
      await call(`/v1/businesses/${b.business.id}`, {
        key: a.apiKey,
        method: "PATCH",
        body: { name: "pwned" },
      }),
      404,
      "not_found",
    );
    await expectProblem(
      await call(`/v1/businesses/${b.business.id}/matches`, { key: a.apiKey }),
      404,
      "not_found",
    );
    const officer = await officerKey();
    const still = (await (await call(`/v1/businesses/${b.business.id}`, { key: officer })).json()) as {
      name: string;
    };
    expect(still.name).toBe("B");
  });

  it.each([
    ["list the registry", "GET", "/v1/businesses"],
    ["create a business", "POST", "/v1/businesses"],
  ])("forbids a business key to %s (403)", async (_label, method, path) => {
    const a = await seedBusiness(industryBody());
    const res = await call(path, {
      key: a.apiKey,
      method,
      ...(method === "POST" ? { body: serviceBody() } : {}),
    });
    await expectProblem(res, 403, "forbidden");
  });

  it("forbids a business key to deactivate, even itself", async () => {
    const a = await seedBusiness(industryBody());
    await expectProblem(
      await call(`/v1/businesses/${a.business.id}/deactivate`, { key: a.apiKey, method: "POST" }),
      403,
      "forbidden",
    );
  });

  it("forbids a business to change its own active flag", async () => {
    const a = await seedBusiness(industryBody());
    const res = await call(`/v1/businesses/${a.business.id}`, {
      key: a.apiKey,
      method: "PATCH",
      body: { active: false },
    });
    await expectProblem(res, 403, "forbidden_field");
    const officer = await officerKey();
    const after = (await (await call(`/v1/businesses/${a.business.id}`, { key: officer })).json()) as {
      active: boolean;
    };
    expect(after.active).toBe(true);
  });
});

describe("internal errors", () => {
  it("answers 500 with no internal detail and logs it with the request id", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const brokenDb = {
      prepare() {
        throw new Error("SQLITE_SECRET: table api_keys is on fire");
      },
    } as unknown as D1Database;
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request("https://kemitraan.test/v1/businesses", {
        headers: { Authorization: `Bearer kmt_abcdefgh_${"a".repeat(40)}` },
      }),
      { ...env, DB: brokenDb },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const problem = await expectProblem(res, 500, "internal_error");
    expect(problem.title).toBe("Internal error");
    expect(problem.detail).toBeUndefined();
    expect(JSON.stringify(problem)).not.toMatch(/SQLITE|fire|stack|api_keys/);
    const line = logged.mock.calls.map((c) => String(c[0])).find((l) => l.includes("on fire"));
    expect(line).toContain(problem.requestId);
  });
});

describe("response headers", () => {
  it("sets security headers and a request id on every response", async () => {
    const res = await call("/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});
