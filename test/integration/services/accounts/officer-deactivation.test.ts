import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../../../src/app";
import { call, expectProblem, industryBody, officerKey, seedBusiness } from "../../helpers";
import { ConsoleClient } from "../../ui/console.helpers";

/**
 * Deactivating an officer ends every way they had in: the officer API key minted with them and
 * the console sessions opened with it, at once on this instance (the verified-key cache included).
 */

interface CreatedOfficer {
  officer: { id: string };
  key: { id: string };
  apiKey: string;
}

async function registerAdmin(by: string, email: string): Promise<CreatedOfficer> {
  const res = await call("/v1/officers", { key: by, body: { email, role: "admin" } });
  expect(res.status).toBe(201);
  return (await res.json()) as CreatedOfficer;
}

/** Calls the app in this test's module instance, whose verified-key cache has not seen the key. */
async function fetchApp(path: string, key: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`https://kemitraan.test${path}`, { headers: { Authorization: `Bearer ${key}` } }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

async function deletionRequest(): Promise<string> {
  const biz = await seedBusiness(industryBody({ email: `erase-${Date.now()}@deact.example.id` }));
  const res = await call(`/v1/businesses/${biz.business.id}/deletion-request`, {
    key: biz.apiKey,
    method: "POST",
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe("deactivating an officer", () => {
  it("ends their API key and console session at once: no officers created, no deletions confirmed", async () => {
    const root = await officerKey("admin");
    const leaving = await registerAdmin(root, "leaving-admin@deact.example.id");

    // Both ways in work, and this instance has the key in its verified-key cache.
    expect((await call("/v1/officers", { key: leaving.apiKey })).status).toBe(200);
    const browser = new ConsoleClient();
    expect((await browser.officerLogin(leaving.apiKey)).status).toBe(303);
    expect((await browser.get("/ui/queue")).status).toBe(200);

    const res = await call(`/v1/officers/${leaving.officer.id}/deactivate`, { key: root, method: "POST" });
    expect(res.status).toBe(200);

    await expectProblem(
      await call("/v1/officers", { key: leaving.apiKey, body: { email: "sneaky@deact.example.id" } }),
      401,
      "unauthorized",
    );
    const requestId = await deletionRequest();
    await expectProblem(
      await call(`/v1/deletion-requests/${requestId}/confirm`, { key: leaving.apiKey, method: "POST" }),
      401,
      "unauthorized",
    );
    // The console session is anonymity now: pages go to sign-in, forms are refused.
    const page = await browser.get("/ui/queue");
    expect(page.status).toBe(303);
    expect(page.headers.get("Location")).toBe("/ui/login");
    const form = await browser.post(`/ui/queue/businesses/biz_none/publish`, {});
    expect(form.status).toBe(401);

    const sneaky = await env.DB.prepare("select count(*) as n from officers where email = ?")
      .bind("sneaky@deact.example.id")
      .first<{ n: number }>();
    expect(sneaky?.n).toBe(0);
    const request = await env.DB.prepare("select status from deletion_requests where id = ?")
      .bind(requestId)
      .first<{ status: string }>();
    expect(request?.status).toBe("pending");
  });

  it("revokes the officer's keys and sessions in the deactivation itself, with an audit row per key", async () => {
    const root = await officerKey("admin");
    const leaving = await registerAdmin(root, "revoked-keys@deact.example.id");
    const browser = new ConsoleClient();
    expect((await browser.officerLogin(leaving.apiKey)).status).toBe(303);

    expect(
      (await call(`/v1/officers/${leaving.officer.id}/deactivate`, { key: root, method: "POST" })).status,
    ).toBe(200);

    const key = await env.DB.prepare("select revoked_at, officer_id from api_keys where id = ?")
      .bind(leaving.key.id)
      .first<{ revoked_at: number | null; officer_id: string | null }>();
    expect(key?.officer_id).toBe(leaving.officer.id);
    expect(key?.revoked_at).not.toBeNull();
    const sessions = await env.DB.prepare(
      "select count(*) as n, sum(revoked_at is null) as live from officer_sessions where officer_id = ?",
    )
      .bind(leaving.officer.id)
      .first<{ n: number; live: number }>();
    expect(sessions).toEqual({ n: 1, live: 0 });
    const audit = await env.DB.prepare(
      "select action, to_state from audit_log where entity_type = 'api_key' and entity_id = ? order by id",
    )
      .bind(leaving.key.id)
      .all<{ action: string; to_state: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(["create", "revoke"]);
  });

  it("refuses a key and a key login whose officer is inactive, even if the key was never revoked", async () => {
    const root = await officerKey("admin");
    const leaving = await registerAdmin(root, "flag-only@deact.example.id");
    // A deactivation recorded before keys were linked to officers: only the officer's flag is set.
    await env.DB.prepare("update officers set active = 0 where id = ?").bind(leaving.officer.id).run();
    await expectProblem(await fetchApp("/v1/officers", leaving.apiKey), 401, "unauthorized");
    const browser = new ConsoleClient();
    expect((await browser.officerLogin(leaving.apiKey)).status).toBe(401);
  });
});
