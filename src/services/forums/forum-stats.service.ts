import { and, count, eq, isNotNull, sql } from "drizzle-orm";
import { forumMeetings, forumParticipants, forumRatings, forums, partnerships } from "../../../schema";
import type { ServiceDeps } from "../deps";

export interface ForumStats {
  forumId: string;
  name: string;
  date: string;
  /** Meetings both of whose businesses checked in. */
  meetingsHeld: number;
  /** Meetings at least one side rated "lanjut" or "mungkin". */
  followUps: number;
  /** Partnership requests opened from the forum (a "lanjut" from both sides). */
  partnershipsStarted: number;
}

/**
 * Per forum, the newest first (at most 50): meetings held, follow-ups and partnerships started.
 * With `forumId`, that forum's figures alone.
 */
export async function forumStats(deps: ServiceDeps, opts: { forumId?: string } = {}): Promise<ForumStats[]> {
  const list = await deps.db
    .select({ id: forums.id, name: forums.name, date: forums.date })
    .from(forums)
    .where(opts.forumId === undefined ? undefined : eq(forums.id, opts.forumId))
    .orderBy(sql`${forums.date} desc`)
    .limit(50)
    .all();
  const out: ForumStats[] = [];
  for (const f of list) {
    const held = await deps.db
      .select({ n: count() })
      .from(forumMeetings)
      .where(
        and(
          eq(forumMeetings.forumId, f.id),
          sql`exists (select 1 from ${forumParticipants} p where p.forum_id = ${forumMeetings.forumId} and p.business_id = ${forumMeetings.serviceId} and p.checked_in_at is not null)`,
          sql`exists (select 1 from ${forumParticipants} p where p.forum_id = ${forumMeetings.forumId} and p.business_id = ${forumMeetings.industryId} and p.checked_in_at is not null)`,
        ),
      )
      .get();
    const follow = await deps.db
      .select({ n: sql<number>`count(distinct ${forumRatings.meetingId})` })
      .from(forumRatings)
      .where(and(eq(forumRatings.forumId, f.id), sql`${forumRatings.rating} in ('lanjut', 'mungkin')`))
      .get();
    const started = await deps.db
      .select({ n: count() })
      .from(partnerships)
      .where(and(eq(partnerships.forumId, f.id), isNotNull(partnerships.forumId)))
      .get();
    out.push({
      forumId: f.id,
      name: f.name,
      date: f.date,
      meetingsHeld: held?.n ?? 0,
      followUps: follow?.n ?? 0,
      partnershipsStarted: started?.n ?? 0,
    });
  }
  return out;
}
