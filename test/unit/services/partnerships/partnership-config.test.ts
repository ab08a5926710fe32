import { describe, expect, it } from "vitest";
import { parsePartnershipConfig } from "../../../../src/services/partnerships/partnership-config";

describe("parsePartnershipConfig", () => {
  it("reads MAX_OPEN_REQUESTS and REQUEST_EXPIRY_DAYS as positive integers", () => {
    expect(parsePartnershipConfig({ MAX_OPEN_REQUESTS: "3", REQUEST_EXPIRY_DAYS: "7" })).toEqual({
      maxOpenRequests: 3,
      requestExpiryDays: 7,
    });
  });

  it("falls back to 5 open requests and 14 days when unset or malformed", () => {
    expect(parsePartnershipConfig({})).toEqual({ maxOpenRequests: 5, requestExpiryDays: 14 });
    expect(parsePartnershipConfig({ MAX_OPEN_REQUESTS: "0", REQUEST_EXPIRY_DAYS: "1.5" })).toEqual({
      maxOpenRequests: 5,
      requestExpiryDays: 14,
    });
    expect(parsePartnershipConfig({ MAX_OPEN_REQUESTS: "many", REQUEST_EXPIRY_DAYS: "-2" })).toEqual({
      maxOpenRequests: 5,
      requestExpiryDays: 14,
    });
  });
});
