import { createRoute } from "@hono/zod-openapi";
import { assertOfficer, requireOfficer } from "../auth/middleware";
import {
  bodyErrorResponses,
  commonErrorResponses,
  conflictResponse,
  notFoundResponse,
} from "../http/problem";
import { parsePartnershipConfig } from "../services/partnerships/partnership-config";
import { discardProposal } from "../services/partnerships/proposals-discard.service";
import { publishProposal } from "../services/partnerships/proposals-publish.service";
import { getProposal, listProposals } from "../services/partnerships/proposals-read.service";
import {
  DiscardProposalSchema,
  ListProposalsQuerySchema,
  ProposalIdParamsSchema,
  ProposalPageSchema,
  ProposalSchema,
  PublishedProposalSchema,
  PublishProposalSchema,
} from "./proposals.schemas";
import { bearerSecurity, createRouter, json, jsonBody, serviceDeps } from "./router";

const tags = ["Proposals"];

export const listProposalsRoute = createRoute({
  method: "get",
  path: "/proposals",
  operationId: "listProposals",
  summary: "The review queue of weekly pairing proposals (officers)",
  description:
    "Drafts by default (`status=draft`), each with its score, components, reasons and suggested pattern; " +
    "filter by `period` (ISO week). Keyset pagination in creation order. No business ever sees a draft.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { query: ListProposalsQuerySchema },
  responses: { 200: json(ProposalPageSchema, "One page."), ...commonErrorResponses },
});

export const getProposalRoute = createRoute({
  method: "get",
  path: "/proposals/{id}",
  operationId: "getProposal",
  summary: "One pairing proposal (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: ProposalIdParamsSchema },
  responses: { 200: json(ProposalSchema, "The proposal."), ...notFoundResponse, ...commonErrorResponses },
});

export const publishProposalRoute = createRoute({
  method: "post",
  path: "/proposals/{id}/publish",
  operationId: "publishProposal",
  summary: "Publish a draft: it becomes a partnership request (officers)",
  description:
    "draft -> published. Creates a `requested` partnership with origin `engine` from the chosen requester " +
    "(default the service business) to the other side, who accepts or declines it like any request. The " +
    "normal rules apply: 409 `too_many_open_requests` (the requester's `MAX_OPEN_REQUESTS`), " +
    "`capacity_reached`, `pair_declined`, `partnership_exists`, `partner_unavailable`; 409 `invalid_state` " +
    "when not a draft, `state_changed` when a concurrent change won.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: ProposalIdParamsSchema, body: jsonBody(PublishProposalSchema) },
  responses: {
    200: json(PublishedProposalSchema, "Published; the partnership request it became."),
    ...notFoundResponse,
    ...conflictResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const discardProposalRoute = createRoute({
  method: "post",
  path: "/proposals/{id}/discard",
  operationId: "discardProposal",
  summary: "Discard a draft with a reason (officers)",
  description:
    "draft -> discarded; the pair is not proposed again. 409 `invalid_state` when not a draft, " +
    "`state_changed` when a concurrent change won.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: ProposalIdParamsSchema, body: jsonBody(DiscardProposalSchema) },
  responses: {
    200: json(ProposalSchema, "The proposal after the change."),
    ...notFoundResponse,
    ...conflictResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const proposalsRoutes = createRouter()
  .openapi(listProposalsRoute, async (c) => {
    const { status, period, limit, cursor } = c.req.valid("query");
    const page = await listProposals(serviceDeps(c), {
      actor: assertOfficer(c.get("principal")),
      status,
      period,
      limit,
      cursor,
    });
    return c.json(page, 200);
  })
  .openapi(getProposalRoute, async (c) => {
    const proposal = await getProposal(serviceDeps(c), {
      id: c.req.valid("param").id,
      actor: assertOfficer(c.get("principal")),
    });
    return c.json(proposal, 200);
  })
  .openapi(publishProposalRoute, async (c) => {
    const { requester, message } = c.req.valid("json");
    const result = await publishProposal(
      { ...serviceDeps(c), config: parsePartnershipConfig(c.env) },
      {
        id: c.req.valid("param").id,
        actor: assertOfficer(c.get("principal")),
        requester,
        message,
        now: Date.now(),
      },
    );
    return c.json(result, 200);
  })
  .openapi(discardProposalRoute, async (c) => {
    const proposal = await discardProposal(serviceDeps(c), {
      id: c.req.valid("param").id,
      actor: assertOfficer(c.get("principal")),
      reason: c.req.valid("json").reason,
      now: Date.now(),
    });
    return c.json(proposal, 200);
  });
