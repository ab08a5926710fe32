import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { expireRequests } from "../../../../src/services/partnerships/expire.service";
import {
  call,
  deps,
  expectProblem,
  industryBody,
  seedBusiness,
  serviceBody,
  settleSuggestions,
} from "../../helpers";
import { act, auditOf, type PartnershipJson, request, seedPair } from "./partnerships.helpers";

async function committedCount(businessId: string): Promise<number> {
  const row = await env.DB.prepare(
    "select count(*) as n from partnerships where status in ('accepted', 'active') and (requester_id = ?1 or partner_id = ?1)",
  )
    .bind(businessId)
    .first<{ n: number }>();
  return row?.n ?? -1;
}

describe("races (parallel requests)", () => {
  it("lets exactly one of two officers approving at once succeed; the other gets 409", async () => {
    const { maker, shop, officer } = await seedPair();
    const p = await request(shop.apiKey, maker.business.id);
    await act(p.id, "accept", maker.apiKey);
    const results = await Promise.all([act(p.id, "approve", officer), act(p.id, "approve", officer)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409);
    if (loser) {
      const body = await expectProblem(loser, 409);
      expect(["state_changed", "invalid_state"]).toContain(body.code);
    }
    const audit = await auditOf(p.id, officer);
    expect(audit.filter((a) => a.action === "approve")).toHaveLength(1);
  });

  it("never lets concurrent accepts push a partner with maxPartners 1 past its capacity", async () => {
    const maker = await seedBusiness(industryBody({ maxPartners: 1 }));
    const requests: PartnershipJson[] = [];
    for (let i = 0; i < 5; i++) {
      const shop = await seedBusiness(serviceBody({ name: `Toko ${i}` }));
      requests.push(await request(shop.apiKey, maker.business.id));
    }
    const results = await Promise.all(requests.map((p) => act(p.id, "accept", maker.apiKey)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(4);
    for (const r of results.filter((x) => x.status === 409)) await expectProblem(r, 409, "capacity_reached");
    expect(await committedCount(maker.business.id)).toBe(1);
  });

  it("never lets concurrent officer pairings exceed maxPartners", async () => {
    const { officer } = await seedPair();
    const maker = await seedBusiness(industryBody({ maxPartners: 2 }));
    const shops = [];
    for (let i = 0; i < 5; i++) shops.push(await seedBusiness(serviceBody({ name: `Toko Pasangan ${i}` })));
    const results = await Promise.all(
      shops.map((s) =>
        call("/v1/partnerships", {
          key: officer,
          body: { requesterId: s.business.id, partnerId: maker.business.id, pattern: "subkontrak" },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 409)).toHaveLength(3);
    expect(await committedCount(maker.business.id)).toBe(2);
  });

  it("holds the cap on unanswered requests under concurrent requests", async () => {
    const shop = await seedBusiness(serviceBody({ name: "Toko Cepat" }));
    const makers = [];
    for (let i = 0; i < 8; i++) makers.push(await seedBusiness(industryBody({ name: `Pabrik Cepat ${i}` })));
    const results = await Promise.all(
      makers.map((m) =>
        call("/v1/partnerships", {
          key: shop.apiKey,
          body: { partnerId: m.business.id, pattern: "rantai_pasok" },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    for (const r of results.filter((x) => x.status !== 201))
      await expectProblem(r, 409, "too_many_open_requests");
  });

  it("refuses an approval that would exceed maxPartners lowered after the accept", async () => {
    const { maker, shop, officer } = await seedPair({ makerMax: 2 });
    const shop2 = await seedBusiness(serviceBody({ name: "Toko Kedua" }));
    const p = await request(shop.apiKey, maker.business.id);
    const q = await request(shop2.apiKey, maker.business.id);
    await act(p.id, "accept", maker.apiKey);
    await act(q.id, "accept", maker.apiKey);
    await act(p.id, "approve", officer);
    const patch = await call(`/v1/businesses/${maker.business.id}`, {
      key: officer,
      method: "PATCH",
      body: { maxPartners: 1 },
    });
    expect(patch.status).toBe(200);
    await expectProblem(await act(q.id, "approve", officer), 409, "capacity_reached");
  });
});

describe("expireRequests", () => {
  it("expires only requests past expiresAt, once, with a system audit row", async () => {
    const { maker, shop, officer } = await seedPair();
    const p = await request(shop.apiKey, maker.business.id);
    const accepted = await request(
      (await seedBusiness(serviceBody({ name: "Toko Diterima" }))).apiKey,
      maker.business.id,
    );
    await act(accepted.id, "accept", maker.apiKey);
    const expiresAt = Date.parse(p.expiresAt ?? "");

    const early = await expireRequests(deps(), { now: expiresAt - 1 });
    expect(early.expired).not.toContain(p.id);
    const due = await expireRequests(deps(), { now: expiresAt });
    expect(due.expired).toContain(p.id);
    expect(due.expired).not.toContain(accepted.id);
    const again = await expireRequests(deps(), { now: expiresAt + 1 });
    expect(again.expired).not.toContain(p.id);

    const res = await call(`/v1/partnerships/${p.id}`, { key: shop.apiKey });
    expect(((await res.json()) as PartnershipJson).status).toBe("expired");
    const audit = await auditOf(p.id, officer);
    expect(audit.filter((a) => a.action === "expire")).toEqual([
      expect.objectContaining({
        actor: { kind: "system", id: "expire-requests" },
        fromState: "requested",
        toState: "expired",
      }),
    ]);
    await expectProblem(await act(p.id, "accept", maker.apiKey), 409, "invalid_state");
  });
});

async function matchIds(businessId: string, key: string): Promise<{ ids: string[]; source: string | null }> {
  const res = await call(`/v1/businesses/${businessId}/matches?limit=50`, { key });
  expect(res.status).toBe(200);
  const items = ((await res.json()) as { items: Array<{ business: { id: string } }> }).items;
  return { ids: items.map((i) => i.business.id), source: res.headers.get("X-Suggestions-Source") };
}

describe("declined pairs", () => {
  it("removes the pair from both sides' GET /matches, stored and freshly computed, until an officer resets it", async () => {
    const { maker, shop, officer } = await seedPair();
    await settleSuggestions([maker.business.id, shop.business.id], officer);
    expect((await matchIds(maker.business.id, maker.apiKey)).ids).toContain(shop.business.id);
    expect((await matchIds(shop.business.id, shop.apiKey)).ids).toContain(maker.business.id);

    const p = await request(shop.apiKey, maker.business.id);
    await act(p.id, "decline", maker.apiKey);

    const stored = await matchIds(maker.business.id, maker.apiKey);
    expect(stored.ids).not.toContain(shop.business.id);
    expect((await matchIds(shop.business.id, shop.apiKey)).ids).not.toContain(maker.business.id);

    await env.DB.prepare("delete from suggestion_sets where business_id in (?, ?)")
      .bind(maker.business.id, shop.business.id)
      .run();
    const computed = await matchIds(maker.business.id, maker.apiKey);
    expect(computed.source).toBe("computed");
    expect(computed.ids).not.toContain(shop.business.id);
    const computedOther = await matchIds(shop.business.id, shop.apiKey);
    expect(computedOther.source).toBe("computed");
    expect(computedOther.ids).not.toContain(maker.business.id);

    await expectProblem(
      await call("/v1/partnerships", {
        key: maker.apiKey,
        body: { partnerId: shop.business.id, pattern: "subkontrak" },
      }),
      409,
      "pair_declined",
    );

    const reset = await call("/v1/declined-pairs/reset", {
      key: officer,
      body: { businessIds: [shop.business.id, maker.business.id] },
    });
    expect(reset.status).toBe(200);
    expect((await matchIds(maker.business.id, maker.apiKey)).ids).toContain(shop.business.id);
    expect((await matchIds(shop.business.id, shop.apiKey)).ids).toContain(maker.business.id);
    await request(shop.apiKey, maker.business.id);

    const pairKey = [shop.business.id, maker.business.id].sort().join(":");
    const audit = await call(`/v1/audit?entity=declined_pair&entityId=${pairKey}`, { key: officer });
    const items = ((await audit.json()) as { items: Array<{ action: string; actor: { kind: string } }> })
      .items;
    expect(items).toEqual([
      expect.objectContaining({ action: "reset", actor: expect.objectContaining({ kind: "officer" }) }),
    ]);
  });

  it("lets a business mark a suggestion 'tidak berminat' without a request: gone from both sides, audited once", async () => {
    const { maker, shop, officer } = await seedPair();
    expect((await matchIds(shop.business.id, shop.apiKey)).ids).toContain(maker.business.id);
    const decline = () =>
      call("/v1/declined-pairs", { key: shop.apiKey, body: { partnerId: maker.business.id } });
    expect((await decline()).status).toBe(200);
    expect((await decline()).status).toBe(200);
    expect((await matchIds(shop.business.id, shop.apiKey)).ids).not.toContain(maker.business.id);
    expect((await matchIds(maker.business.id, maker.apiKey)).ids).not.toContain(shop.business.id);
    const pairKey = [shop.business.id, maker.business.id].sort().join(":");
    const audit = await call(`/v1/audit?entity=declined_pair&entityId=${pairKey}`, { key: officer });
    const items = ((await audit.json()) as { items: Array<{ action: string; actor: { id: string } }> }).items;
    expect(items.map((a) => [a.action, a.actor.id])).toEqual([["decline", shop.business.id]]);
  });

  it("refuses 'tidak berminat' from an officer (403) and while a request is open (409)", async () => {
    const { maker, shop, officer } = await seedPair();
    await expectProblem(
      await call("/v1/declined-pairs", { key: officer, body: { partnerId: maker.business.id } }),
      403,
    );
    await request(shop.apiKey, maker.business.id);
    await expectProblem(
      await call("/v1/declined-pairs", { key: maker.apiKey, body: { partnerId: shop.business.id } }),
      409,
      "partnership_exists",
    );
  });

  it("returns 404 when resetting a pair that is not declined, and 403 for a business", async () => {
    const { maker, shop, officer } = await seedPair();
    const body = { businessIds: [shop.business.id, maker.business.id] };
    await expectProblem(await call("/v1/declined-pairs/reset", { key: officer, body }), 404);
    await expectProblem(await call("/v1/declined-pairs/reset", { key: shop.apiKey, body }), 403);
  });
});
