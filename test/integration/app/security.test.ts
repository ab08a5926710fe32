import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../../../src/app";
import { DOCS_CSP } from "../../../src/routes/docs.page";
import { createApiKey, findKeyByPrefix, revokeApiKey } from "../../../src/services/accounts/api-keys.service";
import { call, deps, expectProblem, industryBody, officerKey, seedBusiness, serviceBody } from "../helpers";

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

describe("internal errors disclose nothing, whatever was thrown", () => {
  const SECRET = "SECRET_sqlite_api_keys_hash_stack";
  it.each<[string, () => unknown]>([
    ["an Error", () => new Error(`${SECRET} at /src/services/api-keys.service.ts:42`)],
    ["a string", () => SECRET],
    ["an object", () => ({ message: SECRET, toString: () => SECRET })],
    [
      "an Error with a cause",
      () => new Error("Failed query: select hash from api_keys", { cause: new Error(SECRET) }),
    ],
    ["a TypeError", () => new TypeError(`Cannot read properties of undefined (reading '${SECRET}')`)],
  ])("answers a bare 500 when the database layer throws %s", async (_label, thrown) => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const brokenDb = {
      prepare() {
        throw thrown();
      },
      batch() {
        throw thrown();
      },
    } as unknown as D1Database;
    const officer = await officerKey();
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request("https://kemitraan.test/v1/signup", {
        method: "POST",
        headers: { Authorization: `Bearer ${officer}`, "Content-Type": "application/json" },
        body: JSON.stringify(serviceBody({ name: "Secret 500" })),
      }),
      { ...env, DB: brokenDb },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain(SECRET);
    expect(text).not.toMatch(/stack|api_keys|select|\.ts/i);
    const problem = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(problem).sort()).toEqual(["code", "instance", "requestId", "status", "title", "type"]);
    expect(problem).toMatchObject({ code: "internal_error", title: "Internal error", status: 500 });
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });
});

describe("response headers", () => {
  const HEADER_CASES: Array<[string, () => Promise<Response>, number]> = [
    ["a JSON 200", () => call("/health"), 200],
    ["the index", () => call("/"), 200],
    ["an unknown route (404)", () => call("/v1/nope"), 404],
    ["anonymous (401)", () => call("/v1/businesses"), 401],
    [
      "malformed JSON (400)",
      () => call("/v1/signup", { rawBody: "{", headers: { "Content-Type": "application/json" } }),
      400,
    ],
    [
      "a wrong content type (415)",
      () => call("/v1/signup", { rawBody: "x", headers: { "Content-Type": "text/plain" } }),
      415,
    ],
    [
      "a body over the limit (413)",
      () =>
        call("/v1/signup", {
          rawBody: JSON.stringify({ name: "x".repeat(70_000) }),
          headers: { "Content-Type": "application/json" },
        }),
      413,
    ],
    ["invalid fields (422)", () => call("/v1/signup", { body: { name: "" } }), 422],
    ["a bad sign-in link (400)", () => call("/v1/auth/callback", { body: { token: "A".repeat(43) } }), 400],
  ];

  it.each(HEADER_CASES)(
    "sets the security headers, a CSP and a request id on %s",
    async (_label, send, status) => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("X-Frame-Options")).toBe("DENY");
      expect(res.headers.get("Strict-Transport-Security")).toContain("max-age=");
      expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
      expect(res.headers.get("Content-Security-Policy")).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
    },
  );

  it("keeps personal data out of caches: /v1 responses are no-store", async () => {
    const officer = await officerKey();
    const { business } = await seedBusiness(industryBody());
    const res = await call(`/v1/businesses/${business.id}`, { key: officer });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect((await call("/v1/businesses")).headers.get("Cache-Control")).toBe("no-store");
  });

  it("lets the docs page keep its own CSP: no script may run, inline styles only", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Security-Policy")).toBe(DOCS_CSP);
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
  });

  it("sets security headers and a request id on every response", async () => {
    const res = await call("/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});
