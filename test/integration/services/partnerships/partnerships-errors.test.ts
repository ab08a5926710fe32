import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectProblem, industryBody, officerKey, seedBusiness, serviceBody } from "../../helpers";
import { act, request, seedPair } from "./partnerships.helpers";

describe("POST /v1/partnerships: rules", () => {
  it("returns 422 same_sector for a partner of the requester's own sector", async () => {
    const { shop } = await seedPair();
    const otherShop = await seedBusiness(serviceBody({ name: "Toko Lain" }));
    const res = await call("/v1/partnerships", {
      key: shop.apiKey,
      body: { partnerId: otherShop.business.id, pattern: "rantai_pasok" },
    });
    await expectProblem(res, 422, "same_sector");
  });

  it("returns 404 for an unknown partner and 422 for an unknown pattern", async () => {
    const { shop, maker } = await seedPair();
    await expectProblem(
      await call("/v1/partnerships", {
        key: shop.apiKey,
        body: { partnerId: "biz_nope", pattern: "subkontrak" },
      }),
      404,
    );
    await expectProblem(
      await call("/v1/partnerships", {
        key: shop.apiKey,
        body: { partnerId: maker.business.id, pattern: "kawin" },
      }),
      422,
      "validation_failed",
    );
  });

  it("returns 409 partner_unavailable for an inactive partner", async () => {
    const { shop } = await seedPair();
    const gone = await seedBusiness(industryBody({ active: false }));
    const res = await call("/v1/partnerships", {
      key: shop.apiKey,
      body: { partnerId: gone.business.id, pattern: "rantai_pasok" },
    });
    await expectProblem(res, 409, "partner_unavailable");
  });

  it("returns 409 partner_unavailable for a partner whose sign-up is still pending review", async () => {
    const { shop } = await seedPair();
    const pending = await seedBusiness(industryBody({ name: "Pabrik Baru" }));
    await env.DB.prepare("update businesses set status = 'pending_review' where id = ?")
      .bind(pending.business.id)
      .run();
    const res = await call("/v1/partnerships", {
      key: shop.apiKey,
      body: { partnerId: pending.business.id, pattern: "rantai_pasok" },
    });
    await expectProblem(res, 409, "partner_unavailable");
  });

  it("returns 409 partnership_exists for a second open request between the same pair, in either direction", async () => {
    const { shop, maker } = await seedPair();
    await request(shop.apiKey, maker.business.id);
    const again = await call("/v1/partnerships", {
      key: shop.apiKey,
      body: { partnerId: maker.business.id, pattern: "rantai_pasok" },
    });
    await expectProblem(again, 409, "partnership_exists");
    const reverse = await call("/v1/partnerships", {
      key: maker.apiKey,
      body: { partnerId: shop.business.id, pattern: "rantai_pasok" },
    });
    await expectProblem(reverse, 409, "partnership_exists");
  });

  it("returns 409 too_many_open_requests past MAX_OPEN_REQUESTS (5) unanswered requests", async () => {
    const shop = await seedBusiness(serviceBody());
    for (let i = 0; i < 5; i++) {
      const maker = await seedBusiness(industryBody({ name: `Pabrik ${i}` }));
      await request(shop.apiKey, maker.business.id);
    }
    const sixth = await seedBusiness(industryBody({ name: "Pabrik 6" }));
    const res = await call("/v1/partnerships", {
      key: shop.apiKey,
      body: { partnerId: sixth.business.id, pattern: "rantai_pasok" },
    });
    await expectProblem(res, 409, "too_many_open_requests");
  });

  it("returns 403 when a business requests on behalf of another", async () => {
    const { shop, maker } = await seedPair();
    const other = await seedBusiness(serviceBody({ name: "Toko Lain" }));
    const res = await call("/v1/partnerships", {
      key: shop.apiKey,
      body: { requesterId: other.business.id, partnerId: maker.business.id, pattern: "rantai_pasok" },
    });
    await expectProblem(res, 403, "forbidden");
  });

  it("returns 422 when an officer pairing has no requesterId, and 401 without a key", async () => {
    const { maker, officer } = await seedPair();
    await expectProblem(
      await call("/v1/partnerships", {
        key: officer,
        body: { partnerId: maker.business.id, pattern: "subkontrak" },
      }),
      422,
      "validation_failed",
    );
    await expectProblem(
      await call("/v1/partnerships", { body: { partnerId: maker.business.id, pattern: "subkontrak" } }),
      401,
    );
  });

  it("returns 409 capacity_reached for an officer pairing with a business at maxPartners", async () => {
    const { maker, shop, officer } = await seedPair({ makerMax: 1 });
    const shop2 = await seedBusiness(serviceBody({ name: "Toko Kedua" }));
    const pair = (requesterId: string) =>
      call("/v1/partnerships", {
        key: officer,
        body: { requesterId, partnerId: maker.business.id, pattern: "subkontrak" },
      });
    expect((await pair(shop.business.id)).status).toBe(201);
    await expectProblem(await pair(shop2.business.id), 409, "capacity_reached");
  });
});

describe("forbidden transitions: wrong role", () => {
  it("returns 403 when the requester, an officer or another party tries to answer", async () => {
    const { shop, maker, officer } = await seedPair();
    const p = await request(shop.apiKey, maker.business.id);
    await expectProblem(await act(p.id, "accept", shop.apiKey), 403, "forbidden");
    await expectProblem(await act(p.id, "decline", shop.apiKey), 403, "forbidden");
    await expectProblem(await act(p.id, "accept", officer), 403, "forbidden");
  });

  it("returns 403 when a business approves or rejects", async () => {
    const { shop, maker } = await seedPair();
    const p = await request(shop.apiKey, maker.business.id);
    await act(p.id, "accept", maker.apiKey);
    await expectProblem(await act(p.id, "approve", maker.apiKey), 403, "forbidden");
    await expectProblem(await act(p.id, "reject", shop.apiKey, { reason: "x" }), 403, "forbidden");
  });

  it("returns 403 when the partner or an officer cancels", async () => {
    const { shop, maker, officer } = await seedPair();
    const p = await request(shop.apiKey, maker.business.id);
    await expectProblem(await act(p.id, "cancel", maker.apiKey), 403, "forbidden");
    await expectProblem(await act(p.id, "cancel", officer), 403, "forbidden");
  });
});

describe("forbidden transitions: wrong business", () => {
  it("returns 404 for a business that is no side of the partnership, for reads and every action", async () => {
    const { shop, maker } = await seedPair();
    const stranger = await seedBusiness(industryBody({ name: "Pabrik Asing" }));
    const p = await request(shop.apiKey, maker.business.id);
    await expectProblem(await call(`/v1/partnerships/${p.id}`, { key: stranger.apiKey }), 404);
    for (const action of ["accept", "decline", "cancel", "approve"]) {
      await expectProblem(await act(p.id, action, stranger.apiKey), 404);
    }
    await expectProblem(await act(p.id, "end", stranger.apiKey, { outcome: "did_not_take_place" }), 404);
  });
});

describe("forbidden transitions: wrong state", () => {
  it("returns 409 invalid_state for approving a request the partner has not accepted", async () => {
    const { shop, maker, officer } = await seedPair();
    const p = await request(shop.apiKey, maker.business.id);
    await expectProblem(await act(p.id, "approve", officer), 409, "invalid_state");
    await expectProblem(await act(p.id, "reject", officer, { reason: "x" }), 409, "invalid_state");
    await expectProblem(
      await act(p.id, "end", shop.apiKey, { outcome: "did_not_take_place" }),
      409,
      "invalid_state",
    );
  });

  it("returns 409 invalid_state for answering twice, cancelling after approval, and ending twice", async () => {
    const { shop, maker, officer } = await seedPair();
    const p = await request(shop.apiKey, maker.business.id);
    await act(p.id, "accept", maker.apiKey);
    await expectProblem(await act(p.id, "accept", maker.apiKey), 409, "invalid_state");
    await expectProblem(await act(p.id, "decline", maker.apiKey), 409, "invalid_state");
    await act(p.id, "approve", officer);
    await expectProblem(await act(p.id, "approve", officer), 409, "invalid_state");
    await expectProblem(await act(p.id, "cancel", shop.apiKey), 409, "invalid_state");
    await act(p.id, "end", officer, { outcome: "useful_no_cooperation" });
    await expectProblem(
      await act(p.id, "end", officer, { outcome: "useful_no_cooperation" }),
      409,
      "invalid_state",
    );
  });

  it("returns 422 for a reject without a reason and an end without a valid outcome", async () => {
    const { shop, maker, officer } = await seedPair();
    const p = await request(shop.apiKey, maker.business.id);
    await act(p.id, "accept", maker.apiKey);
    await expectProblem(await act(p.id, "reject", officer, {}), 422, "validation_failed");
    await expectProblem(await act(p.id, "reject", officer, { reason: "  " }), 422, "validation_failed");
    await act(p.id, "approve", officer);
    await expectProblem(await act(p.id, "end", officer, { outcome: "great" }), 422, "validation_failed");
  });

  it("writes no audit row for a refused transition", async () => {
    const { shop, maker } = await seedPair();
    const officer = await officerKey();
    const p = await request(shop.apiKey, maker.business.id);
    await act(p.id, "approve", officer);
    await act(p.id, "accept", shop.apiKey);
    const res = await call(`/v1/audit?entity=partnership&entityId=${p.id}`, { key: officer });
    const items = ((await res.json()) as { items: Array<{ action: string }> }).items;
    expect(items.map((a) => a.action)).toEqual(["request"]);
  });
});
