import { describe, expect, it } from "vitest";
import { RejectBusinessSchema } from "../../../src/contracts/businesses.schemas";
import {
  DECISION_REASON_MAX_LENGTH,
  DecisionReasonSchema,
  PARTNERSHIP_TEXT_MAX_LENGTH,
} from "../../../src/domain/texts";
import {
  CreatePartnershipSchema,
  EndPartnershipSchema,
  RejectPartnershipSchema,
} from "../../../src/routes/partnerships.schemas";
import { DiscardProposalSchema, PublishProposalSchema } from "../../../src/routes/proposals.schemas";

describe("free-text limits", () => {
  it("every refusal takes the same reason: 1 to DECISION_REASON_MAX_LENGTH characters, trimmed", () => {
    const longest = "x".repeat(DECISION_REASON_MAX_LENGTH);
    for (const schema of [RejectBusinessSchema, RejectPartnershipSchema, DiscardProposalSchema]) {
      expect(schema.safeParse({ reason: `  ${longest}  ` }).success).toBe(true);
      expect(schema.safeParse({ reason: `${longest}x` }).success).toBe(false);
      expect(schema.safeParse({ reason: "   " }).success).toBe(false);
    }
    expect(DecisionReasonSchema.safeParse(`${longest}x`).success).toBe(false);
  });

  it("requests, proposal messages and ending notes share one length", () => {
    const longest = "x".repeat(PARTNERSHIP_TEXT_MAX_LENGTH);
    const base = { partnerId: "biz_1", pattern: "rantai_pasok" };
    expect(CreatePartnershipSchema.safeParse({ ...base, message: longest }).success).toBe(true);
    expect(CreatePartnershipSchema.safeParse({ ...base, message: `${longest}x` }).success).toBe(false);
    expect(PublishProposalSchema.safeParse({ message: `${longest}x` }).success).toBe(false);
    const end = { outcome: "cooperation_started" };
    expect(EndPartnershipSchema.safeParse({ ...end, note: longest }).success).toBe(true);
    expect(EndPartnershipSchema.safeParse({ ...end, note: `${longest}x` }).success).toBe(false);
  });
});
