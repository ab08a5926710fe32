import { beforeEach, describe, expect, it } from "vitest";
import { parseProposalConfig } from "../../../../src/services/partnerships/proposals-config";
import { proposePairings } from "../../../../src/services/partnerships/proposals-generate.service";
import { deps, industryBody, seedBusiness, serviceBody } from "../../helpers";
import { proposalRows, resetRegistry, storeSuggestions } from "./proposals.helpers";

/** Monday 30 November 2026, 07:00 WIB. */
const MONDAY = Date.UTC(2026, 10, 30, 0, 0);

/** Jombang and Sidoarjo: outside Kota Mojokerto (no kelurahan). */
const JOMBANG = { city: "Kab. Jombang", lat: -7.55, lng: 112.23 };
const SIDOARJO = { city: "Kab. Sidoarjo", lat: -7.45, lng: 112.7 };

let n = 0;
const unique = () => `${Date.now().toString(36)}${++n}`;

beforeEach(resetRegistry);

async function registry() {
  const cityShop = await seedBusiness(
    serviceBody({ name: `Toko Kota ${unique()}`, email: `k${unique()}@example.id` }),
  );
  const outShop = await seedBusiness(
    serviceBody({ name: `Toko Luar ${unique()}`, email: `l${unique()}@example.id`, location: SIDOARJO }),
  );
  const outMaker = await seedBusiness(
    industryBody({ name: `UD Luar ${unique()}`, email: `u${unique()}@example.id`, location: JOMBANG }),
  );
  const cityMaker = await seedBusiness(
    industryBody({ name: `UD Kota ${unique()}`, email: `d${unique()}@example.id` }),
  );
  await storeSuggestions([
    [outShop.business.id, outMaker.business.id, 0.9],
    [cityShop.business.id, outMaker.business.id, 0.8],
    [outShop.business.id, cityMaker.business.id, 0.7],
  ]);
  return { cityShop, outShop, outMaker, cityMaker };
}

const pairs = async () => (await proposalRows()).map((r) => `${r.service_id}:${r.industry_id}`).sort();

describe("PROPOSALS_SCOPE", () => {
  it("reads city by default and for anything but all", () => {
    expect(parseProposalConfig({}).scope).toBe("city");
    expect(parseProposalConfig({ PROPOSALS_SCOPE: "ALL" }).scope).toBe("all");
    expect(parseProposalConfig({ PROPOSALS_SCOPE: "regency" }).scope).toBe("city");
  });

  it("city: drafts only pairs with at least one business inside Kota Mojokerto", async () => {
    const r = await registry();
    const report = await proposePairings(deps(), { now: MONDAY, config: parseProposalConfig({}) });
    expect(report.config.scope).toBe("city");
    expect(await pairs()).toEqual(
      [
        `${r.cityShop.business.id}:${r.outMaker.business.id}`,
        `${r.outShop.business.id}:${r.cityMaker.business.id}`,
      ].sort(),
    );
  });

  it("all: an outside pair may be drafted too", async () => {
    const r = await registry();
    await proposePairings(deps(), { now: MONDAY, config: parseProposalConfig({ PROPOSALS_SCOPE: "all" }) });
    expect(await pairs()).toContain(`${r.outShop.business.id}:${r.outMaker.business.id}`);
  });
});
