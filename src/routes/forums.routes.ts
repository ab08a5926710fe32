import { createRoute, z } from "@hono/zod-openapi";
import {
  assertOfficer,
  requireBusinessOrOfficer,
  requireOfficer,
  requirePrincipal,
} from "../auth/middleware";
import { LANGUAGES } from "../domain/language";
import {
  bodyErrorResponses,
  commonErrorResponses,
  conflictResponse,
  notFoundResponse,
} from "../http/problem";
import { myForumAgenda } from "../services/forums/agenda.service";
import { forumStats } from "../services/forums/forum-stats.service";
import { createForum, listForums } from "../services/forums/forums.service";
import { runForumSchedule } from "../services/forums/schedule.service";
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

const ForumIdParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });

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
  });
