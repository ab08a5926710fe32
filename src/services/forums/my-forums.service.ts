import { and, count, desc, eq, gte, inArray } from "drizzle-orm";
import { type ForumRow, forumParticipants, forums } from "../../../schema";
import type { Principal } from "../../auth/principal";
import type { ServiceDeps } from "../deps";
import { businessOf, loadForum, loadParticipant } from "./forums.queries";

/** A forum as one invited business sees it: the day, and its own answer. */
export interface MyForum {
  forum: Pick<
    ForumRow,
    "id" | "name" | "date" | "venue" | "status" | "meetingMinutes" | "slots" | "maxRequests" | "maxMeetings"
  >;
  /** The business's answer: invited (not yet), confirmed, declined, or a no-show on the day. */
  participation: "invited" | "confirmed" | "declined" | "no_show";
  /** Slot starts it can meet in (empty until it confirms). */
  available: string[];
  checkedIn: boolean;
}

function view(forum: ForumRow, p: typeof forumParticipants.$inferSelect): MyForum {
  return {
    forum: {
      id: forum.id,
      name: forum.name,
      date: forum.date,
      venue: forum.venue,
      status: forum.status,
      meetingMinutes: forum.meetingMinutes,
      slots: forum.slots,
      maxRequests: forum.maxRequests,
      maxMeetings: forum.maxMeetings,
    },
    participation: p.status,
    available: p.available,
    checkedIn: p.checkedInAt !== null,
  };
}

/** The forums a business is invited to, the latest day first (at most 50). */
export async function myForums(deps: ServiceDeps, input: { businessId: string }): Promise<MyForum[]> {
  const rows = await deps.db
    .select({ forum: forums, participant: forumParticipants })
    .from(forumParticipants)
    .innerJoin(forums, eq(forums.id, forumParticipants.forumId))
    .where(eq(forumParticipants.businessId, input.businessId))
    .orderBy(desc(forums.date), desc(forums.id))
    .limit(50)
    .all();
  return rows.map((r) => view(r.forum, r.participant));
}

/**
 * How many invitations the business has not answered yet, to forums still ahead (open or
 * scheduled, on `today` or later; `today` is the WIB day as YYYY-MM-DD): the owner's page shows it
 * beside its link to the forums.
 */
export async function unansweredInvitations(
  deps: ServiceDeps,
  input: { businessId: string; today: string },
): Promise<number> {
  const row = await deps.db
    .select({ n: count() })
    .from(forumParticipants)
    .innerJoin(forums, eq(forums.id, forumParticipants.forumId))
    .where(
      and(
        eq(forumParticipants.businessId, input.businessId),
        eq(forumParticipants.status, "invited"),
        inArray(forums.status, ["open", "scheduled"]),
        gte(forums.date, input.today),
      ),
    )
    .get();
  return row?.n ?? 0;
}

/**
 * One forum the calling business is invited to.
 * @throws 404 unknown forum; 403 `not_a_participant` when not invited, `forbidden` for an officer.
 */
export async function myForum(
  deps: ServiceDeps,
  input: { forumId: string; actor: Principal },
): Promise<MyForum> {
  const businessId = businessOf(input.actor);
  const forum = await loadForum(deps, input.forumId);
  return view(forum, await loadParticipant(deps, forum.id, businessId));
}
