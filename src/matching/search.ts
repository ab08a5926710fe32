/**
 * Candidate retrieval and pruning: one business's top k of the other sector, equal to scoring
 * every pair but without the work.
 *
 * One pass over the postings of the query's features accumulates the four similarities of
 * exactly the candidates that share a feature with it. Those are scored likeliest first (by an
 * upper bound from the text alone), and a candidate whose bound cannot reach the current k-th
 * score is skipped. Every other candidate has text 0, so its score is at most the category and
 * location weights; it is only looked at when the k-th best score is below that bound. The
 * benchmark and test/unit/matching/search.test.ts check the result against exhaustive scoring.
 * (Skipping the lists of common features was tried and dropped: on registries of 100k it lost a
 * tenth to a half of the true top 10 without being faster, because common features carry much of
 * the score.)
 */
import { type Doc, type Vec, weightAt } from "./corpus";
import { placeScoreValue } from "./location";
import { exactPairScore, type PairContext } from "./pair";
import type { ConceptPostings, SectorPostings, WordPostings } from "./postings";
import { nonTextCeilings, pairScore, sizeFit, textPartBound } from "./score";

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

  // Per-candidate sums of the current query; `seen` is 1 when reached, 2 once scored as a seed.
  const acc = {
    nq: new Float64Array(n),
    oq: new Float64Array(n),
    all: new Float64Array(n),
    words: new Float64Array(n),
    freshNq: new Float64Array(n),
    freshOq: new Float64Array(n),
    seen: new Uint8Array(n),
  };
  /** Candidates reached by the current query, in the order reached (touchedCount of them). */
  const touched = new Int32Array(n);
  let touchedCount = 0;

  /**
   * One pass over the concept lists of the query's profile features: accumulates the query's
   * needs . candidate's offers, the query's offers . candidate's needs and the whole-profile
   * product (and the perishable parts of the first two).
   */
  function walkConcepts(q: Doc, p: ConceptPostings): void {
    const all = q.vec.all;
    const cn = { j: 0 };
    const co = { j: 0 };
    for (let j = 0; j < all.ids.length; j++) {
      const f = all.ids[j];
      const qn = weightAt(q.vec.needs, cn, f);
      const qo = weightAt(q.vec.offers, co, f);
      const from = p.start[f];
      const to = p.start[f + 1];
      const qa = all.w[j];
      // Specialised loops: most query features are on one side only, and few are perishable.
      if (perishable[f] === 1) {
        for (let x = from; x < to; x++) {
          const c = p.doc[x];
          const a = qn * p.offers[x];
          const b = qo * p.needs[x];
          acc.nq[c] += a;
          acc.oq[c] += b;
          acc.all[c] += qa * p.all[x];
          acc.freshNq[c] += a;
          acc.freshOq[c] += b;
        }
      } else if (qo === 0) {
        for (let x = from; x < to; x++) {
          const c = p.doc[x];
          acc.nq[c] += qn * p.offers[x];
          acc.all[c] += qa * p.all[x];
        }
      } else if (qn === 0) {
        for (let x = from; x < to; x++) {
          const c = p.doc[x];
          acc.oq[c] += qo * p.needs[x];
          acc.all[c] += qa * p.all[x];
        }
      } else {
        for (let x = from; x < to; x++) {
          const c = p.doc[x];
          acc.nq[c] += qn * p.offers[x];
          acc.oq[c] += qo * p.needs[x];
          acc.all[c] += qa * p.all[x];
        }
      }
    }
  }

  function walkWords(v: Vec, p: WordPostings): void {
    for (let j = 0; j < v.ids.length; j++) {
      const f = v.ids[j];
      const from = p.start[f];
      const to = p.start[f + 1];
      const wq = v.w[j];
      for (let x = from; x < to; x++) acc.words[p.doc[x]] += wq * p.w[x];
    }
  }

  function textBound(i: number): number {
    return textPartBound(acc.nq[i], acc.oq[i], acc.all[i], acc.words[i], weights);
  }

  function scoreAccumulated(q: Doc, i: number): number {
    const c = docs[i];
    return pairScore(
      acc.nq[i],
      acc.oq[i],
      acc.all[i],
      acc.words[i],
      acc.freshNq[i],
      acc.freshOq[i],
      category.value(q, c),
      placeScoreValue(q.place, c.place),
      sizeFit(q.sizeRank, c.sizeRank, weights.sizeGap),
      weights,
      q.sector === "service",
      q.perish,
      c.perish,
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

  return function search(qi, k, minScore, useExhaustive = false) {
    if (k <= 0) return [];
    if (useExhaustive) return exhaustive(qi, k, minScore);
    const q = docs[qi];
    const top: Hit[] = [];
    const otherSector = q.sector === "service" ? "industry" : "service";
    const other = postings[otherSector];
    walkConcepts(q, other.concepts);
    walkWords(q.vec.words, other.words);
    // Every posting weight is positive, so a candidate was reached exactly when one of its
    // whole-profile sums is: one scan of the other sector beats a check on every posting.
    touchedCount = 0;
    const members = corpus.sectorMembers[otherSector];
    for (let m = 0; m < members.length; m++) {
      const i = members[m];
      if (acc.all[i] > 0 || acc.words[i] > 0) {
        acc.seen[i] = 1;
        touched[touchedCount++] = i;
      }
    }
    {
      // Exact, but only where it can matter: an upper bound from the text alone (category and
      // location at their maximum) skips candidates that cannot reach the current k-th score.
      // The likeliest candidates are scored first so that bound bites early.
      const seeds: Hit[] = [];
      const seedCount = Math.min(touchedCount, 3 * k);
      for (let t = 0; t < touchedCount; t++) offer(seeds, touched[t], textBound(touched[t]), seedCount);
      for (const h of seeds) {
        const s = scoreAccumulated(q, h.i);
        if (s >= minScore) offer(top, h.i, s, k);
        acc.seen[h.i] = 2;
      }
      for (let t = 0; t < touchedCount; t++) {
        const i = touched[t];
        if (acc.seen[i] === 2) continue;
        if (top.length === k) {
          const kth = top[k - 1].score - 1e-4;
          if (textBound(i) + ceilings.all < kth) continue;
          // Tighter, still cheap: the real category instead of its maximum.
          if (textBound(i) + ceilings.location + weights.category * category.value(q, docs[i]) < kth)
            continue;
        }
        const s = scoreAccumulated(q, i);
        if (s >= minScore) offer(top, i, s, k);
      }
    }
    // Candidates sharing nothing with the query can still win on category and location when
    // too few others do; only then are they scored.
    const kth = top.length === k ? top[k - 1].score : -1;
    if (kth < ceilings.textFree && ceilings.textFree >= minScore) {
      const isService = q.sector === "service";
      for (let i = 0; i < n; i++) {
        const c = docs[i];
        if (c.sector === q.sector || i === qi || acc.seen[i] !== 0) continue;
        const loc = placeScoreValue(q.place, c.place);
        const fit = sizeFit(q.sizeRank, c.sizeRank, weights.sizeGap);
        const s = pairScore(
          0,
          0,
          0,
          0,
          0,
          0,
          category.value(q, c),
          loc,
          fit,
          weights,
          isService,
          q.perish,
          c.perish,
        );
        if (s >= minScore) pushTop(top, { i, score: s }, k);
      }
    }
    for (let t = 0; t < touchedCount; t++) {
      const i = touched[t];
      acc.nq[i] = 0;
      acc.oq[i] = 0;
      acc.all[i] = 0;
      acc.words[i] = 0;
      acc.freshNq[i] = 0;
      acc.freshOq[i] = 0;
      acc.seen[i] = 0;
    }
    return top;
  };
}
