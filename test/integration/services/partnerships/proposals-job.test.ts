import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { proposePairingsJob } from "../../../../src/jobs/propose-pairings.job";
import { rescoreSets } from "../../../../src/services/matching/suggestions.service";
import { proposalPeriod } from "../../../../src/services/partnerships/proposals-config";
import { proposePairings } from "../../../../src/services/partnerships/proposals-generate.service";
import { call, deps, officerKey } from "../../helpers";
import { maker, proposalRows, resetRegistry, shop, storeSuggestions } from "./proposals.helpers";

/** Monday 30 November 2026, 07:00 WIB. */
const MONDAY = Date.UTC(2026, 10, 30, 0, 0);
const WEEK = 7 * 24 * 60 * 60 * 1000;

function runJob(now = MONDAY) {
  return proposePairingsJob.run({ env, now, trigger: "cli", defer: () => {} });
}

beforeEach(resetRegistry);

describe("proposalPeriod", () => {
  it("names the ISO week in Asia/Jakarta", () => {
    expect(proposalPeriod(MONDAY)).toBe("2026-W49");
    // Sunday 29 November 23:30 WIB is still week 48; 17:00 UTC that day is already Monday in WIB.
    expect(proposalPeriod(Date.UTC(2026, 10, 29, 16, 30))).toBe("2026-W48");
    expect(proposalPeriod(Date.UTC(2026, 10, 29, 17, 0))).toBe("2026-W49");
    // 1 January 2027 is a Friday: it belongs to 2026's week 53.
    expect(proposalPeriod(Date.UTC(2027, 0, 1, 5))).toBe("2026-W53");
  });
});

describe("the propose-pairings job", () => {
  it("writes drafts with score, components, reasons and pattern from the real stored suggestions", async () => {
    const s = await shop();
    const m = await maker();
    await rescoreSets(deps(), { ids: [s.business.id, m.business.id], now: Date.now() });
    const report = await runJob();
    expect(report).toMatchObject({ period: "2026-W49", proposalsWritten: 1, businesses: 2, trigger: "cli" });
    const [draft] = await proposalRows();
    expect(draft).toMatchObject({ service_id: s.business.id, industry_id: m.business.id, status: "draft" });
    expect(draft?.reasons_for).toBe("service");
    expect(JSON.parse(draft?.reasons_id ?? "[]").length).toBeGreaterThan(0);
    // The report carries the comparison with the baselines.
    expect(report.totalScore).toBeCloseTo(draft?.score ?? -1, 6);
    expect(report.greedyTopOne).toMatchObject({ proposals: 1 });
    expect(report.exposure).toMatchObject({ businesses: 2, proposals: 1 });
    // Every draft has its audit row from the job.
    const audit = await env.DB.prepare(
      "select actor_kind, actor_id, action, to_state from audit_log where entity_type = 'pairing_proposal' and entity_id = ?",
    )
      .bind(draft?.id)
      .all();
    expect(audit.results).toEqual([
      { actor_kind: "system", actor_id: "propose-pairings", action: "propose", to_state: "draft" },
    ]);
  });

  it("shows no business anything until an officer publishes: no request, no count against MAX_OPEN_REQUESTS", async () => {
    const s = await shop(10);
    const makers = [];
    for (let i = 0; i < 6; i++) makers.push(await maker());
    await storeSuggestions(makers.map((m, i) => [s.business.id, m.business.id, 0.9 - i * 0.01]));
    const report = await proposePairings(deps(), { now: MONDAY, config: { exposureCap: 2 } });
    expect(report.proposalsWritten).toBe(2);
    const list = await call("/v1/partnerships", { key: s.apiKey });
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
    // The shop can still send its full quota of 5 requests (the drafts are not requests).
    for (const m of makers.slice(0, 5)) {
      const res = await call("/v1/partnerships", {
        key: s.apiKey,
        body: { partnerId: m.business.id, pattern: "rantai_pasok" },
      });
      expect(res.status).toBe(201);
    }
  });

  it("never exceeds maxPartners minus active partnerships and open requests, and holds the exposure cap", async () => {
    const officer = await officerKey();
    const popular = await maker(3);
    const roomy = await maker(10);
    const shops = [];
    for (let i = 0; i < 6; i++) shops.push(await shop());
    // The popular maker already has one active partnership and one open request: one place left.
    const active = await call("/v1/partnerships", {
      key: officer,
      body: { requesterId: shops[0]?.business.id, partnerId: popular.business.id, pattern: "rantai_pasok" },
    });
    expect(active.status).toBe(201);
    const requested = await call("/v1/partnerships", {
      key: shops[1]?.apiKey,
      body: { partnerId: popular.business.id, pattern: "rantai_pasok" },
    });
    expect(requested.status).toBe(201);
    await storeSuggestions(
      shops.flatMap((s, i) => [
        [s.business.id, popular.business.id, 0.95 - i * 0.01] as [string, string, number],
        [s.business.id, roomy.business.id, 0.8 - i * 0.01] as [string, string, number],
      ]),
    );
    const report = await proposePairings(deps(), { now: MONDAY, config: { exposureCap: 2 } });
    const rows = await proposalRows();
    const withPopular = rows.filter((r) => r.industry_id === popular.business.id);
    const withRoomy = rows.filter((r) => r.industry_id === roomy.business.id);
    expect(withPopular).toHaveLength(1);
    // maxPartners 10, but the exposure cap is 2 a week.
    expect(withRoomy).toHaveLength(2);
    // The two pairs with an open request or partnership are skipped as existing.
    expect(report.skipped.existing).toBe(2);
    expect(report.skipped.exposure_cap).toBeGreaterThan(0);
    // Its one place goes to the best shop without an open request: shops 0 and 1 already have one.
    expect(withPopular[0]?.service_id).toBe(shops[2]?.business.id);
  });

  it("never proposes a declined pair, in either direction", async () => {
    const s = await shop();
    const m1 = await maker();
    const m2 = await maker();
    const declined = await call("/v1/declined-pairs", { key: m1.apiKey, body: { partnerId: s.business.id } });
    expect(declined.status).toBe(200);
    await storeSuggestions([
      [s.business.id, m1.business.id, 0.95],
      [s.business.id, m2.business.id, 0.5],
    ]);
    const report = await runJob();
    const rows = await proposalRows();
    expect(rows.map((r) => r.industry_id)).toEqual([m2.business.id]);
    expect(report.skipped).toMatchObject({ declined: 1 });
  });

  it("is idempotent within a week and never proposes a pair twice in later weeks", async () => {
    const shops = [await shop(), await shop()];
    const makers = [await maker(), await maker(), await maker()];
    await storeSuggestions(
      shops.flatMap((s, i) =>
        makers.map(
          (m, j) => [s.business.id, m.business.id, 0.9 - 0.1 * i - 0.05 * j] as [string, string, number],
        ),
      ),
    );
    const first = await runJob();
    const before = await proposalRows();
    expect(first.proposalsWritten).toBe(before.length);
    expect(before.length).toBeGreaterThan(0);
    const again = await runJob(MONDAY + 3 * 60 * 60 * 1000);
    expect(again.period).toBe(first.period);
    expect(again.proposalsWritten).toBe(0);
    expect(await proposalRows()).toEqual(before);
    // Next week: the drafts still pending hold their places, and no pair comes back.
    const next = (await runJob(MONDAY + WEEK)) as { proposalsWritten: number };
    const after = await proposalRows();
    expect(after.length).toBe(before.length + next.proposalsWritten);
    const pairs = after.map((r) => `${r.service_id}:${r.industry_id}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const id of [...shops, ...makers].map((b) => b.business.id)) {
      const drafts = after.filter(
        (r) => r.status === "draft" && (r.service_id === id || r.industry_id === id),
      );
      expect(drafts.length).toBeLessThanOrEqual(3);
    }
  });

  it("writes each pair once when two runs race in the same week", async () => {
    const s = await shop();
    const m = await maker();
    await storeSuggestions([[s.business.id, m.business.id, 0.8]]);
    const reports = await Promise.all([runJob(), runJob()]);
    expect(await proposalRows()).toHaveLength(1);
    // Whichever way the two interleave, exactly one of them wrote the draft.
    expect(reports.map((r) => r.proposalsWritten).sort()).toEqual([0, 1]);
  });
});
