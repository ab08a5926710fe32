import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { signInTokens } from "../../../schema";
import { createDb } from "../../../src/db";
import { call, expectProblem, industryBody, officerKey, seedBusiness, serviceBody } from "../helpers";
import { ConsoleClient, logLine, officerClient, ownerClient } from "./console.helpers";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("console pages: headers and errors", () => {
  it("serves every page with a strict CSP, no scripts and no-store", async () => {
    const client = new ConsoleClient();
    const res = await client.get("/ui/login");
    expect(res.status).toBe(200);
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("script-src");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(client.lastHtml).toMatch(/^<!doctype html>/);
    expect(client.lastHtml).not.toMatch(/<script|style=/i);
    expect(client.lastHtml).toContain('lang="id"');
    expect(client.lastHtml).toContain("Kirim tautan masuk");
  });

  it("switches to English with ?lang=en and remembers it in a cookie", async () => {
    const client = new ConsoleClient();
    await client.get("/ui/login?lang=en");
    expect(client.lastHtml).toContain("Send sign-in link");
    await client.get("/ui/login");
    expect(client.lastHtml).toContain('lang="en"');
  });

  it("serves the stylesheet as text/css from the Worker", async () => {
    const res = await call("/ui/app.css");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/css");
    expect(await res.text()).toContain("@media (min-width:48rem)");
  });

  it("renders unknown console pages as an HTML 404 while /v1 keeps problem+json", async () => {
    const res = await call("/ui/no-such-page");
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    expect(res.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    await expectProblem(await call("/v1/no-such-route"), 404, "not_found");
  });
});

describe("CSRF", () => {
  it("rejects a form without the token", async () => {
    const client = new ConsoleClient();
    await client.get("/ui/login");
    const res = await client.post("/ui/login/email", { email: "x@example.id" }, { csrf: null });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('data-code="csrf_failed"');
  });

  it("rejects a form with a token from another browser", async () => {
    const a = new ConsoleClient();
    const b = new ConsoleClient();
    await a.get("/ui/login");
    await b.get("/ui/login");
    const res = await b.post("/ui/login/email", { email: "x@example.id" }, { csrf: a.csrf() });
    expect(res.status).toBe(403);
  });

  it("rejects a cross-site form even with a valid token", async () => {
    const client = new ConsoleClient();
    await client.get("/ui/login");
    const crossSite = await client.post("/ui/login/email", { email: "x@example.id" }, { site: "cross-site" });
    expect(crossSite.status).toBe(403);
    const noHeaders = await client.post(
      "/ui/login/email",
      { email: "x@example.id" },
      { site: null, origin: "https://evil.example" },
    );
    expect(noHeaders.status).toBe(403);
    await client.get("/ui/login");
    const ok = await client.post("/ui/login/email", { email: "x@example.id" });
    expect(ok.status).toBe(200);
  });

  it("invalidates a token minted before sign-in once the officer is signed in", async () => {
    const client = new ConsoleClient();
    await client.get("/ui/login");
    const anonymousToken = client.csrf();
    await client.post("/ui/login/officer", { key: await officerKey() });
    const res = await client.post("/ui/logout", {}, { csrf: anonymousToken });
    expect(res.status).toBe(403);
  });
});

describe("sign-in", () => {
  it("refuses the officer key login on a non-local host unless enabled", async () => {
    const client = new ConsoleClient("https://kemitraan.test");
    await client.get("/ui/login");
    expect(client.lastHtml).not.toContain('action="/ui/login/officer"');
    const res = await client.post("/ui/login/officer", { key: await officerKey() });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('data-code="key_login_disabled"');
    expect(client.cookies.has("__Host-kemitraan_officer")).toBe(false);
  });

  it("refuses a wrong or business key at the officer login", async () => {
    const biz = await seedBusiness(industryBody({ email: "keylogin@example.id" }));
    const client = new ConsoleClient();
    await client.get("/ui/login");
    expect((await client.post("/ui/login/officer", { key: biz.apiKey })).status).toBe(401);
    await client.get("/ui/login");
    expect((await client.post("/ui/login/officer", { key: "kmt_nope" })).status).toBe(401);
  });

  it("signs an officer in with a key and out again; the cookie is __Host-, HttpOnly, Secure", async () => {
    const client = new ConsoleClient();
    await client.get("/ui/login");
    const res = await client.post("/ui/login/officer", { key: await officerKey() });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("__Host-kemitraan_officer=")) ?? "";
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("Path=/");
    expect((await client.get("/ui/queue")).status).toBe(200);
    const out = await client.post("/ui/logout", {});
    expect(out.status).toBe(303);
    const after = await client.get("/ui/queue");
    expect(after.status).toBe(303);
    expect(after.headers.get("Location")).toBe("/ui/login");
  });

  it("shows a confirm button on GET of the emailed link and signs in only on POST", async () => {
    await seedBusiness(industryBody({ email: "confirm@example.id" }));
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    await call("/v1/auth/email-link", { body: { email: "confirm@example.id" } });
    const line = await logLine(log, "confirm@example.id");
    const token = /confirm\?token=([A-Za-z0-9_-]{43})/.exec(line)?.[1] ?? "";
    expect(token, line).not.toBe("");
    const client = new ConsoleClient("https://kemitraan.test");
    // A scanner's prefetch: twice, nothing consumed, no session.
    for (let i = 0; i < 2; i++) {
      const res = await client.get(`/ui/login/confirm?token=${token}`);
      expect(res.status).toBe(200);
      expect(client.lastHtml).toContain('action="/ui/login/confirm"');
    }
    expect(client.cookies.has("__Host-kemitraan_session")).toBe(false);
    const rows = await createDb(env.DB).select().from(signInTokens).all();
    expect(rows.every((r) => r.usedAt === null || r.businessId === "")).toBe(true);
    const res = await client.post("/ui/login/confirm", { token });
    expect(res.status).toBe(303);
    expect(client.cookies.has("__Host-kemitraan_session")).toBe(true);
    // The link is spent now.
    await client.get(`/ui/login/confirm?token=${token}`);
    const again = await client.post("/ui/login/confirm", { token });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('data-code="invalid_sign_in_link"');
  });
});

describe("roles", () => {
  it("sends anonymous visitors of officer and owner pages to the sign-in page", async () => {
    for (const path of ["/ui/queue", "/ui/businesses", "/ui/dashboard", "/ui/me"]) {
      const res = await new ConsoleClient().get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("Location")).toBe("/ui/login");
    }
  });

  it("does not let a business owner open officer pages or post officer actions", async () => {
    await seedBusiness(serviceBody({ email: "roles-owner@example.id" }));
    const owner = await ownerClient("roles-owner@example.id");
    for (const path of ["/ui/queue", "/ui/businesses", "/ui/dashboard"]) {
      const res = await owner.get(path);
      expect(res.status, path).toBe(403);
      expect(owner.lastHtml).toContain('data-code="forbidden"');
    }
    await owner.get("/ui/me");
    const res = await owner.post("/ui/queue/partnerships/ptn_x/approve", {});
    expect(res.status).toBe(403);
    // The error page still lets the owner sign out.
    await owner.get("/ui/dashboard");
    expect((await owner.post("/ui/logout", {})).status).toBe(303);
    expect((await owner.get("/ui/me")).status).toBe(303);
  });

  it("does not give officers the owner page", async () => {
    const officer = await officerClient();
    expect((await officer.get("/ui/me")).status).toBe(403);
  });
});
