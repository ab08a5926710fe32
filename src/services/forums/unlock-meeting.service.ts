import { and, eq, sql } from "drizzle-orm";
import { type ForumMeetingRow, forumMeetings } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { ApiError, notFound } from "../../errors";
import { auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { assertOpen, forumAudit, loadForum } from "./forums.queries";

/**
 * An officer unlocks a meeting the table plan locked (or moved and locked): it stays where it is
 * until the next schedule run, which may then move or replace it like any other meeting.
 * @throws 404 unknown meeting (or not of `forumId`); 409 `meeting_not_locked` when it is not locked
 * (also when another officer unlocked it first); 409 `forum_not_open` once the forum is closed.
 */
export async function unlockForumMeeting(
  deps: ServiceDeps,
  input: {
    meetingId: string;
    /** When given, the meeting must belong to this forum (else 404). */
    forumId?: string | undefined;
    actor: Principal;
    now: number;
  },
): Promise<ForumMeetingRow> {
  if (input.actor.kind !== "officer") throw new ApiError("forbidden", "Officers unlock meetings.");
  const m = await deps.db.select().from(forumMeetings).where(eq(forumMeetings.id, input.meetingId)).get();
  if (!m || (input.forumId !== undefined && m.forumId !== input.forumId)) throw notFound("Meeting");
  const forum = await loadForum(deps, m.forumId);
  assertOpen(forum);
  if (!m.locked) throw new ApiError("meeting_not_locked", "The meeting is not locked.");
  const lockedNow = and(eq(forumMeetings.id, m.id), eq(forumMeetings.locked, true));
  const [, updated] = await deps.db.batch([
    // Before the update, and only while it is locked, so of two officers unlocking at once only the
    // one whose update writes is logged.
    auditInsertIf(
      deps.db,
      {
        ...forumAudit(forum.id, input),
        action: "unlock_meeting",
        fromState: `${m.slot}#${m.tableNo}`,
        toState: null,
        details: { meetingId: m.id },
      },
      sql`exists (select 1 from ${forumMeetings} where ${lockedNow})`,
    ),
    deps.db.update(forumMeetings).set({ locked: false }).where(lockedNow).returning({ id: forumMeetings.id }),
  ]);
  if (updated.length === 0) throw new ApiError("meeting_not_locked", "The meeting is not locked.");
  return { ...m, locked: false };
}
