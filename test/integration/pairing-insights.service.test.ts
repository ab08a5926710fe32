import { describe, expect, it } from "vitest";
import { deactivateBusiness } from "../../src/services/businesses.service";
import { suggestPartners } from "../../src/services/matches.service";
import { pairingInsights } from "../../src/services/pairing-insights.service";
import { deps, industryBody, seedBusiness, serviceBody } from "./helpers";

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

  it("is null when a side is no longer matchable, and for two businesses of one sector", async () => {
    const maker = await seedBusiness(industryBody({ email: "pi2-m@example.id" }));
    const other = await seedBusiness(industryBody({ email: "pi2-o@example.id" }));
    const shop = await seedBusiness(serviceBody({ email: "pi2-s@example.id" }));
    await deactivateBusiness(deps(), { id: maker.business.id, now: Date.now() });
    const insights = await pairingInsights(deps(), {
      pairs: [
        { requesterId: shop.business.id, partnerId: maker.business.id },
        { requesterId: other.business.id, partnerId: maker.business.id },
      ],
      lang: "id",
    });
    expect([...insights.values()]).toEqual([null, null]);
  });
});
