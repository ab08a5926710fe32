import { and, eq, ne } from "drizzle-orm";
import { forumRatings, partnerships } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { isoDay, wibDate } from "../../domain/calendar";
import type { Language } from "../../domain/language";
import type { ServiceDeps } from "../deps";
import { type AgendaItem, agendaIn } from "./agenda.service";
import { businessOf, loadForum, loadParticipant } from "./forums.queries";

export interface OwnerAgendaItem extends AgendaItem {
  /** Both sides rated the meeting "lanjut". */
  bothLanjut: boolean;
  /** The partnership request the forum opened for the pair (origin "forum"), if any. */
  followUpId: string | null;
}

export interface OwnerAgenda {
  items: OwnerAgendaItem[];
  /** Meetings can be rated: the schedule is out and the forum's day has come. */
  ratingOpen: boolean;
}

/**
 * The calling owner's agenda with what happened after each meeting: whether both said "lanjut"
 * and the partnership request that opened for the pair.
 * @throws 404 unknown forum; 403 `not_a_participant` when the business was not invited.
 */
export async function ownerForumAgenda(
  deps: ServiceDeps,
  input: { forumId: string; actor: Principal; lang: Language; now: number },
): Promise<OwnerAgenda> {
  const me = businessOf(input.actor);
  const forum = await loadForum(deps, input.forumId);
  await loadParticipant(deps, forum.id, me);
  const items = await agendaIn(deps, forum, { businessId: me, lang: input.lang });
  const theirRatings = await deps.db
    .select({ meetingId: forumRatings.meetingId, rating: forumRatings.rating })
    .from(forumRatings)
    .where(and(eq(forumRatings.forumId, forum.id), ne(forumRatings.raterId, me)))
    .all();
  const partnerLanjut = new Set(theirRatings.filter((r) => r.rating === "lanjut").map((r) => r.meetingId));
  const followUps = await deps.db
    .select({ id: partnerships.id, requesterId: partnerships.requesterId, partnerId: partnerships.partnerId })
    .from(partnerships)
    .where(eq(partnerships.forumId, forum.id))
    .all();
  const followUpWith = new Map<string, string>();
  for (const p of followUps) {
    if (p.requesterId === me) followUpWith.set(p.partnerId, p.id);
    else if (p.partnerId === me) followUpWith.set(p.requesterId, p.id);
  }
  const today = isoDay(wibDate(input.now));
  return {
    items: items.map((m) => ({
      ...m,
      bothLanjut: m.rating === "lanjut" && partnerLanjut.has(m.meetingId),
      followUpId: followUpWith.get(m.partner.id) ?? null,
    })),
    ratingOpen: forum.status === "closed" || (forum.status === "scheduled" && today >= forum.date),
  };
}
