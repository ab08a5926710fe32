import { describe, expect, it } from "vitest";
import { deactivateBusiness } from "../../../../src/services/businesses/activation.service";
import { pairingInsights } from "../../../../src/services/dashboard/pairing-insights.service";
import { suggestPartners } from "../../../../src/services/matching/matches.service";
import { deps, industryBody, seedBusiness, serviceBody } from "../../helpers";

describe("pairingInsights", () => {
  it("scores and explains a pair exactly as the requester's suggestions do", async () => {
    const maker = await seedBusiness(industryBody({ email: "pi-m@example.id" }));
    const shop = await seedBusiness(serviceBody({ email: "pi-s@example.id" }));
    const pair = { requesterId: shop.business.id, partnerId: maker.business.id };
    const insights = await pairingInsights(deps(), { pairs: [pair], lang: "en" });
    const insight = insights.get(`${pair.requesterId}:${pair.partnerId}`);
    const suggested = (
      await suggestPartners(deps(), {
        businessId: shop.business.id,
        limit: 50,
        minScore: 0,
        lang: "en",
        now: Date.now(),
      })
    ).items.find((m) => m.business.id === maker.business.id);
    expect(insight).toBeTruthy();
    expect(suggested).toBeDefined();
    expect(insight?.score).toBeCloseTo(suggested?.score ?? -1, 6);
    expect(insight?.components).toEqual(suggested?.components);
    expect(insight?.reasons).toEqual(suggested?.reasons);
    expect(insight?.pattern).toBe(suggested?.pattern);
  });

  it("is null when a side is no longer matchable", async () => {
    const maker = await seedBusiness(industryBody({ email: "pi2-m@example.id" }));
    const other = await seedBusiness(industryBody({ email: "pi2-o@example.id" }));
    const shop = await seedBusiness(serviceBody({ email: "pi2-s@example.id" }));
    await deactivateBusiness(deps(), { id: maker.business.id, now: Date.now() });
    const gone = { requesterId: shop.business.id, partnerId: maker.business.id };
    const kept = { requesterId: shop.business.id, partnerId: other.business.id };
    const insights = await pairingInsights(deps(), { pairs: [gone, kept], lang: "id" });
    expect(insights.get(`${gone.requesterId}:${gone.partnerId}`)).toBeNull();
    expect(insights.get(`${kept.requesterId}:${kept.partnerId}`)?.reasons.length).toBeGreaterThan(0);
  });

  it("is null for two active businesses of one sector, either way round", async () => {
    const maker = await seedBusiness(industryBody({ email: "pi3-m@example.id" }));
    const other = await seedBusiness(industryBody({ email: "pi3-o@example.id" }));
    const shop = await seedBusiness(serviceBody({ email: "pi3-s@example.id" }));
    const insights = await pairingInsights(deps(), {
      pairs: [
        { requesterId: other.business.id, partnerId: maker.business.id },
        { requesterId: maker.business.id, partnerId: other.business.id },
        { requesterId: maker.business.id, partnerId: shop.business.id },
      ],
      lang: "id",
    });
    expect(insights.get(`${other.business.id}:${maker.business.id}`)).toBeNull();
    expect(insights.get(`${maker.business.id}:${other.business.id}`)).toBeNull();
    // The same businesses across sectors do get an insight: the nulls above are the sector rule.
    expect(insights.get(`${maker.business.id}:${shop.business.id}`)?.reasons.length).toBeGreaterThan(0);
  });
});
