import { describe, expect, it } from "vitest";
import { call } from "../../helpers";
import { act, auditOf, expectStatus, type PartnershipJson, request, seedPair } from "./partnerships.helpers";

describe("partnership lifecycle: happy paths", () => {
  it("creates a request with pattern, message, terms and an expiry 14 days out", async () => {
    const { maker, shop } = await seedPair();
    const before = Date.now();
    const p = await request(shop.apiKey, maker.business.id, {
      terms: { volume: "200 pasang per bulan", paymentTerms: "tempo 30 hari" },
    });
    expect(p.status).toBe("requested");
    expect(p.origin).toBe("request");
    expect(p.requester.id).toBe(shop.business.id);
    expect(p.partner.id).toBe(maker.business.id);
    expect(p.terms).toEqual({ volume: "200 pasang per bulan", paymentTerms: "tempo 30 hari" });
    const expires = Date.parse(p.expiresAt ?? "");
    expect(expires - before).toBeGreaterThanOrEqual(14 * 86_400_000 - 5_000);
    expect(expires - before).toBeLessThanOrEqual(14 * 86_400_000 + 60_000);
  });

  it("goes requested -> accepted -> active -> ended, each step audited with who and from which state", async () => {
    const { maker, shop, officer } = await seedPair();
    const p = await request(shop.apiKey, maker.business.id);
    await expectStatus(await act(p.id, "accept", maker.apiKey), "accepted");
    const active = await expectStatus(await act(p.id, "approve", officer), "active");
    expect(active.decidedAt).not.toBeNull();
    const ended = await expectStatus(
      await act(p.id, "end", shop.apiKey, { outcome: "cooperation_started", note: "Order pertama" }),
      "ended",
    );
    expect(ended.outcome).toBe("cooperation_started");
    expect(ended.outcomeNote).toBe("Order pertama");
    expect(ended.endedBy).toEqual({ kind: "business", id: shop.business.id });

    const audit = await auditOf(p.id, officer);
    expect(audit.map((a) => [a.action, a.fromState, a.toState, a.actor.kind, a.actor.id])).toEqual([
      ["request", null, "requested", "business", shop.business.id],
      ["accept", "requested", "accepted", "business", maker.business.id],
      ["approve", "accepted", "active", "officer", expect.any(String)],
      ["end", "active", "ended", "business", shop.business.id],
    ]);
    expect(audit[3]?.details).toEqual({ outcome: "cooperation_started" });
  });

  it("lets the partner decline, and audits it", async () => {
    const { maker, shop, officer } = await seedPair();
    const p = await request(shop.apiKey, maker.business.id);
    await expectStatus(await act(p.id, "decline", maker.apiKey), "declined");
    const audit = await auditOf(p.id, officer);
    expect(audit.at(-1)).toMatchObject({ action: "decline", fromState: "requested", toState: "declined" });
  });

  it("lets an officer reject an accepted request with a reason", async () => {
    const { maker, shop, officer } = await seedPair();
    const p = await request(shop.apiKey, maker.business.id);
    await act(p.id, "accept", maker.apiKey);
    const rejected = await expectStatus(
      await act(p.id, "reject", officer, { reason: "Pola kemitraan tidak sesuai" }),
      "rejected",
    );
    expect(rejected.rejectionReason).toBe("Pola kemitraan tidak sesuai");
    const audit = await auditOf(p.id, officer);
    expect(audit.at(-1)).toMatchObject({
      action: "reject",
      fromState: "accepted",
      toState: "rejected",
      actor: { kind: "officer" },
      details: { reason: "Pola kemitraan tidak sesuai" },
    });
  });

  it("lets the requester cancel while requested or accepted", async () => {
    const { maker, shop } = await seedPair();
    const p = await request(shop.apiKey, maker.business.id);
    await expectStatus(await act(p.id, "cancel", shop.apiKey), "cancelled");
    const q = await request(shop.apiKey, maker.business.id);
    await act(q.id, "accept", maker.apiKey);
    await expectStatus(await act(q.id, "cancel", shop.apiKey), "cancelled");
  });

  it("lets an officer create a pairing that is active at once, and end it", async () => {
    const { maker, shop, officer } = await seedPair();
    const res = await call("/v1/partnerships", {
      key: officer,
      body: { requesterId: maker.business.id, partnerId: shop.business.id, pattern: "subkontrak" },
    });
    expect(res.status).toBe(201);
    const p = (await res.json()) as PartnershipJson;
    expect(p).toMatchObject({ status: "active", origin: "officer", expiresAt: null, message: "" });
    const ended = await expectStatus(
      await act(p.id, "end", officer, { outcome: "did_not_take_place" }),
      "ended",
    );
    expect(ended.endedBy?.kind).toBe("officer");
    const audit = await auditOf(p.id, officer);
    expect(audit.map((a) => a.action)).toEqual(["create_pairing", "end"]);
    expect(audit[0]).toMatchObject({ fromState: null, toState: "active", actor: { kind: "officer" } });
  });

  it("lets the partner end an active partnership too", async () => {
    const { maker, shop, officer } = await seedPair();
    const p = await request(shop.apiKey, maker.business.id);
    await act(p.id, "accept", maker.apiKey);
    await act(p.id, "approve", officer);
    const ended = await expectStatus(
      await act(p.id, "end", maker.apiKey, { outcome: "insufficient_interest" }),
      "ended",
    );
    expect(ended.endedBy).toEqual({ kind: "business", id: maker.business.id });
  });
});

describe("contact details", () => {
  it("hides the other side's email from a business until the partner accepted, then shows it", async () => {
    const { maker, shop, officer } = await seedPair();
    const p = await request(shop.apiKey, maker.business.id);
    expect(p.partner.contact).toBeNull();
    expect(p.requester.contact).toEqual({ email: "shop@example.id", whatsapp: null });

    const asPartner = (await (
      await call(`/v1/partnerships/${p.id}`, { key: maker.apiKey })
    ).json()) as PartnershipJson;
    expect(asPartner.requester.contact).toBeNull();
    expect(JSON.stringify(asPartner)).not.toContain("shop@example.id");

    const asOfficer = (await (
      await call(`/v1/partnerships/${p.id}`, { key: officer })
    ).json()) as PartnershipJson;
    expect(asOfficer.requester.contact).toEqual({ email: "shop@example.id", whatsapp: null });

    const accepted = await expectStatus(await act(p.id, "accept", maker.apiKey), "accepted");
    expect(accepted.requester.contact).toEqual({ email: "shop@example.id", whatsapp: null });
    const asRequester = (await (
      await call(`/v1/partnerships/${p.id}`, { key: shop.apiKey })
    ).json()) as PartnershipJson;
    expect(asRequester.partner.contact).toEqual({ email: "maker@example.id", whatsapp: null });
  });

  it("keeps the email hidden after a decline", async () => {
    const { maker, shop } = await seedPair();
    const p = await request(shop.apiKey, maker.business.id);
    await act(p.id, "decline", maker.apiKey);
    const res = await call(`/v1/partnerships/${p.id}`, { key: shop.apiKey });
    expect(((await res.json()) as PartnershipJson).partner.contact).toBeNull();
  });
});

describe("GET /v1/partnerships", () => {
  it("lists only a business's own partnerships, all of them for officers, filtered and paginated", async () => {
    const { maker, shop, officer } = await seedPair();
    const other = await seedPair();
    const mine = await request(shop.apiKey, maker.business.id);
    const theirs = await request(other.shop.apiKey, other.maker.business.id);

    const res = await call("/v1/partnerships?limit=100", { key: maker.apiKey });
    expect(res.status).toBe(200);
    const ids = ((await res.json()) as { items: PartnershipJson[] }).items.map((p) => p.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);

    const filtered = await call(`/v1/partnerships?businessId=${other.maker.business.id}&status=requested`, {
      key: officer,
    });
    const items = ((await filtered.json()) as { items: PartnershipJson[] }).items;
    expect(items.map((p) => p.id)).toEqual([theirs.id]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Response = await call(`/v1/partnerships?limit=1${cursor ? `&cursor=${cursor}` : ""}`, {
        key: officer,
      });
      const body = (await page.json()) as { items: PartnershipJson[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(1);
      seen.push(...body.items.map((p) => p.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("returns 404 when a business filters by another business", async () => {
    const { maker, shop } = await seedPair();
    const res = await call(`/v1/partnerships?businessId=${maker.business.id}`, { key: shop.apiKey });
    expect(res.status).toBe(404);
  });
});

describe("GET /v1/audit", () => {
  it("pages through the log in order for officers", async () => {
    const { maker, shop, officer } = await seedPair();
    const p = await request(shop.apiKey, maker.business.id);
    await act(p.id, "accept", maker.apiKey);
    const first = await call(`/v1/audit?entity=partnership&entityId=${p.id}&limit=1`, { key: officer });
    const page1 = (await first.json()) as { items: Array<{ action: string }>; nextCursor: string | null };
    expect(page1.items.map((a) => a.action)).toEqual(["request"]);
    expect(page1.nextCursor).not.toBeNull();
    const second = await call(
      `/v1/audit?entity=partnership&entityId=${p.id}&limit=1&cursor=${page1.nextCursor}`,
      { key: officer },
    );
    const page2 = (await second.json()) as { items: Array<{ action: string }>; nextCursor: string | null };
    expect(page2.items.map((a) => a.action)).toEqual(["accept"]);
    expect(page2.nextCursor).toBeNull();
  });

  it("is for officers only (403 for a business)", async () => {
    const { shop } = await seedPair();
    const res = await call("/v1/audit", { key: shop.apiKey });
    expect(res.status).toBe(403);
  });
});
