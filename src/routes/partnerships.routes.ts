import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { assertOfficer, requireOfficer, requirePrincipal } from "../auth/middleware";
import type { AppEnv } from "../env";
import { IdempotencyHeadersSchema } from "../http/idempotency";
import {
  bodyErrorResponses,
  commonErrorResponses,
  conflictResponse,
  notFoundResponse,
} from "../http/problem";
import { listAudit } from "../services/audit/audit.service";
import { cancelPartnership } from "../services/partnerships/cancel.service";
import { approvePartnership, rejectPartnership } from "../services/partnerships/decide.service";
import { declinePair, resetDeclinedPair } from "../services/partnerships/declined-pair-write.service";
import { endPartnership } from "../services/partnerships/end.service";
import { parsePartnershipConfig } from "../services/partnerships/partnership-config";
import { getPartnership, listPartnerships } from "../services/partnerships/read.service";
import { createPartnership } from "../services/partnerships/request.service";
import { acceptPartnership, declinePartnership } from "../services/partnerships/respond.service";
import { undoDeclinePair } from "../services/partnerships/undo-decline.service";
import {
  AuditPageSchema,
  AuditQuerySchema,
  CreatePartnershipSchema,
  DeclinePairSchema,
  EndPartnershipSchema,
  ListPartnershipsQuerySchema,
  PartnershipIdParamsSchema,
  PartnershipPageSchema,
  PartnershipSchema,
  RejectPartnershipSchema,
  ResetDeclinedPairResultSchema,
  ResetDeclinedPairSchema,
} from "./partnerships.schemas";
import { bearerSecurity, createRouter, json, jsonBody, serviceDeps } from "./router";

const tags = ["Partnerships"];

function partnershipDeps(c: Context<AppEnv>) {
  return { ...serviceDeps(c), config: parsePartnershipConfig(c.env) };
}

export const createPartnershipRoute = createRoute({
  method: "post",
  path: "/partnerships",
  operationId: "createPartnership",
  summary: "Request a partnership (business) or create a pairing (officer)",
  description:
    "A business requests a partnership with a business of the other sector (status `requested`, expires after " +
    "`REQUEST_EXPIRY_DAYS`); at most `MAX_OPEN_REQUESTS` unanswered at once (409 `too_many_open_requests`). An " +
    "officer pairing (`requesterId` required) is `active` at once. 409 `pair_declined`, `partnership_exists`, " +
    "`capacity_reached`; 422 `same_sector`.",
  tags,
  security: bearerSecurity,
  request: { headers: IdempotencyHeadersSchema, body: jsonBody(CreatePartnershipSchema) },
  responses: {
    201: json(PartnershipSchema, "Created."),
    ...notFoundResponse,
    ...conflictResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const listPartnershipsRoute = createRoute({
  method: "get",
  path: "/partnerships",
  operationId: "listPartnerships",
  summary: "List partnership requests and partnerships",
  description:
    "Officers see all; a business only those it is a side of. Keyset pagination in creation order.",
  tags,
  security: bearerSecurity,
  request: { query: ListPartnershipsQuerySchema },
  responses: { 200: json(PartnershipPageSchema, "One page."), ...notFoundResponse, ...commonErrorResponses },
});

export const getPartnershipRoute = createRoute({
  method: "get",
  path: "/partnerships/{id}",
  operationId: "getPartnership",
  summary: "Get a partnership request or partnership",
  description: "The other side's contact is shown to a business only once both sides accepted.",
  tags,
  security: bearerSecurity,
  request: { params: PartnershipIdParamsSchema },
  responses: {
    200: json(PartnershipSchema, "The partnership."),
    ...notFoundResponse,
    ...commonErrorResponses,
  },
});

const transitionResponses = {
  200: json(PartnershipSchema, "The partnership after the change."),
  ...notFoundResponse,
  ...conflictResponse,
  ...bodyErrorResponses,
  ...commonErrorResponses,
} as const;

const STATE_CONFLICTS =
  " 409 `invalid_state` from any other status; `state_changed` when a concurrent change won.";

function transitionRoute(opts: {
  action: string;
  operationId: string;
  summary: string;
  description: string;
}) {
  return createRoute({
    method: "post",
    path: `/partnerships/{id}/${opts.action}`,
    operationId: opts.operationId,
    summary: opts.summary,
    description: opts.description + STATE_CONFLICTS,
    tags,
    security: bearerSecurity,
    request: { params: PartnershipIdParamsSchema },
    responses: transitionResponses,
  });
}

export const acceptPartnershipRoute = transitionRoute({
  action: "accept",
  operationId: "acceptPartnership",
  summary: "Accept a request (the partner)",
  description:
    "requested -> accepted, when both sides have room under maxPartners (accepted and active count); else 409 `capacity_reached`.",
});
export const declinePartnershipRoute = transitionRoute({
  action: "decline",
  operationId: "declinePartnership",
  summary: "Decline a request: tidak berminat (the partner)",
  description:
    "requested -> declined; the pair is never suggested or requestable again until an officer resets it.",
});
export const cancelPartnershipRoute = transitionRoute({
  action: "cancel",
  operationId: "cancelPartnership",
  summary: "Withdraw a request (the requester)",
  description: "requested or accepted -> cancelled.",
});
export const approvePartnershipRoute = transitionRoute({
  action: "approve",
  operationId: "approvePartnership",
  summary: "Approve an accepted request (officers)",
  description: "accepted -> active, when both sides have room among active partnerships.",
});
export const rejectPartnershipRoute = createRoute({
  method: "post",
  path: "/partnerships/{id}/reject",
  operationId: "rejectPartnership",
  summary: "Reject an accepted request with a reason (officers)",
  description: `accepted -> rejected.${STATE_CONFLICTS}`,
  tags,
  security: bearerSecurity,
  request: { params: PartnershipIdParamsSchema, body: jsonBody(RejectPartnershipSchema) },
  responses: transitionResponses,
});
export const endPartnershipRoute = createRoute({
  method: "post",
  path: "/partnerships/{id}/end",
  operationId: "endPartnership",
  summary: "End an active partnership with an outcome (either side, or officers)",
  description: `active -> ended.${STATE_CONFLICTS}`,
  tags,
  security: bearerSecurity,
  request: { params: PartnershipIdParamsSchema, body: jsonBody(EndPartnershipSchema) },
  responses: transitionResponses,
});

export const declinePairRoute = createRoute({
  method: "post",
  path: "/declined-pairs",
  operationId: "declinePair",
  summary: "Not interested (tidak berminat) in a suggested partner (the business)",
  description:
    "Records the pair as declined without a request: neither side is suggested the other or can request it " +
    "until an officer resets the pair. Idempotent. 409 `partnership_exists` while a request is open between them.",
  tags,
  security: bearerSecurity,
  request: { body: jsonBody(DeclinePairSchema) },
  responses: {
    200: json(ResetDeclinedPairResultSchema, "Declined."),
    ...notFoundResponse,
    ...conflictResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const resetDeclinedPairRoute = createRoute({
  method: "post",
  path: "/declined-pairs/reset",
  operationId: "resetDeclinedPair",
  summary: "Reset a declined pair (officers)",
  description: "The pair may be suggested and requested again. 404 when the pair is not declined.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { body: jsonBody(ResetDeclinedPairSchema) },
  responses: {
    200: json(ResetDeclinedPairResultSchema, "Reset."),
    ...notFoundResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const undoDeclinePairRoute = createRoute({
  method: "post",
  path: "/declined-pairs/undo",
  operationId: "undoDeclinePair",
  summary: "Take back one's own 'not interested' (the business that declined)",
  description:
    "Resets a pair this business declined, so the two may be suggested and request each other again. " +
    "Audited as a reset by the business. 404 when this business has not declined the pair (the other " +
    "side's decline is reset by an officer).",
  tags,
  security: bearerSecurity,
  request: { body: jsonBody(DeclinePairSchema) },
  responses: {
    200: json(ResetDeclinedPairResultSchema, "Undone."),
    ...notFoundResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const listAuditRoute = createRoute({
  method: "get",
  path: "/audit",
  operationId: "listAudit",
  summary: "Read the audit log (officers)",
  description:
    "Every change with who, when, what and from which state, in the order written; filter by `entity` " +
    "(`partnership`, `declined_pair`, ...) and `entityId`. Keyset pagination.",
  tags: ["Audit"],
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { query: AuditQuerySchema },
  responses: { 200: json(AuditPageSchema, "One page."), ...commonErrorResponses },
});

export const partnershipsRoutes = createRouter()
  .openapi(createPartnershipRoute, async (c) => {
    const body = c.req.valid("json");
    const partnership = await createPartnership(partnershipDeps(c), {
      ...body,
      actor: requirePrincipal(c.get("principal")),
      now: Date.now(),
    });
    return c.json(partnership, 201);
  })
  .openapi(listPartnershipsRoute, async (c) => {
    const { limit, cursor, ...filters } = c.req.valid("query");
    const page = await listPartnerships(serviceDeps(c), {
      viewer: requirePrincipal(c.get("principal")),
      filters,
      limit,
      cursor,
    });
    return c.json(page, 200);
  })
  .openapi(getPartnershipRoute, async (c) => {
    const partnership = await getPartnership(serviceDeps(c), {
      id: c.req.valid("param").id,
      viewer: requirePrincipal(c.get("principal")),
    });
    return c.json(partnership, 200);
  })
  .openapi(acceptPartnershipRoute, async (c) => {
    const input = {
      id: c.req.valid("param").id,
      actor: requirePrincipal(c.get("principal")),
      now: Date.now(),
    };
    return c.json(await acceptPartnership(serviceDeps(c), input), 200);
  })
  .openapi(declinePartnershipRoute, async (c) => {
    const input = {
      id: c.req.valid("param").id,
      actor: requirePrincipal(c.get("principal")),
      now: Date.now(),
    };
    return c.json(await declinePartnership(serviceDeps(c), input), 200);
  })
  .openapi(cancelPartnershipRoute, async (c) => {
    const input = {
      id: c.req.valid("param").id,
      actor: requirePrincipal(c.get("principal")),
      now: Date.now(),
    };
    return c.json(await cancelPartnership(serviceDeps(c), input), 200);
  })
  .openapi(approvePartnershipRoute, async (c) => {
    const input = {
      id: c.req.valid("param").id,
      actor: requirePrincipal(c.get("principal")),
      now: Date.now(),
    };
    return c.json(await approvePartnership(serviceDeps(c), input), 200);
  })
  .openapi(rejectPartnershipRoute, async (c) => {
    const partnership = await rejectPartnership(serviceDeps(c), {
      id: c.req.valid("param").id,
      actor: requirePrincipal(c.get("principal")),
      reason: c.req.valid("json").reason,
      now: Date.now(),
    });
    return c.json(partnership, 200);
  })
  .openapi(endPartnershipRoute, async (c) => {
    const { outcome, note } = c.req.valid("json");
    const partnership = await endPartnership(serviceDeps(c), {
      id: c.req.valid("param").id,
      actor: requirePrincipal(c.get("principal")),
      outcome,
      note,
      now: Date.now(),
    });
    return c.json(partnership, 200);
  })
  .openapi(declinePairRoute, async (c) => {
    const result = await declinePair(serviceDeps(c), {
      actor: requirePrincipal(c.get("principal")),
      partnerId: c.req.valid("json").partnerId,
      now: Date.now(),
    });
    return c.json(result, 200);
  })
  .openapi(resetDeclinedPairRoute, async (c) => {
    const result = await resetDeclinedPair(serviceDeps(c), {
      businessIds: c.req.valid("json").businessIds,
      actor: assertOfficer(c.get("principal")),
      now: Date.now(),
    });
    return c.json(result, 200);
  })
  .openapi(undoDeclinePairRoute, async (c) => {
    const result = await undoDeclinePair(serviceDeps(c), {
      actor: requirePrincipal(c.get("principal")),
      partnerId: c.req.valid("json").partnerId,
      now: Date.now(),
    });
    return c.json(result, 200);
  })
  .openapi(listAuditRoute, async (c) => {
    const { entity, entityId, limit, cursor } = c.req.valid("query");
    const page = await listAudit(serviceDeps(c), { entityType: entity, entityId, limit, cursor });
    return c.json(page, 200);
  });
