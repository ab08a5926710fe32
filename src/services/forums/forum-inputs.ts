import { and, eq, inArray, or } from "drizzle-orm";
import { businesses, declinedPairs, forumParticipants, forumRequests, partnerships } from "../../../schema";
import type { ForumPairScore, ForumRequestPair } from "../../matching/forum-schedule";
import type { ServiceDeps } from "../deps";
import { currentMatcher } from "../matching/matcher.cache";

/** Engine partners each attendee brings to a forum's schedule (its best among the attendees). */
export const FORUM_PAIRS_PER_ATTENDEE = 40;

export interface ForumFacts {
  attendees: Array<{ id: string; side: "service" | "industry"; available: string[] }>;
  pairs: ForumPairScore[];
  requests: ForumRequestPair[];
  /** Pairs that meet only when asked: declined anywhere, already partners, or "tidak berminat". */
  excluded: Array<{ a: string; b: string }>;
}

const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * What the scheduler needs from storage and the engine for one forum: the attending participants
 * (confirmed, with slots, in the active registry), the engine's pair scores among them, the
 * requests (mutual, or one-sided and accepted) and the pairs to leave out unless asked.
 */
export async function loadForumFacts(deps: ServiceDeps, forumId: string): Promise<ForumFacts> {
  const { matcher, updatedAt } = await currentMatcher(deps);
  const rows = await deps.db
    .select({ participant: forumParticipants, sector: businesses.sector })
    .from(forumParticipants)
    .innerJoin(businesses, eq(businesses.id, forumParticipants.businessId))
    .where(and(eq(forumParticipants.forumId, forumId), eq(forumParticipants.status, "confirmed")))
    .all();
  // The matcher holds exactly the active registry: an attendee outside it is not scheduled.
  const attendees = rows
    .filter((r) => r.participant.available.length > 0 && updatedAt.has(r.participant.businessId))
    .map((r) => ({ id: r.participant.businessId, side: r.sector, available: r.participant.available }));
  const ids = new Set(attendees.map((a) => a.id));
  const sideOf = new Map(attendees.map((a) => [a.id, a.side]));
  const pairs: ForumPairScore[] = [];
  const seen = new Set<string>();
  const addPair = (a: string, b: string, score: number) => {
    const k = key(a, b);
    if (seen.has(k) || sideOf.get(a) === sideOf.get(b)) return;
    seen.add(k);
    pairs.push(
      sideOf.get(a) === "service"
        ? { serviceId: a, industryId: b, score }
        : { serviceId: b, industryId: a, score },
    );
  };
  for (const a of attendees) {
    let taken = 0;
    // Ranked over the whole registry; deeper than the per-attendee count so enough are attendees.
    for (const s of matcher.rank(a.id, { limit: 400 })) {
      if (!ids.has(s.id)) continue;
      addPair(a.id, s.id, s.score);
      if (++taken >= FORUM_PAIRS_PER_ATTENDEE) break;
    }
    // A registry with many look-alikes can push the other attendees below the ranking's depth:
    // then score the attendees of the other side directly (bounded by the forum's size).
    if (taken < FORUM_PAIRS_PER_ATTENDEE) {
      const direct = attendees
        .filter((b) => b.side !== a.side && !seen.has(key(a.id, b.id)))
        .map((b) => ({ id: b.id, score: matcher.score(a.id, b.id)?.score ?? 0 }))
        .filter((x) => x.score > 0)
        .sort((x, y) => y.score - x.score)
        .slice(0, FORUM_PAIRS_PER_ATTENDEE - taken);
      for (const x of direct) addPair(a.id, x.id, x.score);
    }
  }
  const reqRows = await deps.db.select().from(forumRequests).where(eq(forumRequests.forumId, forumId)).all();
  const dirs = new Map<string, Map<string, string>>();
  for (const r of reqRows) {
    if (!ids.has(r.fromId) || !ids.has(r.toId)) continue;
    const k = key(r.fromId, r.toId);
    const m = dirs.get(k) ?? new Map<string, string>();
    m.set(r.fromId, r.status);
    dirs.set(k, m);
  }
  const requests: ForumRequestPair[] = [];
  const excluded: Array<{ a: string; b: string }> = [];
  const wants = (s: string | undefined) => s === "requested" || s === "accepted";
  for (const [k, m] of dirs) {
    const [a, b] = k.split("|") as [string, string];
    const [sa, sb] = [m.get(a), m.get(b)];
    if (sa === "not_interested" || sb === "not_interested" || sa === "declined" || sb === "declined")
      excluded.push({ a, b });
    if (wants(sa) && wants(sb)) requests.push({ a, b, kind: "mutual" });
    else if (sa === "accepted" || sb === "accepted") requests.push({ a, b, kind: "accepted" });
    else continue;
    if (!seen.has(k)) addPair(a, b, matcher.score(a, b)?.score ?? 0);
  }
  const list = [...ids];
  for (let k = 0; k < list.length; k += 45) {
    const chunk = list.slice(k, k + 45);
    const declined = await deps.db
      .select({ a: declinedPairs.lowId, b: declinedPairs.highId })
      .from(declinedPairs)
      .where(or(inArray(declinedPairs.lowId, chunk), inArray(declinedPairs.highId, chunk)))
      .all();
    const partnered = await deps.db
      .select({ a: partnerships.requesterId, b: partnerships.partnerId })
      .from(partnerships)
      .where(
        and(
          or(inArray(partnerships.requesterId, chunk), inArray(partnerships.partnerId, chunk)),
          inArray(partnerships.status, ["requested", "accepted", "active"]),
        ),
      )
      .all();
    for (const x of [...declined, ...partnered]) if (ids.has(x.a) && ids.has(x.b)) excluded.push(x);
  }
  return { attendees, pairs, requests, excluded };
}
