import { describe, expect, it } from "vitest";
import {
  actorRef,
  PARTY_KINDS,
  parseActorRef,
  parsePartyRef,
  partyRef,
  partyRefPrefix,
} from "../../../src/domain/party";

describe("party references", () => {
  it("builds business:<id> and officer:<id>, which parse back to the same party", () => {
    expect(partyRef("business", "biz_01KB1WQ4ZJ8M6V3T0X9YB2C7DE")).toBe(
      "business:biz_01KB1WQ4ZJ8M6V3T0X9YB2C7DE",
    );
    expect(partyRef("officer", "off_1")).toBe("officer:off_1");
    for (const kind of PARTY_KINDS) {
      expect(parsePartyRef(partyRef(kind, "abc_123"))).toEqual({ kind, id: "abc_123" });
    }
  });

  it("SQL's prefix || id builds the same string as partyRef", () => {
    for (const kind of PARTY_KINDS) expect(`${partyRefPrefix(kind)}x_1`).toBe(partyRef(kind, "x_1"));
  });

  it("an actor reference of a party is the party reference; a job is system:<name>", () => {
    expect(actorRef({ kind: "business", id: "biz_1" })).toBe(partyRef("business", "biz_1"));
    expect(actorRef({ kind: "system", id: "data-deletion" })).toBe("system:data-deletion");
  });

  it("refuses references from outside that name no party or smuggle other characters", () => {
    for (const bad of [
      "",
      "business:",
      "system:registry",
      "anonymous:1.2.3.4",
      "business:biz_1:officer:x",
      "business:biz 1",
      "Business:biz_1",
      `business:${"a".repeat(101)}`,
    ]) {
      expect(parsePartyRef(bad), bad).toBeNull();
    }
  });

  it("reads stored actor references back, and nothing of an unknown kind", () => {
    expect(parseActorRef("officer:off_1")).toEqual({ kind: "officer", id: "off_1" });
    expect(parseActorRef("system:data-deletion")).toEqual({ kind: "system", id: "data-deletion" });
    expect(parseActorRef(actorRef({ kind: "business", id: "biz_1" }))).toEqual({
      kind: "business",
      id: "biz_1",
    });
    expect(parseActorRef(null)).toBeNull();
    expect(parseActorRef("robot:1")).toBeNull();
  });
});
