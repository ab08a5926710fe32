import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../../../src/app";
import { RATE_LIMIT_PERIOD_S } from "../../../src/http/rate-limit";
import {
  call,
  confirmedSignUpThroughApi,
  expectProblem,
  industryBody,
  officerKey,
  seedBusiness,
  serviceBody,
  uniqueNib,
} from "../helpers";
import { ConsoleClient } from "../ui/console.helpers";

/**
 * The real Workers rate-limiting bindings from wrangler.toml, as miniflare runs them (fixed windows
 * aligned to the clock). A run can straddle a window boundary, so each test sends up to two
 * windows' worth and asserts that the limit held: never more than `limit` successes before the
 * first 429.
 */
let ipCounter = 0;
function uniqueIp(): string {
  ipCounter += 1;
  return `198.51.${100 + (Date.now() % 50)}.${ipCounter}`;
}

async function untilLimited(
  limit: number,
  send: (i: number) => Promise<Response>,
): Promise<{ allowedBefore: number; limited: Response }> {
  let allowed = 0;
  for (let i = 0; i < 2 * limit + 2; i++) {
    const res = await send(i);
    if (res.status === 429) return { allowedBefore: allowed, limited: res };
    expect(res.status, `request ${i}`).toBeLessThan(400);
    allowed += 1;
  }
  throw new Error(`no 429 after ${2 * limit + 2} requests`);
}

/**
 * At least a full window's worth passed; more only when the run crossed into a new window, and then
 * at most the two windows' worth (a run that filled the first window and crossed over gets both).
 */
function expectWithinLimit(allowedBefore: number, limit: number): void {
  expect(allowedBefore).toBeGreaterThanOrEqual(limit);
  expect(allowedBefore).toBeLessThanOrEqual(2 * limit);
}

/** A self sign-up, confirmed by its email link and awaiting review (its id). */
function pendingSignUp(name: string): Promise<string> {
  return confirmedSignUpThroughApi(
    industryBody({ name, email: `${Date.now()}@signup.example.id`, nib: uniqueNib() }),
  );
}

async function statusOf(id: string): Promise<unknown> {
  return (await env.DB.prepare("SELECT status FROM businesses WHERE id = ?").bind(id).first())?.status;
}

async function expectRateLimited(res: Response): Promise<void> {
  const problem = await expectProblem(res, 429, "rate_limited");
  expect(problem.title).toBe("Too many requests");
  expect(res.headers.get("Retry-After")).toBe(String(RATE_LIMIT_PERIOD_S));
}

/** The console's refusal: an HTML page (never problem+json) with the same status and Retry-After. */
async function expectConsoleRateLimited(res: Response): Promise<void> {
  expect(res.status).toBe(429);
  expect(res.headers.get("Content-Type")).toContain("text/html");
  expect(res.headers.get("Retry-After")).toBe(String(RATE_LIMIT_PERIOD_S));
  const html = await res.text();
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).toContain('data-code="rate_limited"');
}

/** A console browser that has loaded the sign-in page (its CSRF cookie and token). */
async function signInPage(): Promise<ConsoleClient> {
  const client = new ConsoleClient();
  expect((await client.get("/ui/login")).status).toBe(200);
  return client;
}

/** Limiters that record each count (binding name and key), allowing or refusing everything. */
function recordingLimiters(success: boolean) {
  const calls: Array<{ binding: string; key: string }> = [];
  const limiter = (binding: string) =>
    ({
      limit: async ({ key }: { key: string }) => {
        calls.push({ binding, key });
        return { success };
      },
    }) as unknown as RateLimit;
  const bindings = Object.fromEntries(
    ["SIGN_IN_IP_LIMITER", "SIGN_IN_EMAIL_LIMITER", "SIGN_UP_LIMITER", "WRITE_LIMITER"].map((name) => [
      name,
      limiter(name),
    ]),
  );
  const fetcher = async (request: Request) => {
    const ctx = createExecutionContext();
    const res = await app.fetch(request, { ...env, ...bindings }, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  };
  return { calls, fetcher };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("rate limits", () => {
  it("limits sign-in link requests per email address (5 a minute)", async () => {
    const email = `limit-${Date.now()}@example.id`;
    const { allowedBefore, limited } = await untilLimited(5, (i) =>
      call("/v1/auth/email-link", { body: { email }, headers: { "CF-Connecting-IP": `192.0.2.${i + 1}` } }),
    );
    expectWithinLimit(allowedBefore, 5);
    await expectRateLimited(limited);
  });

  it("limits sign-in link requests per client IP (20 a minute), whatever the address", async () => {
    const ip = uniqueIp();
    const { allowedBefore, limited } = await untilLimited(20, (i) =>
      call("/v1/auth/email-link", {
        body: { email: `ip-${i}-${Date.now()}@example.id` },
        headers: { "CF-Connecting-IP": ip },
      }),
    );
    expectWithinLimit(allowedBefore, 20);
    await expectRateLimited(limited);
  });

  it("limits sign-ups per client IP (10 a minute) and writes nothing when limited", async () => {
    const ip = uniqueIp();
    const { allowedBefore, limited } = await untilLimited(10, (i) =>
      call("/v1/signup", {
        body: serviceBody({ name: `Limit Signup ${ip} ${i}`, email: `s${i}@example.id` }),
        headers: { "CF-Connecting-IP": ip },
      }),
    );
    expectWithinLimit(allowedBefore, 10);
    await expectRateLimited(limited);
    const row = await env.DB.prepare("SELECT count(*) AS n FROM businesses WHERE name LIKE ?")
      .bind(`Limit Signup ${ip} %`)
      .first<{ n: number }>();
    expect(row?.n).toBe(allowedBefore);
  });

  it("limits writes per caller (120 a minute) but not reads", async () => {
    const officer = await officerKey();
    const { business } = await seedBusiness(industryBody());
    const { allowedBefore, limited } = await untilLimited(120, () =>
      call(`/v1/businesses/${business.id}/deactivate`, { key: officer, method: "POST" }),
    );
    expectWithinLimit(allowedBefore, 120);
    await expectRateLimited(limited);
    // Reads go on; another caller's writes too.
    expect((await call(`/v1/businesses/${business.id}`, { key: officer })).status).toBe(200);
    const other = await officerKey();
    expect(
      (await call(`/v1/businesses/${business.id}/deactivate`, { key: other, method: "POST" })).status,
    ).toBe(200);
    // 120 sequential writes take more than vitest's 5 s default on a busy 2-core machine.
  }, 60_000);

  it("counts the console's sign-in form against the API's per-IP allowance, and renders 429 as a page", async () => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const ip = uniqueIp();
    const client = await signInPage();
    // A script reusing the one form token it got (the page after a post has no sign-in form).
    const csrf = client.csrf();
    const { allowedBefore, limited } = await untilLimited(20, (i) =>
      client.post(
        "/ui/login/email",
        { email: `form-ip-${i}-${Date.now()}@example.id` },
        { csrf, headers: { "CF-Connecting-IP": ip } },
      ),
    );
    expectWithinLimit(allowedBefore, 20);
    await expectConsoleRateLimited(limited);
    // One allowance for both doors: the API's email-link route is spent for this address too.
    await expectRateLimited(
      await call("/v1/auth/email-link", {
        body: { email: `api-after-form-${Date.now()}@example.id` },
        headers: { "CF-Connecting-IP": ip },
      }),
    );
  });

  it("limits the console's sign-in form per email address, counted with the API's requests", async () => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const email = `form-limit-${Date.now()}@example.id`;
    const { allowedBefore } = await untilLimited(5, (i) =>
      call("/v1/auth/email-link", { body: { email }, headers: { "CF-Connecting-IP": `192.0.2.${i + 101}` } }),
    );
    expectWithinLimit(allowedBefore, 5);
    // A new address for every request cannot get this inbox more links through the form.
    const client = await signInPage();
    await expectConsoleRateLimited(
      await client.post(
        "/ui/login/email",
        { email: email.toUpperCase() },
        { headers: { "CF-Connecting-IP": uniqueIp() } },
      ),
    );
  });

  it("uses the same limiter bindings and keys for the console's forms as for the API", async () => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const { calls, fetcher } = recordingLimiters(true);
    const ip = uniqueIp();
    const email = `same-keys-${Date.now()}@example.id`;
    const api = await fetcher(
      new Request("https://kemitraan.test/v1/auth/email-link", {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
        body: JSON.stringify({ email }),
      }),
    );
    expect(api.status).toBe(202);
    const viaApi = calls.splice(0);
    const client = new ConsoleClient("http://localhost", fetcher);
    await client.get("/ui/login");
    const form = await client.post("/ui/login/email", { email }, { headers: { "CF-Connecting-IP": ip } });
    expect(form.status).toBe(200);
    expect(calls).toEqual(viaApi);
    expect(viaApi).toEqual([
      { binding: "SIGN_IN_IP_LIMITER", key: `ip:${ip}` },
      { binding: "SIGN_IN_EMAIL_LIMITER", key: `email:${email}` },
    ]);

    // A write: the officer's console form and the same officer's API call count as one caller.
    const key = await officerKey();
    calls.splice(0);
    const officer = new ConsoleClient("http://localhost", fetcher);
    expect((await officer.officerLogin(key)).status).toBe(303);
    calls.splice(0);
    const id = await pendingSignUp(`Same Keys ${Date.now()}`);
    await officer.get("/ui/queue");
    calls.splice(0);
    expect((await officer.post(`/ui/queue/businesses/${id}/publish`, {})).status).toBe(303);
    expect(await statusOf(id)).toBe("published");
    const viaForm = calls.splice(0);
    const apiWrite = await fetcher(
      new Request(`https://kemitraan.test/v1/businesses/${id}/deactivate`, {
        method: "POST",
        headers: { Authorization: `Bearer ${key}` },
      }),
    );
    expect(apiWrite.status).toBe(200);
    expect(viaForm).toHaveLength(1);
    expect(viaForm[0]?.binding).toBe("WRITE_LIMITER");
    expect(viaForm[0]?.key).toMatch(/^officer:/);
    expect(calls).toEqual(viaForm);
  });

  it("refuses a console write over the per-caller limit with a 429 page, changing nothing", async () => {
    const key = await officerKey();
    const id = await pendingSignUp(`Console Limit ${Date.now()}`);
    // The sign-in itself is anonymous, so it is not a write of an officer's; every later form is.
    const { calls, fetcher } = recordingLimiters(false);
    const officer = new ConsoleClient("http://localhost", fetcher);
    expect((await officer.officerLogin(key)).status).toBe(303);
    await officer.get("/ui/queue");
    const res = await officer.post(`/ui/queue/businesses/${id}/reject`, { reason: "Tidak lengkap" });
    await expectConsoleRateLimited(res);
    expect(calls.at(-1)?.binding).toBe("WRITE_LIMITER");
    expect(await statusOf(id)).toBe("pending_review");
  });

  it("lets requests through when a limiter fails (the counter's outage is not the API's)", async () => {
    const { app } = await import("../../../src/app");
    const { createExecutionContext, waitOnExecutionContext } = await import("cloudflare:test");
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const broken = {
      limit: () => Promise.reject(new Error("limiter down")),
    } as unknown as RateLimit;
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request("https://kemitraan.test/v1/auth/email-link", {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": uniqueIp() },
        body: JSON.stringify({ email: "down@example.id" }),
      }),
      { ...env, SIGN_IN_IP_LIMITER: broken, SIGN_IN_EMAIL_LIMITER: broken },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(202);
  });
});
