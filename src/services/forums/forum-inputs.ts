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
  // Each attendee's best partners among the other side's attendees, scored pair by pair: a forum
  // has at most a few hundred attendees, fewer pairs than a ranking over the whole registry would
  // explain, and look-alikes elsewhere in the registry cannot crowd the attendees out.
  // The fused score is symmetric: each pair is scored once, for whichever side asks first.
  const scored = new Map<string, number>();
  const scoreOf = (a: string, b: string): number => {
    const k = key(a, b);
    const known = scored.get(k);
    if (known !== undefined) return known;
    const v = matcher.score(a, b)?.score ?? 0;
    scored.set(k, v);
    return v;
  };
  for (const a of attendees) {
    const best = attendees
      .filter((b) => b.side !== a.side)
      .map((b) => ({ id: b.id, score: scoreOf(a.id, b.id) }))
      .filter((x) => x.score > 0)
      .sort((x, y) => y.score - x.score)
      .slice(0, FORUM_PAIRS_PER_ATTENDEE);
    for (const x of best) addPair(a.id, x.id, x.score);
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
