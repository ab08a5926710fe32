import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RATE_LIMIT_PERIOD_S } from "../../src/http/rate-limit";
import { call, expectProblem, industryBody, officerKey, seedBusiness, serviceBody } from "./helpers";

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

/** At least a full window's worth passed; more only when the run crossed into a new window. */
function expectWithinLimit(allowedBefore: number, limit: number): void {
  expect(allowedBefore).toBeGreaterThanOrEqual(limit);
  expect(allowedBefore).toBeLessThan(2 * limit);
}

async function expectRateLimited(res: Response): Promise<void> {
  const problem = await expectProblem(res, 429, "rate_limited");
  expect(problem.title).toBe("Too many requests");
  expect(res.headers.get("Retry-After")).toBe(String(RATE_LIMIT_PERIOD_S));
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
  });

  it("lets requests through when a limiter fails (the counter's outage is not the API's)", async () => {
    const { app } = await import("../../src/app");
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
