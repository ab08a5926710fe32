import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { app } from "../../../src/app";
import { expectProblem, industryBody, officerKey, seedBusiness } from "../helpers";
import { ConsoleClient } from "../ui/console.helpers";

/**
 * The log mail provider writes whole sign-in links to the Worker's log, where everyone with log
 * access could use them. Outside local development (`ENVIRONMENT` other than "development", or
 * unset) it is refused: sign-in and digests answer 503 `mail_not_configured`, the log says which
 * setting is at fault, and no link is made, stored or logged.
 */

let logs: MockInstance[];

beforeEach(() => {
  logs = (["log", "info", "warn", "error"] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation(() => undefined),
  );
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Everything written to the console during the test. */
function logged(): string {
  return logs.flatMap((spy) => spy.mock.calls.map((call) => call.map(String).join(" "))).join("\n");
}

function fetcherFor(overrides: Record<string, unknown>) {
  return async (request: Request): Promise<Response> => {
    const ctx = createExecutionContext();
    const res = await app.fetch(request, { ...env, ...overrides }, ctx);
    // Work deferred past the response (the sign-in link's lookup and send) has run by now.
    await waitOnExecutionContext(ctx);
    return res;
  };
}

async function tokensFor(businessId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM sign_in_tokens WHERE business_id = ?")
    .bind(businessId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

const deployments: Array<[string, Record<string, unknown>]> = [
  ["ENVIRONMENT=production", { ENVIRONMENT: "production" }],
  ["ENVIRONMENT unset", { ENVIRONMENT: undefined }],
];

describe.each(deployments)("the log mailer in a deployment (%s)", (_label, overrides) => {
  const fetcher = fetcherFor(overrides);

  it("refuses the API's sign-in link with 503, logging the setting but no link", async () => {
    const email = `fail-closed-${crypto.randomUUID()}@example.id`;
    const { business } = await seedBusiness(industryBody({ email }));
    const res = await fetcher(
      new Request("https://kemitraan.test/v1/auth/email-link", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email }),
      }),
    );
    const problem = await expectProblem(res, 503, "mail_not_configured");
    expect(problem.detail).toMatch(/cannot send email/);
    expect(JSON.stringify(problem)).not.toMatch(/MAIL_PROVIDER|ENVIRONMENT/);
    expect(await tokensFor(business.id)).toBe(0);
    expect(logged()).toMatch(/MAIL_PROVIDER=log.*ENVIRONMENT=\\"development\\"/);
    expect(logged()).not.toMatch(/token=|login\/confirm/);
  });

  it("refuses the console's sign-in form with a 503 page, logging no link", async () => {
    const email = `fail-closed-form-${crypto.randomUUID()}@example.id`;
    const { business } = await seedBusiness(industryBody({ email }));
    const client = new ConsoleClient("http://localhost", fetcher);
    await client.get("/ui/login");
    const res = await client.post("/ui/login/email", { email });
    expect(res.status).toBe(503);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    expect(await res.text()).toContain('data-code="mail_not_configured"');
    expect(await tokensFor(business.id)).toBe(0);
    expect(logged()).toMatch(/MAIL_PROVIDER=log/);
    expect(logged()).not.toMatch(/token=|login\/confirm/);
  });

  it("refuses a sign-up (it emails a confirmation link) with 503, storing nothing", async () => {
    const name = `Fail Closed Signup ${crypto.randomUUID()}`;
    const res = await fetcher(
      new Request("https://kemitraan.test/v1/signup", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(industryBody({ name, email: `signup-${crypto.randomUUID()}@example.id` })),
      }),
    );
    await expectProblem(res, 503, "mail_not_configured");
    const row = await env.DB.prepare("SELECT count(*) AS n FROM businesses WHERE name = ?")
      .bind(name)
      .first<{ n: number }>();
    expect(row?.n).toBe(0);
    expect(logged()).not.toMatch(/token=|login\/confirm/);
  });

  it("refuses to run the digests with 503 before planning or logging any", async () => {
    const admin = await officerKey("admin");
    const outbox = async () =>
      (await env.DB.prepare("SELECT count(*) AS n FROM digest_outbox").first<{ n: number }>())?.n ?? 0;
    const before = await outbox();
    const res = await fetcher(
      new Request("https://kemitraan.test/v1/admin/jobs/send-digests", {
        method: "POST",
        headers: { Authorization: `Bearer ${admin}` },
      }),
    );
    await expectProblem(res, 503, "mail_not_configured");
    expect(await outbox()).toBe(before);
    expect(logged()).not.toMatch(/unsubscribe\?|sig=/);
  });
});

describe("the log mailer in local development", () => {
  it("still prints the link, as `npm start` users expect", async () => {
    const email = `dev-${crypto.randomUUID()}@example.id`;
    await seedBusiness(industryBody({ email }));
    const res = await fetcherFor({ ENVIRONMENT: "development" })(
      new Request("https://kemitraan.test/v1/auth/email-link", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email }),
      }),
    );
    expect(res.status).toBe(202);
    expect(logged()).toMatch(/login\/confirm\?token=/);
  });
});
