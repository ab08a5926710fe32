import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { app, BODY_LIMIT_BYTES, openApiDocument } from "../../src/app";
import { createApiKey } from "../../src/services/api-keys.service";
import { markKeysUsed, type Snapshot, snapshot } from "./db-snapshot";
import {
  anyString,
  fromSchema,
  hostileString,
  type JsonSchema,
  type SchemaDocument,
} from "./fuzz-arbitraries";
import { industryBody, officerKey, seedBusiness, serviceBody } from "./helpers";
import { request as requestPartnership } from "./partnerships.helpers";

/**
 * Property-based fuzzing of every route from its contract (the OpenAPI document the zod schemas
 * generate), plus malformed JSON, wrong content types, bodies over the limit, hostile strings and
 * wrong methods, as every role. For every request: no 5xx; every error is problem+json with the
 * shared shape; security headers are set; and a rejected request leaves every table unchanged.
 */

const REQUESTS_PER_RUN = 2_100;
const ROLES = ["anonymous", "other", "self", "officer", "admin", "badKey"] as const;
type Role = (typeof ROLES)[number];

interface Operation {
  method: string;
  /** OpenAPI form: `/v1/businesses/{id}`. */
  path: string;
  parameters: Array<{ name: string; in: string; required?: boolean; schema?: JsonSchema }>;
  body?: JsonSchema;
}

const doc = openApiDocument() as unknown as SchemaDocument & {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: unknown[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }
    >
  >;
  components: { parameters?: Record<string, Operation["parameters"][number]> };
};

/** Every route of the app, with its contract where the OpenAPI document has one. */
function operations(): Operation[] {
  const out = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const parameters = (op.parameters ?? []).map((p) => {
        const ref = (p as { $ref?: string }).$ref;
        return (
          ref ? doc.components.parameters?.[ref.split("/").at(-1) ?? ""] : p
        ) as Operation["parameters"][number];
      });
      const body = op.requestBody?.content?.["application/json"]?.schema;
      out.set(`${method.toUpperCase()} ${path}`, {
        method: method.toUpperCase(),
        path,
        parameters,
        ...(body ? { body } : {}),
      });
    }
  }
  // Plain routes outside the document (/openapi.json, /docs): fuzzed with queries and bodies only.
  for (const r of app.routes) {
    if (r.method === "ALL") continue;
    const path = r.path.replace(/:(\w+)/g, "{$1}");
    const key = `${r.method} ${path}`;
    if (!out.has(key)) out.set(key, { method: r.method, path, parameters: [] });
  }
  return [...out.values()].sort((a, b) => `${a.method} ${a.path}`.localeCompare(`${b.method} ${b.path}`));
}

interface FuzzRequest {
  role: Role;
  method: string;
  params: Record<string, string>;
  query: Array<[string, string]>;
  body:
    | { kind: "json"; value: unknown }
    | { kind: "malformed"; text: string }
    | { kind: "wrongType"; contentType: string; text: string }
    | { kind: "huge" }
    | { kind: "none" };
  idempotencyKey: string | null;
  acceptLanguage: string | null;
}

let ids: Record<string, string[]> = {};

function asParamString(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
}

function requestArbitrary(op: Operation): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === "path");
  const queryParams = op.parameters.filter((p) => p.in === "query");
  const params = fc.record(
    Object.fromEntries(
      pathParams.map((p) => [
        p.name,
        fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...(ids[p.name] ?? ids.id ?? ["x"])) },
          { weight: 1, arbitrary: fromSchema(p.schema ?? { type: "string" }, doc).map(asParamString) },
          { weight: 1, arbitrary: hostileString },
        ),
      ]),
    ),
  ) as fc.Arbitrary<Record<string, string>>;
  const query = fc
    .tuple(
      fc.record(
        Object.fromEntries(
          queryParams.map((p) => [
            p.name,
            fromSchema(p.schema ?? { type: "string" }, doc).map(asParamString),
          ]),
        ),
        { requiredKeys: [] },
      ),
      fc.option(fc.tuple(anyString, anyString), { freq: 6 }),
    )
    .map(([known, extra]) => {
      const pairs = Object.entries(known as Record<string, string>);
      if (extra) pairs.push(extra);
      return pairs;
    });
  const valid = op.body ? fromSchema(op.body, doc) : fc.jsonValue({ maxDepth: 2 });
  const body = fc.oneof(
    { weight: op.body ? 8 : 1, arbitrary: valid.map((value) => ({ kind: "json" as const, value })) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          valid.map((v) => {
            const text = JSON.stringify(v) ?? "{";
            return text.slice(0, Math.max(1, text.length - 1));
          }),
          fc.string({ maxLength: 30 }),
          fc.constantFrom("{", "[", '{"a":', "{'a': 1}", "\u0000", "{}}", '{"__proto__": {"x": 1}}'),
        )
        .map((text) => ({ kind: "malformed" as const, text })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          contentType: fc.constantFrom(
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/xml",
            "application/json; charset=utf-16",
          ),
          text: valid.map((v) => JSON.stringify(v) ?? ""),
        })
        .map((r) => ({ kind: "wrongType" as const, ...r })),
    },
    { weight: 1, arbitrary: fc.constant({ kind: "huge" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
  );
  return fc.record({
    role: fc.constantFrom(...ROLES),
    method: fc.oneof(
      { weight: 19, arbitrary: fc.constant(op.method) },
      { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE") },
    ),
    params,
    query,
    body,
    idempotencyKey: fc.option(fc.oneof(fc.uuid(), anyString), { freq: 4 }),
    acceptLanguage: fc.option(fc.oneof(fc.constantFrom("en", "id-ID,id;q=0.9", "en;q=abc"), anyString), {
      freq: 4,
    }),
  });
}

/** Header values must be ByteStrings; others are made printable (the fuzz is of our parsing). */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, "?");
}

function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // A lone surrogate: send bytes that are not UTF-8 at all.
    return "%ED%A0%80";
  }
}

let keys: Record<Role, string | null>;
const hugeBody = JSON.stringify({ name: "x".repeat(BODY_LIMIT_BYTES + 1024) });

function toRequest(op: Operation, r: FuzzRequest): Request {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeSegment(r.params[name] ?? ""));
  const search = new URLSearchParams(r.query).toString();
  const headers = new Headers();
  const key = keys[r.role];
  if (key) headers.set("Authorization", `Bearer ${key}`);
  if (r.idempotencyKey !== null) headers.set("Idempotency-Key", headerSafe(r.idempotencyKey));
  if (r.acceptLanguage !== null) headers.set("Accept-Language", headerSafe(r.acceptLanguage));
  let body: string | undefined;
  switch (r.body.kind) {
    case "json":
      body = JSON.stringify(r.body.value) ?? "null";
      headers.set("Content-Type", "application/json");
      break;
    case "malformed":
      body = r.body.text;
      headers.set("Content-Type", "application/json");
      break;
    case "wrongType":
      body = r.body.text;
      headers.set("Content-Type", r.body.contentType);
      break;
    case "huge":
      body = hugeBody;
      headers.set("Content-Type", "application/json");
      break;
    case "none":
      break;
  }
  const method = r.method;
  const hasBody = method !== "GET" && method !== "HEAD" && body !== undefined;
  return new Request(`https://kemitraan.test${path}${search ? `?${search}` : ""}`, {
    method,
    headers,
    ...(hasBody ? { body } : {}),
  });
}

const allowAll = { limit: async () => ({ success: true }) } as unknown as RateLimit;
const dropQueue = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue;
/**
 * The Worker's env with the rate limiters letting everything through (2,000 writes from six
 * callers would otherwise be 429s) and the recompute queue discarding messages (a consumer
 * writing in the background would blur "this request changed nothing").
 */
const fuzzEnv = {
  ...env,
  WRITE_LIMITER: allowAll,
  SIGN_UP_LIMITER: allowAll,
  SIGN_IN_IP_LIMITER: allowAll,
  SIGN_IN_EMAIL_LIMITER: allowAll,
  RECOMPUTE_QUEUE: dropQueue,
};

const tally = { requests: 0, ok: 0, rejected: 0, serverErrors: 0, routes: 0 };
let baseline: Snapshot;

async function checkOne(op: Operation, r: FuzzRequest): Promise<void> {
  const req = toRequest(op, r);
  const label = `${req.method} ${new URL(req.url).pathname} as ${r.role} (${r.body.kind})`;
  const ctx = createExecutionContext();
  const res = await app.fetch(req, fuzzEnv, ctx);
  await waitOnExecutionContext(ctx);
  tally.requests += 1;
  const text = await res.text();
  if (res.status >= 500) tally.serverErrors += 1;
  expect(res.status, `${label}: ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(res.headers.get("X-Content-Type-Options"), label).toBe("nosniff");
  expect(res.headers.get("Content-Security-Policy"), label).toContain("default-src 'none'");
  expect(res.headers.get("X-Request-Id"), label).toMatch(/^[0-9a-f-]{36}$/);
  const after = await snapshot();
  if (res.status < 400) {
    tally.ok += 1;
    baseline = after;
    return;
  }
  tally.rejected += 1;
  expect(res.headers.get("Content-Type"), label).toBe("application/problem+json");
  const problem = JSON.parse(text) as Record<string, unknown>;
  expect(problem, label).toMatchObject({
    type: expect.stringMatching(/^\/problems\/[a-z_]+$/),
    title: expect.any(String),
    status: res.status,
    instance: expect.any(String),
    code: expect.stringMatching(/^[a-z_]+$/),
    requestId: res.headers.get("X-Request-Id"),
  });
  expect(after, `${label}: a rejected request changed the database`).toEqual(baseline);
}

beforeAll(async () => {
  vi.spyOn(console, "error").mockImplementation(() => undefined);
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
  const self = await seedBusiness(industryBody({ name: "Fuzz Self", maxPartners: 50 }));
  const partner = await seedBusiness(serviceBody({ name: "Fuzz Partner", maxPartners: 50 }));
  const other = await seedBusiness(industryBody({ name: "Fuzz Other" }));
  const officer = await officerKey("officer");
  const admin = await officerKey("admin");
  const p = await requestPartnership(partner.apiKey, self.business.id);
  const extraKey = await createApiKey(
    { db: (await import("./helpers")).deps().db },
    { kind: "business", businessId: self.business.id, label: "fuzz", now: Date.now() },
  );
  keys = {
    anonymous: null,
    other: other.apiKey,
    self: self.apiKey,
    officer,
    admin,
    badKey: `kmt_zzzzzzzz_${"z".repeat(40)}`,
  };
  ids = {
    id: [self.business.id, partner.business.id, other.business.id, p.id, "biz_unknown"],
    keyId: [extraKey.id, "key_unknown"],
    runId: ["run_unknown"],
  };
  await markKeysUsed();
  baseline = await snapshot();
});

afterAll(() => {
  vi.restoreAllMocks();
  // One line for the report: how much was fuzzed and what came back.
  console.log(
    `fuzz: ${tally.requests} requests over ${tally.routes} routes x ${ROLES.length} roles: ` +
      `${tally.ok} accepted, ${tally.rejected} rejected (database unchanged after each), ${tally.serverErrors} 5xx`,
  );
});

describe("fuzzing every route from its contract", () => {
  const ops = operations();
  const runsPerRoute = Math.ceil(REQUESTS_PER_RUN / ops.length);

  it.each(ops.map((op) => [`${op.method} ${op.path}`, op] as const))(
    "%s: no 5xx, problem+json errors, nothing written when rejected",
    async (_name, op) => {
      tally.routes += 1;
      await fc.assert(
        fc.asyncProperty(requestArbitrary(op), (r) => checkOne(op, r)),
        { numRuns: runsPerRoute, endOnFailure: true },
      );
    },
    120_000,
  );
});
