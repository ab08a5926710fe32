import { exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import { MemoryMailer } from "../../src/email/mailer";
import { createApiKey, createOfficer } from "../../src/services/api-keys.service";
import { updateBusiness } from "../../src/services/businesses.service";
import { unsubscribeUrl } from "../../src/services/digests.service";
import { requestSignInLink } from "../../src/services/sign-in.service";
import { CSRF_COOKIE } from "../../src/ui/context";
import {
  accessRules,
  type Fixture,
  type Party,
  ROLES,
  type Role,
  type SetupHelpers,
  type Target,
} from "./access-rules";
import { markKeysUsed, snapshot } from "./db-snapshot";
import { SIGNING_KEY } from "./digests.helpers";
import {
  call,
  confirmedSignUpThroughApi,
  deps,
  industryBody,
  officerKey,
  seedBusiness,
  serviceBody,
  uniqueNib,
} from "./helpers";
import { act, request } from "./partnerships.helpers";
import { insertDraft } from "./proposals.helpers";

/**
 * Every route of the app x every role, against the rules in access-rules.ts. The route list comes
 * from the app itself (`app.routes`), so a new route fails here until it has a rule.
 */

const RULES_FILE = "test/integration/access-rules.ts";

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
async function consoleCall(
  path: string,
  options: { method: string; key: string | null; body?: unknown },
): Promise<Response> {
  const { cookie, token } = await consoleBrowser();
  const headers = new Headers({ Cookie: cookie });
  if (options.key) headers.set("Authorization", `Bearer ${options.key}`);
  let body: string | undefined;
  if (options.method === "POST") {
    const fields = new URLSearchParams((options.body ?? {}) as Record<string, string>);
    fields.set("_csrf", token);
    body = fields.toString();
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    headers.set("Sec-Fetch-Site", "same-origin");
    headers.set("Origin", CONSOLE_ORIGIN);
  }
  return exports.default.fetch(
    new Request(`${CONSOLE_ORIGIN}${path}`, { method: options.method, headers, body, redirect: "manual" }),
  );
}

const rules = accessRules(helpers);

function keyFor(role: Role, f: Fixture, target: Target): string | null {
  switch (role) {
    case "anonymous":
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
beforeAll(() => {
  vi.spyOn(console, "log").mockImplementation(() => undefined);
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

  it.each(appRoutes().filter((route) => route in rules))("%s", async (route) => {
    const rule = rules[route];
    if (!rule) return;
    const [method = "GET", routePath = "/"] = route.split(" ");
    let shared: { f: Fixture; target: Target } | undefined;
    const mismatches: string[] = [];
    const consoleRoute = isConsole(routePath);
    for (const role of ROLES) {
      const expected = rule.expect[role];
      // A redirect from a page is a refusal or a pointer elsewhere; it changes nothing.
      const succeeds = expected < 300 || (expected < 400 && method !== "GET");
      let f: Fixture;
      let target: Target;
      if (succeeds) {
        f = await newFixture({ freshOther: role === "other" });
        target = rule.setup ? await rule.setup(f) : {};
      } else {
        if (!shared) {
          const fx = await newFixture({ freshOther: false });
          shared = { f: fx, target: rule.setup ? await rule.setup(fx) : {} };
        }
        ({ f, target } = shared);
      }
      const before = succeeds ? undefined : await snapshot();
      const body = rule.body?.(f, role);
      const path = concretePath(routePath, f, target);
      const key = keyFor(role, f, target);
      const res = consoleRoute
        ? await consoleCall(path, { method, key, body })
        : rule.csv
          ? await call(path, {
              method,
              key,
              redirect: "manual",
              rawBody: rule.csv(f),
              headers: { "Content-Type": "text/csv" },
            })
          : await call(path, { method, key, redirect: "manual", ...(body === undefined ? {} : { body }) });
      if (res.status === expected && succeeds) await rule.settle?.(res, f);
      if (res.status !== expected) {
        mismatches.push(
          `${role}: expected ${expected}, got ${res.status} ${(await res.text()).slice(0, 200)}`,
        );
        continue;
      }
      if (!succeeds) {
        if (expected >= 400 && consoleRoute) {
          expect(res.headers.get("Content-Type"), `${route} as ${role}`).toContain("text/html");
        } else if (expected >= 400) {
          expect(res.headers.get("Content-Type"), `${route} as ${role}`).toBe("application/problem+json");
        }
        expect(await snapshot(), `${route} as ${role}: a refused request changed the database`).toEqual(
          before,
        );
      }
      if (consoleRoute && role === "anonymous" && method === "GET" && expected === 303) {
        expect(res.headers.get("Location"), `${route} as anonymous`).toBe("/ui/login");
      }
      if (role === "other" || role === "anonymous") {
        const text = await visibleText(res, path);
        for (const secret of secretsOf(f, target)) {
          expect(
            text,
            `${route} as ${role} shows ${secret}, which belongs to another business`,
          ).not.toContain(secret);
        }
      }
    }
    expect(mismatches, `${route}: status per role differs from ${RULES_FILE}`).toEqual([]);
  });
});
