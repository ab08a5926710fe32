import { createRoute, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { requirePrincipal } from "../auth/middleware";
import { FORUM_RATINGS } from "../domain/forum";
import { LANGUAGES } from "../domain/language";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import {
  bodyErrorResponses,
  commonErrorResponses,
  conflictResponse,
  notFoundResponse,
} from "../http/problem";
import { answerInvitation } from "../services/forums/attendance.service";
import { forumPartners } from "../services/forums/forum-partners.service";
import { rateForumMeeting } from "../services/forums/ratings.service";
import { answerMeetingRequest, markNotInterested, requestMeeting } from "../services/forums/requests.service";
import { withdrawMeetingRequest } from "../services/forums/withdraw-request.service";
import { parsePartnershipConfig } from "../services/partnerships/partnership-config";
import { bearerSecurity, createRouter, json, jsonBody, serviceDeps } from "./router";

/**
 * A business's own part in a forum (docs/FORUMS.md): its answer to the invitation, its meeting
 * requests and marks, and its ratings after the day. The officers' routes are in forums.routes.ts.
 */

const tags = ["Forums"];

/** Businesses only, checked before the body: an officer takes no part in a forum as a participant. */
const requireBusiness = createMiddleware<AppEnv>(async (c, next) => {
  if (requirePrincipal(c.get("principal")).kind !== "business")
    throw new ApiError("forbidden", "Only a business takes part in a forum.");
  await next();
});

/** The refusals every write here can answer: 404, 409, the body's 413/415 and the common ones. */
const writeErrors = {
  ...notFoundResponse,
  ...conflictResponse,
  ...bodyErrorResponses,
  ...commonErrorResponses,
} as const;

const ForumIdParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });
const BusinessId = z.string().min(1).max(64).openapi({ example: "biz_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" });

const RequestStatus = z.enum(["requested", "accepted", "declined", "not_interested"]);

const ForumPartnerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    sector: z.enum(["service", "industry"]),
    offers: z.string(),
    needs: z.string(),
    score: z.number().openapi({ description: "The engine's score for the pair, 0-1." }),
    why: z.array(z.string()).openapi({ description: "The engine's reasons, from the caller's side." }),
    mine: RequestStatus.nullable().openapi({ description: "The caller's request or mark to them." }),
    theirs: RequestStatus.nullable().openapi({ description: "Their request to the caller." }),
  })
  .openapi("ForumPartner");

const ForumPartnersSchema = z
  .object({
    suggestions: z.array(ForumPartnerSchema),
    received: z.array(ForumPartnerSchema),
    sentCounted: z.number().int(),
    maxRequests: z.number().int(),
  })
  .openapi("ForumPartners");

const AnswerInvitationSchema = z
  .object({
    attending: z.boolean(),
    available: z
      .array(z.string().max(5))
      .max(100)
      .default([])
      .openapi({
        description: "Slot starts (HH:MM) the caller can meet in; empty = all.",
        example: ["09:00"],
      }),
  })
  .openapi("AnswerForumInvitation");

const InvitationAnswerSchema = z
  .object({ status: z.enum(["confirmed", "declined"]), available: z.array(z.string()) })
  .openapi("ForumInvitationAnswer");

const RatingResultSchema = z
  .object({
    rating: z.enum(FORUM_RATINGS),
    partnershipId: z.string().nullable(),
    followUpRefused: z.string().nullable().openapi({
      description: "Why no partnership request opened although both said lanjut (a problem code).",
    }),
  })
  .openapi("ForumRatingResult");

export const answerForumInvitationRoute = createRoute({
  method: "post",
  tags,
  security: bearerSecurity,
  middleware: [requireBusiness] as const,
  path: "/forums/{id}/invitation",
  operationId: "answerForumInvitation",
  summary: "Answer my invitation: coming or not, and the slots I can meet in (businesses)",
  description:
    "403 `not_a_participant` when not invited; 409 `forum_not_open` after the forum; 422 an unknown slot.",
  request: { params: ForumIdParams, body: jsonBody(AnswerInvitationSchema) },
  responses: {
    200: json(InvitationAnswerSchema, "Answered."),
    ...writeErrors,
  },
});

export const listForumPartnersRoute = createRoute({
  method: "get",
  path: "/forums/{id}/partners",
  operationId: "listForumPartners",
  summary: "My suggested partners among the forum's confirmed attendees, and requests to me (businesses)",
  tags,
  security: bearerSecurity,
  middleware: [requireBusiness] as const,
  request: {
    params: ForumIdParams,
    query: z.object({
      lang: z.enum(LANGUAGES).default("id"),
      limit: z.coerce.number().int().min(1).max(50).default(20),
    }),
  },
  responses: {
    200: json(ForumPartnersSchema, "The engine's best first."),
    ...notFoundResponse,
    ...commonErrorResponses,
  },
});

export const requestForumMeetingRoute = createRoute({
  method: "post",
  tags,
  security: bearerSecurity,
  middleware: [requireBusiness] as const,
  path: "/forums/{id}/meeting-requests",
  operationId: "requestForumMeeting",
  summary: "Ask another participant for a meeting (businesses)",
  description:
    "Up to the forum's `maxRequests` open or accepted requests: 409 `too_many_meeting_requests` beyond. " +
    "Asking someone who asked you makes the request mutual. 422 `same_sector` for a pair of one sector.",
  request: {
    params: ForumIdParams,
    body: jsonBody(z.object({ toId: BusinessId }).openapi("RequestForumMeeting")),
  },
  responses: {
    201: json(z.object({ mutual: z.boolean() }).openapi("ForumMeetingRequested"), "Requested."),
    ...writeErrors,
  },
});

export const answerForumMeetingRequestRoute = createRoute({
  method: "post",
  tags,
  security: bearerSecurity,
  middleware: [requireBusiness] as const,
  path: "/forums/{id}/meeting-requests/{fromId}/answer",
  operationId: "answerForumMeetingRequest",
  summary: "Accept or decline a meeting request sent to me (businesses)",
  description: "404 when there is no unanswered request from `fromId`.",
  request: {
    params: ForumIdParams.extend({ fromId: z.string().openapi({ param: { name: "fromId", in: "path" } }) }),
    body: jsonBody(z.object({ accept: z.boolean() }).openapi("AnswerForumMeetingRequest")),
  },
  responses: {
    200: json(
      z.object({ status: z.enum(["accepted", "declined"]) }).openapi("ForumMeetingAnswer"),
      "Answered.",
    ),
    ...writeErrors,
  },
});

export const withdrawForumMeetingRequestRoute = createRoute({
  method: "delete",
  tags,
  security: bearerSecurity,
  middleware: [requireBusiness] as const,
  path: "/forums/{id}/meeting-requests/{toId}",
  operationId: "withdrawForumMeetingRequest",
  summary: "Withdraw one's meeting request: unanswered, or accepted until the schedule is run (businesses)",
  description:
    "Frees one of the forum's `maxRequests`; `was` tells which it was. An unanswered request can be withdrawn " +
    "until the forum is closed (a meeting already scheduled from it stays until the officer re-runs the schedule); " +
    "an accepted one only until the schedule is run: after that 409 `forum_scheduled`. 404 when the caller has " +
    "no unanswered or accepted request to `toId` (a declined request stays).",
  request: {
    params: ForumIdParams.extend({ toId: z.string().openapi({ param: { name: "toId", in: "path" } }) }),
  },
  responses: {
    200: json(
      z
        .object({ status: z.literal("withdrawn"), was: z.enum(["requested", "accepted"]) })
        .openapi("ForumMeetingRequestWithdrawn"),
      "Withdrawn.",
    ),
    ...writeErrors,
  },
});

export const markForumNotInterestedRoute = createRoute({
  method: "post",
  tags,
  security: bearerSecurity,
  middleware: [requireBusiness] as const,
  path: "/forums/{id}/not-interested",
  operationId: "markForumNotInterested",
  summary: 'Mark a participant "tidak berminat": never scheduled with me unless both ask (businesses)',
  description: "A request they sent me is declined with it.",
  request: {
    params: ForumIdParams,
    body: jsonBody(z.object({ otherId: BusinessId }).openapi("MarkForumNotInterested")),
  },
  responses: {
    200: json(z.object({ status: z.literal("not_interested") }).openapi("ForumNotInterested"), "Marked."),
    ...writeErrors,
  },
});

export const rateForumMeetingRoute = createRoute({
  method: "post",
  tags,
  security: bearerSecurity,
  middleware: [requireBusiness] as const,
  path: "/forum-meetings/{meetingId}/rating",
  operationId: "rateForumMeeting",
  summary:
    "Rate a forum meeting lanjut / mungkin / tidak; two lanjut open a partnership request (businesses)",
  description:
    "404 unless the caller is one side of the meeting; 409 `forum_not_open` before the schedule. When both " +
    "sides said lanjut, `partnershipId` is the request opened (origin `forum`), or `followUpRefused` says why not.",
  request: {
    params: z.object({ meetingId: z.string().openapi({ param: { name: "meetingId", in: "path" } }) }),
    body: jsonBody(z.object({ rating: z.enum(FORUM_RATINGS) }).openapi("RateForumMeeting")),
  },
  responses: {
    200: json(RatingResultSchema, "Rated."),
    ...writeErrors,
  },
});

export const forumParticipationRoutes = createRouter()
  .openapi(answerForumInvitationRoute, async (c) => {
    const body = c.req.valid("json");
    const r = await answerInvitation(serviceDeps(c), {
      forumId: c.req.valid("param").id,
      actor: requirePrincipal(c.get("principal")),
      attending: body.attending,
      available: body.available,
      now: Date.now(),
    });
    return c.json(r, 200);
  })
  .openapi(listForumPartnersRoute, async (c) => {
    const q = c.req.valid("query");
    const r = await forumPartners(serviceDeps(c), {
      forumId: c.req.valid("param").id,
      actor: requirePrincipal(c.get("principal")),
      lang: q.lang,
      limit: q.limit,
    });
    return c.json(r, 200);
  })
  .openapi(requestForumMeetingRoute, async (c) => {
    const r = await requestMeeting(serviceDeps(c), {
      forumId: c.req.valid("param").id,
      actor: requirePrincipal(c.get("principal")),
      toId: c.req.valid("json").toId,
      now: Date.now(),
    });
    return c.json(r, 201);
  })
  .openapi(answerForumMeetingRequestRoute, async (c) => {
    const { id, fromId } = c.req.valid("param");
    const accept = c.req.valid("json").accept;
    await answerMeetingRequest(serviceDeps(c), {
      forumId: id,
      actor: requirePrincipal(c.get("principal")),
      fromId,
      accept,
      now: Date.now(),
    });
    return c.json({ status: accept ? ("accepted" as const) : ("declined" as const) }, 200);
  })
  .openapi(withdrawForumMeetingRequestRoute, async (c) => {
    const { id, toId } = c.req.valid("param");
    const r = await withdrawMeetingRequest(serviceDeps(c), {
      forumId: id,
      actor: requirePrincipal(c.get("principal")),
      toId,
      now: Date.now(),
    });
    return c.json(r, 200);
  })
  .openapi(markForumNotInterestedRoute, async (c) => {
    await markNotInterested(serviceDeps(c), {
      forumId: c.req.valid("param").id,
      actor: requirePrincipal(c.get("principal")),
      otherId: c.req.valid("json").otherId,
      now: Date.now(),
    });
    return c.json({ status: "not_interested" as const }, 200);
  })
  .openapi(rateForumMeetingRoute, async (c) => {
    const r = await rateForumMeeting(
      { ...serviceDeps(c), config: parsePartnershipConfig(c.env) },
      {
        meetingId: c.req.valid("param").meetingId,
        actor: requirePrincipal(c.get("principal")),
        rating: c.req.valid("json").rating,
        now: Date.now(),
      },
    );
    return c.json(r, 200);
  });
