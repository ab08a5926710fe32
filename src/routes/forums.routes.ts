import { createRoute, z } from "@hono/zod-openapi";
import { assertOfficer, requireOfficer, requirePrincipal } from "../auth/middleware";
import { LANGUAGES } from "../domain/language";
import {
  bodyErrorResponses,
  commonErrorResponses,
  conflictResponse,
  notFoundResponse,
} from "../http/problem";
import { forumCheckInList, forumTablePlan, myForumAgenda } from "../services/forums/agenda.service";
import { sendForumAgendas } from "../services/forums/agenda-emails.service";
import { recordArrival } from "../services/forums/attendance.service";
import { closeForum } from "../services/forums/close.service";
import { forumStats } from "../services/forums/forum-stats.service";
import { createForum, listForums } from "../services/forums/forums.service";
import { inviteBusinesses } from "../services/forums/invitations.service";
import { listForumParticipants } from "../services/forums/participants.service";
import { lockForumMeeting, runForumSchedule } from "../services/forums/schedule.service";
import { unlockForumMeeting } from "../services/forums/unlock-meeting.service";
import {
  AgendasSentSchema,
  ArrivalRecordedSchema,
  ArrivalSchema,
  CheckInListSchema,
  ForumIdParams,
  ForumMeetingSchema,
  InvitedSchema,
  InviteSchema,
  LockMeetingSchema,
  MeetingParams,
  ParticipantsSchema,
  TablePlanSchema,
} from "./forums.schemas";
import { bearerSecurity, createRouter, json, jsonBody, serviceDeps } from "./router";

const tags = ["Forums"];

const SlotSchema = z.object({ start: z.string(), end: z.string() });

const ForumSchema = z
  .object({
    id: z.string().openapi({ example: "frm_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" }),
    name: z.string(),
    date: z.string().openapi({ example: "2026-12-10" }),
    venue: z.string(),
    meetingMinutes: z.number().int(),
    slots: z.array(SlotSchema),
    breaks: z.array(SlotSchema),
    tables: z.number().int(),
    maxMeetings: z.number().int(),
    maxRequests: z.number().int(),
    status: z.enum(["draft", "open", "scheduled", "closed"]),
  })
  .openapi("Forum");

const CreateForumSchema = z
  .object({
    name: z.string().min(1).max(200),
    date: z.string().openapi({ example: "2026-12-10" }),
    venue: z.string().min(1).max(200).openapi({ example: "Pendopo Sabha Kridatama" }),
    meetingMinutes: z.number().int().min(5).max(120).openapi({ example: 20 }),
    start: z.string().openapi({ example: "09:00" }),
    end: z.string().openapi({ example: "12:00" }),
    breaks: z.string().max(200).default("").openapi({ example: "10:30-10:45" }),
    tables: z.number().int().min(1).max(500),
    maxMeetings: z.number().int().min(1).max(40).optional(),
    maxRequests: z.number().int().min(0).max(40).optional(),
  })
  .openapi("CreateForum");

const AgendaSchema = z
  .object({
    items: z.array(
      z.object({
        meetingId: z.string(),
        start: z.string(),
        end: z.string(),
        tableNo: z.number().int(),
        partner: z.object({
          id: z.string(),
          name: z.string(),
          sector: z.enum(["service", "industry"]),
          offers: z.string(),
          needs: z.string(),
        }),
        reason: z.enum(["locked", "mutual", "accepted", "engine"]),
        why: z.array(z.string()),
        rating: z.string().nullable(),
      }),
    ),
  })
  .openapi("ForumAgenda");

const ScheduleRequestSchema = z
  .object({
    fromSlot: z.string().optional().openapi({
      description: "On the day: keep the meetings before this slot start (HH:MM) and reschedule the rest.",
    }),
  })
  .openapi("RunForumSchedule");

const ScheduleRunSchema = z
  .object({
    meetings: z.number().int(),
    attendees: z.number().int(),
    totalScore: z.number(),
    greedyTotal: z.number(),
    unscheduled: z.array(
      z.object({
        a: z.string(),
        b: z.string(),
        kind: z.string(),
        why: z.enum(["invalid", "full", "no_slot"]),
      }),
    ),
  })
  .openapi("ForumScheduleRun");

const ForumStatsSchema = z
  .object({
    items: z.array(
      z.object({
        forumId: z.string(),
        name: z.string(),
        date: z.string(),
        meetingsHeld: z.number().int(),
        followUps: z.number().int(),
        partnershipsStarted: z.number().int(),
      }),
    ),
  })
  .openapi("ForumStats");

const toForum = (f: Awaited<ReturnType<typeof createForum>>) => ({
  id: f.id,
  name: f.name,
  date: f.date,
  venue: f.venue,
  meetingMinutes: f.meetingMinutes,
  slots: f.slots,
  breaks: f.breaks,
  tables: f.tables,
  maxMeetings: f.maxMeetings,
  maxRequests: f.maxRequests,
  status: f.status,
});

/** A meeting as the API shows it (no forum id, no created time). */
const toMeeting = (m: Awaited<ReturnType<typeof lockForumMeeting>>) => ({
  id: m.id,
  slot: m.slot,
  tableNo: m.tableNo,
  serviceId: m.serviceId,
  industryId: m.industryId,
  score: m.score,
  reason: m.reason,
  locked: m.locked,
});

export const createForumRoute = createRoute({
  method: "post",
  path: "/forums",
  operationId: "createForum",
  summary: "Create a business-matching forum (officers)",
  description:
    "The day's meeting slots are computed from `start`, `end`, `meetingMinutes` and `breaks` and stored; " +
    "the forum opens for invitations at once.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { body: jsonBody(CreateForumSchema) },
  responses: { 201: json(ForumSchema, "Created."), ...bodyErrorResponses, ...commonErrorResponses },
});

export const listForumsRoute = createRoute({
  method: "get",
  path: "/forums",
  operationId: "listForums",
  summary: "Forums, the newest day first (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  responses: { 200: json(z.object({ items: z.array(ForumSchema) }), "Forums."), ...commonErrorResponses },
});

export const forumStatsRoute = createRoute({
  method: "get",
  path: "/forums/stats",
  operationId: "forumStats",
  summary: "Meetings held, follow-ups and partnerships started, per forum (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  responses: { 200: json(ForumStatsSchema, "Per forum."), ...commonErrorResponses },
});

export const runForumScheduleRoute = createRoute({
  method: "post",
  path: "/forums/{id}/schedule",
  operationId: "runForumSchedule",
  summary: "Schedule (or re-schedule) a forum's meetings (officers)",
  description:
    "Locked meetings stay; every other meeting is replaced. Priority: mutual requests, then one-sided accepted " +
    "requests, then the engine's best pairs, with a floor of 3 meetings per attendee where matches allow.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: ForumIdParams, body: jsonBody(ScheduleRequestSchema) },
  responses: {
    200: json(ScheduleRunSchema, "Scheduled."),
    ...notFoundResponse,
    ...conflictResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const forumAgendaRoute = createRoute({
  method: "get",
  path: "/forums/{id}/agenda",
  operationId: "getForumAgenda",
  summary: "The calling participant's agenda: time, table, partner, why (businesses)",
  description: "403 `not_a_participant` for a business not invited; an officer reads the table plan instead.",
  tags,
  security: bearerSecurity,
  request: {
    params: ForumIdParams,
    query: z.object({ lang: z.enum(LANGUAGES).default("id") }),
  },
  responses: {
    200: json(AgendaSchema, "The agenda, in time order."),
    ...notFoundResponse,
    ...commonErrorResponses,
  },
});

/** What an officer's POST on a forum may answer besides its 200. */
const postErrors = {
  ...notFoundResponse,
  ...conflictResponse,
  ...bodyErrorResponses,
  ...commonErrorResponses,
};

export const inviteToForumRoute = createRoute({
  method: "post",
  path: "/forums/{id}/invitations",
  operationId: "inviteToForum",
  summary: "Invite businesses: chosen ones, or all matching kecamatan, sector, KBLI (officers)",
  description:
    "Active, published businesses only; those already invited keep their answer. `invited` counts the new ones. " +
    "422 when neither businesses nor a filter is given.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: ForumIdParams, body: jsonBody(InviteSchema) },
  responses: { 200: json(InvitedSchema, "Invited."), ...postErrors },
});

export const sendForumAgendasRoute = createRoute({
  method: "post",
  path: "/forums/{id}/agendas",
  operationId: "sendForumAgendas",
  summary: "Email each participant its agenda, once per schedule (officers)",
  description:
    "Through the notification outbox (kind `forum_agenda`). 409 `forum_not_open` before a schedule run.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: ForumIdParams },
  responses: { 200: json(AgendasSentSchema, "Enqueued."), ...postErrors },
});

export const lockForumMeetingRoute = createRoute({
  method: "post",
  path: "/forums/{id}/meetings/{meetingId}/lock",
  operationId: "lockForumMeeting",
  summary: "Lock a meeting where it is, or move it (slot, table) and lock it there (officers)",
  description:
    "The next schedule run keeps it. 409 `meeting_conflict` when either business or the table is taken then.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: MeetingParams, body: jsonBody(LockMeetingSchema) },
  responses: { 200: json(ForumMeetingSchema, "Locked."), ...postErrors },
});

export const unlockForumMeetingRoute = createRoute({
  method: "post",
  path: "/forums/{id}/meetings/{meetingId}/unlock",
  operationId: "unlockForumMeeting",
  summary: "Unlock a locked meeting: the next schedule run may move or replace it (officers)",
  description:
    "It stays where it is until then. 409 `meeting_not_locked` when it is not locked, " +
    "404 for a meeting of another forum.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: MeetingParams },
  responses: { 200: json(ForumMeetingSchema, "Unlocked."), ...postErrors },
});

export const closeForumRoute = createRoute({
  method: "post",
  path: "/forums/{id}/close",
  operationId: "closeForum",
  summary: "Close a scheduled forum on or after its day (officers)",
  description:
    "From then on owners' changes are refused (409 `forum_not_open`) and the schedule is not run again; " +
    "meetings can still be rated. 409 `forum_not_scheduled` for a draft, open or already closed forum, " +
    "409 `forum_day_not_reached` before the forum's date (WIB). Audit action `close`.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: ForumIdParams },
  responses: { 200: json(ForumSchema, "Closed."), ...postErrors },
});

export const recordForumArrivalRoute = createRoute({
  method: "post",
  path: "/forums/{id}/arrivals",
  operationId: "recordForumArrival",
  summary: "On the day: a participant arrived, arrived late (from a slot), or did not come (officers)",
  description:
    "`late` drops the slots before `from`; `no_show` takes the participant out of the next run. " +
    "Run the schedule again with `fromSlot` to reschedule the rest of the day.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: ForumIdParams, body: jsonBody(ArrivalSchema) },
  responses: { 200: json(ArrivalRecordedSchema, "Recorded."), ...postErrors },
});

const getErrors = { ...notFoundResponse, ...commonErrorResponses };

export const forumTablePlanRoute = createRoute({
  method: "get",
  path: "/forums/{id}/table-plan",
  operationId: "getForumTablePlan",
  summary: "The table plan: per slot, which two businesses sit at which table (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: ForumIdParams },
  responses: { 200: json(TablePlanSchema, "Per slot."), ...getErrors },
});

export const forumCheckInRoute = createRoute({
  method: "get",
  path: "/forums/{id}/check-in",
  operationId: "getForumCheckInList",
  summary: "The check-in list: every participant by name, status, checked in, meeting count (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: ForumIdParams },
  responses: { 200: json(CheckInListSchema, "By name."), ...getErrors },
});

export const forumParticipantsRoute = createRoute({
  method: "get",
  path: "/forums/{id}/participants",
  operationId: "listForumParticipants",
  summary: "Participants: attendance status, available slots, checked in, meeting count (officers)",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: ForumIdParams },
  responses: { 200: json(ParticipantsSchema, "By name."), ...getErrors },
});

export const forumsRoutes = createRouter()
  .openapi(createForumRoute, async (c) => {
    const body = c.req.valid("json");
    const forum = await createForum(serviceDeps(c), {
      ...body,
      actor: assertOfficer(c.get("principal")),
      now: Date.now(),
    });
    return c.json(toForum(forum), 201);
  })
  .openapi(listForumsRoute, async (c) => {
    assertOfficer(c.get("principal"));
    return c.json({ items: (await listForums(serviceDeps(c))).map(toForum) }, 200);
  })
  .openapi(forumStatsRoute, async (c) => {
    assertOfficer(c.get("principal"));
    return c.json({ items: await forumStats(serviceDeps(c)) }, 200);
  })
  .openapi(runForumScheduleRoute, async (c) => {
    const run = await runForumSchedule(serviceDeps(c), {
      forumId: c.req.valid("param").id,
      actor: assertOfficer(c.get("principal")),
      fromSlot: c.req.valid("json").fromSlot,
      now: Date.now(),
    });
    return c.json(run, 200);
  })
  .openapi(forumAgendaRoute, async (c) => {
    const items = await myForumAgenda(serviceDeps(c), {
      forumId: c.req.valid("param").id,
      actor: requirePrincipal(c.get("principal")),
      lang: c.req.valid("query").lang,
    });
    return c.json({ items }, 200);
  })
  .openapi(inviteToForumRoute, async (c) => {
    const body = c.req.valid("json");
    const r = await inviteBusinesses(serviceDeps(c), {
      forumId: c.req.valid("param").id,
      actor: assertOfficer(c.get("principal")),
      businessIds: body.businessIds,
      filters: body.filters,
      now: Date.now(),
    });
    return c.json(r, 200);
  })
  .openapi(sendForumAgendasRoute, async (c) => {
    const r = await sendForumAgendas(serviceDeps(c), {
      forumId: c.req.valid("param").id,
      actor: assertOfficer(c.get("principal")),
      now: Date.now(),
    });
    return c.json(r, 200);
  })
  .openapi(lockForumMeetingRoute, async (c) => {
    const { id, meetingId } = c.req.valid("param");
    const body = c.req.valid("json");
    const m = await lockForumMeeting(serviceDeps(c), {
      meetingId,
      forumId: id,
      actor: assertOfficer(c.get("principal")),
      slot: body.slot,
      tableNo: body.tableNo,
      now: Date.now(),
    });
    return c.json(toMeeting(m), 200);
  })
  .openapi(unlockForumMeetingRoute, async (c) => {
    const { id, meetingId } = c.req.valid("param");
    const m = await unlockForumMeeting(serviceDeps(c), {
      meetingId,
      forumId: id,
      actor: assertOfficer(c.get("principal")),
      now: Date.now(),
    });
    return c.json(toMeeting(m), 200);
  })
  .openapi(closeForumRoute, async (c) => {
    const forum = await closeForum(serviceDeps(c), {
      forumId: c.req.valid("param").id,
      actor: assertOfficer(c.get("principal")),
      now: Date.now(),
    });
    return c.json(toForum(forum), 200);
  })
  .openapi(recordForumArrivalRoute, async (c) => {
    const body = c.req.valid("json");
    const from = body.kind === "no_show" ? undefined : body.from;
    await recordArrival(serviceDeps(c), {
      forumId: c.req.valid("param").id,
      businessId: body.businessId,
      actor: assertOfficer(c.get("principal")),
      kind: body.kind === "no_show" ? "no_show" : "arrived",
      from,
      now: Date.now(),
    });
    return c.json({ businessId: body.businessId, kind: body.kind, from: from ?? null }, 200);
  })
  .openapi(forumTablePlanRoute, async (c) => {
    assertOfficer(c.get("principal"));
    return c.json({ slots: await forumTablePlan(serviceDeps(c), { forumId: c.req.valid("param").id }) }, 200);
  })
  .openapi(forumCheckInRoute, async (c) => {
    assertOfficer(c.get("principal"));
    return c.json(
      { items: await forumCheckInList(serviceDeps(c), { forumId: c.req.valid("param").id }) },
      200,
    );
  })
  .openapi(forumParticipantsRoute, async (c) => {
    assertOfficer(c.get("principal"));
    const items = await listForumParticipants(serviceDeps(c), { forumId: c.req.valid("param").id });
    return c.json({ items }, 200);
  });
