import { z } from "@hono/zod-openapi";
import { pageQueryFields } from "../contracts/page.schemas";
import { DecisionReasonSchema, PartnershipTextSchema } from "../domain/texts";
import { PARTNERSHIP_PATTERNS } from "../matching";
import { PartnershipSchema } from "./partnerships.schemas";

/** API contracts for the officers' review queue of weekly pairing proposals. */

const time = z.iso.datetime();

export const ProposalStatusSchema = z.enum(["draft", "published", "discarded"]).openapi("ProposalStatus", {
  description: "draft -> published (it became a partnership request) | discarded (with a reason).",
});

const ProposalPartySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kecamatan: z.string().nullable(),
    kelurahan: z.string().nullable(),
    city: z.string(),
    maxPartners: z.number().int(),
  })
  .openapi("ProposalParty");

export const ProposalSchema = z
  .object({
    id: z.string().openapi({ example: "prp_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" }),
    period: z.string().openapi({ example: "2026-W48", description: "ISO week (Asia/Jakarta) of the run." }),
    status: ProposalStatusSchema,
    score: z.number().openapi({ example: 0.6397, description: "Reciprocal pair score in [0, 1]." }),
    components: z
      .object({ category: z.number(), location: z.number(), text: z.number() })
      .openapi({ description: "Score components, each in [0, 1]." }),
    reasons: z
      .object({ id: z.array(z.string()), en: z.array(z.string()) })
      .openapi({ description: "1-3 reasons in Bahasa Indonesia and English, written for `reasonsFor`." }),
    reasonsFor: z.enum(["service", "industry"]),
    pattern: z.enum(PARTNERSHIP_PATTERNS).openapi({ description: "Suggested PP 7/2021 pattern." }),
    service: ProposalPartySchema,
    industry: ProposalPartySchema,
    createdAt: time,
    decidedAt: time.nullable(),
    decidedBy: z.object({ kind: z.enum(["officer", "business", "system"]), id: z.string() }).nullable(),
    discardReason: z.string().nullable(),
    partnershipId: z.string().nullable().openapi({ description: "The request a published proposal became." }),
  })
  .openapi("Proposal");

export const ProposalIdParamsSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "prp_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" }),
});

export const ListProposalsQuerySchema = z.strictObject({
  status: ProposalStatusSchema.default("draft"),
  period: z
    .string()
    .regex(/^\d{4}-W\d{2}$/, "An ISO week such as 2026-W48.")
    .optional()
    .openapi({ example: "2026-W48" }),
  ...pageQueryFields,
});

export const ProposalPageSchema = z
  .object({ items: z.array(ProposalSchema), nextCursor: z.string().nullable() })
  .openapi("ProposalPage");

export const PublishProposalSchema = z
  .strictObject({
    requester: z.enum(["service", "industry"]).default("service").openapi({
      description:
        "Which side sends the request (default the service business); the other side accepts or declines it.",
    }),
    message: PartnershipTextSchema.min(1).optional().openapi({
      description:
        "Shown to both sides with the request; by default a note that the city proposed the pairing.",
    }),
  })
  .openapi("PublishProposal");

export const PublishedProposalSchema = z
  .object({ proposal: ProposalSchema, partnership: PartnershipSchema })
  .openapi("PublishedProposal");

export const DiscardProposalSchema = z
  .strictObject({ reason: DecisionReasonSchema })
  .openapi("DiscardProposal");
