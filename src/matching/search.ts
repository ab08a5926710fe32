/**
 * Candidate retrieval and pruning: one business's top k of the other sector, equal to scoring
 * every pair but without the work.
 *
 * A query walks the other sector's posting lists of its features (postings.ts) and accumulates,
 * per candidate it reaches, partial sums of its four similarities; those only bound a candidate's
 * score. A candidate whose bound can reach the current k-th score is scored exactly: its vectors
 * against the query's, spread over dense arrays by feature id for the query's duration. Vector
 * weights lie on a grid that makes every such sum exact in any order (corpus.ts), so the scores are
 * those of pair.ts's merges bit for bit, and the results those of exhaustive scoring, ties included.
 *
 * The work does not grow with the whole sector (MaxScore over split lists):
 * - every list is split at a weight cap (postings.ts): the short head of heavy entries is always
 *   walked; a tail's entries weigh at most its `tailMax`, so the query's weight times that bounds
 *   what a tail can add to any candidate;
 * - tails are walked in decreasing order of that bound; between walks the likeliest candidates are
 *   scored exactly, which raises the k-th score. Once the tails not yet walked could not together
 *   lift a candidate to the k-th score even with the best category and location (`scoreBound`),
 *   they are skipped: a candidate only they reach cannot make the list, and a candidate reached
 *   elsewhere carries their bound in its own;
 * - candidates are tracked as they are reached, so nothing scans the sector per query (except when
 *   fewer than k candidates share a feature with the query and ones sharing nothing must be
 *   scored on category and location).
 * Skipping whole lists was tried and dropped (it lost a tenth to a half of the true top 10 at
 * 100k: common features carry much of the score); a MaxScore bound over unsplit lists was useless
 * (one short profile makes every list's maximum weight large). The split keeps the bound exact
 * and small. test/unit/matching/search.test.ts and the benchmark check the result against
 * exhaustive scoring.
 *
 * Speed (docs/BENCHMARKS.md): what a candidate needs is kept in typed arrays by corpus index
 * (its four sums side by side, its code list, size, perishability and place), so the loops over
 * thousands of candidates follow no pointer per candidate; a query's category against each of
 * the other side's code lists is looked up once per code list, not once per candidate.
 */
import type { Doc } from "./corpus";
import { placeColumns, placeScoreAt } from "./location";
import { exactPairScore, type PairContext } from "./pair";
import { type ConceptPostings, SEARCH_TUNING, type SectorPostings, type WordPostings } from "./postings";
import { nonTextCeilings, pairScore, scoreBound, scoreBoundAt, sizeFit, textPartBound } from "./score";
import type { Sector } from "./types";

/**
 * Work counters of every search since the process started (queries, posting entries walked, tails
 * walked and skipped, candidates reached, candidates scored exactly): the benchmark reports them per
 * query, so that what pruning saves is counted, not inferred from timings on a shared machine.
 */
export const searchWork = { queries: 0, postings: 0, tailsWalked: 0, tailsSkipped: 0, reached: 0, scored: 0 };

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
 * Margin under the k-th score below which a bound rules a candidate out: scores are rounded to 4
 * decimals (up by at most 0.5e-4), and the bounds add the same terms in another order.
 */
const MARGIN = 1e-4;
/** Bounds are sorted by their floor to 2^-20, with the candidate index (below 2^22) beneath. */
const KEY_SCALE = 2 ** 20;
const INDEX_SPAN = 2 ** 22;

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
  const share = 1 - weights.affinity - weights.lexical;

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
  /** One business per code list present in each sector: the query's best category is over these. */
  const codesetWitness = {} as Record<Sector, Int32Array>;
  for (const sector of ["service", "industry"] as const) {
    const first = new Map<number, number>();
    docs.forEach((d, i) => {
      if (d.sector === sector && !first.has(d.codeset)) first.set(d.codeset, i);
    });
    codesetWitness[sector] = Int32Array.from(first.values());
  }

  // Per-candidate partial sums of the current query: acc[4i + NQ/OQ/ALL/WORDS]. `seen` is 1
  // once reached, 2 once scored exactly.
  const acc = new Float64Array(4 * n);
  /** The perishable parts of the NQ and OQ sums. */
  const freshNq = new Float64Array(n);
  const freshOq = new Float64Array(n);
  let freshTouched = false;
  const seen = new Uint8Array(n);
  /** Candidates reached by the current query, in the order reached (touchedCount of them). */
  const touched = new Int32Array(n);
  let touchedCount = 0;
  /** Sort keys of the candidates left to score (bound bucket, then index). */
  const keys = new Float64Array(n);
  // The current query's vectors, dense by feature id (0 elsewhere), for exact scoring.
  let conceptIds = corpus.conceptKeys.length;
  let wordIds = corpus.wordCount;
  for (const d of docs) {
    for (const v of [d.vec.offers, d.vec.needs, d.vec.all])
      if (v.ids.length > 0) conceptIds = Math.max(conceptIds, v.ids[v.ids.length - 1] + 1);
    if (d.vec.words.ids.length > 0)
      wordIds = Math.max(wordIds, d.vec.words.ids[d.vec.words.ids.length - 1] + 1);
  }
  const qNeeds = new Float64Array(conceptIds);
  const qOffers = new Float64Array(conceptIds);
  const qAll = new Float64Array(conceptIds);
  const qFreshNeeds = new Float64Array(conceptIds);
  const qFreshOffers = new Float64Array(conceptIds);
  const qWords = new Float64Array(wordIds);

  /** Spreads the query's vectors into the dense arrays (`on`), or clears them again. */
  function spread(q: Doc, on: boolean): void {
    const { needs, offers, all, words } = q.vec;
    for (let j = 0; j < needs.ids.length; j++) {
      const f = needs.ids[j];
      qNeeds[f] = on ? needs.w[j] : 0;
      qFreshNeeds[f] = on && perishable[f] === 1 ? needs.w[j] : 0;
    }
    for (let j = 0; j < offers.ids.length; j++) {
      const f = offers.ids[j];
      qOffers[f] = on ? offers.w[j] : 0;
      qFreshOffers[f] = on && perishable[f] === 1 ? offers.w[j] : 0;
    }
    for (let j = 0; j < all.ids.length; j++) qAll[all.ids[j]] = on ? all.w[j] : 0;
    for (let j = 0; j < words.ids.length; j++) qWords[words.ids[j]] = on ? words.w[j] : 0;
  }

  // The query's lists, one slot each (concepts, then words): feature, query weights, and what
  // the list's tail can add to each sum at most.
  let slots = 0;
  let slotFeature = new Int32Array(64);
  let slotIsWord = new Uint8Array(64);
  let slotQ = new Float64Array(3 * 64);
  let slotTail = new Float64Array(4 * 64);
  let slotImpact = new Float64Array(64);
  let slotOrder: number[] = [];
  let suffixBound = new Float64Array(65);

  function reserve(count: number): void {
    if (slotFeature.length >= count) return;
    const size = Math.max(count, 2 * slotFeature.length);
    slotFeature = new Int32Array(size);
    slotIsWord = new Uint8Array(size);
    slotQ = new Float64Array(3 * size);
    slotTail = new Float64Array(4 * size);
    slotImpact = new Float64Array(size);
    suffixBound = new Float64Array(size + 1);
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

  /** The query's slots over the other sector's lists, with their tails' bounds and impacts. */
  function prepareSlots(q: Doc, c: ConceptPostings, w: WordPostings): void {
    const all = q.vec.all;
    const needs = q.vec.needs;
    const offers = q.vec.offers;
    const words = q.vec.words;
    reserve(all.ids.length + words.ids.length);
    slots = 0;
    let cn = 0;
    let co = 0;
    for (let j = 0; j < all.ids.length; j++) {
      const f = all.ids[j];
      while (cn < needs.ids.length && needs.ids[cn] < f) cn++;
      while (co < offers.ids.length && offers.ids[co] < f) co++;
      const qn = cn < needs.ids.length && needs.ids[cn] === f ? needs.w[cn] : 0;
      const qo = co < offers.ids.length && offers.ids[co] === f ? offers.w[co] : 0;
      const qa = all.w[j];
      const s = slots++;
      slotFeature[s] = f;
      slotIsWord[s] = 0;
      slotQ[3 * s] = qn;
      slotQ[3 * s + 1] = qo;
      slotQ[3 * s + 2] = qa;
      const split = c.head[f] < c.start[f + 1];
      slotTail[4 * s + NQ] = split ? qn * c.tailMaxOffers[f] : 0;
      slotTail[4 * s + OQ] = split ? qo * c.tailMaxNeeds[f] : 0;
      slotTail[4 * s + ALL] = split ? qa * c.tailMaxAll[f] : 0;
      slotTail[4 * s + WORDS] = 0;
      slotImpact[s] =
        share * Math.max(slotTail[4 * s + NQ], slotTail[4 * s + OQ]) +
        weights.affinity * slotTail[4 * s + ALL];
    }
    for (let j = 0; j < words.ids.length; j++) {
      const f = words.ids[j];
      const s = slots++;
      slotFeature[s] = f;
      slotIsWord[s] = 1;
      slotQ[3 * s] = words.w[j];
      const split = w.head[f] < w.start[f + 1];
      slotTail[4 * s + NQ] = 0;
      slotTail[4 * s + OQ] = 0;
      slotTail[4 * s + ALL] = 0;
      slotTail[4 * s + WORDS] = split ? words.w[j] * w.tailMax[f] : 0;
      slotImpact[s] = weights.lexical * slotTail[4 * s + WORDS];
    }
  }

  /** Entries in slot `s`'s tail. */
  function tailLength(p: { concepts: ConceptPostings; words: WordPostings }, s: number): number {
    const list = slotIsWord[s] === 1 ? p.words : p.concepts;
    return list.start[slotFeature[s] + 1] - list.head[slotFeature[s]];
  }

  /** The exact score of a candidate whose sums are complete (no tail skipped). */
  function scoreAccumulated(q: Doc, i: number): number {
    searchWork.scored++;
    const b = i << 2;
    return pairScore(
      acc[b + NQ],
      acc[b + OQ],
      acc[b + ALL],
      acc[b + WORDS],
      freshNq[i],
      freshOq[i],
      categoryAt(q, i),
      placeScoreAt(q.place, places, i),
      sizeFit(q.sizeRank, sizeRank[i], sizeGap),
      weights,
      q.sector === "service",
      q.perish,
      perish[i],
    );
  }

  /** Marks candidate `c` reached (once). */
  function touch(c: number): void {
    if (seen[c] === 0) {
      seen[c] = 1;
      touched[touchedCount++] = c;
    }
  }

  /** Adds slot `s`'s entries `from..to` to the candidates' sums. */
  function walk(s: number, p: { concepts: ConceptPostings; words: WordPostings }, from: number, to: number) {
    searchWork.postings += to - from;
    if (slotIsWord[s] === 1) {
      const pDoc = p.words.doc;
      const pW = p.words.w;
      const wq = slotQ[3 * s];
      for (let x = from; x < to; x++) {
        const c = pDoc[x];
        touch(c);
        acc[(c << 2) + WORDS] += wq * pW[x];
      }
      return;
    }
    const { doc: pDoc, offers: pOffers, needs: pNeeds, all: pAll } = p.concepts;
    const qn = slotQ[3 * s];
    const qo = slotQ[3 * s + 1];
    const qa = slotQ[3 * s + 2];
    if (perishable[slotFeature[s]] === 1) {
      freshTouched = true;
      for (let x = from; x < to; x++) {
        const c = pDoc[x];
        touch(c);
        const b = c << 2;
        const a = qn * pOffers[x];
        const o = qo * pNeeds[x];
        acc[b + NQ] += a;
        acc[b + OQ] += o;
        acc[b + ALL] += qa * pAll[x];
        freshNq[c] += a;
        freshOq[c] += o;
      }
      return;
    }
    // Most query features are on one side only: specialised loops skip the other product.
    if (qo === 0) {
      for (let x = from; x < to; x++) {
        const c = pDoc[x];
        touch(c);
        const b = c << 2;
        acc[b + NQ] += qn * pOffers[x];
        acc[b + ALL] += qa * pAll[x];
      }
    } else if (qn === 0) {
      for (let x = from; x < to; x++) {
        const c = pDoc[x];
        touch(c);
        const b = c << 2;
        acc[b + OQ] += qo * pNeeds[x];
        acc[b + ALL] += qa * pAll[x];
      }
    } else {
      for (let x = from; x < to; x++) {
        const c = pDoc[x];
        touch(c);
        const b = c << 2;
        acc[b + NQ] += qn * pOffers[x];
        acc[b + OQ] += qo * pNeeds[x];
        acc[b + ALL] += qa * pAll[x];
      }
    }
  }

  /**
   * The exact score of candidate `i` against the spread query: what {@link exactPairScore} gives,
   * bit for bit (the same products, summed in another order, exact on the weight grid).
   */
  function scoreExact(q: Doc, i: number): number {
    searchWork.scored++;
    const { offers, needs, all, words } = docs[i].vec;
    let nq = 0;
    let freshNq = 0;
    for (let j = 0; j < offers.ids.length; j++) {
      const f = offers.ids[j];
      nq += offers.w[j] * qNeeds[f];
      freshNq += offers.w[j] * qFreshNeeds[f];
    }
    let oq = 0;
    let freshOq = 0;
    for (let j = 0; j < needs.ids.length; j++) {
      const f = needs.ids[j];
      oq += needs.w[j] * qOffers[f];
      freshOq += needs.w[j] * qFreshOffers[f];
    }
    let a = 0;
    for (let j = 0; j < all.ids.length; j++) a += all.w[j] * qAll[all.ids[j]];
    let w = 0;
    for (let j = 0; j < words.ids.length; j++) w += words.w[j] * qWords[words.ids[j]];
    return pairScore(
      nq,
      oq,
      a,
      w,
      freshNq,
      freshOq,
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
    freshTouched = false;
    touchedCount = 0;
  }

  return function search(qi, k, minScore, useExhaustive = false) {
    if (k <= 0) return [];
    if (useExhaustive) return exhaustive(qi, k, minScore);
    const q = docs[qi];
    stamp = stamp === 0x7fffffff ? 1 : stamp + 1;
    if (stamp === 1) categoryStamp.fill(0);
    const isService = q.sector === "service";
    const otherSector: Sector = isService ? "industry" : "service";
    const other = postings[otherSector];
    const top: Hit[] = [];
    touchedCount = 0;

    prepareSlots(q, other.concepts, other.words);
    spread(q, true);
    let bestCategory = 0;
    for (const i of codesetWitness[otherSector]) bestCategory = Math.max(bestCategory, categoryAt(q, i));

    // 1. Every head (a whole list when it is not split).
    for (let s = 0; s < slots; s++) {
      const p = slotIsWord[s] === 1 ? other.words : other.concepts;
      walk(s, other, p.start[slotFeature[s]], p.head[slotFeature[s]]);
    }

    // 2. The tails, heaviest bound first; suffixBound[r] bounds a candidate reached by none of
    // the tails order[r..]: what they add at most, with the best category and location.
    slotOrder = [];
    for (let s = 0; s < slots; s++)
      if (slotTail[4 * s + NQ] + slotTail[4 * s + OQ] + slotTail[4 * s + ALL] + slotTail[4 * s + WORDS] > 0)
        slotOrder.push(s);
    slotOrder.sort((a, b) => slotImpact[b] - slotImpact[a] || a - b);
    const tails = slotOrder.length;
    let sn = 0;
    let so = 0;
    let sa = 0;
    let sw = 0;
    suffixBound[tails] = 0;
    for (let r = tails - 1; r >= 0; r--) {
      const s = slotOrder[r];
      sn += slotTail[4 * s + NQ];
      so += slotTail[4 * s + OQ];
      sa += slotTail[4 * s + ALL];
      sw += slotTail[4 * s + WORDS];
      suffixBound[r] = scoreBound(sn, so, sa, sw, bestCategory, weights, isService);
    }
    // What walking the tails left costs, in entries. Skipping tails is worth it when far more
    // entries are left than it costs: a round of seeds, then every remaining candidate scored from
    // its vectors (a few cache misses each, about the time of a thousand entries walked) instead of
    // from its sums (SEARCH_TUNING.seedWorth per result asked for, at least seedMin). On the
    // synthetic registries that pays at 100k, not at 10k.
    let remaining = 0;
    for (let r = 0; r < tails; r++) remaining += tailLength(other, slotOrder[r]);
    let walked = 0;
    let kth = -1;
    let seededAt = -1;
    while (walked < tails) {
      if (
        remaining > Math.max(SEARCH_TUNING.seedWorth * k, SEARCH_TUNING.seedMin) &&
        (seededAt < 0 || walked >= 2 * seededAt + 2)
      ) {
        kth = seed(q, k, minScore, top, k, false);
        seededAt = walked;
      }
      if (suffixBound[walked] < kth - MARGIN) break;
      const s = slotOrder[walked++];
      remaining -= tailLength(other, s);
      const p = slotIsWord[s] === 1 ? other.words : other.concepts;
      walk(s, other, p.head[slotFeature[s]], p.start[slotFeature[s] + 1]);
    }
    // 3. What the skipped tails add at most, then every reached candidate against its bound.
    let rn = 0;
    let ro = 0;
    let ra = 0;
    let rw = 0;
    for (let r = walked; r < tails; r++) {
      const s = slotOrder[r];
      rn += slotTail[4 * s + NQ];
      ro += slotTail[4 * s + OQ];
      ra += slotTail[4 * s + ALL];
      rw += slotTail[4 * s + WORDS];
    }
    // Every sum is complete when no tail was skipped: scores then come from the sums (exact on the
    // weight grid), else from the candidate's vectors.
    const complete = walked === tails;
    // Seeds (again) from the sums, to start the pruning below from a good k-th score.
    kth = seed(q, k, minScore, top, complete ? 3 * k : k, complete, rn, ro, ra, rw);

    searchWork.queries++;
    searchWork.tailsWalked += walked;
    searchWork.tailsSkipped += tails - walked;
    // Every reached candidate not yet scored gets its bound (cheapest first); those that can
    // still reach the k-th score are scored in decreasing order of bound, until the next bound
    // cannot. Bounds are sorted as keys: the bound floored to 2^-20, then the candidate index.
    const wCategory = weights.category;
    const locationCeiling = ceilings.location;
    let pending = 0;
    const floorNow = () => (top.length === k ? top[k - 1].score - MARGIN : -1);
    let floor = floorNow();
    for (let t = 0; t < touchedCount; t++) {
      const i = touched[t];
      if (seen[i] === 2) continue;
      const b = i << 2;
      const nq = acc[b + NQ] + rn;
      const oq = acc[b + OQ] + ro;
      const all = acc[b + ALL] + ra;
      const words = acc[b + WORDS] + rw;
      const cat = categoryAt(q, i);
      if (textPartBound(nq, oq, all, words, weights) + locationCeiling + wCategory * cat < floor) continue;
      const location = placeScoreAt(q.place, places, i);
      const fit = sizeFit(q.sizeRank, sizeRank[i], sizeGap);
      const bound = scoreBoundAt(nq, oq, all, words, cat, location, fit, weights, isService);
      if (bound < floor) continue;
      keys[pending++] = Math.floor(bound * KEY_SCALE) * INDEX_SPAN + i;
    }
    const order = keys.subarray(0, pending).sort();
    for (let x = pending - 1; x >= 0; x--) {
      const bucket = Math.floor(order[x] / INDEX_SPAN);
      if ((bucket + 1) / KEY_SCALE < floor) break;
      const i = order[x] - bucket * INDEX_SPAN;
      seen[i] = 2;
      const score = complete ? scoreAccumulated(q, i) : scoreExact(q, i);
      if (score >= minScore) {
        offer(top, i, score, k);
        floor = floorNow();
      }
    }

    // 4. Candidates sharing nothing with the query can still win on category and location when
    // too few others do; only then is the sector scanned and scored.
    kth = top.length === k ? top[k - 1].score : -1;
    if (kth < ceilings.textFree && ceilings.textFree >= minScore) {
      const members = corpus.sectorMembers[otherSector];
      for (let m = 0; m < members.length; m++) {
        const i = members[m];
        if (i === qi || seen[i] !== 0) continue;
        // Exact: a skipped tail may reach it (then its text is not 0).
        const score = scoreExact(q, i);
        if (score >= minScore) pushTop(top, { i, score }, k);
      }
    }
    spread(q, false);
    searchWork.reached += touchedCount;
    reset();
    return top;
  };

  /**
   * Scores exactly the `count` reached candidates not yet scored whose bound from their partial
   * sums (plus `rn..rw`, what unwalked tails may add) is highest, and returns the k-th score
   * (-1 while fewer than k are known).
   */
  function seed(
    q: Doc,
    k: number,
    minScore: number,
    top: Hit[],
    count: number,
    complete: boolean,
    rn = 0,
    ro = 0,
    ra = 0,
    rw = 0,
  ): number {
    const wCategory = weights.category;
    const best: Hit[] = [];
    for (let t = 0; t < touchedCount; t++) {
      const i = touched[t];
      if (seen[i] === 2) continue;
      const b = i << 2;
      const bound =
        textPartBound(acc[b + NQ] + rn, acc[b + OQ] + ro, acc[b + ALL] + ra, acc[b + WORDS] + rw, weights) +
        wCategory * categoryAt(q, i);
      offer(best, i, bound, count);
    }
    for (const h of best) {
      seen[h.i] = 2;
      const score = complete ? scoreAccumulated(q, h.i) : scoreExact(q, h.i);
      if (score >= minScore) offer(top, h.i, score, k);
    }
    return top.length === k ? top[k - 1].score : -1;
  }
}
