/**
 * The inverted index over a corpus: for each feature, the businesses that have it, per sector, so
 * that a query walks only the other sector's lists. Stored as compressed rows (one `start` offset
 * per feature into flat typed arrays) rather than arrays of objects: at 100k businesses that is
 * the difference between tens and hundreds of megabytes.
 *
 * The postings are also where a built business's weights live, and the only place: its doc keeps
 * feature ids alone, and exact scoring (pair.ts) finds a weight by a binary search of the
 * feature's list for the business. So the search and exact scoring read the very same 16-bit
 * numbers (corpus.ts, {@link WEIGHT_ONE}), and each weight is held once.
 */
import type { Doc } from "./corpus";
import type { Sector } from "./types";

/** A weight w in (0, 1] is held as the integer round(w x WEIGHT_ONE), at least 1 (0 = absent). */
export const WEIGHT_ONE = 65535;
/**
 * A dot product of two vectors of held weights is a sum of integer products, exact in a double
 * (each product is below 2^32, a vector has hundreds of entries), so any order of adding gives
 * the same sum; times this it is the cosine. The search and exact scoring both scale this way.
 */
export const PRODUCT_SCALE = 1 / (WEIGHT_ONE * WEIGHT_ONE);

/** Word postings: feature f's entries are `doc[start[f]..start[f + 1])` with weights `w`. */
export interface WordPostings {
  start: Int32Array;
  doc: Int32Array;
  w: Uint16Array;
}

/**
 * Concept postings: every business whose profile has the feature, with its weight in the offers,
 * needs and whole-profile vectors (0 where absent), so a query walks each list once.
 */
export interface ConceptPostings {
  start: Int32Array;
  doc: Int32Array;
  offers: Uint16Array;
  needs: Uint16Array;
  all: Uint16Array;
}

export type SectorPostings = Record<Sector, { concepts: ConceptPostings; words: WordPostings }>;

/**
 * One business's held weights, by entry: its concept entry j (`d.concepts.from <= j < to`) has
 * offers[j - cShift], needs[j - cShift] and all[j - cShift]; its word entry j has words[j - wShift].
 */
export interface DocWeights {
  offers: Uint16Array;
  needs: Uint16Array;
  all: Uint16Array;
  words: Uint16Array;
  cShift: number;
  wShift: number;
}

/**
 * Builds both sectors' concept and word postings of docs in corpus order (entries ascending by
 * business index), reading each doc's weights once through `weightsOf`.
 */
export function buildPostings(
  docs: readonly Doc[],
  conceptCount: number,
  wordCount: number,
  weightsOf: (d: Doc) => DocWeights,
): SectorPostings {
  const count = (sector: Sector, kind: "concepts" | "words", features: number) => {
    const start = new Int32Array(features + 1);
    for (const d of docs) {
      if (d.sector !== sector) continue;
      const v = d[kind];
      for (let j = v.from; j < v.to; j++) start[v.ids[j] + 1]++;
    }
    for (let f = 0; f < features; f++) start[f + 1] += start[f];
    return start;
  };
  const sectorOf = (sector: Sector) => {
    const cs = count(sector, "concepts", conceptCount);
    const ws = count(sector, "words", wordCount);
    return {
      concepts: {
        start: cs,
        doc: new Int32Array(cs[conceptCount]),
        offers: new Uint16Array(cs[conceptCount]),
        needs: new Uint16Array(cs[conceptCount]),
        all: new Uint16Array(cs[conceptCount]),
      },
      words: { start: ws, doc: new Int32Array(ws[wordCount]), w: new Uint16Array(ws[wordCount]) },
    };
  };
  const out: SectorPostings = { service: sectorOf("service"), industry: sectorOf("industry") };
  const fill = {
    service: { c: Int32Array.from(out.service.concepts.start), w: Int32Array.from(out.service.words.start) },
    industry: {
      c: Int32Array.from(out.industry.concepts.start),
      w: Int32Array.from(out.industry.words.start),
    },
  };
  docs.forEach((d, i) => {
    const p = out[d.sector];
    const at = fill[d.sector];
    const w = weightsOf(d);
    const c = d.concepts;
    for (let j = c.from; j < c.to; j++) {
      const x = at.c[c.ids[j]]++;
      p.concepts.doc[x] = i;
      p.concepts.offers[x] = w.offers[j - w.cShift];
      p.concepts.needs[x] = w.needs[j - w.cShift];
      p.concepts.all[x] = w.all[j - w.cShift];
    }
    const v = d.words;
    for (let j = v.from; j < v.to; j++) {
      const x = at.w[v.ids[j]]++;
      p.words.doc[x] = i;
      p.words.w[x] = w.words[j - w.wShift];
    }
  });
  return out;
}

/**
 * Position of business `i` in feature `f`'s list (ascending by business), or -1. A list's
 * businesses are spread about evenly over the corpus, so each round first guesses by
 * interpolation, then halves what is left (at most twice the steps of a binary search).
 */
export function postingOf(start: Int32Array, doc: Int32Array, f: number, i: number): number {
  let lo = start[f];
  let hi = start[f + 1] - 1;
  while (lo <= hi) {
    const a = doc[lo];
    const b = doc[hi];
    if (i <= a) return i === a ? lo : -1;
    if (i >= b) return i === b ? hi : -1;
    const guess = lo + Math.floor(((i - a) * (hi - lo)) / (b - a));
    const x = doc[guess];
    if (x === i) return guess;
    if (x < i) lo = guess + 1;
    else hi = guess - 1;
    if (lo > hi) return -1;
    const mid = (lo + hi) >>> 1;
    const y = doc[mid];
    if (y === i) return mid;
    if (y < i) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Reusable arrays for {@link weightsOf}, grown as needed. */
export function weightScratch(): DocWeights {
  const empty = new Uint16Array(64);
  return {
    offers: empty,
    needs: empty.slice(),
    all: empty.slice(),
    words: empty.slice(),
    cShift: 0,
    wShift: 0,
  };
}

/**
 * A doc's held weights: its own (a business added after the build, live.ts), else read from the
 * postings it was built into, into `scratch` (overwritten by the next call with it).
 */
export function weightsOf(postings: SectorPostings, d: Doc, scratch: DocWeights): DocWeights {
  if (d.own !== null) return d.own;
  const c = d.concepts;
  const v = d.words;
  const cn = c.to - c.from;
  const wn = v.to - v.from;
  if (scratch.offers.length < cn) {
    scratch.offers = new Uint16Array(2 * cn);
    scratch.needs = new Uint16Array(2 * cn);
    scratch.all = new Uint16Array(2 * cn);
  }
  if (scratch.words.length < wn) scratch.words = new Uint16Array(2 * wn);
  scratch.cShift = c.from;
  scratch.wShift = v.from;
  const p = postings[d.sector];
  for (let j = c.from; j < c.to; j++) {
    const x = postingOf(p.concepts.start, p.concepts.doc, c.ids[j], d.at);
    scratch.offers[j - c.from] = p.concepts.offers[x];
    scratch.needs[j - c.from] = p.concepts.needs[x];
    scratch.all[j - c.from] = p.concepts.all[x];
  }
  for (let j = v.from; j < v.to; j++) {
    scratch.words[j - v.from] = p.words.w[postingOf(p.words.start, p.words.doc, v.ids[j], d.at)];
  }
  return scratch;
}
