import { z } from "@hono/zod-openapi";

/** Contracts of the officers' forum routes past create and schedule (invitations, the day). */

export const ForumIdParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });

export const MeetingParams = ForumIdParams.extend({
  meetingId: z.string().openapi({ param: { name: "meetingId", in: "path" } }),
});

export const InviteSchema = z
  .object({
    businessIds: z.array(z.string().max(40)).max(90).optional().openapi({
      description: "Businesses chosen one by one (active and published ones are invited).",
    }),
    filters: z
      .object({
        kecamatan: z.string().max(60).optional(),
        sector: z.enum(["service", "industry"]).optional(),
        kbli: z
          .string()
          .max(5)
          .optional()
          .openapi({ description: "A KBLI code or its prefix (digits).", example: "15" }),
      })
      .optional()
      .openapi({ description: "Or everyone matching all the given filters (used when no businessIds)." }),
  })
  .openapi("InviteToForum");

export const InvitedSchema = z.object({ invited: z.number().int() }).openapi("ForumInvited");

export const AgendasSentSchema = z.object({ enqueued: z.number().int() }).openapi("ForumAgendasSent");

export const LockMeetingSchema = z
  .object({
    slot: z
      .string()
      .optional()
      .openapi({ description: "Move to this slot start (HH:MM).", example: "09:20" }),
    tableNo: z.number().int().optional().openapi({ description: "Move to this table." }),
  })
  .openapi("LockForumMeeting");

export const ForumMeetingSchema = z
  .object({
    id: z.string(),
    slot: z.string(),
    tableNo: z.number().int(),
    serviceId: z.string(),
    industryId: z.string(),
    score: z.number(),
    reason: z.enum(["locked", "mutual", "accepted", "engine"]),
    locked: z.boolean(),
  })
  .openapi("ForumMeeting");

export const ArrivalSchema = z
  .object({
    businessId: z.string().max(40),
    kind: z.enum(["arrived", "late", "no_show"]),
    from: z.string().optional().openapi({
      description: "For `late` (required): the first slot start (HH:MM) the participant can still meet in.",
      example: "10:00",
    }),
  })
  .refine((a) => a.kind !== "late" || !!a.from, { path: ["from"], message: "Required for a late arrival." })
  .openapi("ForumArrival");

export const ArrivalRecordedSchema = z
  .object({
    businessId: z.string(),
    kind: z.enum(["arrived", "late", "no_show"]),
    from: z.string().nullable(),
  })
  .openapi("ForumArrivalRecorded");

export const TablePlanSchema = z
  .object({
    slots: z.array(
      z.object({
        start: z.string(),
        end: z.string(),
        tables: z.array(
          z.object({
            tableNo: z.number().int(),
            meetingId: z.string(),
            locked: z.boolean(),
            service: z.string(),
            industry: z.string(),
          }),
        ),
      }),
    ),
  })
  .openapi("ForumTablePlan");

export const CheckInListSchema = z
  .object({
    items: z.array(
      z.object({
        businessId: z.string(),
        name: z.string(),
        status: z.string(),
        checkedIn: z.boolean(),
        meetings: z.number().int(),
      }),
    ),
  })
  .openapi("ForumCheckInList");

export const ParticipantsSchema = z
  .object({
    items: z.array(
      z.object({
        businessId: z.string(),
        name: z.string(),
        sector: z.enum(["service", "industry"]),
        kecamatan: z.string().nullable(),
        status: z.enum(["invited", "confirmed", "declined", "no_show"]),
        available: z.array(z.string()),
        checkedIn: z.boolean(),
        meetings: z.number().int(),
      }),
    ),
  })
  .openapi("ForumParticipants");
