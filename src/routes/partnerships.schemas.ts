import { z } from "@hono/zod-openapi";
import { pageQueryFields } from "../contracts/page.schemas";
import { PARTNERSHIP_OUTCOMES } from "../domain/partnership";
import { DecisionReasonSchema, PartnershipTextSchema } from "../domain/texts";
import { PARTNERSHIP_PATTERNS } from "../matching";

/** API contracts for partnership requests, partnerships, declined pairs and the audit log. */

const businessId = z.string().min(1).max(64).openapi({ example: "biz_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" });

const PatternSchema = z.enum(PARTNERSHIP_PATTERNS).openapi({ description: "PP 7/2021 partnership pattern." });

export const PartnershipStatusSchema = z
  .enum(["requested", "accepted", "declined", "expired", "cancelled", "rejected", "active", "ended"])
  .openapi("PartnershipStatus", {
    description:
      "requested -> accepted | declined | expired | cancelled; accepted -> active (officer approves) | " +
      "rejected | cancelled; active -> ended. Officer pairings start active.",
  });

export const OutcomeSchema = z
  .enum(PARTNERSHIP_OUTCOMES)
  .openapi("PartnershipOutcome", { description: "How an ended partnership went." });

export const TermsSchema = z
  .strictObject({
    volume: z.string().trim().min(1).max(200).optional().openapi({ example: "500 pasang per bulan" }),
    paymentTerms: z.string().trim().min(1).max(200).optional().openapi({ example: "tempo 30 hari" }),
  })
  .openapi("PartnershipTerms", { description: "Proposed terms, free text." });

export const CreatePartnershipSchema = z
  .strictObject({
    requesterId: businessId.optional().openapi({
      description: "Officers only (required for a pairing). A business requests as itself.",
    }),
    partnerId: businessId,
    pattern: PatternSchema,
    message: PartnershipTextSchema.default(""),
    terms: TermsSchema.nullable().optional(),
  })
  .openapi("CreatePartnership", {
    description:
      "With a business key: a request to a business of the other sector. With an officer key: a pairing, active at once.",
  });

const ActorSchema = z
  .object({ kind: z.enum(["officer", "business", "system"]), id: z.string() })
  .openapi("Actor");

const PartySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    sector: z.enum(["service", "industry"]),
    contact: z
      .object({
        email: z.string(),
        whatsapp: z.string().nullable().openapi({
          example: "+6281234567890",
          description:
            "E.164; the click-to-chat link is `https://wa.me/` and its digits. null if none given.",
        }),
      })
      .nullable()
      .openapi({ description: "The other side's contact: null for a business until both sides accepted." }),
  })
  .openapi("PartnershipParty");

const time = z.iso.datetime();

export const PartnershipSchema = z
  .object({
    id: z.string().openapi({ example: "ptn_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" }),
    status: PartnershipStatusSchema,
    origin: z.enum(["request", "officer", "engine", "forum"]).openapi({
      description: "`engine`: a weekly pairing proposal an officer published (see `/v1/proposals`).",
    }),
    pattern: PatternSchema,
    message: z.string(),
    terms: TermsSchema.nullable(),
    requester: PartySchema,
    partner: PartySchema,
    createdAt: time,
    updatedAt: time,
    expiresAt: time.nullable(),
    answeredAt: time.nullable(),
    decidedAt: time.nullable(),
    rejectionReason: z.string().nullable(),
    endedAt: time.nullable(),
    endedBy: ActorSchema.nullable(),
    outcome: OutcomeSchema.nullable(),
    outcomeNote: z.string().nullable(),
  })
  .openapi("Partnership");

export const PartnershipIdParamsSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "ptn_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" }),
});

const { limit, cursor } = pageQueryFields;

export const ListPartnershipsQuerySchema = z.strictObject({
  status: PartnershipStatusSchema.optional(),
  businessId: businessId
    .optional()
    .openapi({ description: "Either side (a business may give only its own id)." }),
  limit,
  cursor,
});

export const PartnershipPageSchema = z
  .object({ items: z.array(PartnershipSchema), nextCursor: z.string().nullable() })
  .openapi("PartnershipPage");

export const RejectPartnershipSchema = z
  .strictObject({ reason: DecisionReasonSchema })
  .openapi("RejectPartnership");

export const EndPartnershipSchema = z
  .strictObject({ outcome: OutcomeSchema, note: PartnershipTextSchema.optional() })
  .openapi("EndPartnership");

export const ResetDeclinedPairSchema = z
  .strictObject({
    businessIds: z
      .tuple([businessId, businessId])
      .refine(([a, b]) => a !== b, "Give two different businesses."),
  })
  .openapi("ResetDeclinedPair");

export const DeclinePairSchema = z
  .strictObject({ partnerId: businessId })
  .openapi("DeclinePair", { description: "A suggested partner the calling business is not interested in." });

export const ResetDeclinedPairResultSchema = z
  .object({ businessIds: z.tuple([z.string(), z.string()]) })
  .openapi("DeclinedPair", { description: "The pair's two business ids, ascending." });

export const AuditQuerySchema = z.strictObject({
  entity: z.string().min(1).max(40).optional().openapi({ example: "partnership" }),
  entityId: z.string().min(1).max(200).optional(),
  limit,
  cursor,
});

export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: time,
    actor: ActorSchema,
    entity: z.object({ type: z.string(), id: z.string() }),
    action: z.string().openapi({ example: "approve" }),
    fromState: z.string().nullable(),
    toState: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("AuditEntry");

export const AuditPageSchema = z
  .object({ items: z.array(AuditEntrySchema), nextCursor: z.string().nullable() })
  .openapi("AuditPage");
