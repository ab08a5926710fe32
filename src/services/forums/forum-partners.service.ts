import { and, eq } from "drizzle-orm";
import { forumParticipants, forumRequests } from "../../../schema";
import type { Principal } from "../../auth/principal";
import type { Language } from "../../domain/language";
import type { ServiceDeps } from "../deps";
import { currentMatcher } from "../matching/matcher.cache";
import { businessOf, loadForum, loadParticipant, participantProfiles } from "./forums.queries";

type RequestStatus = "requested" | "accepted" | "declined" | "not_interested";

/** Another participant as the owner weighs a meeting with them. */
export interface ForumPartner {
  id: string;
  name: string;
  sector: "service" | "industry";
  offers: string;
  needs: string;
  /** The engine's score for the pair (0-1); 0 when the engine does not rank them together. */
  score: number;
  /** The engine's reasons, from the owner's side, in `lang`. */
  why: string[];
  /** The owner's own request or mark to them, and theirs to the owner. */
  mine: RequestStatus | null;
  theirs: RequestStatus | null;
}

export interface ForumPartners {
  /**
   * Confirmed attendees of the other sector, the engine's best first (not those marked "tidak
   * berminat"), then any the owner has asked (open or accepted) that ranked below the limit.
   */
  suggestions: ForumPartner[];
  /** Requests other participants sent the owner (unanswered first). */
  received: ForumPartner[];
  /** Requests the owner sent that still count against the forum's limit (open or accepted). */
  sentCounted: number;
  maxRequests: number;
}

/**
 * The owner's suggested partners among a forum's confirmed attendees (the engine's scores and
 * reasons), with the requests each way, and the requests other participants sent them.
 * @throws 404 unknown forum; 403 `not_a_participant` when the business was not invited.
 */
export async function forumPartners(
  deps: ServiceDeps,
  input: { forumId: string; actor: Principal; lang: Language; limit?: number },
): Promise<ForumPartners> {
  const me = businessOf(input.actor);
  const forum = await loadForum(deps, input.forumId);
  await loadParticipant(deps, forum.id, me);
  const attending = await deps.db
    .select({ id: forumParticipants.businessId })
    .from(forumParticipants)
    .where(and(eq(forumParticipants.forumId, forum.id), eq(forumParticipants.status, "confirmed")))
    .all();
  const attendees = new Set(attending.map((r) => r.id));
  attendees.delete(me);
  const requests = await deps.db
    .select()
    .from(forumRequests)
    .where(eq(forumRequests.forumId, forum.id))
    .all();
  const mine = new Map<string, RequestStatus>();
  const theirs = new Map<string, RequestStatus>();
  for (const r of requests) {
    if (r.fromId === me) mine.set(r.toId, r.status);
    else if (r.toId === me && r.status !== "not_interested") theirs.set(r.fromId, r.status);
  }
  const { matcher } = await currentMatcher(deps);
  // Scored against each attendee (another sector's only: the engine scores no same-sector pair),
  // not looked for in a ranking over the whole registry, where look-alikes could crowd them out.
  const scored = [...attendees]
    .filter((id) => mine.get(id) !== "not_interested")
    .map((id) => ({ id, score: matcher.score(me, id)?.score ?? 0 }))
    .sort((a, b) => b.score - a.score);
  const best = scored.filter((x) => x.score > 0).slice(0, input.limit ?? 20);
  const shown = new Set(best.map((x) => x.id));
  // Whom the owner asked stays listed wherever the engine ranks them, so the request can be seen
  // and withdrawn.
  const asked = scored.filter((x) => !shown.has(x.id) && isCounted(mine.get(x.id)));
  const ranked = [...best, ...asked].flatMap((x) => matcher.explainPair(me, x.id, input.lang) ?? []);
  const receivedIds = [...theirs.keys()];
  const ids = [...new Set([...ranked.map((s) => s.id), ...receivedIds])];
  const profiles = await participantProfiles(deps, ids);
  const partner = (id: string, score: number, why: string[]): ForumPartner => {
    const p = profiles.get(id);
    return {
      id,
      name: p?.name ?? "—",
      sector: p?.sector ?? "service",
      offers: p?.offers ?? "",
      needs: p?.needs ?? "",
      score,
      why,
      mine: mine.get(id) ?? null,
      theirs: theirs.get(id) ?? null,
    };
  };
  const byRank = new Map(ranked.map((s) => [s.id, s]));
  const received = receivedIds
    .map((id) => {
      const s = byRank.get(id) ?? matcher.explainPair(me, id, input.lang);
      return partner(id, s?.score ?? 0, s?.reasons ?? []);
    })
    .sort((a, b) => Number(b.theirs === "requested") - Number(a.theirs === "requested") || b.score - a.score);
  return {
    suggestions: ranked.map((s) => partner(s.id, s.score, s.reasons)),
    received,
    sentCounted: [...mine.values()].filter(isCounted).length,
    maxRequests: forum.maxRequests,
  };
}

/** A request the owner sent that is open or accepted: it counts against the forum's limit. */
function isCounted(status: RequestStatus | undefined): boolean {
  return status === "requested" || status === "accepted";
}
