import { describe, expect, it } from "vitest";
import {
  brokenPairRule,
  PAIR_RULES,
  type PairFacts,
  takesPartnerships,
} from "../../../src/domain/pair-rules";

const service = { sector: "service", active: true, status: "published" } as const;
const industry = { sector: "industry", active: true, status: "published" } as const;

/** A pair that may partner; each test breaks one thing. */
const ok: PairFacts = {
  requesterId: "biz_a",
  partnerId: "biz_b",
  requester: service,
  partner: industry,
  declined: false,
  open: false,
  outgoing: 0,
  requesterRoom: true,
  partnerRoom: true,
};
const request = { maxOpenRequests: 5 };
const pairing = { maxOpenRequests: null };

describe("brokenPairRule", () => {
  it("lets a service business and a small industry with room and nothing between them partner", () => {
    expect(brokenPairRule(ok, request)).toBeNull();
    expect(brokenPairRule({ ...ok, requester: industry, partner: service }, pairing)).toBeNull();
  });

  it("names each broken rule", () => {
    const cases: Array<[Partial<PairFacts>, string]> = [
      [{ partnerId: "biz_a" }, "self"],
      [{ requester: undefined }, "requester_unknown"],
      [{ partner: undefined }, "partner_unknown"],
      [{ requester: { ...service, active: false } }, "requester_unavailable"],
      [{ requester: { ...service, status: "pending_review" } }, "requester_unavailable"],
      [{ partner: { ...industry, status: "rejected" } }, "partner_unavailable"],
      [{ partner: { ...industry, sector: "service" } }, "same_sector"],
      [{ declined: true }, "declined"],
      [{ open: true }, "open"],
      [{ outgoing: 5 }, "too_many_open_requests"],
      [{ requesterRoom: false }, "requester_full"],
      [{ partnerRoom: false }, "partner_full"],
    ];
    for (const [change, rule] of cases)
      expect(brokenPairRule({ ...ok, ...change }, request), rule).toBe(rule);
    expect(new Set(cases.map(([, rule]) => rule))).toEqual(new Set(PAIR_RULES));
  });

  it("caps unanswered requests only for a request, not for an officer's pairing", () => {
    expect(brokenPairRule({ ...ok, outgoing: 4 }, request)).toBeNull();
    expect(brokenPairRule({ ...ok, outgoing: 5 }, request)).toBe("too_many_open_requests");
    expect(brokenPairRule({ ...ok, outgoing: 50 }, pairing)).toBeNull();
  });

  it("reports the first broken rule in PAIR_RULES order", () => {
    const everything: PairFacts = {
      ...ok,
      requester: { ...service, active: false },
      partner: { ...service, active: false },
      declined: true,
      open: true,
      outgoing: 9,
      requesterRoom: false,
      partnerRoom: false,
    };
    expect(brokenPairRule(everything, request)).toBe("requester_unavailable");
    expect(brokenPairRule({ ...everything, requester: service }, request)).toBe("partner_unavailable");
    expect(brokenPairRule({ ...everything, requester: service, partner: service }, request)).toBe(
      "same_sector",
    );
    expect(brokenPairRule({ ...ok, declined: true, open: true }, request)).toBe("declined");
    expect(brokenPairRule({ ...ok, open: true, outgoing: 9 }, request)).toBe("open");
    expect(brokenPairRule({ ...ok, outgoing: 9, requesterRoom: false }, request)).toBe(
      "too_many_open_requests",
    );
    expect(brokenPairRule({ ...ok, requesterRoom: false, partnerRoom: false }, request)).toBe(
      "requester_full",
    );
  });

  it("takes partnerships only while active and published", () => {
    expect(takesPartnerships({ active: true, status: "published" })).toBe(true);
    expect(takesPartnerships({ active: false, status: "published" })).toBe(false);
    expect(takesPartnerships({ active: true, status: "pending_review" })).toBe(false);
  });
});
