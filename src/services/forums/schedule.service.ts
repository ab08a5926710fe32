import { and, eq, ne, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type ForumMeetingRow, forumMeetings, forumParticipants, forums } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { ApiError, notFound, validationError } from "../../errors";
import { newId } from "../../lib/ids";
import { type ForumScheduleResult, scheduleForum } from "../../matching/forum-schedule";
import { auditInsert, auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { loadForumFacts } from "./forum-inputs";
import { assertOpen, forumAudit, forumOver, loadForum } from "./forums.queries";

export interface ScheduleRun {
  meetings: number;
  attendees: number;
  totalScore: number;
  greedyTotal: number;
  unscheduled: ForumScheduleResult["unscheduled"];
}

/**
 * Schedules (or re-schedules) a forum: locked meetings stay where they are, every other meeting is
 * replaced by the scheduler's choice. On the day, `fromSlot` keeps the meetings before it (they
 * happened) and schedules the rest around late arrivals and no-shows.
 * @throws 403 for a business, 409 `forum_not_open` once closed.
 */
export async function runForumSchedule(
  deps: ServiceDeps,
  input: { forumId: string; actor: Principal; fromSlot?: string | undefined; now: number },
): Promise<ScheduleRun> {
  if (input.actor.kind !== "officer") throw new ApiError("forbidden", "Officers run the schedule.");
  const forum = await loadForum(deps, input.forumId);
  assertOpen(forum);
  const starts = forum.slots.map((s) => s.start);
  if (input.fromSlot !== undefined && !starts.includes(input.fromSlot))
    throw validationError([{ path: "fromSlot", message: "Not a slot of this forum." }]);
  const from = input.fromSlot;
  const facts = await loadForumFacts(deps, forum.id);
  const attending = new Set(facts.attendees.map((a) => a.id));
  const before = await deps.db.select().from(forumMeetings).where(eq(forumMeetings.forumId, forum.id)).all();
  const past = (m: ForumMeetingRow) => from !== undefined && m.slot < from;
  // Kept: officers' locks between attendees, and on the day every meeting already held.
  const kept = before.filter(
    (m) => past(m) || (m.locked && attending.has(m.serviceId) && attending.has(m.industryId)),
  );
  const result = scheduleForum({
    participants: facts.attendees.map((a) => ({
      id: a.id,
      side: a.side,
      available: from === undefined ? a.available : a.available.filter((s) => s >= from),
      maxMeetings: forum.maxMeetings,
    })),
    slots: starts,
    tables: forum.tables,
    pairs: facts.pairs,
    requests: facts.requests,
    excluded: facts.excluded,
    locked: kept
      .filter((m) => attending.has(m.serviceId) && attending.has(m.industryId))
      .map((m) => ({ serviceId: m.serviceId, industryId: m.industryId, slot: m.slot, table: m.tableNo })),
  });
  const keptIds = new Set(kept.map((m) => m.id));
  const keptPair = new Set(kept.map((m) => `${m.serviceId}|${m.industryId}`));
  const fresh = result.meetings
    .filter((m) => !keptPair.has(`${m.serviceId}|${m.industryId}`))
    .map(
      (m): ForumMeetingRow => ({
        id: newId("fmt_", input.now),
        forumId: forum.id,
        slot: m.slot,
        tableNo: m.table,
        serviceId: m.serviceId,
        industryId: m.industryId,
        score: Math.round(m.score * 10000) / 10000,
        reason: m.reason,
        locked: false,
        createdAt: input.now,
      }),
    );
  // The forum was open when read; an officer may close it before this batch runs. Every statement
  // holds while it is not closed, and meetings inserted regardless are removed again when it is:
  // the batch is one transaction, so a close that won leaves the forum exactly as it was.
  const notClosed = and(eq(forums.id, forum.id), ne(forums.status, "closed"));
  const stillOpen = sql`exists (select 1 from ${forums} where ${notClosed})`;
  const statements: BatchItem<"sqlite">[] = [];
  for (const m of before)
    if (!keptIds.has(m.id))
      statements.push(deps.db.delete(forumMeetings).where(and(eq(forumMeetings.id, m.id), stillOpen)));
  for (let k = 0; k < fresh.length; k += 9)
    statements.push(deps.db.insert(forumMeetings).values(fresh.slice(k, k + 9)));
  // (By forum and creation time, not by id: a schedule's ids would pass D1's 100 bound parameters.)
  statements.push(
    deps.db
      .delete(forumMeetings)
      .where(
        and(
          eq(forumMeetings.forumId, forum.id),
          eq(forumMeetings.createdAt, input.now),
          sql`not ${stillOpen}`,
        ),
      ),
  );
  const [updated] = await deps.db.batch([
    deps.db
      .update(forums)
      .set({ status: "scheduled", scheduledAt: input.now, updatedAt: input.now })
      .where(notClosed)
      .returning({ id: forums.id }),
    ...statements,
    // A new schedule is a new agenda: each participant is mailed again once (send-agendas).
    deps.db
      .update(forumParticipants)
      .set({ agendaSentAt: null })
      .where(
        and(eq(forumParticipants.forumId, forum.id), ne(forumParticipants.status, "invited"), stillOpen),
      ),
    auditInsertIf(
      deps.db,
      {
        ...forumAudit(forum.id, input),
        action: "schedule",
        fromState: forum.status,
        toState: "scheduled",
        details: {
          meetings: result.meetings.length,
          kept: kept.length,
          fromSlot: from ?? null,
          totalScore: Math.round(result.totalScore * 1000) / 1000,
          greedyTotal: Math.round(result.greedyTotal * 1000) / 1000,
          unscheduled: result.unscheduled.length,
        },
      },
      stillOpen,
    ),
  ]);
  if (updated.length === 0) throw forumOver();
  return {
    meetings: result.meetings.length,
    attendees: facts.attendees.length,
    totalScore: result.totalScore,
    greedyTotal: result.greedyTotal,
    unscheduled: result.unscheduled,
  };
}

/**
 * An officer locks a meeting where it is, or moves it (slot, table) and locks it there; the next
 * run schedules around it.
 * @throws 409 `meeting_conflict` when either business or the table is taken then.
 */
export async function lockForumMeeting(
  deps: ServiceDeps,
  input: {
    meetingId: string;
    /** When given, the meeting must belong to this forum (else 404). */
    forumId?: string | undefined;
    actor: Principal;
    slot?: string | undefined;
    tableNo?: number | undefined;
    now: number;
  },
): Promise<ForumMeetingRow> {
  if (input.actor.kind !== "officer") throw new ApiError("forbidden", "Officers lock meetings.");
  const m = await deps.db.select().from(forumMeetings).where(eq(forumMeetings.id, input.meetingId)).get();
  if (!m || (input.forumId !== undefined && m.forumId !== input.forumId)) throw notFound("Meeting");
  const forum = await loadForum(deps, m.forumId);
  assertOpen(forum);
  const slot = input.slot ?? m.slot;
  const tableNo = input.tableNo ?? m.tableNo;
  if (!forum.slots.some((s) => s.start === slot))
    throw validationError([{ path: "slot", message: "Not a slot of this forum." }]);
  if (!(Number.isInteger(tableNo) && tableNo >= 1 && tableNo <= forum.tables))
    throw validationError([{ path: "tableNo", message: `Between 1 and ${forum.tables}.` }]);
  const same = await deps.db
    .select()
    .from(forumMeetings)
    .where(and(eq(forumMeetings.forumId, forum.id), eq(forumMeetings.slot, slot)))
    .all();
  const clash = same.find(
    (o) =>
      o.id !== m.id &&
      (o.tableNo === tableNo ||
        [o.serviceId, o.industryId].some((id) => id === m.serviceId || id === m.industryId)),
  );
  if (clash)
    throw new ApiError("meeting_conflict", "One of the two businesses or the table is taken in that slot.");
  await deps.db.batch([
    deps.db.update(forumMeetings).set({ slot, tableNo, locked: true }).where(eq(forumMeetings.id, m.id)),
    auditInsert(deps.db, {
      ...forumAudit(forum.id, input),
      action: "lock_meeting",
      fromState: `${m.slot}#${m.tableNo}`,
      toState: `${slot}#${tableNo}`,
      details: { meetingId: m.id },
    }),
  ]);
  return { ...m, slot, tableNo, locked: true };
}
