/**
 * One pair of businesses, scored exactly from their vectors, with the features that met: the
 * reference the index search must agree with, and the input of every explanation. The signals
 * come from their own modules (category.ts, location.ts, corpus.ts); score.ts combines them.
 */

import type { Language } from "../domain/language";
import { type CategoryResult, categoryScore } from "./category";
import type { MatchWeights } from "./config";
import type { Corpus, Doc } from "./corpus";
import type { ExplainInput } from "./explain";
import type { FeatureKey } from "./lexicon";
import { placeScore, placeScoreValue } from "./location";
import {
  type DocWeights,
  PRODUCT_SCALE,
  postingOf,
  type SectorPostings,
  weightScratch,
  weightsOf,
} from "./postings";
import { type PairSimilarities, pairScore, roundScore, sizeFit, textComponent } from "./score";
import type { MatchComponents } from "./types";

/** Category results of a corpus's pairs, computed once per pair of KBLI code lists. */
export interface CategoryLookup {
  /** With the codes and pattern that gave it, for explanations. */
  result(q: Doc, c: Doc): CategoryResult;
  /** The score alone, in [0, 1]: the search's hot path. */
  value(q: Doc, c: Doc): number;
}

/** Scores cached per lookup (8 bytes each), and category results (with their rationale, ~0.2 KB each). */
const CATEGORY_SCORES = 1 << 18;
const CATEGORY_RESULTS = 4096;

/**
 * A cache of {@link categoryScore} by (service code list, industry code list): registries repeat
 * a few hundred code lists, so a search asks the table a handful of times, not once per pair.
 * Bounded: the scores are kept as rows (one per query's code list and sector, NaN = not yet
 * known) up to 2 MB in all, and the full results (for explanations) up to a few thousand; past
 * that each starts over. A registry of 2,000 code lists would otherwise fill a 32 MB matrix.
 */
export function createCategoryLookup(corpus: Corpus, useIo = true): CategoryLookup {
  const codes = corpus.codesetCodes;
  const count = codes.length;
  const results = new Map<number, CategoryResult>();
  const compute = (q: Doc, c: Doc) => {
    const service = q.sector === "service" ? q : c;
    const industry = q.sector === "service" ? c : q;
    return categoryScore(codes[service.codeset], codes[industry.codeset], useIo);
  };
  const result = (q: Doc, c: Doc) => {
    const key = q.sector === "service" ? q.codeset * count + c.codeset : c.codeset * count + q.codeset;
    let r = results.get(key);
    if (!r) {
      r = compute(q, c);
      if (results.size >= CATEGORY_RESULTS) results.clear();
      results.set(key, r);
    }
    return r;
  };
  const rows = new Map<number, Float64Array>();
  const maxRows = Math.max(1, Math.floor(CATEGORY_SCORES / Math.max(1, count)));
  const value = (q: Doc, c: Doc) => {
    const key = q.sector === "service" ? q.codeset : -1 - q.codeset;
    let row = rows.get(key);
    if (row === undefined) {
      if (rows.size >= maxRows) rows.clear();
      row = new Float64Array(count).fill(Number.NaN);
      rows.set(key, row);
    }
    const v = row[c.codeset];
    if (!Number.isNaN(v)) return v;
    const score = compute(q, c).score;
    row[c.codeset] = score;
    return score;
  };
  return { result, value };
}

/** What scoring a corpus's pairs needs besides the two businesses. */
export interface PairContext {
  corpus: Corpus;
  weights: MatchWeights;
  category: CategoryLookup;
}

/** Features that met, per direction, with their parts of the directional cosine. */
export interface MetFeatures {
  /** The query's needs met by the candidate's offers. */
  forQuery: Array<[FeatureKey, number]>;
  /** The candidate's needs met by the query's offers. */
  forCandidate: Array<[FeatureKey, number]>;
}

/**
 * The last query's held weights per index, read once for all its pairs (a ranking scores one
 * query against many candidates; a candidate's weights are looked up only for the features it
 * shares). Weakly keyed, so a replaced index is not kept alive by it.
 */
const lastQuery = new WeakMap<SectorPostings, { doc: Doc | null; at: number; weights: DocWeights }>();

function queryWeights(postings: SectorPostings, q: Doc): DocWeights {
  if (q.own !== null) return q.own;
  let last = lastQuery.get(postings);
  if (last === undefined) {
    last = { doc: null, at: -1, weights: weightScratch() };
    lastQuery.set(postings, last);
  }
  if (last.doc !== q || last.at !== q.at) {
    weightsOf(postings, q, last.weights);
    last.doc = q;
    last.at = q.at;
  }
  return last.weights;
}

/**
 * The sums of the last {@link mergeConcepts}, unscaled (integers: see {@link PRODUCT_SCALE}): the
 * query's needs . candidate's offers, its offers . candidate's needs, the whole profiles, and the
 * perishable parts of the first two.
 */
const conceptSums = new Float64Array(5);
const NQ = 0;
const OQ = 1;
const ALL = 2;
const FRESH_NQ = 3;
const FRESH_OQ = 4;

/**
 * Merges the pair's concept ids into {@link conceptSums}; with `met`, also appends which features
 * met, with their parts of the directional cosines. Weights are read where they are held
 * (postings.ts: a built business's in its corpus's postings, found by binary search, only for the
 * features the two share) and multiplied as integers, as the search multiplies them.
 */
function mergeConcepts(corpus: Corpus, q: Doc, qw: DocWeights, c: Doc, met?: MetFeatures): void {
  const { perishable, conceptKeys } = corpus;
  const cp = corpus.postings[c.sector].concepts;
  let nq = 0;
  let oq = 0;
  let all = 0;
  let freshNq = 0;
  let freshOq = 0;
  let i = q.concepts.from;
  let j = c.concepts.from;
  const qi = q.concepts.ids;
  const ci = c.concepts.ids;
  while (i < q.concepts.to && j < c.concepts.to) {
    const x = qi[i];
    const y = ci[j];
    if (x === y) {
      const qo = qw.offers[i - qw.cShift];
      const qn = qw.needs[i - qw.cShift];
      const qa = qw.all[i - qw.cShift];
      let co: number;
      let cn: number;
      let ca: number;
      if (c.own !== null) {
        const at = j - c.own.cShift;
        co = c.own.offers[at];
        cn = c.own.needs[at];
        ca = c.own.all[at];
      } else {
        const at = postingOf(cp.start, cp.doc, x, c.at);
        co = cp.offers[at];
        cn = cp.needs[at];
        ca = cp.all[at];
      }
      const forQuery = qn * co;
      const forCandidate = cn * qo;
      nq += forQuery;
      oq += forCandidate;
      all += qa * ca;
      if (perishable[x]) {
        freshNq += forQuery;
        freshOq += forCandidate;
      }
      if (met) {
        if (forQuery > 0) met.forQuery.push([conceptKeys[x], forQuery * PRODUCT_SCALE]);
        if (forCandidate > 0) met.forCandidate.push([conceptKeys[x], forCandidate * PRODUCT_SCALE]);
      }
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  conceptSums[NQ] = nq;
  conceptSums[OQ] = oq;
  conceptSums[ALL] = all;
  conceptSums[FRESH_NQ] = freshNq;
  conceptSums[FRESH_OQ] = freshOq;
}

/**
 * The pair's four text similarities by merging their feature ids; with `met`, also which features
 * met. Integer products scaled once, as the search scales its own, so both get the same sums.
 */
export function pairSimilarities(corpus: Corpus, q: Doc, c: Doc, met?: MetFeatures): PairSimilarities {
  const qw = queryWeights(corpus.postings, q);
  mergeConcepts(corpus, q, qw, c, met);
  return {
    nq: conceptSums[NQ] * PRODUCT_SCALE,
    oq: conceptSums[OQ] * PRODUCT_SCALE,
    all: conceptSums[ALL] * PRODUCT_SCALE,
    words: wordsDot(corpus, q, qw, c) * PRODUCT_SCALE,
    freshNq: conceptSums[FRESH_NQ] * PRODUCT_SCALE,
    freshOq: conceptSums[FRESH_OQ] * PRODUCT_SCALE,
  };
}

/**
 * Appends the features that met to `met` as {@link pairSimilarities} does (the same walk, the
 * same numbers), without the words: for a pair whose sums the search already has.
 */
function collectMet(corpus: Corpus, q: Doc, c: Doc, met: MetFeatures): void {
  mergeConcepts(corpus, q, queryWeights(corpus.postings, q), c, met);
}

/** The pair's surface-word product, unscaled (an integer: see {@link PRODUCT_SCALE}). */
function wordsDot(corpus: Corpus, q: Doc, qw: DocWeights, c: Doc): number {
  const cp = corpus.postings[c.sector].words;
  const a = q.words;
  const b = c.words;
  let i = a.from;
  let j = b.from;
  let s = 0;
  while (i < a.to && j < b.to) {
    const x = a.ids[i];
    const y = b.ids[j];
    if (x === y) {
      const wq = qw.words[i - qw.wShift];
      const wc = c.own !== null ? c.own.words[j - c.own.wShift] : cp.w[postingOf(cp.start, cp.doc, x, c.at)];
      s += wq * wc;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return s;
}

/** The pair's fused score in [0, 1] (4 decimals), from scratch: what the index search must equal. */
export function exactPairScore(ctx: PairContext, q: Doc, c: Doc): number {
  const s = pairSimilarities(ctx.corpus, q, c);
  return pairScore(
    s.nq,
    s.oq,
    s.all,
    s.words,
    s.freshNq,
    s.freshOq,
    ctx.category.value(q, c),
    placeScoreValue(q.place, c.place),
    sizeFit(q.sizeRank, c.sizeRank, ctx.weights.sizeGap),
    ctx.weights,
    q.sector === "service",
    q.perish,
    c.perish,
  );
}

/** A pair scored exactly, with its components and what its explanation needs. */
export interface EvaluatedPair {
  /** Fused score in [0, 1], 4 decimals. */
  score: number;
  components: MatchComponents;
  /** The reasons and pattern of explain.ts come from this. */
  explainInput: ExplainInput;
}

/**
 * Sorts met features strongest first, ties by feature key, in place. By insertion: the lists hold
 * a few to twenty features, where the built-in sort's set-up costs more than the sorting. The
 * keys of a list are distinct, so the order is total and any sort gives this one.
 */
function sortByWeight(list: Array<[FeatureKey, number]>): void {
  for (let j = 1; j < list.length; j++) {
    const x = list[j];
    let at = j;
    while (at > 0) {
      const y = list[at - 1];
      if (y[1] > x[1] || (y[1] === x[1] && y[0] < x[0])) break;
      list[at] = y;
      at--;
    }
    list[at] = x;
  }
}

/** Feature keys of a doc's implied concept ids (shared and empty when it has none). */
function impliedKeys(corpus: Corpus, d: Doc): readonly FeatureKey[] {
  return d.implied.length === 0 ? NO_KEYS : d.implied.map((id) => corpus.conceptKeys[id]);
}
const NO_KEYS: readonly FeatureKey[] = [];

/**
 * Scores a pair of opposite sectors exactly and gathers what met, strongest first (ties by
 * feature key), for explain() and suggestPattern(). `sums`, when given, are the pair's
 * similarities as the index search accumulated them (equal, bit for bit, to
 * {@link pairSimilarities}: search.ts adds the same integer products and scales each sum once by
 * PRODUCT_SCALE, as it does), so only the concepts are merged again, for the features that met.
 */
export function evaluatePair(
  ctx: PairContext,
  q: Doc,
  c: Doc,
  lang: Language,
  sums?: PairSimilarities,
): EvaluatedPair {
  const met: MetFeatures = { forQuery: [], forCandidate: [] };
  let s: PairSimilarities;
  if (sums) {
    s = sums;
    // All held weights are positive: a pair whose directional similarities are 0 met nothing.
    if (s.nq > 0 || s.oq > 0) collectMet(ctx.corpus, q, c, met);
  } else s = pairSimilarities(ctx.corpus, q, c, met);
  sortByWeight(met.forQuery);
  sortByWeight(met.forCandidate);
  const category = ctx.category.result(q, c);
  const location = placeScore(q.place, c.place);
  const score = pairScore(
    s.nq,
    s.oq,
    s.all,
    s.words,
    s.freshNq,
    s.freshOq,
    category.score,
    location.score,
    sizeFit(q.sizeRank, c.sizeRank, ctx.weights.sizeGap),
    ctx.weights,
    q.sector === "service",
    q.perish,
    c.perish,
  );
  return {
    score,
    components: {
      category: roundScore(category.score),
      location: roundScore(location.score),
      text: textComponent(s, ctx.weights),
    },
    explainInput: {
      lang,
      candidateMeetsQuery: met.forQuery,
      queryMeetsCandidate: met.forCandidate,
      candidateImplied: impliedKeys(ctx.corpus, c),
      queryImplied: impliedKeys(ctx.corpus, q),
      category,
      location,
      queryLocation: q.location,
      candidateLocation: c.location,
      querySector: q.sector,
      querySizeRank: q.sizeRank,
      candidateSizeRank: c.sizeRank,
    },
  };
}
