import { desc, eq } from "drizzle-orm";
import { type ForumRow, forums } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { daySlots, minutesOf, parseBreaks } from "../../domain/forum";
import { type FieldError, validationError } from "../../errors";
import { newId } from "../../lib/ids";
import { actorOf, auditInsert } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { forumAudit } from "./forums.queries";

export interface CreateForumInput {
  actor: Principal;
  name: string;
  /** "YYYY-MM-DD". */
  date: string;
  venue: string;
  meetingMinutes: number;
  /** First meeting starts, "HH:MM". */
  start: string;
  /** Last meeting ends by, "HH:MM". */
  end: string;
  /** "10:30-10:45, 12:00-13:00". */
  breaks: string;
  tables: number;
  maxMeetings?: number;
  maxRequests?: number;
  now: number;
}

/** Defaults: 8 meetings and 5 requests per participant. */
export const DEFAULT_FORUM_LIMITS = { maxMeetings: 8, maxRequests: 5 };

/**
 * An officer creates a forum; it opens at once for invitations. The slots are computed here from
 * start, end, meeting length and breaks (src/domain/forum.ts) and stored, so the day's shape does
 * not change under a schedule.
 * @throws 422 `validation_failed` with the field that is wrong.
 */
export async function createForum(deps: ServiceDeps, input: CreateForumInput): Promise<ForumRow> {
  const errors: FieldError[] = [];
  if (!input.name.trim()) errors.push({ path: "name", message: "Required." });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date)) errors.push({ path: "date", message: "Use YYYY-MM-DD." });
  if (!input.venue.trim()) errors.push({ path: "venue", message: "Required." });
  if (!(input.meetingMinutes >= 5 && input.meetingMinutes <= 120))
    errors.push({ path: "meetingMinutes", message: "Between 5 and 120 minutes." });
  if (minutesOf(input.start) === null) errors.push({ path: "start", message: "Use HH:MM." });
  if (minutesOf(input.end) === null) errors.push({ path: "end", message: "Use HH:MM." });
  const breaks = parseBreaks(input.breaks);
  if (!breaks) errors.push({ path: "breaks", message: "Write breaks as 10:30-10:45, 12:00-13:00." });
  if (!(Number.isInteger(input.tables) && input.tables >= 1 && input.tables <= 500))
    errors.push({ path: "tables", message: "Between 1 and 500." });
  const limit = (path: string, v: number | undefined, min: number) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min && v <= 40))
      errors.push({ path, message: `Between ${min} and 40.` });
  };
  limit("maxMeetings", input.maxMeetings, 1);
  limit("maxRequests", input.maxRequests, 0);
  const slots = errors.length ? [] : daySlots(input.start, input.end, input.meetingMinutes, breaks ?? []);
  if (!errors.length && slots.length === 0)
    errors.push({ path: "end", message: "No meeting fits between the start and the end." });
  if (errors.length) throw validationError(errors);
  const row: ForumRow = {
    id: newId("frm_", input.now),
    name: input.name.trim(),
    date: input.date,
    venue: input.venue.trim(),
    meetingMinutes: input.meetingMinutes,
    slots,
    breaks: breaks ?? [],
    tables: input.tables,
    maxMeetings: input.maxMeetings ?? DEFAULT_FORUM_LIMITS.maxMeetings,
    maxRequests: input.maxRequests ?? DEFAULT_FORUM_LIMITS.maxRequests,
    status: "open",
    createdBy: `officer:${actorOf(input.actor).id}`,
    createdAt: input.now,
    updatedAt: input.now,
    scheduledAt: null,
  };
  await deps.db.batch([
    deps.db.insert(forums).values(row),
    auditInsert(deps.db, {
      ...forumAudit(row.id, input),
      action: "create",
      fromState: null,
      toState: "open",
      details: { name: row.name, date: row.date, slots: slots.length, tables: row.tables },
    }),
  ]);
  return row;
}

/** Forums, the newest day first (at most 100). */
export async function listForums(deps: ServiceDeps): Promise<ForumRow[]> {
  return deps.db.select().from(forums).orderBy(desc(forums.date), desc(forums.id)).limit(100).all();
}

export async function getForum(deps: ServiceDeps, forumId: string): Promise<ForumRow | undefined> {
  return deps.db.select().from(forums).where(eq(forums.id, forumId)).get();
}
