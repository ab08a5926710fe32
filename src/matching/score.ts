/**
 * How a pair is scored: the one formula that turns a pair's signals into its score. The index
 * search, exhaustive scoring and the explanations all call it, so they cannot drift apart.
 *
 * A pair is one service business and one small industry. Its signals, each in [0, 1]:
 * - four text similarities (cosines of TF-IDF vectors, corpus.ts): the service's or industry's
 *   needs against the other's offers (one per direction), whole profile against whole profile
 *   (concepts), and shared exact words;
 * - category: KBLI complementarity of the two activities (category.ts);
 * - location: administrative tier and distance (location.ts);
 * - size fit: 1, less `sizeGap` (0.05) for each size class of gap beyond the first.
 *
 * Each direction ("what A gets from B"):
 *   text_d = min(1, (share * needs_d·offers + affinity * all + lexical * words) / saturation)
 *   score_d = (text * text_d + category * cat + location * loc) * sizeFit
 * where share = 1 - affinity - lexical, and the matched goods' perishable share (their
 * concepts', or the supplier's activity code's: data/perishable-kbli.json) moves up to
 * `perishableLocation` of weight from text to location (fresh tofu must travel less far than
 * shoes). The two directions are fused, by default with a harmonic mean (reciprocal: a pair
 * only one side wants scores low), and rounded to 4 decimals. Weights: config.ts.
 */
import type { MatchWeights } from "./config";
import type { SizeClass } from "./types";

/** The text similarities of a pair, each a cosine in [0, 1], and the perishable part of two. */
export interface PairSimilarities {
  /** The query's needs . the candidate's offers (what the candidate does for the query). */
  nq: number;
  /** The candidate's needs . the query's offers (what the query does for the candidate). */
  oq: number;
  /** Whole profile . whole profile, over lexicon concepts and stems. */
  all: number;
  /** Shared surface words (no lexicon). */
  words: number;
  /** The part of `nq` carried by perishable concepts (0 <= freshNq <= nq). */
  freshNq: number;
  /** The part of `oq` carried by perishable concepts. */
  freshOq: number;
}

/** Size classes in order, so a gap between two businesses is a difference of ranks. */
export const SIZE_RANK: Readonly<Record<SizeClass, number>> = { mikro: 0, kecil: 1, menengah: 2, besar: 3 };

/**
 * Size fit of two businesses from their {@link SIZE_RANK}s, in [0.9, 1]: neighbouring classes
 * trade as easily as equal ones; each further class of gap costs 0.05.
 * @example sizeFit(SIZE_RANK.mikro, SIZE_RANK.besar) === 0.9
 */
export function sizeFit(rankA: number, rankB: number, perClass = 0.05): number {
  return 1 - perClass * Math.max(0, Math.abs(rankA - rankB) - 1);
}

/**
 * Fuses the two directions' scores (each in [0, 1]) into one in [0, 1]; `wa` is the weight of
 * `a` (0.5 = symmetric). The harmonic mean is 0 when either side is 0.
 * @example fuse(0.8, 0.4, "harmonic") // 0.5333...
 */
export function fuse(a: number, b: number, how: MatchWeights["fusion"], wa = 0.5): number {
  if (how === "min") return Math.min(a, b);
  if (how === "mean") return wa * a + (1 - wa) * b;
  return a === 0 || b === 0 ? 0 : 1 / (wa / a + (1 - wa) / b);
}

/** Rounds a score to 4 decimals, as every score and component leaves the engine. */
export function roundScore(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/**
 * Saturated text signal of one direction, in [0, 1]: its needs-vs-offers cosine blended with
 * the pair's whole-profile and word cosines, reaching 1 at `w.textSaturation`.
 */
export function blendedText(directional: number, all: number, words: number, w: MatchWeights): number {
  const t = (1 - w.affinity - w.lexical) * directional + w.affinity * all + w.lexical * words;
  return Math.min(1, t / w.textSaturation);
}

/**
 * The perishable share of a pair's matched goods, in [0, 1]: the larger of the two directions'
 * perishable parts (see {@link PairSimilarities}). It moves up to `perishableLocation` of weight
 * from text to location.
 */
export function freshShare(nq: number, oq: number, freshNq: number, freshOq: number): number {
  return Math.max(nq > 0 ? freshNq / nq : 0, oq > 0 ? freshOq / oq : 0);
}

/**
 * The fused score of a pair in [0, 1], rounded to 4 decimals (see the file comment). Positional
 * and allocation-free: the search calls it once per candidate it cannot rule out.
 * `queryIsService` says which direction is the service business's (weighted by `w.serviceSide`).
 * @example
 * // needs met 0.5 and 0.3, profiles 0.4, words 0.2, category 0.9, same kecamatan (0.85), same size:
 * pairScore(0.5, 0.3, 0.4, 0.2, 0, 0, 0.9, 0.85, 1, DEFAULT_WEIGHTS, true) === 0.821
 */
export function pairScore(
  nq: number,
  oq: number,
  all: number,
  words: number,
  freshNq: number,
  freshOq: number,
  category: number,
  location: number,
  fit: number,
  w: MatchWeights,
  queryIsService: boolean,
  perishQuery = 0,
  perishCandidate = 0,
): number {
  const fresh = freshShare(nq, oq, freshNq, freshOq);
  const wl = w.location + w.perishableLocation * fresh;
  const wt = w.text - w.perishableLocation * fresh;
  const rest = w.category * category + wl * location;
  // What the supplier's activity code says spoils (a kue basah maker, a caterer) loses with
  // distance whatever the words: up to `perishableLocation` of the score when far (location 0).
  const supplierFresh =
    w.activityPerishable === false ? 0 : Math.max(nq > 0 ? perishCandidate : 0, oq > 0 ? perishQuery : 0);
  const far = 1 - w.perishableLocation * supplierFresh * (1 - location);
  const forQuery = (wt * blendedText(nq, all, words, w) + rest) * fit * far;
  const forCandidate = (wt * blendedText(oq, all, words, w) + rest) * fit * far;
  return roundScore(
    queryIsService
      ? fuse(forQuery, forCandidate, w.fusion, w.serviceSide)
      : fuse(forCandidate, forQuery, w.fusion, w.serviceSide),
  );
}

/**
 * The text component shown with a suggestion, in [0, 1] (4 decimals): the mean of the two
 * directions' saturated text signals, before weights.
 */
export function textComponent(s: PairSimilarities, w: MatchWeights): number {
  return roundScore(fuse(blendedText(s.nq, s.all, s.words, w), blendedText(s.oq, s.all, s.words, w), "mean"));
}

/**
 * Upper bound of the weighted text part of either direction's score, from the similarities
 * alone: the search skips a candidate when this plus the most the other parts can add
 * ({@link nonTextCeilings}) cannot reach its current k-th score.
 */
export function textPartBound(nq: number, oq: number, all: number, words: number, w: MatchWeights): number {
  const share = 1 - w.affinity - w.lexical;
  const t = share * Math.max(nq, oq) + w.affinity * all + w.lexical * words;
  return w.text * Math.min(1, t / w.textSaturation);
}

/**
 * Upper bound of a pair's score from its text similarities, its category, its size fit, its
 * perishable share ({@link freshShare}) and a ceiling of its location (location.ts,
 * `placeCeilingAt`): each direction is at most its text part at full text weight plus category
 * plus location at its ceiling with the weight the perishable share moves onto it, times the size
 * fit, and every fusion is at most its larger side. The search ranks the candidates it reached by
 * it and skips those whose bound cannot reach its current k-th score, so that only a few are
 * scored exactly. (The same pair's {@link pairScore} with the location ceiling in place of the
 * location is a tighter bound, since the score grows with the location: the search uses that one
 * for the candidates this one lets through.)
 */
export function scoreCeiling(
  nq: number,
  oq: number,
  all: number,
  words: number,
  fresh: number,
  category: number,
  locationCeiling: number,
  fit: number,
  w: MatchWeights,
): number {
  return (
    fit *
    (textPartBound(nq, oq, all, words, w) +
      w.category * category +
      (w.location + w.perishableLocation * fresh) * locationCeiling)
  );
}

/** The most the parts other than text can add to a pair's score, for the search's bounds. */
export function nonTextCeilings(w: MatchWeights) {
  return {
    /** The highest score of a pair sharing no text feature (then nothing is perishable either). */
    textFree: w.category + w.location,
    /** Location plus the weight the perishable shift can move onto it. */
    location: w.location + w.perishableLocation,
    /** Category, location and the perishable shift together. */
    all: w.category + w.location + w.perishableLocation,
  };
}
