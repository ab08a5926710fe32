import { describe, expect, it } from "vitest";
import { call, expectProblem, industryBody, officerKey, seedBusiness, serviceBody } from "../../helpers";

interface KeyJson {
  id: string;
  prefix: string;
  label: string;
  kind: string;
  businessId: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  apiKey?: string;
}

async function createKey(businessId: string, key: string, label = "POS"): Promise<KeyJson> {
  const res = await call(`/v1/businesses/${businessId}/keys`, { key, body: { label } });
  expect(res.status).toBe(201);
  return (await res.json()) as KeyJson;
}

async function listKeys(businessId: string, key: string): Promise<KeyJson[]> {
  const res = await call(`/v1/businesses/${businessId}/keys`, { key });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: KeyJson[] }).items;
}

describe("business API keys", () => {
  it("lets a business create a key, shown once, that authenticates as that business", async () => {
    const biz = await seedBusiness(industryBody());
    const created = await createKey(biz.business.id, biz.apiKey, "Kasir");
    expect(created.apiKey).toMatch(/^kmt_[a-z2-9]{8}_[a-z2-9]{40}$/);
    expect(created).toMatchObject({
      label: "Kasir",
      kind: "business",
      businessId: biz.business.id,
      revokedAt: null,
    });
    expect((await call(`/v1/businesses/${biz.business.id}`, { key: created.apiKey })).status).toBe(200);
  });

  it("lists keys with prefix, label and times but never a hash or the key itself", async () => {
    const biz = await seedBusiness(industryBody());
    const officer = await officerKey();
    const created = await createKey(biz.business.id, officer, "ERP");
    const items = await listKeys(biz.business.id, biz.apiKey);
    expect(items).toHaveLength(2);
    const listed = items.find((k) => k.id === created.id);
    expect(listed).toMatchObject({ prefix: created.prefix, label: "ERP", revokedAt: null, lastUsedAt: null });
    const text = JSON.stringify(items);
    expect(text).not.toContain(created.apiKey);
    expect(text).not.toMatch(/hash/i);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
  });

  it("rotates: a new key works, and the revoked old one is refused at once", async () => {
    const biz = await seedBusiness(industryBody());
    const fresh = await createKey(biz.business.id, biz.apiKey, "rotated");
    const old = (await listKeys(biz.business.id, fresh.apiKey ?? "")).find((k) => k.id !== fresh.id);
    expect(old).toBeDefined();
    // The old key was verified (and cached) just now: the revoke must still take effect at once.
    expect((await call(`/v1/businesses/${biz.business.id}`, { key: biz.apiKey })).status).toBe(200);
    const res = await call(`/v1/keys/${old?.id}/revoke`, { key: fresh.apiKey ?? "", method: "POST" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as KeyJson).revokedAt).not.toBeNull();
    await expectProblem(
      await call(`/v1/businesses/${biz.business.id}`, { key: biz.apiKey }),
      401,
      "unauthorized",
    );
    expect((await call(`/v1/businesses/${biz.business.id}`, { key: fresh.apiKey ?? "" })).status).toBe(200);
  });

  it("revokes idempotently", async () => {
    const biz = await seedBusiness(industryBody());
    const officer = await officerKey();
    const k = await createKey(biz.business.id, officer);
    const first = (await (
      await call(`/v1/keys/${k.id}/revoke`, { key: officer, method: "POST" })
    ).json()) as KeyJson;
    const second = await call(`/v1/keys/${k.id}/revoke`, { key: officer, method: "POST" });
    expect(second.status).toBe(200);
    expect(((await second.json()) as KeyJson).revokedAt).toBe(first.revokedAt);
  });

  it("returns 401 to anonymous callers listing, creating or revoking keys", async () => {
    const biz = await seedBusiness(industryBody());
    await expectProblem(await call(`/v1/businesses/${biz.business.id}/keys`), 401, "unauthorized");
    await expectProblem(
      await call(`/v1/businesses/${biz.business.id}/keys`, { body: { label: "x" } }),
      401,
      "unauthorized",
    );
    await expectProblem(await call("/v1/keys/key_x/revoke", { method: "POST" }), 401, "unauthorized");
  });

  it("hides another business's keys as 404 (list, create, revoke)", async () => {
    const a = await seedBusiness(industryBody());
    const b = await seedBusiness(serviceBody());
    await expectProblem(
      await call(`/v1/businesses/${b.business.id}/keys`, { key: a.apiKey }),
      404,
      "not_found",
    );
    await expectProblem(
      await call(`/v1/businesses/${b.business.id}/keys`, { key: a.apiKey, body: { label: "mine now" } }),
      404,
      "not_found",
    );
    const bKeys = await listKeys(b.business.id, b.apiKey);
    await expectProblem(
      await call(`/v1/keys/${bKeys[0]?.id}/revoke`, { key: a.apiKey, method: "POST" }),
      404,
      "not_found",
    );
    expect((await call(`/v1/businesses/${b.business.id}`, { key: b.apiKey })).status).toBe(200);
  });

  it("returns 404 for keys of an unknown business and for an unknown key id", async () => {
    const officer = await officerKey();
    await expectProblem(await call("/v1/businesses/biz_nope/keys", { key: officer }), 404, "not_found");
    await expectProblem(
      await call("/v1/keys/key_nope/revoke", { key: officer, method: "POST" }),
      404,
      "not_found",
    );
  });
});

describe("officers", () => {
  it("lets an admin register an officer whose key works, and revoke it", async () => {
    const admin = await officerKey("admin");
    const res = await call("/v1/officers", { key: admin, body: { email: "Sari@Mojokertokota.go.id" } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      officer: { id: string; email: string; role: string; active: boolean };
      key: KeyJson;
      apiKey: string;
    };
    expect(body.officer).toMatchObject({ email: "sari@mojokertokota.go.id", role: "officer", active: true });
    expect(body.key).toMatchObject({ kind: "officer", label: "sari@mojokertokota.go.id" });
    expect((await call("/v1/businesses", { key: body.apiKey })).status).toBe(200);

    expect((await call(`/v1/keys/${body.key.id}/revoke`, { key: admin, method: "POST" })).status).toBe(200);
    await expectProblem(await call("/v1/businesses", { key: body.apiKey }), 401, "unauthorized");
  });

  it("returns 409 for an email already registered", async () => {
    const admin = await officerKey("admin");
    const body = { email: "dup@mojokertokota.go.id", role: "admin" };
    expect((await call("/v1/officers", { key: admin, body })).status).toBe(201);
    await expectProblem(await call("/v1/officers", { key: admin, body }), 409, "officer_exists");
  });

  it("forbids officers who are not admins from registering officers or revoking officer keys", async () => {
    const officer = await officerKey("officer");
    const admin = await officerKey("admin");
    await expectProblem(
      await call("/v1/officers", { key: officer, body: { email: "x@mojokertokota.go.id" } }),
      403,
      "forbidden",
    );
    const created = (await (
      await call("/v1/officers", { key: admin, body: { email: "y@mojokertokota.go.id" } })
    ).json()) as { key: KeyJson };
    await expectProblem(
      await call(`/v1/keys/${created.key.id}/revoke`, { key: officer, method: "POST" }),
      403,
      "forbidden",
    );
  });

  it("forbids businesses from registering officers (403) and anonymous callers (401)", async () => {
    const biz = await seedBusiness(industryBody());
    await expectProblem(
      await call("/v1/officers", { key: biz.apiKey, body: { email: "z@example.id" } }),
      403,
      "forbidden",
    );
    await expectProblem(await call("/v1/officers", { body: { email: "z@example.id" } }), 401, "unauthorized");
  });

  it("lets an officer revoke a business key", async () => {
    const biz = await seedBusiness(industryBody());
    const officer = await officerKey();
    const [k] = await listKeys(biz.business.id, officer);
    expect((await call(`/v1/keys/${k?.id}/revoke`, { key: officer, method: "POST" })).status).toBe(200);
    await expectProblem(await call(`/v1/businesses/${biz.business.id}`, { key: biz.apiKey }), 401);
  });

  it("lets an admin list officers and deactivate one; other callers get 403", async () => {
    const admin = await officerKey("admin");
    const officer = await officerKey("officer");
    const created = (await (
      await call("/v1/officers", { key: admin, body: { email: "leaving@mojokertokota.go.id" } })
    ).json()) as { officer: { id: string } };
    const list = (await (await call("/v1/officers", { key: admin })).json()) as {
      items: Array<{ id: string; active: boolean }>;
    };
    expect(list.items.find((o) => o.id === created.officer.id)?.active).toBe(true);

    await expectProblem(await call("/v1/officers", { key: officer }), 403, "forbidden");
    await expectProblem(
      await call(`/v1/officers/${created.officer.id}/deactivate`, { key: officer, method: "POST" }),
      403,
      "forbidden",
    );
    const res = await call(`/v1/officers/${created.officer.id}/deactivate`, { key: admin, method: "POST" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { active: boolean }).active).toBe(false);
    await expectProblem(await call("/v1/officers/ofc_nope/deactivate", { key: admin, method: "POST" }), 404);
  });
});

interface AuditJson {
  items: Array<{
    action: string;
    actor: { kind: string; id: string };
    entity: { type: string; id: string };
    fromState: string | null;
    toState: string | null;
    details: Record<string, unknown> | null;
  }>;
}

async function auditOf(entity: string, id: string, key: string): Promise<AuditJson["items"]> {
  const res = await call(`/v1/audit?entity=${entity}&entityId=${id}`, { key });
  expect(res.status).toBe(200);
  return ((await res.json()) as AuditJson).items;
}

describe("audit of keys and officers", () => {
  it("records who created and revoked a business key, once, without the secret", async () => {
    const biz = await seedBusiness(industryBody());
    const officer = await officerKey();
    const created = await createKey(biz.business.id, biz.apiKey, "Kasir");
    const revokes = await Promise.all(
      [1, 2, 3].map(() => call(`/v1/keys/${created.id}/revoke`, { key: officer, method: "POST" })),
    );
    expect(revokes.map((r) => r.status)).toEqual([200, 200, 200]);

    const entries = await auditOf("api_key", created.id, officer);
    expect(entries.map((e) => e.action)).toEqual(["create", "revoke"]);
    expect(entries[0]).toMatchObject({
      actor: { kind: "business", id: biz.business.id },
      toState: "active",
      details: { kind: "business", businessId: biz.business.id, label: "Kasir", prefix: created.prefix },
    });
    expect(entries[1]).toMatchObject({ actor: { kind: "officer" }, fromState: "active", toState: "revoked" });
    expect(JSON.stringify(entries)).not.toContain(created.apiKey);
  });

  it("records an officer's registration with their key, and one deactivation", async () => {
    const admin = await officerKey("admin");
    const body = (await (
      await call("/v1/officers", { key: admin, body: { email: "audit@mojokertokota.go.id", role: "admin" } })
    ).json()) as { officer: { id: string }; key: KeyJson; apiKey: string };
    for (let i = 0; i < 2; i++) {
      const res = await call(`/v1/officers/${body.officer.id}/deactivate`, { key: admin, method: "POST" });
      expect(res.status).toBe(200);
    }
    const officerEntries = await auditOf("officer", body.officer.id, admin);
    expect(officerEntries.map((e) => [e.action, e.fromState, e.toState])).toEqual([
      ["create", null, "active"],
      ["deactivate", "active", "inactive"],
    ]);
    expect(officerEntries[0]?.details).toEqual({ email: "audit@mojokertokota.go.id", role: "admin" });
    // The deactivation revoked the officer's key, once.
    const keyEntries = await auditOf("api_key", body.key.id, admin);
    expect(keyEntries.map((e) => e.action)).toEqual(["create", "revoke"]);
    expect(keyEntries[0]).toMatchObject({ action: "create", details: { officerId: body.officer.id } });
    expect(keyEntries[1]).toMatchObject({
      fromState: "active",
      toState: "revoked",
      details: { officerId: body.officer.id, reason: "officer_deactivated" },
    });
    expect(JSON.stringify(keyEntries)).not.toContain(body.apiKey);
  });
});
