import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { officers } from "../../../schema";
import { app, BODY_LIMIT_BYTES, LARGE_UPLOAD_PATHS, openApiDocument } from "../../../src/app";
import { ACCESS_JWT_HEADER } from "../../../src/auth/access-jwt.resolver";
import { PARTNERSHIP_OUTCOMES } from "../../../src/domain/partnership";
import { JOBS } from "../../../src/jobs/registry";
import { newId } from "../../../src/lib/ids";
import { PARTNERSHIP_PATTERNS } from "../../../src/matching";
import { createApiKey } from "../../../src/services/accounts/api-keys.service";
import { CSRF_COOKIE } from "../../../src/ui/context";
import { markKeysUsed, type Snapshot, snapshot } from "../db-snapshot";
import { industryBody, officerKey, seedBusiness, serviceBody } from "../helpers";
import { request as requestPartnership } from "../services/partnerships/partnerships.helpers";
import { insertDraft } from "../services/partnerships/proposals.helpers";
import {
  anyString,
  fromSchema,
  hostileString,
  type JsonSchema,
  type SchemaDocument,
} from "./fuzz-arbitraries";

/**
 * Property-based fuzzing of every route from its contract (the OpenAPI document the zod schemas
 * generate), plus malformed JSON, wrong content types, bodies over the limit, hostile strings and
 * wrong methods, as every role. For every request: no 5xx; security headers are set; a rejected
 * request (and any GET) leaves every table unchanged; every /v1 error is problem+json with the
 * shared shape. The console (/ui) is fuzzed as a browser's forms would reach it and as forgeries
 * would: urlencoded and multipart forms with junk fields, with and without the CSRF token and
 * cookie, from our origin, another site or no origin at all. Its errors are HTML pages with a
 * 4xx status of their own (never problem+json, never a 500), and a form post without a valid
 * token from our origin is always a 403.
 *
 * One role is an officer signed in through Cloudflare Access (the assertion header, no key): its
 * state-changing requests from another site, another origin or none stated are always a 403, on
 * the API and the console alike. Every accepted state-changing request was counted against the
 * rate limits: the caller's write limit, and the per-IP (and per-email) limits of the sign-in and
 * sign-up doors, whether it came through the API or a console form.
 */

const REQUESTS_PER_RUN = 2_100;
const ROLES = ["anonymous", "other", "self", "officer", "admin", "badKey", "access"] as const;
type Role = (typeof ROLES)[number];

interface Operation {
  method: string;
  /** OpenAPI form: `/v1/businesses/{id}`. */
  path: string;
  parameters: Array<{ name: string; in: string; required?: boolean; schema?: JsonSchema }>;
  body?: JsonSchema;
  /** Path parameters a plain route constrains to a list (`:action{accept|decline|cancel}`). */
  choices?: Record<string, string[]>;
}

const isConsole = (path: string) => path === "/ui" || path.startsWith("/ui/");

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
    const choices: Record<string, string[]> = {};
    const path = r.path.replace(/:(\w+)(?:\{([\w|]+)\})?/g, (_, name: string, alternatives?: string) => {
      if (alternatives) choices[name] = alternatives.split("|");
      return `{${name}}`;
    });
    const parameters = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1] ?? "", in: "path" }));
    const key = `${r.method} ${path}`;
    if (!out.has(key)) out.set(key, { method: r.method, path, parameters, choices });
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
  /** Where an API request says it comes from (a console request says it in `form`). */
  site: Site;
  /** Console only: the form's fields and how the browser (or a forger) sends it. */
  form?: ConsoleForm;
}

type Site = "same" | "originOnly" | "crossSite" | "foreignOrigin" | "none";

/** Mostly our own pages; otherwise a forger's, or a client that says nothing. */
const siteArbitrary: fc.Arbitrary<Site> = fc.oneof(
  { weight: 6, arbitrary: fc.constant("same" as const) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "originOnly" as const,
      "crossSite" as const,
      "foreignOrigin" as const,
      "none" as const,
    ),
  },
);

const fromOwnPages = (site: Site) => site === "same" || site === "originOnly";

interface ConsoleForm {
  fields: Array<[string, string]>;
  encoding: "urlencoded" | "multipart";
  /** valid: our token and its cookie; the others are forgeries or stale pages. */
  csrf: "valid" | "missing" | "wrong" | "noCookie";
  /** Where the request says it comes from. */
  site: Site;
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
          {
            weight: 3,
            arbitrary: fc.constantFrom(...(op.choices?.[p.name] ?? ids[p.name] ?? ids.id ?? ["x"])),
          },
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
    site: siteArbitrary,
  });
}

/** The fields the console's forms read, and values both plausible and hostile. */
const FORM_FIELDS = ["reason", "email", "token", "key", "partnerId", "pattern", "message", "outcome", "note"];

function consoleFormArbitrary(): fc.Arbitrary<ConsoleForm> {
  const plausible = fc.constantFrom(
    ...(ids.id ?? []),
    ...PARTNERSHIP_PATTERNS,
    ...PARTNERSHIP_OUTCOMES,
    "pemilik@example.id",
    "A".repeat(43),
    `kmt_zzzzzzzz_${"z".repeat(40)}`,
    "Data tidak lengkap",
  );
  const value = fc.oneof({ weight: 2, arbitrary: plausible }, { weight: 2, arbitrary: anyString });
  const junkFields = fc
    .tuple(
      fc.record(Object.fromEntries(FORM_FIELDS.map((name) => [name, value])), { requiredKeys: [] }),
      fc.array(fc.tuple(anyString, anyString), { maxLength: 3 }),
    )
    .map(([known, junk]) => [...Object.entries(known as Record<string, string>), ...junk]);
  // Every field a console form reads, filled in as its page would: enough to reach the services.
  const fitFields = fc
    .record({
      partnerId: fc.constantFrom(...(ids.id ?? ["x"])),
      pattern: fc.constantFrom(...PARTNERSHIP_PATTERNS),
      outcome: fc.constantFrom(...PARTNERSHIP_OUTCOMES),
    })
    .map((picked) => [
      ...Object.entries(picked),
      ["reason", "Data tidak lengkap"],
      ["email", "miji@example.id"],
      ["message", "Halo, kami tertarik bermitra."],
      ["note", ""],
      ["token", "A".repeat(43)],
      ["key", keys.officer ?? ""],
    ]) as fc.Arbitrary<Array<[string, string]>>;
  const fields = fc.oneof({ weight: 2, arbitrary: junkFields }, { weight: 1, arbitrary: fitFields });
  return fc.record({
    fields,
    encoding: fc.constantFrom("urlencoded" as const, "multipart" as const),
    csrf: fc.oneof(
      { weight: 6, arbitrary: fc.constant("valid" as const) },
      { weight: 1, arbitrary: fc.constantFrom("missing" as const, "wrong" as const, "noCookie" as const) },
    ),
    site: siteArbitrary,
  });
}

/**
 * The console's requests: mostly forms as its pages send them, else forgeries and the API fuzz's
 * malformed, mistyped and oversized bodies.
 */
function consoleRequestArbitrary(op: Operation): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(
      requestArbitrary(op),
      consoleFormArbitrary(),
      fc.oneof(
        { weight: 6, arbitrary: fc.constant("form" as const) },
        { weight: 1, arbitrary: fc.constant("api" as const) },
      ),
    )
    .map(([r, form, bodyFrom]) => ({
      ...r,
      form,
      // A form replaces the JSON body; "api" keeps the malformed, mistyped, huge or empty body.
      body: bodyFrom === "form" || r.body.kind === "json" ? { kind: "none" as const } : r.body,
    }));
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
const ORIGIN = "https://kemitraan.test";
/** The fuzz's browser: its CSRF secret cookie and the form token the console derives from it. */
let csrf: { cookie: string; token: string };

/** The headers a browser sets to say where a request comes from. */
function setSite(site: Site, headers: Headers): void {
  if (site === "same") {
    headers.set("Sec-Fetch-Site", "same-origin");
    headers.set("Origin", ORIGIN);
  } else if (site === "originOnly") headers.set("Origin", ORIGIN);
  else if (site === "crossSite") {
    headers.set("Sec-Fetch-Site", "cross-site");
    headers.set("Origin", "https://evil.example");
  } else if (site === "foreignOrigin") headers.set("Origin", "https://evil.example");
}

function consoleHeaders(r: FuzzRequest, headers: Headers): BodyInit | undefined {
  const form = r.form;
  if (!form) {
    setSite(r.site, headers);
    return undefined;
  }
  if (form.csrf !== "noCookie") headers.set("Cookie", `${CSRF_COOKIE}=${csrf.cookie}`);
  setSite(form.site, headers);
  if (r.body.kind !== "none") return undefined;
  const fields = [...form.fields];
  if (form.csrf === "valid" || form.csrf === "noCookie") fields.push(["_csrf", csrf.token]);
  else if (form.csrf === "wrong") fields.push(["_csrf", "0".repeat(64)]);
  if (form.encoding === "urlencoded") {
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    // Both take USVStrings: a lone surrogate arrives as U+FFFD, as from a browser.
    return new URLSearchParams(fields).toString();
  }
  const data = new FormData();
  // workerd cannot serialise a part name that ends in a backslash (nor could a browser send one).
  for (const [k, v] of fields) data.append(k.endsWith("\\") ? `${k}_` : k, v);
  return data;
}

function toRequest(op: Operation, r: FuzzRequest): Request {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeSegment(r.params[name] ?? ""));
  const search = new URLSearchParams(r.query).toString();
  const headers = new Headers({ "CF-Connecting-IP": CLIENT_IP });
  const key = keys[r.role];
  if (r.role === "access") headers.set(ACCESS_JWT_HEADER, accessJwt);
  else if (key) headers.set("Authorization", `Bearer ${key}`);
  if (r.idempotencyKey !== null) headers.set("Idempotency-Key", headerSafe(r.idempotencyKey));
  if (r.acceptLanguage !== null) headers.set("Accept-Language", headerSafe(r.acceptLanguage));
  let body: BodyInit | undefined = consoleHeaders(r, headers);
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
  return new Request(`${ORIGIN}${path}${search ? `?${search}` : ""}`, {
    method,
    headers,
    ...(hasBody ? { body } : {}),
  });
}

/** Each request's rate-limit counts; every limiter lets everything through. */
const limiterCalls: Array<{ binding: string; key: string }> = [];
const counting = (binding: string) =>
  ({
    limit: async ({ key }: { key: string }) => {
      limiterCalls.push({ binding, key });
      return { success: true };
    },
  }) as unknown as RateLimit;
/** The address Cloudflare's edge reports for the fuzz's client, so per-IP limits apply. */
const CLIENT_IP = "198.51.100.77";
const ACCESS_TEAM = "kemitraan-fuzz.cloudflareaccess.com";
const ACCESS_AUD = "fuzz-access-audience";
let accessJwt = "";
const dropQueue = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue;
const dropEmail = { send: async () => ({ messageId: "fuzz" }) } as unknown as SendEmail;
/**
 * The Worker's env with the rate limiters counting but letting everything through (2,000 writes
 * from seven callers would otherwise be 429s), Cloudflare Access on (its keys served locally), the
 * recompute and jobs queues discarding messages (a consumer writing in the background would blur
 * "this request changed nothing") and mail going nowhere.
 */
const fuzzEnv = {
  ...env,
  ACCESS_TEAM_DOMAIN: ACCESS_TEAM,
  ACCESS_AUD,
  WRITE_LIMITER: counting("WRITE_LIMITER"),
  SIGN_UP_LIMITER: counting("SIGN_UP_LIMITER"),
  SIGN_IN_IP_LIMITER: counting("SIGN_IN_IP_LIMITER"),
  SIGN_IN_EMAIL_LIMITER: counting("SIGN_IN_EMAIL_LIMITER"),
  RECOMPUTE_QUEUE: dropQueue,
  JOBS_QUEUE: dropQueue,
  EMAIL: dropEmail,
  MAIL_PROVIDER: "log",
};

const tally = {
  requests: 0,
  ok: 0,
  rejected: 0,
  serverErrors: 0,
  routes: 0,
  console: 0,
  consoleOk: 0,
  forgeries: 0,
  accessForgeries: 0,
  counted: 0,
};
let baseline: Snapshot;

/**
 * Stored suggestions are a cache a read may refresh (a stale set is rescored when shown); every
 * other table must be untouched by a GET.
 */
function withoutCache(s: Snapshot): Snapshot {
  const { suggestions: _s, suggestion_sets: _sets, ...rest } = s;
  return rest;
}

/** The statuses a console page may refuse with; anything else is a bug. */
const CONSOLE_REFUSALS = [400, 401, 403, 404, 405, 409, 413, 415, 422];

/**
 * What the console must answer to a form post whatever the route would do, in the order its
 * middleware checks: the body limit, the credentials, the origin, the form itself, the token.
 * Null when the request is fit to reach the handler.
 */
function consoleRefusal(op: Operation, r: FuzzRequest): { status: number; code: string } | null {
  if (!r.form || r.method !== "POST" || op.method !== "POST") return null;
  // The procurement uploads read up to 5 MB: a "huge" form reaches the checks below there.
  if (r.body.kind === "huge" && !LARGE_UPLOAD_PATHS.has(op.path))
    return { status: 413, code: "payload_too_large" };
  if (r.role === "badKey") return { status: 401, code: "unauthorized" };
  // The Access assertion is refused while authenticating, before the form is looked at.
  if (r.role === "access" && !fromOwnPages(r.form.site)) return { status: 403, code: "forbidden" };
  if (!fromOwnPages(r.form.site)) return { status: 403, code: "csrf_failed" };
  // A "huge" body is JSON text too: where it passes the size limit (the uploads) it is not a form.
  if (r.body.kind === "malformed" || r.body.kind === "huge") {
    return { status: 415, code: "unsupported_media_type" };
  }
  if (r.body.kind === "wrongType") {
    const type = r.body.contentType.split(";")[0] ?? "";
    // A JSON text read as a urlencoded form is a form without a token.
    if (type === "application/x-www-form-urlencoded") return { status: 403, code: "csrf_failed" };
    if (type === "multipart/form-data") return { status: 400, code: "malformed_form" };
    return { status: 415, code: "unsupported_media_type" };
  }
  if (r.form.csrf !== "valid") return { status: 403, code: "csrf_failed" };
  return null;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * A state-changing request by an officer through Access that does not come from our own pages
 * (the Access cookie rides along on a forged cross-site request): always a 403, whatever it asks,
 * unless the body is over the limit (refused before anyone is authenticated). Null otherwise.
 */
function accessRefusal(r: FuzzRequest, path: string): { status: number; code: string } | null {
  if (r.role !== "access" || !UNSAFE.has(r.method)) return null;
  if (!path.startsWith("/v1/") && !isConsole(path)) return null;
  if (fromOwnPages(r.form?.site ?? r.site)) return null;
  // The "huge" body passes the CSV import's own, larger limit, so there it reaches authentication.
  if (r.body.kind === "huge" && !LARGE_UPLOAD_PATHS.has(path))
    return { status: 413, code: "payload_too_large" };
  return { status: 403, code: "forbidden" };
}

/** The sign-in and sign-up doors, API and console, and the per-IP limiter each must count against. */
const IP_LIMITED_DOORS: Record<string, string> = {
  "/v1/auth/email-link": "SIGN_IN_IP_LIMITER",
  "/ui/login/email": "SIGN_IN_IP_LIMITER",
  "/v1/signup": "SIGN_UP_LIMITER",
};

/** What an accepted state-changing request must have been counted against (at least). */
function expectedCounts(r: FuzzRequest, path: string, status: number): unknown[] {
  const out: unknown[] = [];
  const door = IP_LIMITED_DOORS[path];
  if (door) out.push({ binding: door, key: `ip:${CLIENT_IP}` });
  if (r.role !== "anonymous" && (path.startsWith("/v1/") || isConsole(path))) {
    const kind = r.role === "other" || r.role === "self" ? "business" : "officer";
    out.push({ binding: "WRITE_LIMITER", key: expect.stringMatching(new RegExp(`^${kind}:`)) });
  }
  if (IP_LIMITED_DOORS[path] === "SIGN_IN_IP_LIMITER" && status < 300) {
    out.push({ binding: "SIGN_IN_EMAIL_LIMITER", key: expect.stringMatching(/^email:/) });
  }
  return out;
}

async function checkOne(op: Operation, r: FuzzRequest): Promise<void> {
  const req = toRequest(op, r);
  const form = r.form
    ? ` form ${r.form.encoding}, csrf ${r.form.csrf}, site ${r.form.site}`
    : ` site ${r.site}`;
  const pathname = new URL(req.url).pathname;
  const label = `${req.method} ${pathname} as ${r.role} (${r.body.kind}${form})`;
  const ctx = createExecutionContext();
  limiterCalls.length = 0;
  const res = await app.fetch(req, fuzzEnv, ctx);
  await waitOnExecutionContext(ctx);
  const counted = [...limiterCalls];
  tally.requests += 1;
  const text = await res.text();
  if (res.status >= 500) tally.serverErrors += 1;
  expect(res.status, `${label}: ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(res.headers.get("X-Content-Type-Options"), label).toBe("nosniff");
  expect(res.headers.get("Content-Security-Policy"), label).toContain("default-src 'none'");
  expect(res.headers.get("X-Request-Id"), label).toMatch(/^[0-9a-f-]{36}$/);
  const after = await snapshot();
  // Compared with the state before this request; the next one compares with this one's, so one
  // failure does not fail every later request too.
  const before = baseline;
  baseline = after;
  if (req.method === "GET" || req.method === "HEAD") {
    if (op.path === "/v1/businesses/{id}/export" && res.status === 200) {
      // The one GET that writes: access to everything held about a business is itself audited
      // (UU 27/2022), one `export` row, and nothing else changes.
      const rows = (snap: Snapshot) => Number((snap.audit_log ?? "0:").split(":")[0]);
      expect(rows(after), `${label}: the export is audited once`).toBe(rows(before) + 1);
      const { audit_log: _a, ...restAfter } = withoutCache(after);
      const { audit_log: _b, ...restBefore } = withoutCache(before);
      expect(restAfter, `${label}: an export changed the database`).toEqual(restBefore);
    } else {
      expect(withoutCache(after), `${label}: a GET changed the database`).toEqual(withoutCache(before));
    }
  }
  const consolePath = isConsole(op.path);
  if (consolePath) tally.console += 1;
  const forged = accessRefusal(r, pathname);
  if (forged) {
    tally.accessForgeries += 1;
    expect(res.status, `${label}: ${text.slice(0, 300)}`).toBe(forged.status);
    expect(text, label).toContain(consolePath ? `data-code="${forged.code}"` : `"code":"${forged.code}"`);
  }
  if (UNSAFE.has(req.method) && res.status < 400) {
    tally.counted += 1;
    expect(counted, `${label}: rate limits counted`).toEqual(
      expect.arrayContaining(expectedCounts(r, pathname, res.status)),
    );
  }
  const refusal = consolePath ? consoleRefusal(op, r) : null;
  // workerd's multipart parser refuses some part names (empty, NUL, CR): such a form cannot be
  // read, so a 400 may come before the token is looked at.
  const unreadable =
    r.body.kind === "none" &&
    r.form?.encoding === "multipart" &&
    r.form.fields.some(([name]) => name === "" || [...name].some((ch) => ch.charCodeAt(0) < 0x20)) &&
    res.status === 400 &&
    text.includes('data-code="malformed_form"');
  if (refusal && !unreadable) {
    tally.forgeries += 1;
    expect(res.status, `${label}: ${text.slice(0, 300)}`).toBe(refusal.status);
    expect(text, label).toContain(`data-code="${refusal.code}"`);
  }
  if (res.status < 400) {
    tally.ok += 1;
    if (consolePath) tally.consoleOk += 1;
    if (res.status >= 300) {
      // Redirects stay on this site (no open redirect through a crafted query or form).
      expect(res.headers.get("Location") ?? "", label).toMatch(/^\/(?!\/)/);
    }
    return;
  }
  tally.rejected += 1;
  // A refused console form re-renders its page (the owner's, with suggestions): like a GET, it may
  // fill the stored-suggestions cache, which is derived data computed on read, never user data.
  expect(withoutCache(after), `${label}: a rejected request changed the database`).toEqual(
    withoutCache(before),
  );
  if (consolePath) {
    expect(CONSOLE_REFUSALS, `${label}: status ${res.status}`).toContain(res.status);
    expect(res.headers.get("Content-Type"), label).toContain("text/html");
    expect(res.headers.get("Content-Security-Policy"), label).toContain("style-src 'self'");
    expect(res.headers.get("Cache-Control"), label).toBe("no-store");
    expect(text, label).toMatch(/^<!doctype html>/);
    expect(text, label).toMatch(/data-code="[a-z_]+"/);
    return;
  }
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
}

/** A first visit to the sign-in page: the CSRF cookie it sets and the token its forms carry. */
async function browserCsrf(): Promise<{ cookie: string; token: string }> {
  const res = await app.fetch(new Request(`${ORIGIN}/ui/login`), fuzzEnv, createExecutionContext());
  const cookie = res.headers
    .getSetCookie()
    .map((line) => line.split(";")[0] ?? "")
    .find((pair) => pair.startsWith(`${CSRF_COOKIE}=`))
    ?.slice(CSRF_COOKIE.length + 1);
  const token = /name="_csrf" value="([0-9a-f]{64})"/.exec(await res.text())?.[1];
  if (!cookie || !token) throw new Error("the sign-in page set no CSRF cookie or token");
  return { cookie, token };
}

beforeAll(async () => {
  vi.spyOn(console, "error").mockImplementation(() => undefined);
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
  // The log mailer prints every sign-in link the console's and the API's forms request.
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  const self = await seedBusiness(industryBody({ name: "Fuzz Self", maxPartners: 50 }));
  const partner = await seedBusiness(serviceBody({ name: "Fuzz Partner", maxPartners: 50 }));
  const other = await seedBusiness(industryBody({ name: "Fuzz Other" }));
  const officer = await officerKey("officer");
  const admin = await officerKey("admin");
  const p = await requestPartnership(partner.apiKey, self.business.id);
  const extraKey = await createApiKey(
    { db: (await import("../helpers")).deps().db },
    { kind: "business", businessId: self.business.id, label: "fuzz", now: Date.now() },
  );
  keys = {
    anonymous: null,
    other: other.apiKey,
    self: self.apiKey,
    officer,
    admin,
    badKey: `kmt_zzzzzzzz_${"z".repeat(40)}`,
    access: null,
  };
  // An officer behind Cloudflare Access: the resolver fetches the team's keys, served here.
  const pair = await generateKeyPair("RS256");
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: "fuzz", alg: "RS256", use: "sig" }] };
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    return url === `https://${ACCESS_TEAM}/cdn-cgi/access/certs`
      ? Response.json(jwks)
      : realFetch(input, init);
  });
  const accessEmail = "fuzz-access@mojokertokota.go.id";
  await (await import("../helpers"))
    .deps()
    .db.insert(officers)
    .values({ id: newId("ofc_"), email: accessEmail, role: "admin", active: true, createdAt: Date.now() });
  accessJwt = await new SignJWT({ email: accessEmail })
    .setProtectedHeader({ alg: "RS256", kid: "fuzz" })
    .setIssuer(`https://${ACCESS_TEAM}`)
    .setAudience(ACCESS_AUD)
    .setIssuedAt()
    .setExpirationTime("2h")
    .sign(pair.privateKey);
  const draft = await insertDraft(partner.business.id, self.business.id);
  ids = {
    id: [self.business.id, partner.business.id, other.business.id, p.id, draft, "biz_unknown"],
    keyId: [extraKey.id, "key_unknown"],
    runId: ["run_unknown"],
    name: [...JOBS.map((job) => job.name), "no-such-job"],
  };
  csrf = await browserCsrf();
  await markKeysUsed();
  baseline = await snapshot();
});

afterAll(() => {
  vi.restoreAllMocks();
  // One line for the report: how much was fuzzed and what came back.
  console.log(
    `fuzz: ${tally.requests} requests over ${tally.routes} routes x ${ROLES.length} roles: ` +
      `${tally.ok} accepted, ${tally.rejected} rejected (database unchanged after each), ${tally.serverErrors} 5xx; ` +
      `console: ${tally.console} requests (${tally.consoleOk} answered 2xx/3xx), ` +
      `${tally.forgeries} forged or malformed form posts refused as expected; ` +
      `${tally.accessForgeries} cross-site Access requests refused; ` +
      `${tally.counted} accepted writes counted against the rate limits`,
  );
});

describe("fuzzing every route from its contract", () => {
  const ops = operations();
  const runsPerRoute = Math.ceil(REQUESTS_PER_RUN / ops.length);

  it.each(ops.map((op) => [`${op.method} ${op.path}`, op] as const))(
    "%s: no 5xx, errors of the right kind, nothing written when rejected",
    async (_name, op) => {
      tally.routes += 1;
      const arbitrary = isConsole(op.path) ? consoleRequestArbitrary(op) : requestArbitrary(op);
      await fc.assert(
        fc.asyncProperty(arbitrary, (r) => checkOne(op, r)),
        { numRuns: runsPerRoute, endOnFailure: true },
      );
    },
    120_000,
  );
});
