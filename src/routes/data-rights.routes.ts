import { createRoute, z } from "@hono/zod-openapi";
import {
  assertBusinessOrOfficer,
  assertOfficer,
  requireBusinessOrOfficer,
  requireOfficer,
  requirePrincipal,
} from "../auth/middleware";
import { BusinessIdParamsSchema, BusinessSchema } from "../contracts/businesses.schemas";
import { commonErrorResponses, conflictResponse, notFoundResponse } from "../http/problem";
import {
  cancelDeletion,
  listDeletionRequests,
  requestDeletion,
} from "../services/data-rights/deletion-requests.service";
import { confirmDeletion } from "../services/data-rights/erasure.service";
import { exportBusinessData } from "../services/data-rights/export.service";
import { bearerSecurity, createRouter, json, serviceDeps } from "./router";

/** API contracts for data-subject rights (UU 27/2022): export and erasure. */

const tags = ["Privacy"];

const ActorSchema = z
  .object({ kind: z.enum(["officer", "business", "system"]), id: z.string() })
  .openapi("Actor");

const DeletionRequestSchema = z
  .object({
    id: z.string().openapi({ example: "del_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" }),
    businessId: z.string(),
    status: z.enum(["pending", "confirmed", "cancelled"]),
    requestedAt: z.iso.datetime(),
    requestedBy: ActorSchema.nullable(),
    decidedAt: z.iso.datetime().nullable(),
    decidedBy: ActorSchema.nullable(),
  })
  .openapi("DeletionRequest");

const AuditEntrySchema = z.object({
  id: z.number().int(),
  at: z.iso.datetime(),
  actor: ActorSchema,
  entity: z.object({ type: z.string(), id: z.string() }),
  action: z.string(),
  fromState: z.string().nullable(),
  toState: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

const BusinessExportSchema = z
  .object({
    format: z.literal("kemitraan-export/1"),
    exportedAt: z.iso.datetime(),
    business: BusinessSchema.extend({
      deletedAt: z.iso.datetime().nullable(),
      reviewedAt: z.iso.datetime().nullable(),
      reviewedBy: z.string().nullable(),
    }),
    apiKeys: z
      .array(z.record(z.string(), z.unknown()))
      .openapi({ description: "Key metadata (prefix, label, times); never a hash or the key." }),
    sessions: z.array(
      z.object({ createdAt: z.string(), expiresAt: z.string(), revokedAt: z.string().nullable() }),
    ),
    signInLinks: z.array(
      z.object({ createdAt: z.string(), expiresAt: z.string(), usedAt: z.string().nullable() }),
    ),
    suggestions: z.object({
      set: z.object({ computedAt: z.string(), staleSince: z.string().nullable() }).nullable(),
      items: z.array(z.record(z.string(), z.unknown())),
      listedByOthers: z.number().int(),
      matchingRevisions: z
        .array(z.number().int())
        .openapi({ description: "Registry revisions at which its matching inputs changed." }),
    }),
    partnerships: z.array(z.record(z.string(), z.unknown())),
    declinedPairs: z.array(
      z.object({
        otherId: z.string(),
        declinedBy: z.string(),
        partnershipId: z.string().nullable(),
        at: z.string(),
      }),
    ),
    deletionRequests: z.array(DeletionRequestSchema),
    digests: z
      .array(
        z.object({
          period: z.string(),
          status: z.string(),
          windowStart: z.string(),
          windowEnd: z.string(),
          createdAt: z.string(),
          sentAt: z.string().nullable(),
        }),
      )
      .openapi({
        description:
          "Digests planned or sent to it: period, status, the window covered and times. No message is stored: digests are rendered when sent.",
      }),
    digestPreferences: z
      .object({
        cadence: z.string(),
        language: z.string().nullable(),
        unsubscribedAt: z.string().nullable(),
        notificationsOff: z.array(z.string()).nullable(),
        updatedAt: z.string(),
      })
      .nullable()
      .openapi({ description: "null when never changed (the defaults apply)." }),
    notifications: z
      .array(
        z.object({
          kind: z.string(),
          status: z.string(),
          createdAt: z.string(),
          sentAt: z.string().nullable(),
        }),
      )
      .openapi({
        description:
          "Event notifications queued or sent to it: kind, status and times. No message is stored: they are rendered when sent.",
      }),
    pairingProposals: z
      .array(z.record(z.string(), z.unknown()))
      .openapi({ description: "Pairings the engine proposed with it (drafts included), either side." }),
    idempotentRequests: z
      .array(
        z.object({
          createdAt: z.string(),
          completedAt: z.string().nullable(),
          state: z.string(),
          status: z.number().int().nullable(),
        }),
      )
      .openapi({
        description: "Its Idempotency-Key requests kept for replay: times and outcome, never keys or bodies.",
      }),
    forums: z
      .object({
        participation: z.array(z.record(z.string(), z.unknown())),
        requests: z.array(z.record(z.string(), z.unknown())),
        meetings: z.array(z.record(z.string(), z.unknown())),
        ratings: z.array(z.record(z.string(), z.unknown())),
      })
      .openapi({
        description: "Business-matching forums: its invitations, meeting requests, meetings and ratings.",
      }),
    procurement: z
      .object({
        notices: z.array(z.record(z.string(), z.unknown())),
        readiness: z.record(z.string(), z.unknown()).nullable(),
        realisations: z.array(z.record(z.string(), z.unknown())),
      })
      .openapi({
        description:
          "City procurement: packages an officer told it about, its readiness checklist, and realised purchases from it (the city's records; erasure unlinks them).",
      }),
    auditEntries: z.array(AuditEntrySchema),
  })
  .openapi("BusinessExport", { description: "Everything held about one business." });

const ConfirmedDeletionSchema = z
  .object({
    request: DeletionRequestSchema,
    erased: z.object({
      apiKeys: z.number().int(),
      sessionsRevoked: z.number().int(),
      signInLinksDeleted: z.number().int(),
      partnershipsAnonymised: z.number().int(),
      partnershipsClosed: z.number().int(),
      declinedPairsDeleted: z.number().int(),
      suggestionListsLeft: z.number().int(),
      auditRowsScrubbed: z.number().int(),
      proposalsDiscarded: z.number().int(),
      proposalsAnonymised: z.number().int(),
      digestsDeleted: z.number().int(),
      digestPreferencesDeleted: z.number().int(),
      notificationsDeleted: z.number().int(),
      idempotencyKeysDeleted: z.number().int(),
      idempotentResponsesErased: z.number().int().openapi({
        description: "Other callers' stored Idempotency-Key responses that named it: their bodies dropped.",
      }),
    }),
  })
  .openapi("ConfirmedDeletion");

const RequestIdParamsSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "del_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" }),
});

const ListQuerySchema = z.strictObject({
  status: z.enum(["pending", "confirmed", "cancelled"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const exportBusinessRoute = createRoute({
  method: "get",
  path: "/businesses/{id}/export",
  operationId: "exportBusinessData",
  summary: "Export everything held about a business (the business itself, or officers)",
  description:
    "Profile and contact, API key metadata (never hashes), session and sign-in link times, stored " +
    "suggestions, partnerships and declined pairs on either side, deletion requests, digests " +
    "(metadata) and digest preferences, pairings proposed with it, Idempotency-Key requests (times " +
    "and status only) and every audit row about it. The export is itself audited (`export`).",
  tags,
  security: bearerSecurity,
  middleware: [requireBusinessOrOfficer] as const,
  request: { params: BusinessIdParamsSchema },
  responses: {
    200: json(BusinessExportSchema, "Everything held about the business."),
    ...notFoundResponse,
    ...commonErrorResponses,
  },
});

export const requestDeletionRoute = createRoute({
  method: "post",
  path: "/businesses/{id}/deletion-request",
  operationId: "requestDeletion",
  summary: "Ask for the business's personal data to be erased (the business itself, or officers)",
  description:
    "Nothing is erased until an officer confirms. 409 `deletion_pending` while one is pending, " +
    "`already_deleted` after erasure.",
  tags,
  security: bearerSecurity,
  middleware: [requireBusinessOrOfficer] as const,
  request: { params: BusinessIdParamsSchema },
  responses: {
    201: json(DeletionRequestSchema, "Requested; waiting for an officer."),
    ...notFoundResponse,
    ...conflictResponse,
    ...commonErrorResponses,
  },
});

export const listDeletionRequestsRoute = createRoute({
  method: "get",
  path: "/deletion-requests",
  operationId: "listDeletionRequests",
  summary: "List deletion requests, newest first (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { query: ListQuerySchema },
  responses: {
    200: json(z.object({ items: z.array(DeletionRequestSchema) }), "Deletion requests."),
    ...commonErrorResponses,
  },
});

export const confirmDeletionRoute = createRoute({
  method: "post",
  path: "/deletion-requests/{id}/confirm",
  operationId: "confirmDeletion",
  summary: "Confirm a deletion request and erase the business's personal data (officers)",
  description:
    "One D1 batch: the profile is anonymised and deactivated, keys and sessions revoked, sign-in " +
    "links deleted, partnerships keep an anonymised record (open ones are closed), declined pairs and " +
    "suggestions go, and free text in its audit rows is removed. A second confirmation is a 409.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: RequestIdParamsSchema },
  responses: {
    200: json(ConfirmedDeletionSchema, "Erased."),
    ...notFoundResponse,
    ...conflictResponse,
    ...commonErrorResponses,
  },
});

export const cancelDeletionRoute = createRoute({
  method: "post",
  path: "/deletion-requests/{id}/cancel",
  operationId: "cancelDeletion",
  summary: "Withdraw a pending deletion request (the business itself, or officers)",
  tags,
  security: bearerSecurity,
  request: { params: RequestIdParamsSchema },
  responses: {
    200: json(DeletionRequestSchema, "Cancelled."),
    ...notFoundResponse,
    ...conflictResponse,
    ...commonErrorResponses,
  },
});

export const dataRightsRoutes = createRouter()
  .openapi(exportBusinessRoute, async (c) => {
    const { id } = c.req.valid("param");
    const actor = assertBusinessOrOfficer(c.get("principal"), id);
    const data = await exportBusinessData(serviceDeps(c), { businessId: id, actor, now: Date.now() });
    c.header("Content-Disposition", `attachment; filename="kemitraan-${id}.json"`);
    c.header("Cache-Control", "no-store");
    return c.json(data, 200);
  })
  .openapi(requestDeletionRoute, async (c) => {
    const { id } = c.req.valid("param");
    const actor = assertBusinessOrOfficer(c.get("principal"), id);
    const request = await requestDeletion(serviceDeps(c), { businessId: id, actor, now: Date.now() });
    return c.json(request, 201);
  })
  .openapi(listDeletionRequestsRoute, async (c) => {
    const items = await listDeletionRequests(serviceDeps(c), c.req.valid("query"));
    return c.json({ items }, 200);
  })
  .openapi(confirmDeletionRoute, async (c) => {
    const actor = assertOfficer(c.get("principal"));
    const result = await confirmDeletion(serviceDeps(c), {
      id: c.req.valid("param").id,
      actor,
      now: Date.now(),
    });
    return c.json(result, 200);
  })
  .openapi(cancelDeletionRoute, async (c) => {
    const actor = requirePrincipal(c.get("principal"));
    const request = await cancelDeletion(serviceDeps(c), {
      id: c.req.valid("param").id,
      actor,
      now: Date.now(),
    });
    return c.json(request, 200);
  });
