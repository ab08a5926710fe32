import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { signInTokens } from "../../../schema";
import { SESSION_COOKIE } from "../../../src/auth/session";
import { createDb } from "../../../src/db";
import { MemoryMailer } from "../../../src/email/mailer";
import { requestSignInLink } from "../../../src/services/accounts/sign-in.service";
import { call, expectProblem, industryBody, seedBusiness, serviceBody, signUpThroughApi } from "../helpers";

afterEach(() => {
  vi.restoreAllMocks();
});

const CALLBACK = "https://kemitraan.test/ui/login/confirm";

/** Asks for links through the service with an in-memory mailer; returns the links sent. */
async function linksFor(email: string, now = Date.now()): Promise<string[]> {
  const mailer = new MemoryMailer();
  await requestSignInLink({ db: createDb(env.DB), mailer }, { email, callbackUrl: CALLBACK, now });
  return mailer.sent.flatMap((m) => m.text.match(/https:\/\/\S+/g) ?? []);
}

function tokenOf(link: string): string {
  return new URL(link).searchParams.get("token") ?? "";
}

/** Redeems the link's token the way an API client does (the console's confirm button does the same). */
function click(link: string): Promise<Response> {
  return call("/v1/auth/callback", { body: { token: tokenOf(link) } });
}

async function signIn(link: string): Promise<string> {
  const res = await click(link);
  expect(res.status).toBe(204);
  const cookie = res.headers.get("Set-Cookie") ?? "";
  const value = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(cookie)?.[1];
  expect(value).toBeDefined();
  return value ?? "";
}

const withSession = (session: string, headers: Record<string, string> = {}) => ({
  headers: { Cookie: `${SESSION_COOKIE}=${session}`, ...headers },
});

describe("POST /v1/auth/email-link", () => {
  it("answers 202 with an empty body for registered and unknown addresses alike", async () => {
    await seedBusiness(industryBody({ email: "known@link.example.id" }));
    const known = await call("/v1/auth/email-link", { body: { email: "known@link.example.id" } });
    const unknown = await call("/v1/auth/email-link", { body: { email: "nobody@link.example.id" } });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect([await known.text(), await unknown.text()]).toEqual(["", ""]);
  });

  it("sends a link (through the log mailer in development) only to a registered address", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    await seedBusiness(industryBody({ email: "logged@link.example.id" }));
    await call("/v1/auth/email-link", { body: { email: "nobody2@link.example.id" } });
    await call("/v1/auth/email-link", { body: { email: "Logged@Link.example.id" } });
    await vi.waitFor(() => {
      const lines = log.mock.calls.map((args) => String(args[0]));
      expect(
        lines.some((l) => l.includes("logged@link.example.id") && l.includes("/ui/login/confirm?token=")),
      ).toBe(true);
      expect(lines.some((l) => l.includes("nobody2@"))).toBe(false);
    });
  });

  it("stores only a hash of the token, expiring in 15 minutes", async () => {
    const { business } = await seedBusiness(industryBody({ email: "hash@link.example.id" }));
    const now = Date.now();
    const [link] = await linksFor("hash@link.example.id", now);
    const token = new URL(link ?? "").searchParams.get("token") ?? "";
    const rows = await createDb(env.DB).select().from(signInTokens).all();
    const mine = rows.filter((r) => r.businessId === business.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(mine[0]?.expiresAt).toBe(now + 15 * 60 * 1000);
  });

  it("rejects a malformed address with 422", async () => {
    await expectProblem(await call("/v1/auth/email-link", { body: { email: "not-an-email" } }), 422);
  });
});

describe("GET /v1/auth/callback", () => {
  it("redirects to the confirmation page without consuming the token (mail scanners prefetch)", async () => {
    await seedBusiness(industryBody({ email: "prefetch@link.example.id" }));
    const [link] = await linksFor("prefetch@link.example.id");
    const token = tokenOf(link ?? "");
    for (let i = 0; i < 2; i++) {
      const res = await exports.default.fetch(
        new Request(`https://kemitraan.test/v1/auth/callback?token=${token}`, { redirect: "manual" }),
      );
      expect(res.status).toBe(303);
      expect(res.headers.get("Location")).toBe(`/ui/login/confirm?token=${token}`);
      expect(res.headers.get("Set-Cookie")).toBeNull();
    }
    expect((await click(link ?? "")).status).toBe(204);
  });

  it("refuses a malformed token", async () => {
    await expectProblem(await call("/v1/auth/callback?token=short"), 422, "validation_failed");
  });
});

describe("POST /v1/auth/callback", () => {
  it("sets a __Host- session cookie (HttpOnly, Secure, SameSite=Lax, Path=/)", async () => {
    await seedBusiness(industryBody({ email: "cookie@link.example.id" }));
    const [link] = await linksFor("cookie@link.example.id");
    const res = await click(link ?? "");
    expect(res.status).toBe(204);
    const cookie = res.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43};`));
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
    expect(cookie).not.toMatch(/Domain=/i);
    expect(cookie).toMatch(/Max-Age=259\d{4}/);
  });

  it("signs the owner in as their business: own profile yes, another business 404", async () => {
    const mine = await seedBusiness(industryBody({ email: "owner@link.example.id" }));
    const other = await seedBusiness(serviceBody({ email: "other@link.example.id" }));
    const session = await signIn((await linksFor("owner@link.example.id"))[0] ?? "");
    const res = await call(`/v1/businesses/${mine.business.id}`, withSession(session));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe(mine.business.id);
    await expectProblem(await call(`/v1/businesses/${other.business.id}`, withSession(session)), 404);
    await expectProblem(await call("/v1/businesses", withSession(session)), 403, "forbidden");
  });

  it("refuses a link used a second time", async () => {
    await seedBusiness(industryBody({ email: "reuse@link.example.id" }));
    const [link] = await linksFor("reuse@link.example.id");
    await signIn(link ?? "");
    await expectProblem(await click(link ?? ""), 400, "invalid_sign_in_link");
  });

  it("gives one session to two clicks racing on the same link", async () => {
    await seedBusiness(industryBody({ email: "race@link.example.id" }));
    const [link] = await linksFor("race@link.example.id");
    const results = await Promise.all([click(link ?? ""), click(link ?? "")]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 400]);
  });

  it("refuses an expired link", async () => {
    await seedBusiness(industryBody({ email: "expired@link.example.id" }));
    const [link] = await linksFor("expired@link.example.id", Date.now() - 16 * 60 * 1000);
    await expectProblem(await click(link ?? ""), 400, "invalid_sign_in_link");
  });

  it("refuses an unknown token and a malformed one", async () => {
    const post = (token: string) => call("/v1/auth/callback", { body: { token } });
    await expectProblem(await post("a".repeat(43)), 400, "invalid_sign_in_link");
    await expectProblem(await post("short"), 422, "validation_failed");
  });

  it("sends one email with a link per business registered under the address", async () => {
    await seedBusiness(industryBody({ email: "two@link.example.id", name: "Usaha Satu" }));
    await seedBusiness(serviceBody({ email: "two@link.example.id", name: "Usaha Dua" }));
    const mailer = new MemoryMailer();
    await requestSignInLink(
      { db: createDb(env.DB), mailer },
      { email: "two@link.example.id", callbackUrl: CALLBACK, now: Date.now() },
    );
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]?.text.match(/https:\/\/\S+/g)).toHaveLength(2);
  });
});

describe("signed-up owners", () => {
  it("are signed in by the sign-up's confirmation link, see their status, and cannot publish (403)", async () => {
    const { business, token } = await signUpThroughApi(industryBody({ email: "pending@link.example.id" }));
    // Not offered for sign-in before its address confirmed it.
    expect(await linksFor("pending@link.example.id")).toEqual([]);
    const session = await signIn(`${CALLBACK}?token=${token}`);
    const own = await call(`/v1/businesses/${business.id}`, withSession(session));
    expect(((await own.json()) as { status: string }).status).toBe("pending_review");
    await expectProblem(
      await call(`/v1/businesses/${business.id}/publish`, {
        method: "POST",
        ...withSession(session, { "Sec-Fetch-Site": "same-origin" }),
      }),
      403,
      "forbidden",
    );
    // Confirmed now: the sign-in email offers it.
    expect(await linksFor("pending@link.example.id")).toHaveLength(1);
  });
});

describe("sessions", () => {
  it("ignores the cookie on a cross-origin state-changing request", async () => {
    const mine = await seedBusiness(industryBody({ email: "csrf@link.example.id" }));
    const session = await signIn((await linksFor("csrf@link.example.id"))[0] ?? "");
    const patch = (headers: Record<string, string>) =>
      call(`/v1/businesses/${mine.business.id}`, {
        method: "PATCH",
        body: { offers: "diubah" },
        ...withSession(session, headers),
      });
    await expectProblem(await patch({ "Sec-Fetch-Site": "cross-site" }), 401);
    await expectProblem(await patch({ Origin: "https://evil.example" }), 401);
    expect((await patch({ Origin: "https://kemitraan.test" })).status).toBe(200);
    expect((await patch({ "Sec-Fetch-Site": "same-origin" })).status).toBe(200);
  });

  it("treats an unknown session cookie as anonymous (401 where a caller is needed, public routes work)", async () => {
    const stale = "b".repeat(43);
    await expectProblem(await call("/v1/businesses/biz_x", withSession(stale)), 401);
    expect(
      (await call("/v1/auth/email-link", { body: { email: "x@link.example.id" }, ...withSession(stale) }))
        .status,
    ).toBe(202);
  });

  it("logs out: the session stops working and the cookie is cleared", async () => {
    const mine = await seedBusiness(industryBody({ email: "logout@link.example.id" }));
    const session = await signIn((await linksFor("logout@link.example.id"))[0] ?? "");
    expect((await call(`/v1/businesses/${mine.business.id}`, withSession(session))).status).toBe(200);
    const res = await call("/v1/auth/logout", {
      method: "POST",
      ...withSession(session, { "Sec-Fetch-Site": "same-origin" }),
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("Set-Cookie")).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`));
    await expectProblem(await call(`/v1/businesses/${mine.business.id}`, withSession(session)), 401);
  });
});
