import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectProblem, officerKey } from "../../helpers";
import { type AuditJson, act, type PartnershipJson } from "./partnerships.helpers";
import { insertDraft, maker, shop } from "./proposals.helpers";

interface ProposalJson {
  id: string;
  period: string;
  status: string;
  score: number;
  components: { category: number; location: number; text: number };
  reasons: { id: string[]; en: string[] };
  reasonsFor: string;
  pattern: string;
  service: { id: string; name: string };
  industry: { id: string; name: string };
  decidedBy: { kind: string; id: string } | null;
  discardReason: string | null;
  partnershipId: string | null;
}

/** A fresh shop, maker, a draft between them and an officer key. */
async function seedDraft(opts: { shopMax?: number; makerMax?: number } = {}) {
  const s = await shop(opts.shopMax);
  const m = await maker(opts.makerMax);
  const id = await insertDraft(s.business.id, m.business.id);
  return { shop: s, maker: m, id, officer: await officerKey() };
}

function publish(id: string, key: string, body: unknown = {}) {
  return call(`/v1/proposals/${id}/publish`, { key, body });
}

function discard(id: string, key: string, body: unknown = { reason: "Sudah bermitra di luar aplikasi" }) {
  return call(`/v1/proposals/${id}/discard`, { key, body });
}

async function auditOf(entity: string, id: string, officer: string): Promise<AuditJson[]> {
  const res = await call(`/v1/audit?entity=${entity}&entityId=${id}`, { key: officer });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: AuditJson[] }).items;
}

describe("the review queue (happy path)", () => {
  it("lists drafts with their score breakdown, reasons and pattern", async () => {
    const { id, officer, shop: s, maker: m } = await seedDraft();
    const res = await call("/v1/proposals?limit=100", { key: officer });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: ProposalJson[] };
    const item = page.items.find((p) => p.id === id);
    expect(item).toMatchObject({
      status: "draft",
      period: "2026-W48",
      score: 0.7,
      components: { category: 0.95, location: 0.85, text: 0.6 },
      reasons: {
        id: ["Mereka menawarkan yang Anda butuhkan: alas kaki"],
        en: ["They offer what you need: footwear"],
      },
      reasonsFor: "service",
      pattern: "rantai_pasok",
      service: { id: s.business.id, name: s.business.name },
      industry: { id: m.business.id, name: m.business.name },
    });
    for (const p of page.items) expect(p.status).toBe("draft");
    const one = await call(`/v1/proposals/${id}`, { key: officer });
    expect(((await one.json()) as ProposalJson).id).toBe(id);
  });

  it("publishes a draft as a request from the service business that the industry answers", async () => {
    const { id, officer, shop: s, maker: m } = await seedDraft();
    const res = await publish(id, officer);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { proposal: ProposalJson; partnership: PartnershipJson };
    expect(body.proposal).toMatchObject({ status: "published", partnershipId: body.partnership.id });
    expect(body.proposal.decidedBy?.kind).toBe("officer");
    expect(body.partnership).toMatchObject({
      status: "requested",
      origin: "engine",
      pattern: "rantai_pasok",
      requester: { id: s.business.id },
      partner: { id: m.business.id },
    });
    expect(body.partnership.message).toMatch(/Usulan kemitraan dari petugas/);
    expect(body.partnership.expiresAt).not.toBeNull();
    // Both sides now see it; contacts stay hidden until the partner accepts.
    const seen = await call(`/v1/partnerships/${body.partnership.id}`, { key: m.apiKey });
    expect(((await seen.json()) as PartnershipJson).partner.contact).toEqual({
      email: m.business.email,
      whatsapp: null,
    });
    const fromShop = (await (
      await call(`/v1/partnerships/${body.partnership.id}`, { key: s.apiKey })
    ).json()) as PartnershipJson;
    expect(fromShop.partner.contact).toBeNull();
    const accepted = await act(body.partnership.id, "accept", m.apiKey);
    expect(accepted.status).toBe(200);
    // Audit: the proposal's publication and the request it became.
    expect(
      (await auditOf("pairing_proposal", id, officer)).map((a) => [a.action, a.fromState, a.toState]),
    ).toEqual([["publish", "draft", "published"]]);
    const ptnAudit = await auditOf("partnership", body.partnership.id, officer);
    expect(ptnAudit.map((a) => a.action)).toEqual(["publish_proposal", "accept"]);
    expect(ptnAudit[0]?.details).toMatchObject({ proposalId: id });
  });

  it("lets the officer make the industry the requester, with an own message", async () => {
    const { id, officer, maker: m } = await seedDraft();
    const res = await publish(id, officer, { requester: "industry", message: "Silakan dicoba dulu." });
    expect(res.status).toBe(200);
    const { partnership } = (await res.json()) as { partnership: PartnershipJson };
    expect(partnership.requester.id).toBe(m.business.id);
    expect(partnership.message).toBe("Silakan dicoba dulu.");
  });

  it("discards a draft with a reason, audited", async () => {
    const { id, officer } = await seedDraft();
    const res = await discard(id, officer);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "discarded",
      discardReason: "Sudah bermitra di luar aplikasi",
    });
    const audit = await auditOf("pairing_proposal", id, officer);
    expect(audit.map((a) => [a.action, a.toState, a.details])).toEqual([
      ["discard", "discarded", { reason: "Sudah bermitra di luar aplikasi" }],
    ]);
    const drafts = (await (await call("/v1/proposals?limit=100", { key: officer })).json()) as {
      items: ProposalJson[];
    };
    expect(drafts.items.map((p) => p.id)).not.toContain(id);
  });
});

describe("who may not", () => {
  it("answers 401 without a key and 403 to a business, even one of the pair", async () => {
    const { id, shop: s } = await seedDraft();
    await expectProblem(await call("/v1/proposals"), 401);
    await expectProblem(await call("/v1/proposals", { key: s.apiKey }), 403, "forbidden");
    await expectProblem(await call(`/v1/proposals/${id}`, { key: s.apiKey }), 403, "forbidden");
    await expectProblem(await publish(id, s.apiKey), 403, "forbidden");
    await expectProblem(await discard(id, s.apiKey), 403, "forbidden");
    const row = await env.DB.prepare("select status from pairing_proposals where id = ?").bind(id).first();
    expect(row).toEqual({ status: "draft" });
  });
});

describe("wrong state and bad input", () => {
  it("refuses to publish a discarded draft or discard a published one (409 invalid_state)", async () => {
    const a = await seedDraft();
    expect((await discard(a.id, a.officer)).status).toBe(200);
    await expectProblem(await publish(a.id, a.officer), 409, "invalid_state");
    const b = await seedDraft();
    expect((await publish(b.id, b.officer)).status).toBe(200);
    await expectProblem(await discard(b.id, b.officer), 409, "invalid_state");
    await expectProblem(await publish(b.id, b.officer), 409, "invalid_state");
  });

  it("applies the normal rules on publication: declined pair, open requests cap, capacity", async () => {
    const declined = await seedDraft();
    expect(
      (
        await call("/v1/declined-pairs", {
          key: declined.maker.apiKey,
          body: { partnerId: declined.shop.business.id },
        })
      ).status,
    ).toBe(200);
    await expectProblem(await publish(declined.id, declined.officer), 409, "pair_declined");

    const busy = await seedDraft({ shopMax: 10 });
    for (let i = 0; i < 5; i++) {
      const other = await maker();
      const r = await call("/v1/partnerships", {
        key: busy.shop.apiKey,
        body: { partnerId: other.business.id, pattern: "rantai_pasok" },
      });
      expect(r.status).toBe(201);
    }
    await expectProblem(await publish(busy.id, busy.officer), 409, "too_many_open_requests");
    // The other side can still be the requester.
    expect((await publish(busy.id, busy.officer, { requester: "industry" })).status).toBe(200);

    const full = await seedDraft({ makerMax: 1 });
    const rival = await shop();
    const pairing = await call("/v1/partnerships", {
      key: full.officer,
      body: { requesterId: rival.business.id, partnerId: full.maker.business.id, pattern: "rantai_pasok" },
    });
    expect(pairing.status).toBe(201);
    await expectProblem(await publish(full.id, full.officer), 409, "capacity_reached");
    const row = await env.DB.prepare("select status from pairing_proposals where id = ?")
      .bind(full.id)
      .first();
    expect(row).toEqual({ status: "draft" });
  });

  it("refuses to publish a pair that is now of one sector (the maker moved to services)", async () => {
    const draft = await seedDraft();
    await env.DB.prepare("update businesses set sector = 'service' where id = ?")
      .bind(draft.maker.business.id)
      .run();
    await expectProblem(await publish(draft.id, draft.officer), 422, "same_sector");
    const row = await env.DB.prepare("select status from pairing_proposals where id = ?")
      .bind(draft.id)
      .first();
    expect(row).toEqual({ status: "draft" });
  });

  it("answers 404 for an unknown proposal and 422 for a discard without a reason or an unknown field", async () => {
    const { id, officer } = await seedDraft();
    await expectProblem(await publish("prp_UNKNOWN", officer), 404, "not_found");
    await expectProblem(await discard(id, officer, {}), 422, "validation_failed");
    await expectProblem(await publish(id, officer, { requester: "both" }), 422, "validation_failed");
    await expectProblem(await call("/v1/proposals?status=maybe", { key: officer }), 422, "validation_failed");
  });
});

describe("races (parallel requests)", () => {
  it("lets exactly one of two officers publishing at once succeed; the other gets 409", async () => {
    const { id, officer, shop: s, maker: m } = await seedDraft();
    const other = await officerKey();
    const results = await Promise.all([publish(id, officer), publish(id, other)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409);
    if (loser) {
      const body = await expectProblem(loser, 409);
      expect(["state_changed", "invalid_state", "partnership_exists"]).toContain(body.code);
    }
    const rows = await env.DB.prepare(
      "select count(*) as n from partnerships where requester_id = ? and partner_id = ?",
    )
      .bind(s.business.id, m.business.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
    const audit = await auditOf("pairing_proposal", id, officer);
    expect(audit.filter((a) => a.action === "publish")).toHaveLength(1);
  });

  it("lets a publish and a discard racing leave exactly one decision", async () => {
    const { id, officer } = await seedDraft();
    const results = await Promise.all([publish(id, officer), discard(id, officer)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const audit = await auditOf("pairing_proposal", id, officer);
    expect(audit).toHaveLength(1);
  });
});
