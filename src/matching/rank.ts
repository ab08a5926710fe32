/**
 * The matcher: scores businesses of the other sector for one business, in both directions,
 * and returns them ranked and explained.
 *
 * Scoring is exhaustive in meaning but not in work: an inverted index over the features of
 * every business's offers, needs, whole profile and words accumulates the four dot products
 * for exactly the candidates that share a feature with the query. Every other candidate has
 * text 0, so its score is at most `category + location` weight; it is only looked at when the
 * k-th best score is below that bound. The result equals scoring every pair (`exhaustive: true`);
 * the benchmark checks that on samples. (Skipping the lists of common features was tried and
 * dropped: on registries of 100k it lost a tenth to a half of the true top 10 without being
 * faster, because common features carry much of the score.)
 */

import type { Language } from "../domain/language";
import { type AnalyzedProfile, analyzeProfile } from "./analyze";
import { type CategoryResult, categoryScore } from "./category";
import { DEFAULT_WEIGHTS, type MatchWeights } from "./config";
import { explain, suggestPattern } from "./explain";
import { type FeatureKey, isPerishable } from "./lexicon";
import { type LocationResult, type Place, placeScore, placeScoreValue, toPlace } from "./location";
import type { MatchComponents, MatchProfile, Sector, Suggestion } from "./types";

export interface RankOptions {
  /** Maximum results (default 10). */
  limit?: number;
  /** Drop candidates whose fused score is below this (0-1, default 0). */
  minScore?: number;
  /** Language of the reasons (default "id"). */
  lang?: Language;
}

export interface StoredSuggestion extends Omit<Suggestion, "reasons"> {
  reasons: Record<Language, string[]>;
}

export interface SearchOptions {
  /** Score every candidate pair directly (the reference the index must agree with). */
  exhaustive?: boolean;
}

export interface Matcher {
  readonly size: number;
  has(id: string): boolean;
  /** Ranked suggestions for one business; empty when the id is unknown. */
  rank(id: string, options?: RankOptions & SearchOptions): Suggestion[];
  /** Top suggestions with reasons in both languages, for storing and serving either later. */
  rankForStorage(id: string, options?: Omit<RankOptions, "lang"> & SearchOptions): StoredSuggestion[];
  /** Ids of the top candidates only (no explanations): for recall checks and batch work. */
  topIds(id: string, options?: Omit<RankOptions, "lang"> & SearchOptions): string[];
  /** Scores one pair without explanations, for evaluation and tests. */
  score(queryId: string, candidateId: string): { score: number; components: MatchComponents } | null;
  /**
   * One pair scored and explained as `rank` would (reasons in `lang`, suggested pattern), whether
   * or not the candidate makes the query's top list: for reviewing a pairing someone asked for.
   * Null when either id is unknown or both are of the same sector.
   */
  explainPair(queryId: string, candidateId: string, lang?: Language): Suggestion | null;
}

const SIZE_RANK = { mikro: 0, kecil: 1, menengah: 2, besar: 3 } as const;
const KINDS = ["offers", "needs", "all", "words"] as const;
type Kind = (typeof KINDS)[number];

/** A sparse vector: feature ids ascending, L2-normalised weights. */
interface Vec {
  ids: Int32Array;
  w: Float32Array;
}

/** Postings of one vector kind for one sector, as compressed rows: feature -> (doc, weight). */
interface Postings {
  start: Int32Array;
  doc: Int32Array;
  w: Float32Array;
}

/**
 * Concept postings for one sector: every business whose profile has the feature, with its weight
 * in the offers, needs and whole-profile vectors (0 where absent), so a query walks each list once.
 */
interface ConceptPostings {
  start: Int32Array;
  doc: Int32Array;
  offers: Float32Array;
  needs: Float32Array;
  all: Float32Array;
}

interface Doc {
  id: string;
  sector: Sector;
  kbli: string[];
  sizeRank: number;
  location: AnalyzedProfile["location"];
  place: Place;
  /** Interned KBLI code list, for the category cache. */
  codeset: number;
  vec: Record<Kind, Vec>;
}

/** Fuses the two directions; `wa` is the weight of `a` (0.5 = symmetric). */
function fuse(a: number, b: number, how: MatchWeights["fusion"], wa = 0.5): number {
  if (how === "min") return Math.min(a, b);
  if (how === "mean") return wa * a + (1 - wa) * b;
  return a === 0 || b === 0 ? 0 : 1 / (wa / a + (1 - wa) / b);
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** The four similarities of a pair and the perishable share of each directional match. */
interface Dots {
  /** Query's needs . candidate's offers. */
  nq: number;
  /** Candidate's needs . query's offers. */
  oq: number;
  all: number;
  words: number;
  freshNq: number;
  freshOq: number;
}

/**
 * The score formula, shared by the index and the exhaustive path so they cannot drift apart.
 * Each direction: text (needs-vs-offers blended with whole-profile concept and word
 * similarity, saturated) + category + location, times a size-fit factor; the directions are
 * fused (harmonic mean by default).
 */
function combine(
  d: Dots,
  category: number,
  location: number,
  sizeFit: number,
  w: MatchWeights,
  queryIsService: boolean,
) {
  return {
    score: fusedScore(
      d.nq,
      d.oq,
      d.all,
      d.words,
      d.freshNq,
      d.freshOq,
      category,
      location,
      sizeFit,
      w,
      queryIsService,
    ),
    text: round(fuse(blendedText(d.nq, d.all, d.words, w), blendedText(d.oq, d.all, d.words, w), "mean")),
  };
}

/** Saturated text signal of one direction: needs-vs-offers blended with the shared parts. */
function blendedText(directional: number, all: number, words: number, w: MatchWeights): number {
  const t = (1 - w.affinity - w.lexical) * directional + w.affinity * all + w.lexical * words;
  return Math.min(1, t / w.textSaturation);
}

/** {@link combine}'s score without allocating: the matcher calls it once per candidate. */
function fusedScore(
  nq: number,
  oq: number,
  all: number,
  words: number,
  freshNq: number,
  freshOq: number,
  category: number,
  location: number,
  sizeFit: number,
  w: MatchWeights,
  queryIsService: boolean,
): number {
  const fresh = Math.max(nq > 0 ? freshNq / nq : 0, oq > 0 ? freshOq / oq : 0);
  const wl = w.location + w.perishableLocation * fresh;
  const wt = w.text - w.perishableLocation * fresh;
  const rest = w.category * category + wl * location;
  const forQuery = (wt * blendedText(nq, all, words, w) + rest) * sizeFit;
  const forCandidate = (wt * blendedText(oq, all, words, w) + rest) * sizeFit;
  return round(
    queryIsService
      ? fuse(forQuery, forCandidate, w.fusion, w.serviceSide)
      : fuse(forCandidate, forQuery, w.fusion, w.serviceSide),
  );
}

/**
 * Builds a matcher over a registry snapshot. Accepts stored analyses or raw profiles
 * (which are analysed here). IDF statistics come from this snapshot.
 * @example createMatcher(profiles).rank("S001", { limit: 5, lang: "en" })
 */
export function createMatcher(
  items: Iterable<AnalyzedProfile | MatchProfile>,
  weights: MatchWeights = DEFAULT_WEIGHTS,
): Matcher {
  // Pass 1: intern features into compact arrays so the analyses themselves can be dropped.
  const conceptIds = new Map<FeatureKey, number>();
  const wordIds = new Map<string, number>();
  const intern = (map: Map<string, number>, key: string) => {
    let id = map.get(key);
    if (id === undefined) {
      id = map.size;
      map.set(key, id);
    }
    return id;
  };
  const codesets = new Map<string, number>();
  interface Raw {
    doc: Omit<Doc, "vec">;
    bags: Record<Kind, Map<number, number>>;
  }
  const raws: Raw[] = [];
  for (const item of items) {
    const a = "v" in item ? item : analyzeProfile(item);
    const offers = new Map<number, number>();
    const needs = new Map<number, number>();
    const all = new Map<number, number>();
    const words = new Map<number, number>();
    for (const [f, tf] of a.offers) {
      const id = intern(conceptIds, f);
      offers.set(id, tf);
      all.set(id, (all.get(id) ?? 0) + tf);
    }
    for (const [f, tf] of a.needs) {
      const id = intern(conceptIds, f);
      needs.set(id, tf);
      all.set(id, (all.get(id) ?? 0) + tf);
    }
    for (const [t, tf] of a.words) words.set(intern(wordIds, t), tf);
    raws.push({
      doc: {
        id: a.id,
        sector: a.sector,
        kbli: a.kbli,
        sizeRank: SIZE_RANK[a.sizeClass],
        location: a.location,
        place: toPlace(a.location),
        codeset: intern(codesets, a.kbli.join(",")),
      },
      bags: { offers, needs, all, words },
    });
  }
  raws.sort((x, y) => (x.doc.id < y.doc.id ? -1 : x.doc.id > y.doc.id ? 1 : 0));

  // IDF over businesses: a concept counts once per business whichever side it is on.
  const n = raws.length;
  const conceptDf = new Float64Array(conceptIds.size);
  const wordDf = new Float64Array(wordIds.size);
  for (const r of raws) {
    for (const id of r.bags.all.keys()) conceptDf[id]++;
    for (const id of r.bags.words.keys()) wordDf[id]++;
  }
  const idf = (df: number) => Math.log((n + 1) / (df + 0.5));
  const conceptIdf = conceptDf.map(idf);
  const wordIdf = wordDf.map(idf);
  const conceptKeys: FeatureKey[] = [...conceptIds.keys()];
  const wordKeys: string[] = [...wordIds.keys()];
  const perishable = new Uint8Array(conceptKeys.map((k) => (isPerishable(k) ? 1 : 0)));

  // Pass 2: L2-normalised TF-IDF vectors (sublinear tf; weights below 1 stay linear).
  const toVec = (bag: Map<number, number>, idfs: Float64Array): Vec => {
    const ids = Int32Array.from([...bag.keys()].sort((a, b) => a - b));
    const w = new Float32Array(ids.length);
    let norm = 0;
    const tmp = new Float64Array(ids.length);
    ids.forEach((id, i) => {
      const tf = bag.get(id) ?? 0;
      tmp[i] = (tf > 1 ? 1 + Math.log(tf) : tf) * idfs[id];
      norm += tmp[i] * tmp[i];
    });
    norm = Math.sqrt(norm);
    for (let i = 0; i < ids.length; i++) w[i] = norm > 0 ? tmp[i] / norm : 0;
    return { ids, w };
  };
  const docs: Doc[] = raws.map((r) => ({
    ...r.doc,
    vec: {
      offers: toVec(r.bags.offers, conceptIdf),
      needs: toVec(r.bags.needs, conceptIdf),
      all: toVec(r.bags.all, conceptIdf),
      words: toVec(r.bags.words, wordIdf),
    },
  }));
  raws.length = 0;
  const indexOf = new Map(docs.map((d, i) => [d.id, i]));
  const sectorMembers = {
    service: Int32Array.from(docs.flatMap((d, i) => (d.sector === "service" ? [i] : []))),
    industry: Int32Array.from(docs.flatMap((d, i) => (d.sector === "industry" ? [i] : []))),
  };

  // Postings per sector, so a query only walks the other sector's lists.
  const countPostings = (kind: Kind, sector: Sector, features: number) => {
    const start = new Int32Array(features + 1);
    for (const d of docs) if (d.sector === sector) for (const id of d.vec[kind].ids) start[id + 1]++;
    for (let f = 0; f < features; f++) start[f + 1] += start[f];
    return start;
  };
  const buildWordPostings = (sector: Sector): Postings => {
    const start = countPostings("words", sector, wordKeys.length);
    const fill = Int32Array.from(start);
    const doc = new Int32Array(start[wordKeys.length]);
    const w = new Float32Array(start[wordKeys.length]);
    docs.forEach((d, i) => {
      if (d.sector !== sector) return;
      const v = d.vec.words;
      for (let j = 0; j < v.ids.length; j++) {
        const at = fill[v.ids[j]]++;
        doc[at] = i;
        w[at] = v.w[j];
      }
    });
    return { start, doc, w };
  };
  /** Weight of feature `id` in `v` (0 when absent), advancing a cursor over ascending ids. */
  const weightAt = (v: Vec, cursor: { j: number }, id: number) => {
    while (cursor.j < v.ids.length && v.ids[cursor.j] < id) cursor.j++;
    return cursor.j < v.ids.length && v.ids[cursor.j] === id ? v.w[cursor.j] : 0;
  };
  const buildConceptPostings = (sector: Sector): ConceptPostings => {
    const features = conceptKeys.length;
    const start = countPostings("all", sector, features);
    const fill = Int32Array.from(start);
    const size = start[features];
    const p: ConceptPostings = {
      start,
      doc: new Int32Array(size),
      offers: new Float32Array(size),
      needs: new Float32Array(size),
      all: new Float32Array(size),
    };
    docs.forEach((d, i) => {
      if (d.sector !== sector) return;
      const all = d.vec.all;
      const co = { j: 0 };
      const cn = { j: 0 };
      for (let j = 0; j < all.ids.length; j++) {
        const id = all.ids[j];
        const at = fill[id]++;
        p.doc[at] = i;
        p.all[at] = all.w[j];
        p.offers[at] = weightAt(d.vec.offers, co, id);
        p.needs[at] = weightAt(d.vec.needs, cn, id);
      }
    });
    return p;
  };
  const postings = {
    service: { concepts: buildConceptPostings("service"), words: buildWordPostings("service") },
    industry: { concepts: buildConceptPostings("industry"), words: buildWordPostings("industry") },
  };

  const categoryCache = new Map<number, CategoryResult>();
  const codesetCodes = [...codesets.keys()].map((k) => (k === "" ? [] : k.split(",")));
  const codesetCount = codesetCodes.length;
  const category = (q: Doc, c: Doc) => {
    const service = q.sector === "service" ? q : c;
    const industry = q.sector === "service" ? c : q;
    const key = service.codeset * codesetCount + industry.codeset;
    let r = categoryCache.get(key);
    if (!r) {
      r = categoryScore(codesetCodes[service.codeset], codesetCodes[industry.codeset]);
      categoryCache.set(key, r);
    }
    return r;
  };
  // Scores only, by codeset pair, in a flat array while it stays small (NaN = not yet known).
  const scoreMatrix =
    codesetCount <= 2048 ? new Float64Array(codesetCount * codesetCount).fill(Number.NaN) : null;
  const categoryValue = (q: Doc, c: Doc) => {
    if (scoreMatrix === null) return category(q, c).score;
    const key =
      q.sector === "service" ? q.codeset * codesetCount + c.codeset : c.codeset * codesetCount + q.codeset;
    const v = scoreMatrix[key];
    if (!Number.isNaN(v)) return v;
    const score = category(q, c).score;
    scoreMatrix[key] = score;
    return score;
  };
  const sizeFit = (q: Doc, c: Doc) => 1 - 0.05 * Math.max(0, Math.abs(q.sizeRank - c.sizeRank) - 1);
  /** The highest score a candidate sharing no feature with the query can reach. */
  const textFreeBound = weights.category + weights.location;
  /** What location and the perishable shift can add on top of the text and category parts. */
  const locationCeiling = weights.location + weights.perishableLocation;
  /** What category, location and the perishable shift can add on top of the text part. */
  const textFreeCeiling = weights.category + weights.location + weights.perishableLocation;

  /** Exact dot product of two sparse vectors, with per-feature parts when asked. */
  function dot(a: Vec, b: Vec, fresh?: { v: number }, parts?: Array<[FeatureKey, number]>): number {
    let i = 0;
    let j = 0;
    let s = 0;
    while (i < a.ids.length && j < b.ids.length) {
      const x = a.ids[i];
      const y = b.ids[j];
      if (x === y) {
        const p = a.w[i] * b.w[j];
        s += p;
        if (fresh && perishable[x]) fresh.v += p;
        if (parts) parts.push([conceptKeys[x], p]);
        i++;
        j++;
      } else if (x < y) i++;
      else j++;
    }
    return s;
  }

  /** The four similarities of a pair by merging vectors; with `parts`, also which features met. */
  function exactDots(
    q: Doc,
    c: Doc,
    parts?: { forQuery: Array<[FeatureKey, number]>; forCandidate: Array<[FeatureKey, number]> },
  ): Dots {
    const fq = { v: 0 };
    const fc = { v: 0 };
    return {
      nq: dot(q.vec.needs, c.vec.offers, fq, parts?.forQuery),
      oq: dot(c.vec.needs, q.vec.offers, fc, parts?.forCandidate),
      all: dot(q.vec.all, c.vec.all),
      words: dot(q.vec.words, c.vec.words),
      freshNq: fq.v,
      freshOq: fc.v,
    };
  }

  function scoreDocs(q: Doc, c: Doc, d: Dots) {
    const cat = category(q, c);
    const loc = placeScore(q.place, c.place);
    return { ...combine(d, cat.score, loc.score, sizeFit(q, c), weights, q.sector === "service"), cat, loc };
  }

  // Accumulators reused across queries (one isolate serves one request at a time per matcher call).
  const acc = {
    nq: new Float64Array(n),
    oq: new Float64Array(n),
    all: new Float64Array(n),
    words: new Float64Array(n),
    freshNq: new Float64Array(n),
    freshOq: new Float64Array(n),
    seen: new Uint8Array(n),
  };

  interface Hit {
    i: number;
    score: number;
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

  /** {@link pushTop} that only allocates when the hit gets in. */
  function offer(top: Hit[], i: number, score: number, k: number): void {
    if (top.length === k) {
      const last = top[k - 1];
      if (score < last.score || (score === last.score && i > last.i)) return;
    }
    pushTop(top, { i, score }, k);
  }

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

  function walkWords(v: Vec, p: Postings): void {
    for (let j = 0; j < v.ids.length; j++) {
      const f = v.ids[j];
      const from = p.start[f];
      const to = p.start[f + 1];
      const wq = v.w[j];
      for (let x = from; x < to; x++) acc.words[p.doc[x]] += wq * p.w[x];
    }
  }

  /** Text-only part of the score's upper bound for an accumulated candidate. */
  function textBound(i: number): number {
    const share = 1 - weights.affinity - weights.lexical;
    const t =
      share * Math.max(acc.nq[i], acc.oq[i]) + weights.affinity * acc.all[i] + weights.lexical * acc.words[i];
    return weights.text * Math.min(1, t / weights.textSaturation);
  }

  function scoreAccumulated(q: Doc, i: number): number {
    const c = docs[i];
    return fusedScore(
      acc.nq[i],
      acc.oq[i],
      acc.all[i],
      acc.words[i],
      acc.freshNq[i],
      acc.freshOq[i],
      categoryValue(q, c),
      placeScoreValue(q.place, c.place),
      sizeFit(q, c),
      weights,
      q.sector === "service",
    );
  }

  function search(qi: number, k: number, minScore: number, opts: SearchOptions): Hit[] {
    const q = docs[qi];
    const top: Hit[] = [];
    if (k <= 0) return top;
    if (opts.exhaustive) {
      for (let i = 0; i < n; i++) {
        const c = docs[i];
        if (c.sector === q.sector || i === qi) continue;
        const s = scoreDocs(q, c, exactDots(q, c)).score;
        if (s >= minScore) pushTop(top, { i, score: s }, k);
      }
      return top;
    }
    const otherSector = q.sector === "service" ? "industry" : "service";
    const other = postings[otherSector];
    walkConcepts(q, other.concepts);
    walkWords(q.vec.words, other.words);
    // Every posting weight is positive, so a candidate was reached exactly when one of its
    // whole-profile sums is: one scan of the other sector beats a check on every posting.
    touchedCount = 0;
    const members = sectorMembers[otherSector];
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
          if (textBound(i) + textFreeCeiling < kth) continue;
          // Tighter, still cheap: the real category instead of its maximum.
          if (textBound(i) + locationCeiling + weights.category * categoryValue(q, docs[i]) < kth) continue;
        }
        const s = scoreAccumulated(q, i);
        if (s >= minScore) offer(top, i, s, k);
      }
    }
    // Candidates sharing nothing with the query can still win on category and location when
    // too few others do; only then are they scored.
    const kth = top.length === k ? top[k - 1].score : -1;
    if (kth < textFreeBound && textFreeBound >= minScore) {
      const isService = q.sector === "service";
      for (let i = 0; i < n; i++) {
        const c = docs[i];
        if (c.sector === q.sector || i === qi || acc.seen[i] !== 0) continue;
        const loc = placeScoreValue(q.place, c.place);
        const s = fusedScore(0, 0, 0, 0, 0, 0, categoryValue(q, c), loc, sizeFit(q, c), weights, isService);
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
  }

  function explainFor(q: Doc, c: Doc, lang: Language) {
    const forQuery: Array<[FeatureKey, number]> = [];
    const forCandidate: Array<[FeatureKey, number]> = [];
    const d = exactDots(q, c, { forQuery, forCandidate });
    const byWeight = (x: [FeatureKey, number], y: [FeatureKey, number]) =>
      y[1] - x[1] || (x[0] < y[0] ? -1 : 1);
    forQuery.sort(byWeight);
    forCandidate.sort(byWeight);
    const r = scoreDocs(q, c, d);
    const components: MatchComponents = {
      category: round(r.cat.score),
      location: round(r.loc.score),
      text: r.text,
    };
    const input = {
      lang,
      candidateMeetsQuery: forQuery,
      queryMeetsCandidate: forCandidate,
      category: r.cat,
      location: r.loc as LocationResult,
      queryLocation: q.location,
      candidateLocation: c.location,
      querySector: q.sector,
    };
    return { score: r.score, components, input };
  }

  function hits(
    id: string,
    options: Omit<RankOptions, "lang"> & SearchOptions,
  ): { q: Doc; top: Hit[] } | null {
    const qi = indexOf.get(id);
    if (qi === undefined) return null;
    const limit = Math.min(options.limit ?? 10, n);
    return { q: docs[qi], top: search(qi, limit, options.minScore ?? 0, options) };
  }

  return {
    size: n,
    has: (id) => indexOf.has(id),
    score(queryId, candidateId) {
      const qi = indexOf.get(queryId);
      const ci = indexOf.get(candidateId);
      if (qi === undefined || ci === undefined || qi === ci || docs[qi].sector === docs[ci].sector)
        return null;
      const e = explainFor(docs[qi], docs[ci], "id");
      return { score: e.score, components: e.components };
    },
    explainPair(queryId, candidateId, lang = "id") {
      const qi = indexOf.get(queryId);
      const ci = indexOf.get(candidateId);
      if (qi === undefined || ci === undefined || qi === ci || docs[qi].sector === docs[ci].sector)
        return null;
      const e = explainFor(docs[qi], docs[ci], lang);
      return {
        id: docs[ci].id,
        score: e.score,
        components: e.components,
        reasons: explain(e.input),
        pattern: suggestPattern(e.input),
      };
    },
    topIds(id, options = {}) {
      return hits(id, options)?.top.map((h) => docs[h.i].id) ?? [];
    },
    rank(id, options = {}) {
      const found = hits(id, options);
      if (!found) return [];
      return found.top.map((h) => {
        const e = explainFor(found.q, docs[h.i], options.lang ?? "id");
        return {
          id: docs[h.i].id,
          score: e.score,
          components: e.components,
          reasons: explain(e.input),
          pattern: suggestPattern(e.input),
        };
      });
    },
    rankForStorage(id, options = {}) {
      const found = hits(id, options);
      if (!found) return [];
      return found.top.map((h) => {
        const e = explainFor(found.q, docs[h.i], "id");
        return {
          id: docs[h.i].id,
          score: e.score,
          components: e.components,
          reasons: { id: explain(e.input), en: explain({ ...e.input, lang: "en" }) },
          pattern: suggestPattern(e.input),
        };
      });
    },
  };
}
