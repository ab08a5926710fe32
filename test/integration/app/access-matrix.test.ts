import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { officers as officersTable } from "../../../schema";
import { app } from "../../../src/app";
import { ACCESS_JWT_HEADER } from "../../../src/auth/access-jwt.resolver";
import { MemoryMailer } from "../../../src/email/mailer";
import { newId } from "../../../src/lib/ids";
import { createApiKey } from "../../../src/services/accounts/api-keys.service";
import { createOfficer } from "../../../src/services/accounts/officers.service";
import { requestSignInLink } from "../../../src/services/accounts/sign-in.service";
import { reviewBusiness } from "../../../src/services/businesses/review.service";
import { updateBusiness } from "../../../src/services/businesses/update.service";
import { unsubscribeUrl } from "../../../src/services/digests/digest-unsubscribe.service";
import { notifySuppliers } from "../../../src/services/procurement/notify.service";
import { savePackage } from "../../../src/services/procurement/packages.service";
import { CSRF_COOKIE } from "../../../src/ui/context";
import { markKeysUsed, snapshot } from "../db-snapshot";
import {
  call,
  confirmedSignUpThroughApi,
  deps,
  industryBody,
  officerKey,
  seedBusiness,
  serviceBody,
  uniqueNib,
} from "../helpers";
import { SIGNING_KEY } from "../services/digests/digests.helpers";
import { act, request } from "../services/partnerships/partnerships.helpers";
import { insertDraft } from "../services/partnerships/proposals.helpers";
import {
  accessRules,
  type Fixture,
  type LimitedService,
  type Party,
  ROLES,
  type Role,
  type Rule,
  type SetupHelpers,
  type Target,
} from "./access-rules";

/**
 * Every route of the app x every role, against the rules in access-rules.ts. The route list comes
 * from the app itself (`app.routes`), so a new route fails here until it has a rule.
 */

const RULES_FILE = "test/integration/app/access-rules.ts";

function appRoutes(): string[] {
  const keys = app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`);
  return [...new Set(keys)].sort();
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

let officers: Promise<{ officer: string; admin: string }> | undefined;
function officerKeys() {
  officers ??= (async () => ({ officer: await officerKey("officer"), admin: await officerKey("admin") }))();
  return officers;
}

async function party(body: Record<string, unknown>): Promise<Party> {
  const email = `p${unique()}@example.id`;
  const { business, apiKey } = await seedBusiness({ ...body, name: `Matrix ${unique()}`, email });
  return { id: business.id, key: apiKey, email };
}

let sharedOther: Promise<Party> | undefined;

/**
 * Fresh businesses for one request, so no earlier request's effect shows. `other` is fresh only
 * when it is the caller expected to succeed (it then creates something of its own); otherwise it
 * only has to exist, and one is shared (seeding a business rescores the registry: it is the cost).
 */
async function newFixture(opts: { freshOther: boolean }): Promise<Fixture> {
  const { officer, admin } = await officerKeys();
  sharedOther ??= party(industryBody({ maxPartners: 10 }));
  const fixture: Fixture = {
    self: await party(industryBody({ maxPartners: 10 })),
    partner: await party(serviceBody({ maxPartners: 10 })),
    other: opts.freshOther ? await party(industryBody({ maxPartners: 10 })) : await sharedOther,
    officer,
    admin,
    unique,
  };
  await markKeysUsed();
  return fixture;
}

const helpers: SetupHelpers = {
  async partnership(f, { requester, state }) {
    const [from, to] = requester === "self" ? [f.self, f.partner] : [f.partner, f.self];
    const p = await request(from.key, to.id);
    if (state !== "requested") expect((await act(p.id, "accept", to.key)).status).toBe(200);
    if (state === "active") expect((await act(p.id, "approve", f.officer)).status).toBe(200);
    return p.id;
  },
  async pendingSignUp(f) {
    const id = await confirmedSignUpThroughApi(
      industryBody({ name: `Pending ${f.unique()}`, email: `s${f.unique()}@example.id`, nib: uniqueNib() }),
    );
    const key = await createApiKey(deps(), {
      kind: "business",
      businessId: id,
      label: "t",
      now: Date.now(),
    });
    await markKeysUsed();
    return { id, key: key.plaintext };
  },
  async rejectedSignUp(f) {
    const pending = await helpers.pendingSignUp(f);
    await reviewBusiness(deps(), {
      id: pending.id,
      decision: "reject",
      reason: "Lengkapi NIB",
      officerId: "off_matrix",
      now: Date.now(),
    });
    return pending;
  },
  async changedProfile(f) {
    // Through the service, whose follow-up rescoring is awaited here (no deferred writes later).
    const business = await updateBusiness(deps(), {
      id: f.self.id,
      patch: { offers: `Sepatu kulit dan tas ${f.unique()}` },
      actor: { kind: "business", businessId: f.self.id, keyId: null },
      now: Date.now(),
    });
    expect(business.changesToReview?.fields).toEqual(["offers"]);
  },
  async signInToken(f) {
    const mailer = new MemoryMailer();
    await requestSignInLink(
      { ...deps(), mailer },
      {
        email: f.self.email,
        callbackUrl: "http://localhost/ui/login/confirm",
        now: Date.now(),
      },
    );
    const token = /token=([A-Za-z0-9_-]{43})/.exec(mailer.sent[0]?.text ?? "")?.[1];
    if (!token) throw new Error("no sign-in link for self");
    return token;
  },
  async businessKey(f) {
    const key = await createApiKey(deps(), {
      kind: "business",
      businessId: f.self.id,
      label: "t",
      now: Date.now(),
    });
    await markKeysUsed();
    return key.id;
  },
  async officerId(f) {
    const created = await createOfficer(deps(), {
      email: `x${f.unique()}@kota.id`,
      role: "officer",
      actor: { kind: "officer", id: "ofc_test_admin", role: "admin" },
      now: Date.now(),
    });
    await markKeysUsed();
    return created.officer.id;
  },
  async recomputeRun(f) {
    const res = await call("/v1/admin/recompute", { key: f.officer, body: { mode: "incremental" } });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    await helpers.recomputeFinished(f, runId);
    return runId;
  },
  async recomputeFinished(f, runId) {
    // Let the queue consumer finish, so its writes do not land during a later snapshot.
    await vi.waitFor(
      async () => {
        const run = await call(`/v1/admin/recompute/${runId}`, { key: f.officer });
        expect(((await run.json()) as { finishedAt: string | null }).finishedAt).not.toBeNull();
      },
      { timeout: 20_000, interval: 100 },
    );
  },
  async declinedPair(f) {
    const res = await call("/v1/declined-pairs", { key: f.self.key, body: { partnerId: f.partner.id } });
    expect(res.status).toBe(200);
  },
  async draftProposal(f) {
    return insertDraft(f.partner.id, f.self.id);
  },
  async procurementPackage(f, opts) {
    const now = Date.now();
    const actor = { kind: "officer" as const, id: "ofc_matrix" };
    const id = await savePackage(deps(), {
      fields: {
        code: "",
        name: `Belanja kue basah rapat ${f.unique()}`,
        buyer: "Dinas Matrix",
        pagu: "30000000",
        method: "pengadaan_langsung",
        type: "barang",
        fundingSource: "APBD",
        plannedMonth: "Juni 2026",
      },
      actor,
      now,
    });
    if (opts.notify) {
      const r = await notifySuppliers(deps(), { packageId: id, businessIds: [f.self.id], actor, now });
      expect(r.notified).toBe(1);
    }
    return id;
  },
  async deletionRequest(f) {
    const res = await call(`/v1/businesses/${f.self.id}/deletion-request`, {
      key: f.self.key,
      method: "POST",
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  },
  async unsubscribeQuery(f) {
    const url = await unsubscribeUrl(
      { baseUrl: "https://kemitraan.test", signingKey: SIGNING_KEY, chunkSize: 25 },
      `business:${f.self.id}`,
    );
    return new URL(url).search.slice(1);
  },
};

const isConsole = (path: string) => path === "/ui" || path.startsWith("/ui/");

/** The console's origin in these calls: this machine, where the development key login works. */
const CONSOLE_ORIGIN = "http://localhost";

let browser: Promise<{ cookie: string; token: string }> | undefined;
/** A browser's CSRF cookie and the token the console's forms carry with it (no session cookie). */
function consoleBrowser() {
  browser ??= (async () => {
    const res = await exports.default.fetch(new Request(`${CONSOLE_ORIGIN}/ui/login`));
    const cookie = res.headers
      .getSetCookie()
      .map((line) => line.split(";")[0] ?? "")
      .find((pair) => pair.startsWith(`${CSRF_COOKIE}=`));
    const token = /name="_csrf" value="([0-9a-f]{64})"/.exec(await res.text())?.[1];
    if (!cookie || !token) throw new Error("the sign-in page set no CSRF cookie or token");
    return { cookie, token };
  })();
  return browser;
}

/**
 * A console request as a browser sends it: the CSRF cookie, and for a POST an urlencoded form
 * with the token, from our own origin. Redirects are returned, not followed.
 */
async function consoleRequest(
  path: string,
  options: { method: string; headers: Headers; body?: unknown },
): Promise<Request> {
  const { cookie, token } = await consoleBrowser();
  const headers = options.headers;
  headers.set("Cookie", cookie);
  let body: string | undefined;
  if (options.method === "POST") {
    const fields = new URLSearchParams((options.body ?? {}) as Record<string, string>);
    fields.set("_csrf", token);
    body = fields.toString();
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    if (!headers.has("Sec-Fetch-Site")) headers.set("Sec-Fetch-Site", "same-origin");
    if (!headers.has("Origin")) headers.set("Origin", CONSOLE_ORIGIN);
  }
  return new Request(`${CONSOLE_ORIGIN}${path}`, {
    method: options.method,
    headers,
    body,
    redirect: "manual",
  });
}

/** An API request: JSON (or a CSV) body, redirects returned. */
function apiRequest(
  path: string,
  options: { method: string; headers: Headers; body?: unknown; csv?: string },
): Request {
  const headers = options.headers;
  let body: string | undefined;
  if (options.csv !== undefined) {
    body = options.csv;
    headers.set("Content-Type", "text/csv");
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set("Content-Type", "application/json");
  }
  return new Request(`${API_ORIGIN}${path}`, { method: options.method, headers, body, redirect: "manual" });
}

const rules = accessRules(helpers);

const API_ORIGIN = "https://kemitraan.test";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Everyone the matrix calls as: the rules' roles, an officer signed in through Cloudflare Access
 * from our own pages (`access`), and that officer's browser made to post from another site
 * (`accessCrossSite`; unsafe methods only: a read is the same as `access`'s).
 */
const CALLERS = [...ROLES, "access", "accessCrossSite"] as const;
type Caller = (typeof CALLERS)[number];

function expectedStatus(rule: Rule, caller: Caller, method: string): number | undefined {
  if (caller === "access") return rule.access ?? rule.expect.officer;
  if (caller === "accessCrossSite") return UNSAFE.has(method) ? 403 : undefined;
  return rule.expect[caller];
}

/** The role whose body and key a caller uses (Access officers send what officers send). */
const roleOf = (caller: Caller): Role =>
  caller === "access" || caller === "accessCrossSite" ? "officer" : caller;

function keyFor(caller: Caller, f: Fixture, target: Target): string | null {
  switch (caller) {
    case "anonymous":
    case "access":
    case "accessCrossSite":
      return null;
    case "other":
      return f.other.key;
    case "self":
      return target.selfKey ?? f.self.key;
    case "officer":
      return f.officer;
    case "admin":
      return f.admin;
  }
}

// Cloudflare Access for the matrix's Access officer: a team of its own, keys served locally.
const ACCESS_TEAM = "kemitraan-matrix.cloudflareaccess.com";
const ACCESS_ISSUER = `https://${ACCESS_TEAM}`;
const ACCESS_AUD = "matrix-access-audience";
let accessJwt = "";

/** Each request's rate-limit counts (binding and key); every limiter lets everything through. */
const limiterCalls: Array<{ binding: string; key: string }> = [];
function recordingLimiter(binding: string): RateLimit {
  return {
    limit: async ({ key }: { key: string }) => {
      limiterCalls.push({ binding, key });
      return { success: true };
    },
  } as unknown as RateLimit;
}

/** The Worker's env with Access on and the limiters recording. */
const matrixEnv = {
  ...env,
  ACCESS_TEAM_DOMAIN: ACCESS_TEAM,
  ACCESS_AUD,
  SIGN_IN_IP_LIMITER: recordingLimiter("SIGN_IN_IP_LIMITER"),
  SIGN_IN_EMAIL_LIMITER: recordingLimiter("SIGN_IN_EMAIL_LIMITER"),
  SIGN_UP_LIMITER: recordingLimiter("SIGN_UP_LIMITER"),
  WRITE_LIMITER: recordingLimiter("WRITE_LIMITER"),
};

async function workerFetch(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(request, matrixEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

let ipCounter = 0;

/** The caller's credentials and origin, and the client address Cloudflare's edge would add. */
function callerHeaders(caller: Caller, f: Fixture, target: Target, ip: string): Headers {
  const headers = new Headers({ "CF-Connecting-IP": ip });
  const key = keyFor(caller, f, target);
  if (key) headers.set("Authorization", `Bearer ${key}`);
  if (caller === "access") {
    headers.set(ACCESS_JWT_HEADER, accessJwt);
    headers.set("Sec-Fetch-Site", "same-origin");
  } else if (caller === "accessCrossSite") {
    headers.set(ACCESS_JWT_HEADER, accessJwt);
    headers.set("Sec-Fetch-Site", "cross-site");
    headers.set("Origin", "https://evil.example");
  }
  return headers;
}

const IP_LIMITERS: Record<LimitedService, string> = {
  "sign-in": "SIGN_IN_IP_LIMITER",
  "sign-up": "SIGN_UP_LIMITER",
};

/**
 * What an unsafe request must count against, in order: its entry point's per-IP limit, the
 * caller's write limit, and (a sign-in link or sign-up that was asked for) the per-email limit. A
 * request refused while authenticating counts against nothing.
 */
function expectedLimits(
  rule: Rule,
  caller: Caller,
  method: string,
  ip: string,
  f: Fixture,
  status: number,
): unknown[] {
  if (!UNSAFE.has(method) || caller === "accessCrossSite") return [];
  const out: unknown[] = [];
  if (rule.limits) out.push({ binding: IP_LIMITERS[rule.limits], key: `ip:${ip}` });
  if (caller !== "anonymous") {
    const kind = caller === "other" || caller === "self" ? "business" : "officer";
    out.push({ binding: "WRITE_LIMITER", key: expect.stringMatching(new RegExp(`^${kind}:`)) });
  }
  if (rule.limits === "sign-in" && status < 300) {
    out.push({ binding: "SIGN_IN_EMAIL_LIMITER", key: `email:${f.self.email.toLowerCase()}` });
  }
  // A sign-up emails its address: counted per address too, under a key of its own.
  if (rule.limits === "sign-up" && status < 300) {
    out.push({ binding: "SIGN_IN_EMAIL_LIMITER", key: expect.stringMatching(/^signup-email:/) });
  }
  return out;
}

function concretePath(routePath: string, f: Fixture, target: Target): string {
  const params: Record<string, string> = { id: f.self.id, ...target.params };
  const path = routePath.replace(/:(\w+)(?:\{[^}]*\})?/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${routePath}: the rule's setup must supply :${name}`);
    return encodeURIComponent(value);
  });
  return target.query ? `${path}?${target.query}` : path;
}

/** What `other` and `anonymous` must never see: self's id, email, keys and partnerships. */
function secretsOf(f: Fixture, target: Target): string[] {
  const shown = new Set(target.mayShow ?? []);
  return [f.self.id, f.self.email, f.self.key.slice(0, 12), ...(target.secrets ?? [])].filter(
    (secret) => !shown.has(secret),
  );
}

/**
 * The response body without what echoes the request: a problem's `instance`, and the requested
 * path in a console page's links (its language switch).
 */
async function visibleText(res: Response, path: string): Promise<string> {
  const text = await res.clone().text();
  if (!(res.headers.get("Content-Type") ?? "").includes("json")) {
    return text.replaceAll(new URL(path, "http://x").pathname, "");
  }
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    if (parsed && typeof parsed === "object" && "instance" in parsed) delete parsed.instance;
    return JSON.stringify(parsed);
  } catch {
    return text;
  }
}

// The development mailer logs every sign-in link; keep the test output readable.
beforeAll(async () => {
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  // The Access resolver fetches the team's signing keys: serve the matrix's own.
  const pair = await generateKeyPair("RS256");
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: "matrix", alg: "RS256", use: "sig" }] };
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    return url === `${ACCESS_ISSUER}/cdn-cgi/access/certs` ? Response.json(jwks) : realFetch(input, init);
  });
  const email = `access-${unique()}@mojokertokota.go.id`;
  await deps()
    .db.insert(officersTable)
    .values({ id: newId("ofc_"), email, role: "officer", active: true, createdAt: Date.now() });
  accessJwt = await new SignJWT({ email })
    .setProtectedHeader({ alg: "RS256", kid: "matrix" })
    .setIssuer(ACCESS_ISSUER)
    .setAudience(ACCESS_AUD)
    .setIssuedAt()
    .setExpirationTime("2h")
    .sign(pair.privateKey);
});
afterAll(() => {
  vi.restoreAllMocks();
});

describe("access matrix", () => {
  it("has a rule for every route of the app", () => {
    const missing = appRoutes().filter((route) => !(route in rules));
    expect(
      missing,
      `No access rule for: ${missing.join(", ")}. Add one per route to ${RULES_FILE}: the expected status ` +
        "for anonymous, another business, the business itself, an officer and an admin (and a setup " +
        "that makes the resource, when the route acts on one).",
    ).toEqual([]);
  });

  it("has no rule for a route that does not exist", () => {
    const routes = new Set(appRoutes());
    const stale = Object.keys(rules).filter((route) => !routes.has(route));
    expect(stale, `Rules in ${RULES_FILE} for routes the app no longer has`).toEqual([]);
  });

  it.each(appRoutes().filter((route) => route in rules))(
    "%s",
    async (route) => {
      const rule = rules[route];
      if (!rule) return;
      const [method = "GET", routePath = "/"] = route.split(" ");
      let shared: { f: Fixture; target: Target } | undefined;
      const mismatches: string[] = [];
      const consoleRoute = isConsole(routePath);
      for (const caller of CALLERS) {
        const expected = expectedStatus(rule, caller, method);
        if (expected === undefined) continue;
        // A redirect from a page is a refusal or a pointer elsewhere; it changes nothing.
        const succeeds = expected < 300 || (expected < 400 && method !== "GET");
        let f: Fixture;
        let target: Target;
        if (succeeds) {
          f = await newFixture({ freshOther: caller === "other" });
          target = rule.setup ? await rule.setup(f) : {};
        } else {
          if (!shared) {
            const fx = await newFixture({ freshOther: false });
            shared = { f: fx, target: rule.setup ? await rule.setup(fx) : {} };
          }
          ({ f, target } = shared);
        }
        const before = succeeds ? undefined : await snapshot();
        const body = rule.body?.(f, roleOf(caller));
        const path = concretePath(routePath, f, target);
        ipCounter += 1;
        const ip = `203.0.113.${ipCounter % 250}`;
        const headers = callerHeaders(caller, f, target, ip);
        if (!consoleRoute && caller === "access") headers.set("Origin", API_ORIGIN);
        const request = consoleRoute
          ? await consoleRequest(path, { method, headers, body })
          : apiRequest(path, { method, headers, body, ...(rule.csv ? { csv: rule.csv(f) } : {}) });
        limiterCalls.length = 0;
        const res = await workerFetch(request);
        const counted = [...limiterCalls];
        if (res.status === expected && succeeds) await rule.settle?.(res, f);
        if (res.status !== expected) {
          mismatches.push(
            `${caller}: expected ${expected}, got ${res.status} ${(await res.text()).slice(0, 200)}`,
          );
          continue;
        }
        expect(counted, `${route} as ${caller}: rate limits counted`).toEqual(
          expectedLimits(rule, caller, method, ip, f, res.status),
        );
        if (!succeeds) {
          if (expected >= 400 && consoleRoute) {
            expect(res.headers.get("Content-Type"), `${route} as ${caller}`).toContain("text/html");
          } else if (expected >= 400) {
            expect(res.headers.get("Content-Type"), `${route} as ${caller}`).toBe("application/problem+json");
          }
          expect(await snapshot(), `${route} as ${caller}: a refused request changed the database`).toEqual(
            before,
          );
        }
        if (consoleRoute && caller === "anonymous" && method === "GET" && expected === 303) {
          expect(res.headers.get("Location"), `${route} as anonymous`).toBe(rule.redirectsTo ?? "/ui/login");
        }
        if (caller === "other" || caller === "anonymous") {
          const text = await visibleText(res, path);
          for (const secret of secretsOf(f, target)) {
            expect(
              text,
              `${route} as ${caller} shows ${secret}, which belongs to another business`,
            ).not.toContain(secret);
          }
        }
      }
      expect(mismatches, `${route}: status per caller differs from ${RULES_FILE}`).toEqual([]);
      // Seven callers, each with fresh businesses when it is expected to succeed: seconds, not 5.
    },
    120_000,
  );
});
