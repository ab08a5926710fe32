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
import { placeColumns, placeScoreAt } from "./location";
import { exactPairScore, type PairContext } from "./pair";
import {
  type ConceptPostings,
  type DocWeights,
  PRODUCT_SCALE,
  type SectorPostings,
  type WordPostings,
  weightScratch,
  weightsOf,
} from "./postings";
import { nonTextCeilings, pairScore, scoreBound, sizeFit, textPartBound } from "./score";

/** A candidate by corpus index, with its fused score in [0, 1]. */
export interface Hit {
  i: number;
  score: number;
}

/**
 * Finds the top `k` candidates of the other sector for the business at corpus index `qi`, best
 * first (ties by id), leaving out scores below `minScore` (0-1). `exhaustive` scores every pair
 * directly instead: the reference the index search equals.
 */
export type Search = (qi: number, k: number, minScore: number, exhaustive?: boolean) => Hit[];

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

/** {@link pushTop} that only allocates when the hit gets in. */
function offer(top: Hit[], i: number, score: number, k: number): void {
  if (top.length === k) {
    const last = top[k - 1];
    if (score < last.score || (score === last.score && i > last.i)) return;
  }
  pushTop(top, { i, score }, k);
}

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
  const { corpus, weights, category } = ctx;
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

  /** The exact score of a reached candidate, from its sums: what {@link exactPairScore} gives. */
  function scoreAccumulated(q: Doc, i: number): number {
    const b = i << 2;
    return pairScore(
      acc[b + NQ] * PRODUCT_SCALE,
      acc[b + OQ] * PRODUCT_SCALE,
      acc[b + ALL] * PRODUCT_SCALE,
      acc[b + WORDS] * PRODUCT_SCALE,
      freshNq[i] * PRODUCT_SCALE,
      freshOq[i] * PRODUCT_SCALE,
      categoryAt(q, i),
      placeScoreAt(q.place, places, i),
      sizeFit(q.sizeRank, sizeRank[i], sizeGap),
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

  return function search(qi, k, minScore, useExhaustive = false) {
    if (k <= 0) return [];
    if (useExhaustive) return exhaustive(qi, k, minScore);
    const q = docs[qi];
    stamp = stamp === 0x7fffffff ? 1 : stamp + 1;
    if (stamp === 1) categoryStamp.fill(0);
    const top: Hit[] = [];
    const otherSector = q.sector === "service" ? "industry" : "service";
    const other = postings[otherSector];
    const qw = weightsOf(postings, q, queryScratch);
    walkConcepts(q, qw, other.concepts);
    walkWords(q, qw, other.words);
    // Every posting weight is positive, so a candidate was reached exactly when one of its
    // whole-profile sums is: one scan of the other sector beats a check on every posting. Each
    // reached candidate gets its bound: the text part from its sums, its real category, and
    // location with the most the perishable shift can move onto it.
    const members = corpus.sectorMembers[otherSector];
    const wCategory = weights.category;
    const locationCeiling = ceilings.location;
    touchedCount = 0;
    for (let m = 0; m < members.length; m++) {
      const i = members[m];
      const b = i << 2;
      const all = acc[b + ALL];
      const words = acc[b + WORDS];
      if (all > 0 || words > 0) {
        seen[i] = 1;
        const nq = acc[b + NQ];
        const oq = acc[b + OQ];
        bound[touchedCount] =
          textPartBound(
            nq * PRODUCT_SCALE,
            oq * PRODUCT_SCALE,
            all * PRODUCT_SCALE,
            words * PRODUCT_SCALE,
            weights,
          ) +
          locationCeiling +
          wCategory * categoryAt(q, i);
        touched[touchedCount++] = i;
      }
    }
    // Exact, but only where it can matter: the highest bounds are scored first so that the
    // k-th score is known early, then every candidate whose bound cannot reach it is skipped.
    const seeds: Hit[] = [];
    const seedCount = Math.min(touchedCount, 3 * k);
    for (let t = 0; t < touchedCount; t++) offer(seeds, t, bound[t], seedCount);
    for (const h of seeds) {
      const i = touched[h.i];
      const s = scoreAccumulated(q, i);
      if (s >= minScore) offer(top, i, s, k);
      seen[i] = 2;
    }
    const isService = q.sector === "service";
    for (let t = 0; t < touchedCount; t++) {
      const i = touched[t];
      if (seen[i] === 2) continue;
      if (top.length === k) {
        const kth = top[k - 1].score - 1e-4;
        if (bound[t] < kth) continue;
        // Tighter, for the few the first bound lets through: each direction bounded, then fused.
        const b = i << 2;
        if (
          scoreBound(
            acc[b + NQ] * PRODUCT_SCALE,
            acc[b + OQ] * PRODUCT_SCALE,
            acc[b + ALL] * PRODUCT_SCALE,
            acc[b + WORDS] * PRODUCT_SCALE,
            categoryAt(q, i),
            weights,
            isService,
          ) < kth
        )
          continue;
      }
      const s = scoreAccumulated(q, i);
      if (s >= minScore) offer(top, i, s, k);
    }
    // Candidates sharing nothing with the query can still win on category and location when
    // too few others do; only then are they scored.
    const kth = top.length === k ? top[k - 1].score : -1;
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
        if (s >= minScore) pushTop(top, { i, score: s }, k);
      }
    }
    reset();
    return top;
  };
}
