import { eq } from "drizzle-orm";
import { type ForumRow, forumMeetings } from "../../../../schema";
import type { Principal } from "../../../../src/auth/principal";
import { answerInvitation } from "../../../../src/services/forums/attendance.service";
import { createForum } from "../../../../src/services/forums/forums.service";
import { inviteBusinesses } from "../../../../src/services/forums/invitations.service";
import { lockForumMeeting, runForumSchedule } from "../../../../src/services/forums/schedule.service";
import { deps } from "../../helpers";

export const forumOfficer: Principal = { kind: "officer", id: "off_forum", role: "officer" };

export const asBusiness = (businessId: string): Principal => ({ kind: "business", businessId, keyId: null });

/** A forum on 10 December 2026, 09:00-10:00 by default (3 slots of 20 minutes), 2 tables. */
export function newForum(overrides: Partial<Parameters<typeof createForum>[1]> = {}): Promise<ForumRow> {
  return createForum(deps(), {
    actor: forumOfficer,
    name: "Sosialisasi Kemitraan Usaha",
    date: "2026-12-10",
    venue: "Pendopo Sabha Kridatama",
    meetingMinutes: 20,
    start: "09:00",
    end: "10:00",
    breaks: "",
    tables: 2,
    now: Date.now(),
    ...overrides,
  });
}

/** Every business confirms with all slots. */
export async function confirmAll(
  forumId: string,
  businessIds: readonly string[],
  now = Date.now(),
): Promise<void> {
  for (const b of businessIds)
    await answerInvitation(deps(), { forumId, actor: asBusiness(b), attending: true, available: [], now });
}

/**
 * A forum the businesses were invited to, confirmed (all slots) and scheduled; its id. `date`
 * (default 10 December 2026) makes it, say, a forum whose day has come.
 */
export async function scheduledForumOf(
  businessIds: readonly string[],
  overrides: { date?: string } = {},
): Promise<string> {
  const now = Date.now();
  const forum = await newForum({ now, ...overrides });
  await inviteBusinesses(deps(), { forumId: forum.id, actor: forumOfficer, businessIds, now });
  await confirmAll(forum.id, businessIds, now);
  await runForumSchedule(deps(), { forumId: forum.id, actor: forumOfficer, now });
  return forum.id;
}

/** The first meeting (by slot, then table) of a scheduled forum: its forum and meeting ids. */
export async function scheduledMeetingOf(
  businessIds: readonly string[],
): Promise<{ id: string; meetingId: string }> {
  const id = await scheduledForumOf(businessIds);
  const row = await deps()
    .db.select({ id: forumMeetings.id })
    .from(forumMeetings)
    .where(eq(forumMeetings.forumId, id))
    .orderBy(forumMeetings.slot, forumMeetings.tableNo)
    .get();
  if (!row) throw new Error("the forum has no meeting");
  return { id, meetingId: row.id };
}

/** The first meeting of a scheduled forum, locked where it is by an officer. */
export async function lockedMeetingOf(
  businessIds: readonly string[],
): Promise<{ id: string; meetingId: string }> {
  const m = await scheduledMeetingOf(businessIds);
  await lockForumMeeting(deps(), {
    meetingId: m.meetingId,
    forumId: m.id,
    actor: forumOfficer,
    now: Date.now(),
  });
  return m;
}
