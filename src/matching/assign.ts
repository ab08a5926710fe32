/**
 * Weekly pairing proposals: which pairs to propose this week, chosen globally over everyone's
 * suggestions, so that no business is asked to take more partners than it has room for and a few
 * popular producers do not take every slot.
 *
 * **Algorithm: a max-weight b-matching**, greedy by descending score (a 1/2-approximation of the
 * optimum), then improved by local augmentation: a chosen pair is swapped out for up to two
 * unchosen pairs, one at each of its ends, whenever that raises the total score, and free slots are
 * refilled greedily, until nothing improves. Each business v may take at most
 * `b(v) = min(remaining capacity, exposureCap)` proposals per run.
 *
 * **Why not deferred acceptance.** The engine's pair score is reciprocal and symmetric: the same
 * number ranks the pair from either side. With symmetric preferences (ties broken by id) the
 * capacity-constrained deferred acceptance has exactly one stable outcome, and it is the greedy
 * b-matching by descending score: the best remaining pair is each side's best remaining option, so
 * it can never be blocked. Deferred acceptance would therefore compute the greedy step above and
 * nothing more, while its proposer side (service businesses or industries) would be an arbitrary
 * choice here. Stating the problem as a b-matching lets us go past stability to a higher total
 * score (the augmentation) and report how much that changes (`greedyTotal` vs `totalScore`); the
 * trade-off is that an augmented solution may contain a pair that both ends would swap for a
 * better one they share, which the officer reviewing the drafts can still see in the scores.
 *
 * Deterministic: the same input in any order gives the same output (candidates are ordered by
 * score, then service id, then industry id; duplicates of one pair keep the highest score).
 * Pure: no I/O, no clock.
 */

/** One candidate pair: a service business and a small industry with their reciprocal score. */
export interface CandidatePair {
  serviceId: string;
  industryId: string;
  /** Reciprocal pair score in [0, 1] (the weight of the edge). */
  score: number;
}

/** Why a pair was not proposed. */
export type SkipReason =
  /** One side declined the pair ("tidak berminat"). */
  | "declined"
  /** The pair has an open request or partnership. */
  | "existing"
  /** The pair was proposed before (a draft, a published or a discarded proposal). */
  | "already_proposed"
  /** Below `minScore`. */
  | "below_min_score"
  /** One side has no room left (maxPartners reached by partnerships, requests and drafts). */
  | "no_capacity"
  /** A side's remaining capacity went to better pairs this run. */
  | "capacity"
  /** A side reached `exposureCap` proposals this run with better pairs. */
  | "exposure_cap";

export type ExclusionReason = "declined" | "existing" | "already_proposed";

export interface AssignConfig {
  /** Most proposals one business gets in one run (>= 0). */
  exposureCap: number;
  /** Pairs scoring below this are never proposed. */
  minScore: number;
  /** Rounds of augmentation at most (each is O(pairs)); the result is feasible after any number. */
  maxRounds: number;
}

/** At most 2 proposals per business per run, none below a pair score of 0.3, 20 rounds of swaps. */
export const DEFAULT_ASSIGN_CONFIG: AssignConfig = { exposureCap: 2, minScore: 0.3, maxRounds: 20 };

/**
 * How many of each business's best suggestions are candidates (the job reads this many stored
 * suggestions per business, the eval ranks this many). A pair enters when it is in either side's
 * top list; deeper ranks would hardly ever be chosen and would only grow the run.
 */
export const PROPOSAL_CANDIDATES_PER_BUSINESS = 10;

export interface AssignInput<C extends CandidatePair> {
  candidates: readonly C[];
  /**
   * Proposals each business can still take: maxPartners minus its accepted and active
   * partnerships, its open requests and its pending drafts. Absent = 0 (not matchable).
   */
  capacity: ReadonlyMap<string, number>;
  /** Pairs never to propose, with why. Order of the two ids does not matter. */
  excluded: ReadonlyArray<{ a: string; b: string; reason: ExclusionReason }>;
  /**
   * Proposals each business already got in this period (earlier runs of the same week): they use up
   * its exposure cap. Absent = 0.
   */
  exposed?: ReadonlyMap<string, number>;
  config?: Partial<AssignConfig>;
}

export interface AssignResult<C extends CandidatePair> {
  /** The proposals, best first (score desc, then service id, then industry id). */
  chosen: C[];
  /** Sum of the chosen scores. */
  totalScore: number;
  /** Sum of the scores after the greedy step alone (before augmentation). */
  greedyTotal: number;
  /** Augmenting swaps applied. */
  swaps: number;
  /** Candidate pairs not chosen, by reason (each distinct pair counted once). */
  skipped: Record<SkipReason, number>;
  /** Pairs eligible for choice (after exclusions and minScore). */
  eligible: number;
}

/** Key of an unordered pair. */
export function pairId(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Best first: score desc, then service id, then industry id. */
export function compareCandidates(x: CandidatePair, y: CandidatePair): number {
  return y.score - x.score || compareIds(x.serviceId, y.serviceId) || compareIds(x.industryId, y.industryId);
}

/** A stable tiebreak between two records of the same pair with the same score. */
function canonical(c: CandidatePair): string {
  return JSON.stringify(c, Object.keys(c).sort());
}

/** Fills the defaults in and makes the counts whole and non-negative (minScore is taken as given). */
export function resolveConfig(config: Partial<AssignConfig> | undefined): AssignConfig {
  const c = { ...DEFAULT_ASSIGN_CONFIG, ...config };
  return {
    exposureCap: Math.max(0, Math.floor(c.exposureCap)),
    minScore: c.minScore,
    maxRounds: Math.max(0, Math.floor(c.maxRounds)),
  };
}

interface Prepared<C extends CandidatePair> {
  config: AssignConfig;
  /** Eligible pairs, best first, one per pair. */
  edges: C[];
  /** Per-business slots this run: min(capacity, exposureCap), at least 0. */
  slots: Map<string, number>;
  skipped: Record<SkipReason, number>;
}

function emptySkipped(): Record<SkipReason, number> {
  return {
    declined: 0,
    existing: 0,
    already_proposed: 0,
    below_min_score: 0,
    no_capacity: 0,
    capacity: 0,
    exposure_cap: 0,
  };
}

/** What is left of a business's exposure cap in this period. */
function exposureLeft(input: AssignInput<CandidatePair>, config: AssignConfig, id: string): number {
  return config.exposureCap - Math.floor(input.exposed?.get(id) ?? 0);
}

/** Dedupe, drop exclusions and low scores, sort best first, compute each business's slots. */
function prepare<C extends CandidatePair>(input: AssignInput<C>): Prepared<C> {
  const config = resolveConfig(input.config);
  const skipped = emptySkipped();
  const byPair = new Map<string, C>();
  for (const c of input.candidates) {
    if (c.serviceId === c.industryId || !Number.isFinite(c.score)) continue;
    const k = pairId(c.serviceId, c.industryId);
    const seen = byPair.get(k);
    if (
      !seen ||
      c.score > seen.score ||
      (c.score === seen.score && compareIds(canonical(c), canonical(seen)) < 0)
    ) {
      byPair.set(k, c);
    }
  }
  // The most specific reason wins when a pair is excluded twice (declined over the rest).
  const rank: Record<ExclusionReason, number> = { declined: 0, existing: 1, already_proposed: 2 };
  const exclusion = new Map<string, ExclusionReason>();
  for (const x of input.excluded) {
    const k = pairId(x.a, x.b);
    const prev = exclusion.get(k);
    if (prev === undefined || rank[x.reason] < rank[prev]) exclusion.set(k, x.reason);
  }
  const slots = new Map<string, number>();
  const slotsOf = (id: string) => {
    let s = slots.get(id);
    if (s === undefined) {
      s = Math.max(0, Math.min(Math.floor(input.capacity.get(id) ?? 0), exposureLeft(input, config, id)));
      slots.set(id, s);
    }
    return s;
  };
  const edges: C[] = [];
  for (const [k, c] of byPair) {
    const excluded = exclusion.get(k);
    if (excluded) skipped[excluded] += 1;
    else if (c.score < config.minScore) skipped.below_min_score += 1;
    else {
      slotsOf(c.serviceId);
      slotsOf(c.industryId);
      edges.push(c);
    }
  }
  edges.sort(compareCandidates);
  return { config, edges, slots, skipped };
}

/**
 * Chooses this run's proposals (see the module comment for the algorithm and why).
 *
 * @example
 * // s1 can take one more partner; both industries want s1.
 * assignPairings({
 *   candidates: [
 *     { serviceId: "s1", industryId: "i1", score: 0.9 },
 *     { serviceId: "s1", industryId: "i2", score: 0.8 },
 *     { serviceId: "s2", industryId: "i1", score: 0.7 },
 *   ],
 *   capacity: new Map([["s1", 1], ["s2", 1], ["i1", 1], ["i2", 1]]),
 *   excluded: [],
 * }).chosen; // s1-i2 and s2-i1 (total 1.5): greedy alone stops at s1-i1 (0.9), the swap wins
 */
export function assignPairings<C extends CandidatePair>(input: AssignInput<C>): AssignResult<C> {
  const { config, edges, slots, skipped } = prepare(input);
  const n = edges.length;
  const chosen = new Uint8Array(n);
  const degree = new Map<string, number>();
  const deg = (id: string) => degree.get(id) ?? 0;
  const room = (id: string) => deg(id) < (slots.get(id) ?? 0);
  const take = (i: number, on: 0 | 1) => {
    const e = edges[i] as C;
    chosen[i] = on;
    const d = on ? 1 : -1;
    degree.set(e.serviceId, deg(e.serviceId) + d);
    degree.set(e.industryId, deg(e.industryId) + d);
  };
  // Edge indexes by business, best first (edges are sorted, so pushing in order keeps that).
  const incident = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const e = edges[i] as C;
    for (const id of [e.serviceId, e.industryId]) {
      const list = incident.get(id);
      if (list) list.push(i);
      else incident.set(id, [i]);
    }
  }

  /** Adds every pair whose two ends still have room, best first. Returns how many. */
  const fill = () => {
    let added = 0;
    for (let i = 0; i < n; i++) {
      const e = edges[i] as C;
      if (!chosen[i] && room(e.serviceId) && room(e.industryId)) {
        take(i, 1);
        added += 1;
      }
    }
    return added;
  };

  /** The best unchosen pair at `id` whose other end has room and is not `not`, or -1. */
  const bestFree = (id: string, not: string, alsoNot: string) => {
    for (const i of incident.get(id) ?? []) {
      if (chosen[i]) continue;
      const e = edges[i] as C;
      const other = e.serviceId === id ? e.industryId : e.serviceId;
      if (other !== not && other !== alsoNot && room(other)) return i;
    }
    return -1;
  };

  fill();
  let greedyTotal = 0;
  for (let i = 0; i < n; i++) if (chosen[i]) greedyTotal += (edges[i] as C).score;

  let swaps = 0;
  for (let round = 0; round < config.maxRounds; round++) {
    let improved = false;
    // Weakest chosen pairs first: they are the likeliest to be worth giving up.
    for (let i = n - 1; i >= 0; i--) {
      if (!chosen[i]) continue;
      const f = edges[i] as C;
      take(i, 0);
      // Each end has one free slot now; the pair itself is excluded from both searches.
      const a = bestFree(f.serviceId, f.industryId, "");
      if (a >= 0) take(a, 1);
      const b = bestFree(f.industryId, f.serviceId, "");
      if (b >= 0) take(b, 1);
      const gain = (a >= 0 ? (edges[a] as C).score : 0) + (b >= 0 ? (edges[b] as C).score : 0) - f.score;
      if (gain > 1e-12) {
        swaps += 1;
        improved = true;
      } else {
        if (b >= 0) take(b, 0);
        if (a >= 0) take(a, 0);
        take(i, 1);
      }
    }
    if (fill() > 0) improved = true;
    if (!improved) break;
  }

  const out: C[] = [];
  let totalScore = 0;
  for (let i = 0; i < n; i++) {
    const e = edges[i] as C;
    if (chosen[i]) {
      out.push(e);
      totalScore += e.score;
      continue;
    }
    const full = (id: string) => !room(id);
    const zero = (id: string) => (slots.get(id) ?? 0) === 0;
    if (zero(e.serviceId) || zero(e.industryId)) {
      const none = (id: string) => zero(id) && Math.floor(input.capacity.get(id) ?? 0) > 0;
      // No slot at all: its room is gone, or (with room left) this week's exposure is used up.
      skipped[none(e.serviceId) || none(e.industryId) ? "exposure_cap" : "no_capacity"] += 1;
    } else {
      // The saturated side: capped by exposure when its capacity alone would have left room.
      const side = full(e.serviceId) ? e.serviceId : e.industryId;
      const cap = Math.floor(input.capacity.get(side) ?? 0);
      skipped[cap > exposureLeft(input, config, side) ? "exposure_cap" : "capacity"] += 1;
    }
  }
  return { chosen: out, totalScore, greedyTotal, swaps, skipped, eligible: n };
}

/**
 * Baseline "greedy top-1": every business, in id order, takes its own best eligible partner that
 * still has a slot (same capacities and exposure cap as the assignment), first come first served;
 * a business already paired by an earlier one's pick keeps it and still takes its own best. Each
 * business starts at most one pair. This is "send each business its #1 suggestion", made feasible
 * the naive way.
 */
export function greedyTopOne<C extends CandidatePair>(
  input: AssignInput<C>,
): { chosen: C[]; totalScore: number } {
  const { edges, slots } = prepare(input);
  const degree = new Map<string, number>();
  const room = (id: string) => (degree.get(id) ?? 0) < (slots.get(id) ?? 0);
  const incident = new Map<string, C[]>();
  for (const e of edges) {
    for (const id of [e.serviceId, e.industryId]) {
      const list = incident.get(id);
      if (list) list.push(e);
      else incident.set(id, [e]);
    }
  }
  const taken = new Set<string>();
  const chosen: C[] = [];
  for (const id of [...incident.keys()].sort(compareIds)) {
    if (!room(id)) continue;
    const pick = (incident.get(id) ?? []).find((e) => {
      const other = e.serviceId === id ? e.industryId : e.serviceId;
      return !taken.has(pairId(e.serviceId, e.industryId)) && room(other);
    });
    if (!pick) continue;
    taken.add(pairId(pick.serviceId, pick.industryId));
    chosen.push(pick);
    for (const x of [pick.serviceId, pick.industryId]) degree.set(x, (degree.get(x) ?? 0) + 1);
  }
  chosen.sort(compareCandidates);
  return { chosen, totalScore: chosen.reduce((s, e) => s + e.score, 0) };
}

/**
 * Baseline "naive top-k": every business is shown its own k best eligible partners, with no
 * capacity or exposure limit and no coordination; the proposals are the union of those pairs.
 * It is what sending everyone their top-k suggestions would do to popular businesses.
 */
export function naiveTopK<C extends CandidatePair>(input: AssignInput<C>, k: number): C[] {
  const { edges } = prepare({ ...input, config: { ...input.config, exposureCap: Number.MAX_SAFE_INTEGER } });
  const shown = new Map<string, number>();
  const picked = new Set<string>();
  const out: C[] = [];
  // Edges are best first, so each business's first k incident edges are its top k.
  for (const e of edges) {
    const key = pairId(e.serviceId, e.industryId);
    for (const id of [e.serviceId, e.industryId]) {
      const n = shown.get(id) ?? 0;
      if (n < k) {
        shown.set(id, n + 1);
        if (!picked.has(key)) {
          picked.add(key);
          out.push(e);
        }
      }
    }
  }
  return out;
}

export interface ExposureStats {
  /** Businesses counted (the whole population, including those proposed to nobody). */
  businesses: number;
  proposals: number;
  /** Share of all proposal appearances that go to the 10% most-proposed businesses, in [0, 1]. */
  top10Share: number;
  /** Gini coefficient of proposals per business, in [0, 1): 0 = everyone equally often. */
  gini: number;
  /** Most proposals any one business appears in. */
  max: number;
}

/**
 * How concentrated the proposals are over `population`: a proposal is an appearance for each of its
 * two businesses. The top 10% are the ceil(10% of the population) most-proposed businesses.
 *
 * @example exposure([{serviceId:"s",industryId:"i",score:1}], ["s","i","t","j"])
 * // { businesses: 4, proposals: 1, top10Share: 0.5, gini: 0.5, max: 1 }
 */
export function exposure(pairs: readonly CandidatePair[], population: Iterable<string>): ExposureStats {
  const counts = new Map<string, number>();
  for (const id of population) counts.set(id, 0);
  for (const p of pairs) {
    counts.set(p.serviceId, (counts.get(p.serviceId) ?? 0) + 1);
    counts.set(p.industryId, (counts.get(p.industryId) ?? 0) + 1);
  }
  const xs = [...counts.values()].sort((a, b) => a - b);
  const n = xs.length;
  const total = xs.reduce((s, x) => s + x, 0);
  if (n === 0 || total === 0) {
    return { businesses: n, proposals: pairs.length, top10Share: 0, gini: 0, max: 0 };
  }
  const top = Math.ceil(n * 0.1);
  const topSum = xs.slice(n - top).reduce((s, x) => s + x, 0);
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (i + 1) * (xs[i] as number);
  const gini = (2 * weighted) / (n * total) - (n + 1) / n;
  return {
    businesses: n,
    proposals: pairs.length,
    top10Share: topSum / total,
    gini,
    max: xs[n - 1] as number,
  };
}

export interface AssignmentComparison {
  proposals: number;
  totalScore: number;
  greedyTotal: number;
  swaps: number;
  skipped: Record<SkipReason, number>;
  greedyTopOne: { proposals: number; totalScore: number; exposure: ExposureStats };
  exposure: ExposureStats;
  naiveTopK: { k: number; exposure: ExposureStats; totalScore: number };
}

/**
 * The assignment with the figures the job reports and `npm run eval` prints: total score against
 * greedy top-1, and exposure concentration against naive top-k with k = the exposure cap, over the
 * population of every business with a capacity entry.
 */
export function compareAssignment<C extends CandidatePair>(
  input: AssignInput<C>,
): { result: AssignResult<C>; comparison: AssignmentComparison } {
  const result = assignPairings(input);
  const config = resolveConfig(input.config);
  const top1 = greedyTopOne(input);
  const naive = naiveTopK(input, config.exposureCap);
  const population = [...input.capacity.keys()];
  return {
    result,
    comparison: {
      proposals: result.chosen.length,
      totalScore: result.totalScore,
      greedyTotal: result.greedyTotal,
      swaps: result.swaps,
      skipped: result.skipped,
      greedyTopOne: {
        proposals: top1.chosen.length,
        totalScore: top1.totalScore,
        exposure: exposure(top1.chosen, population),
      },
      exposure: exposure(result.chosen, population),
      naiveTopK: {
        k: config.exposureCap,
        exposure: exposure(naive, population),
        totalScore: naive.reduce((s, e) => s + e.score, 0),
      },
    },
  };
}
