/**
 * Candidate retrieval and pruning: one business's top k of the other sector, equal to scoring
 * every pair but without the work.
 *
 * One pass over the postings of the query's features accumulates the four similarities of
 * exactly the candidates that share a feature with it. Each of those gets an upper bound of its
 * score (its text part at most, its real category, location at its maximum); the likeliest are
 * scored first, and a candidate whose bound cannot reach the current k-th score is skipped.
 * Every other candidate has text 0, so its score is at most the category and location weights;
 * it is only looked at when the k-th best score is below that bound. The benchmark and
 * test/unit/matching/search.test.ts check the result against exhaustive scoring.
 * (Skipping the lists of common features was tried and dropped: on registries of 100k it lost a
 * tenth to a half of the true top 10 without being faster, because common features carry much of
 * the score.)
 *
 * Speed (docs/BENCHMARKS.md): what a candidate needs is kept in typed arrays by corpus index
 * (its four sums side by side, its code list, size, perishability and place), so the loops over
 * thousands of candidates follow no pointer per candidate; a query's category against each of
 * the other side's code lists is looked up once per code list, not once per candidate.
 */
import type { Doc } from "./corpus";
import { placeCeilingAt, placeColumns, placeScoreAt } from "./location";
import { type CategoryLookup, exactPairScore, type PairContext } from "./pair";
import {
  type ConceptPostings,
  type DocWeights,
  PRODUCT_SCALE,
  type SectorPostings,
  type WordPostings,
  weightScratch,
  weightsOf,
} from "./postings";
import {
  freshShare,
  nonTextCeilings,
  type PairSimilarities,
  pairScore,
  scoreCeiling,
  sizeFit,
} from "./score";

/**
 * A candidate by corpus index, with its fused score in [0, 1] and, from the index search, its
 * similarities with the query as accumulated (for its explanation: pair.ts, evaluatePair).
 */
export interface Hit {
  i: number;
  score: number;
  sums?: PairSimilarities;
}

/**
 * Finds the top `k` candidates of the other sector for the business at corpus index `qi`, best
 * first (ties by id), leaving out scores below `minScore` (0-1). `exhaustive` scores every pair
 * directly instead: the reference the index search equals.
 */
export interface Search {
  (qi: number, k: number, minScore: number, exhaustive?: boolean): Hit[];
  /**
   * The same search for a business that is not in the corpus (live.ts: one added or edited since
   * the build, weighted with the corpus's statistics and holding its own weights), whose code list
   * `category` knows (the corpus's own lookup may not: the list can be new). Candidates are the
   * corpus's businesses of the other sector; a feature the corpus does not hold reaches none.
   */
  external(q: Doc, k: number, minScore: number, category: CategoryLookup): Hit[];
}

/** Keeps the best `k` by score, ties by index (= id order). */
function better(a: Hit, b: Hit): boolean {
  return a.score > b.score || (a.score === b.score && a.i < b.i);
}

function pushTop(top: Hit[], h: Hit, k: number): void {
  if (top.length === k && !better(h, top[top.length - 1])) return;
  let at = top.length;
  while (at > 0 && better(h, top[at - 1])) at--;
  top.splice(at, 0, h);
  if (top.length > k) top.pop();
}

/** Buckets of the histogram the seeds are chosen from (search below). */
const SEED_BUCKETS = 1024;

/** Slots of a candidate's sums in the accumulator (4 per candidate, side by side). */
const NQ = 0;
const OQ = 1;
const ALL = 2;
const WORDS = 3;

/**
 * A search over one corpus and its postings. It reuses its accumulators from query to query, so
 * one searcher serves one query at a time (a Worker isolate runs a request's matching
 * synchronously, so this holds).
 */
export function createSearch(ctx: PairContext, postings: SectorPostings): Search {
  const { corpus, weights } = ctx;
  /** The current query's category lookup: the corpus's own, or an external query's. */
  let category = ctx.category;
  const { docs, perishable } = corpus;
  const n = docs.length;
  const ceilings = nonTextCeilings(weights);
  const sizeGap = weights.sizeGap;

  // What scoring a candidate reads, by corpus index.
  const codeset = Int32Array.from(docs, (d) => d.codeset);
  const sizeRank = Int32Array.from(docs, (d) => d.sizeRank);
  const perish = Float64Array.from(docs, (d) => d.perish);
  const places = placeColumns(docs.map((d) => d.place));

  // The current query's category against each code list, filled as code lists are met: a
  // code list's entry is valid when its stamp is the query's.
  const codesets = Math.max(
    corpus.codesetCodes.length,
    codeset.reduce((m, c) => Math.max(m, c + 1), 0),
  );
  const categoryOf = new Float64Array(codesets);
  const categoryStamp = new Int32Array(codesets);
  let stamp = 0;

  // Per-candidate sums of the current query: acc[4i + NQ/OQ/ALL/WORDS], and the perishable
  // parts of the first two. `seen` is 1 when reached, 2 once scored as a seed.
  const acc = new Float64Array(4 * n);
  const freshNq = new Float64Array(n);
  const freshOq = new Float64Array(n);
  const seen = new Uint8Array(n);
  /** Candidates reached by the current query, in the order reached (touchedCount of them). */
  const touched = new Int32Array(n);
  /** Upper bound of each touched candidate's score (same order as `touched`). */
  const bound = new Float64Array(n);
  let touchedCount = 0;
  let freshTouched = false;
  /** The current query's held weights (postings.ts); the sums are of integer products until scaled. */
  const queryScratch = weightScratch();
  /** The current query's size fit against each size rank (score.ts, SIZE_RANK: 0 to 3). */
  const fitOf = new Float64Array(4);
  /** How many reached candidates' bounds fall in each bucket (of the query's highest bound). */
  const histogram = new Int32Array(SEED_BUCKETS);
  // The current query's best so far, best first (ties by index, as {@link better}): kept in typed
  // arrays, so that the hundreds of candidates that enter and leave it allocate nothing.
  let topI = new Int32Array(64);
  let topS = new Float64Array(64);
  let topCount = 0;
  let topK = 0;

  /** Offers candidate `i` with score `score` to the current top `topK`. */
  function offer(i: number, score: number): void {
    let at = topCount;
    if (topCount === topK) {
      const last = topS[topK - 1];
      if (score < last || (score === last && i > topI[topK - 1])) return;
      at = topK - 1;
    } else topCount++;
    while (at > 0 && (score > topS[at - 1] || (score === topS[at - 1] && i < topI[at - 1]))) {
      topS[at] = topS[at - 1];
      topI[at] = topI[at - 1];
      at--;
    }
    topS[at] = score;
    topI[at] = i;
  }

  /** The query's category score against candidate `i` (category.value, once per code list). */
  function categoryAt(q: Doc, i: number): number {
    const cs = codeset[i];
    if (categoryStamp[cs] === stamp) return categoryOf[cs];
    const v = category.value(q, docs[i]);
    categoryOf[cs] = v;
    categoryStamp[cs] = stamp;
    return v;
  }

  /**
   * One pass over the concept lists of the query's profile features: accumulates the query's
   * needs . candidate's offers, the query's offers . candidate's needs and the whole-profile
   * product (and the perishable parts of the first two), as integer products of held weights
   * (exact in any order; scaled by PRODUCT_SCALE when scored, as pair.ts scales its own).
   */
  function walkConcepts(q: Doc, qw: DocWeights, p: ConceptPostings): void {
    const all = q.concepts;
    const qOffers = qw.offers;
    const qNeeds = qw.needs;
    const qAll = qw.all;
    const shift = qw.cShift;
    const pDoc = p.doc;
    const pOffers = p.offers;
    const pNeeds = p.needs;
    const pAll = p.all;
    for (let j = all.from; j < all.to; j++) {
      const f = all.ids[j];
      const qn = qNeeds[j - shift];
      const qo = qOffers[j - shift];
      const from = p.start[f];
      const to = p.start[f + 1];
      const qa = qAll[j - shift];
      // Specialised loops: most query features are on one side only, and few are perishable.
      if (perishable[f] === 1) {
        freshTouched = true;
        for (let x = from; x < to; x++) {
          const c = pDoc[x];
          const b = c << 2;
          const a = qn * pOffers[x];
          const o = qo * pNeeds[x];
          acc[b + NQ] += a;
          acc[b + OQ] += o;
          acc[b + ALL] += qa * pAll[x];
          freshNq[c] += a;
          freshOq[c] += o;
        }
      } else if (qo === 0) {
        for (let x = from; x < to; x++) {
          const b = pDoc[x] << 2;
          acc[b + NQ] += qn * pOffers[x];
          acc[b + ALL] += qa * pAll[x];
        }
      } else if (qn === 0) {
        for (let x = from; x < to; x++) {
          const b = pDoc[x] << 2;
          acc[b + OQ] += qo * pNeeds[x];
          acc[b + ALL] += qa * pAll[x];
        }
      } else {
        for (let x = from; x < to; x++) {
          const b = pDoc[x] << 2;
          acc[b + NQ] += qn * pOffers[x];
          acc[b + OQ] += qo * pNeeds[x];
          acc[b + ALL] += qa * pAll[x];
        }
      }
    }
  }

  function walkWords(q: Doc, qw: DocWeights, p: WordPostings): void {
    const v = q.words;
    const pDoc = p.doc;
    const pW = p.w;
    for (let j = v.from; j < v.to; j++) {
      const f = v.ids[j];
      const from = p.start[f];
      const to = p.start[f + 1];
      const wq = qw.words[j - qw.wShift];
      for (let x = from; x < to; x++) acc[(pDoc[x] << 2) + WORDS] += wq * pW[x];
    }
  }

  /**
   * The score of a reached candidate from its sums with location `location`: at its real location,
   * what {@link exactPairScore} gives; at its ceiling (placeCeilingAt), an upper bound of that.
   */
  function scoreAccumulated(q: Doc, i: number, location: number): number {
    const b = i << 2;
    return pairScore(
      acc[b + NQ] * PRODUCT_SCALE,
      acc[b + OQ] * PRODUCT_SCALE,
      acc[b + ALL] * PRODUCT_SCALE,
      acc[b + WORDS] * PRODUCT_SCALE,
      freshNq[i] * PRODUCT_SCALE,
      freshOq[i] * PRODUCT_SCALE,
      categoryAt(q, i),
      location,
      fitOf[sizeRank[i]],
      weights,
      q.sector === "service",
      q.perish,
      perish[i],
    );
  }

  function exhaustive(qi: number, k: number, minScore: number): Hit[] {
    const q = docs[qi];
    const top: Hit[] = [];
    for (let i = 0; i < n; i++) {
      const c = docs[i];
      if (c.sector === q.sector || i === qi) continue;
      const s = exactPairScore(ctx, q, c);
      if (s >= minScore) pushTop(top, { i, score: s }, k);
    }
    return top;
  }

  /** Clears what the query left in the accumulators (only where it wrote). */
  function reset(): void {
    for (let t = 0; t < touchedCount; t++) {
      const i = touched[t];
      const b = i << 2;
      acc[b + NQ] = 0;
      acc[b + OQ] = 0;
      acc[b + ALL] = 0;
      acc[b + WORDS] = 0;
      seen[i] = 0;
    }
    if (freshTouched) {
      for (let t = 0; t < touchedCount; t++) {
        freshNq[touched[t]] = 0;
        freshOq[touched[t]] = 0;
      }
    }
    touchedCount = 0;
    freshTouched = false;
  }

  /** The index search for query `q` (at corpus index `qi`, or -1 when it is not in the corpus). */
  function indexed(q: Doc, qi: number, k: number, minScore: number): Hit[] {
    if (k <= 0) return [];
    stamp = stamp === 0x7fffffff ? 1 : stamp + 1;
    if (stamp === 1) categoryStamp.fill(0);
    if (k > topI.length) {
      topI = new Int32Array(k);
      topS = new Float64Array(k);
    }
    topK = k;
    topCount = 0;
    const otherSector = q.sector === "service" ? "industry" : "service";
    const other = postings[otherSector];
    const qw = weightsOf(postings, q, queryScratch);
    walkConcepts(q, qw, other.concepts);
    walkWords(q, qw, other.words);
    // Every posting weight is positive, so a candidate was reached exactly when one of its
    // whole-profile sums is: one scan of the other sector beats a check on every posting. Each
    // reached candidate gets its bound (scoreCeiling): the text part from its sums, its real
    // category and size fit, and location at the most its tier allows (no distance computed),
    // with the weight its perishable share moves onto location.
    const members = corpus.sectorMembers[otherSector];
    const qPlace = q.place;
    for (let r = 0; r < fitOf.length; r++) fitOf[r] = sizeFit(q.sizeRank, r, sizeGap);
    let maxBound = 0;
    touchedCount = 0;
    for (let m = 0; m < members.length; m++) {
      const i = members[m];
      const b = i << 2;
      const all = acc[b + ALL];
      const words = acc[b + WORDS];
      if (all > 0 || words > 0) {
        seen[i] = 1;
        const nq = acc[b + NQ] * PRODUCT_SCALE;
        const oq = acc[b + OQ] * PRODUCT_SCALE;
        const ceiling = scoreCeiling(
          nq,
          oq,
          all * PRODUCT_SCALE,
          words * PRODUCT_SCALE,
          freshTouched ? freshShare(nq, oq, freshNq[i] * PRODUCT_SCALE, freshOq[i] * PRODUCT_SCALE) : 0,
          categoryAt(q, i),
          placeCeilingAt(qPlace, places, i),
          fitOf[sizeRank[i]],
          weights,
        );
        if (ceiling > maxBound) maxBound = ceiling;
        bound[touchedCount] = ceiling;
        touched[touchedCount++] = i;
      }
    }
    // Exact, but only where it can matter: the highest bounds are scored first so that the
    // k-th score is known early, then every candidate whose bound cannot reach it is skipped.
    // The seeds, about the 3k highest bounds, are found with a histogram of the bounds rather
    // than by keeping them sorted; the order in which candidates are scored does not change the
    // top k, only how much is pruned.
    const scale = maxBound > 0 ? (SEED_BUCKETS - 1) / maxBound : 0;
    histogram.fill(0);
    for (let t = 0; t < touchedCount; t++) histogram[(bound[t] * scale) | 0]++;
    let seedBucket = SEED_BUCKETS - 1;
    for (let count = histogram[seedBucket]; count < 3 * k && seedBucket > 0; )
      count += histogram[--seedBucket];
    for (let t = 0; t < touchedCount; t++) {
      if (((bound[t] * scale) | 0) < seedBucket) continue;
      const i = touched[t];
      const s = scoreAccumulated(q, i, placeScoreAt(qPlace, places, i));
      if (s >= minScore) offer(i, s);
      seen[i] = 2;
    }
    const isService = q.sector === "service";
    for (let t = 0; t < touchedCount; t++) {
      const i = touched[t];
      if (seen[i] === 2) continue;
      if (topCount === k) {
        const kth = topS[k - 1] - 1e-4;
        if (bound[t] < kth) continue;
        // Tighter, for the few the first bound lets through: the score itself with location at
        // its ceiling (the score grows with location), which costs no distance either.
        if (scoreAccumulated(q, i, placeCeilingAt(qPlace, places, i)) < kth) continue;
      }
      const s = scoreAccumulated(q, i, placeScoreAt(qPlace, places, i));
      if (s >= minScore) offer(i, s);
    }
    // Candidates sharing nothing with the query can still win on category and location when
    // too few others do; only then are they scored.
    const kth = topCount === k ? topS[k - 1] : -1;
    if (kth < ceilings.textFree && ceilings.textFree >= minScore) {
      for (let m = 0; m < members.length; m++) {
        const i = members[m];
        if (i === qi || seen[i] !== 0) continue;
        const s = pairScore(
          0,
          0,
          0,
          0,
          0,
          0,
          categoryAt(q, i),
          placeScoreAt(q.place, places, i),
          sizeFit(q.sizeRank, sizeRank[i], sizeGap),
          weights,
          isService,
          q.perish,
          perish[i],
        );
        if (s >= minScore) offer(i, s);
      }
    }
    const top: Hit[] = [];
    for (let r = 0; r < topCount; r++) {
      const i = topI[r];
      const b = i << 2;
      top.push({
        i,
        score: topS[r],
        // Scaled as pair.ts scales its integer sums: the same doubles, bit for bit.
        sums: {
          nq: acc[b + NQ] * PRODUCT_SCALE,
          oq: acc[b + OQ] * PRODUCT_SCALE,
          all: acc[b + ALL] * PRODUCT_SCALE,
          words: acc[b + WORDS] * PRODUCT_SCALE,
          freshNq: freshNq[i] * PRODUCT_SCALE,
          freshOq: freshOq[i] * PRODUCT_SCALE,
        },
      });
    }
    reset();
    return top;
  }

  const search = (qi: number, k: number, minScore: number, useExhaustive = false): Hit[] => {
    if (k <= 0) return [];
    if (useExhaustive) return exhaustive(qi, k, minScore);
    category = ctx.category;
    return indexed(docs[qi] as Doc, qi, k, minScore);
  };
  return Object.assign(search, {
    external(q: Doc, k: number, minScore: number, lookup: CategoryLookup): Hit[] {
      category = lookup;
      try {
        return indexed(q, -1, k, minScore);
      } finally {
        category = ctx.category;
      }
    },
  });
}
