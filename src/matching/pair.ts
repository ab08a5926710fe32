/**
 * One pair of businesses, scored exactly from their vectors, with the features that met: the
 * reference the index search must agree with, and the input of every explanation. The signals
 * come from their own modules (category.ts, location.ts, corpus.ts); score.ts combines them.
 */

import type { Language } from "../domain/language";
import { type CategoryResult, categoryScore } from "./category";
import type { MatchWeights } from "./config";
import type { Corpus, Doc, Vec } from "./corpus";
import type { ExplainInput } from "./explain";
import type { FeatureKey } from "./lexicon";
import { placeScore, placeScoreValue } from "./location";
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

/** Exact dot product of two sparse unit vectors: a cosine in [0, 1]. */
function dot(a: Vec, b: Vec): number {
  let i = a.from;
  let j = b.from;
  let s = 0;
  while (i < a.to && j < b.to) {
    const x = a.ids[i];
    const y = b.ids[j];
    if (x === y) {
      s += a.w[i] * b.w[j];
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return s;
}

/** {@link dot} of needs against offers, adding its perishable part to `fresh` and, if asked, each feature's part. */
function needsDot(
  corpus: Corpus,
  needs: Vec,
  offers: Vec,
  fresh: { v: number },
  parts?: Array<[FeatureKey, number]>,
): number {
  let i = needs.from;
  let j = offers.from;
  let s = 0;
  while (i < needs.to && j < offers.to) {
    const x = needs.ids[i];
    const y = offers.ids[j];
    if (x === y) {
      const p = needs.w[i] * offers.w[j];
      s += p;
      if (corpus.perishable[x]) fresh.v += p;
      if (parts) parts.push([corpus.conceptKeys[x], p]);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return s;
}

/** Features that met, per direction, with their parts of the directional cosine. */
export interface MetFeatures {
  /** The query's needs met by the candidate's offers. */
  forQuery: Array<[FeatureKey, number]>;
  /** The candidate's needs met by the query's offers. */
  forCandidate: Array<[FeatureKey, number]>;
}

/** Appends each feature where `needs` meets `offers`, with its part of the dot product, to `parts`. */
function collectMet(corpus: Corpus, needs: Vec, offers: Vec, parts: Array<[FeatureKey, number]>): void {
  let i = needs.from;
  let j = offers.from;
  while (i < needs.to && j < offers.to) {
    const x = needs.ids[i];
    const y = offers.ids[j];
    if (x === y) {
      parts.push([corpus.conceptKeys[x], needs.w[i] * offers.w[j]]);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
}

/** The pair's four text similarities by merging their vectors; with `met`, also which features met. */
export function pairSimilarities(corpus: Corpus, q: Doc, c: Doc, met?: MetFeatures): PairSimilarities {
  const fq = { v: 0 };
  const fc = { v: 0 };
  return {
    nq: needsDot(corpus, q.vec.needs, c.vec.offers, fq, met?.forQuery),
    oq: needsDot(corpus, c.vec.needs, q.vec.offers, fc, met?.forCandidate),
    all: dot(q.vec.all, c.vec.all),
    words: dot(q.vec.words, c.vec.words),
    freshNq: fq.v,
    freshOq: fc.v,
  };
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
 * {@link pairSimilarities}: search.ts adds the same products in the same order), so only the
 * features that met are merged again, not the whole profiles and words.
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
    // All weights are positive: a direction whose similarity is 0 met nothing.
    if (s.nq > 0) collectMet(ctx.corpus, q.vec.needs, c.vec.offers, met.forQuery);
    if (s.oq > 0) collectMet(ctx.corpus, c.vec.needs, q.vec.offers, met.forCandidate);
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
