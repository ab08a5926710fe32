import { and, eq } from "drizzle-orm";
import { forumMeetings, forumRatings } from "../../../schema";
import type { Principal } from "../../auth/principal";
import type { ForumRating } from "../../domain/forum";
import { ApiError, notFound } from "../../errors";
import { auditInsert } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { currentMatcher } from "../matching/matcher.cache";
import type { PartnershipConfig } from "../partnerships/partnership-config";
import { createPartnership } from "../partnerships/request.service";
import { businessOf, forumAudit, loadForum } from "./forums.queries";

export interface RatingResult {
  rating: ForumRating;
  /** The partnership request a "lanjut" from both sides opened (null otherwise). */
  partnershipId: string | null;
  /** Why no request opened although both said "lanjut" (the pair already has one, or declined). */
  followUpRefused: string | null;
}

/**
 * A participant rates a meeting of a scheduled forum: "lanjut", "mungkin" or "tidak" (changeable).
 * When both sides said "lanjut", a partnership request opens from the later rater to the other,
 * with the forum as its origin, through the partnerships service's own request (so its rules hold:
 * open requests, declined pairs, capacity).
 * @throws 404 unknown meeting or not one of the two sides; 409 `forum_not_open` before scheduling.
 */
export async function rateForumMeeting(
  deps: ServiceDeps & { config: PartnershipConfig },
  input: { meetingId: string; actor: Principal; rating: ForumRating; now: number },
): Promise<RatingResult> {
  const me = businessOf(input.actor);
  const m = await deps.db.select().from(forumMeetings).where(eq(forumMeetings.id, input.meetingId)).get();
  if (!m || (m.serviceId !== me && m.industryId !== me)) throw notFound("Meeting");
  const forum = await loadForum(deps, m.forumId);
  if (forum.status !== "scheduled" && forum.status !== "closed")
    throw new ApiError("forum_not_open", "Meetings are rated after the schedule is out.");
  const other = m.serviceId === me ? m.industryId : m.serviceId;
  await deps.db.batch([
    deps.db
      .insert(forumRatings)
      .values({ meetingId: m.id, forumId: forum.id, raterId: me, rating: input.rating, at: input.now })
      .onConflictDoUpdate({
        target: [forumRatings.meetingId, forumRatings.raterId],
        set: { rating: input.rating, at: input.now },
      }),
    auditInsert(deps.db, {
      ...forumAudit(forum.id, input),
      action: "rate_meeting",
      fromState: null,
      toState: input.rating,
      details: { meetingId: m.id, partnerId: other },
    }),
  ]);
  if (input.rating !== "lanjut") return { rating: input.rating, partnershipId: null, followUpRefused: null };
  const theirs = await deps.db
    .select({ rating: forumRatings.rating })
    .from(forumRatings)
    .where(and(eq(forumRatings.meetingId, m.id), eq(forumRatings.raterId, other)))
    .get();
  if (theirs?.rating !== "lanjut")
    return { rating: input.rating, partnershipId: null, followUpRefused: null };
  const { matcher } = await currentMatcher(deps);
  try {
    const p = await createPartnership(deps, {
      actor: input.actor,
      partnerId: other,
      pattern: matcher.explainPair(me, other)?.pattern ?? "rantai_pasok",
      message: `Lanjutan pertemuan di ${forum.name} (${forum.date}).`,
      origin: { forumId: forum.id },
      now: input.now,
    });
    return { rating: input.rating, partnershipId: p.id, followUpRefused: null };
  } catch (err) {
    // The rating stands; the pair's own rules said no (already partners, a request open, declined).
    if (err instanceof ApiError && err.status === 409)
      return { rating: input.rating, partnershipId: null, followUpRefused: err.code };
    throw err;
  }
}
