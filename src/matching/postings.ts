/**
 * The inverted index over a corpus: for each feature, the businesses that have it, per sector, so
 * that a query walks only the other sector's lists. Stored as compressed rows (one `start` offset
 * per feature into flat typed arrays) rather than arrays of objects: at 100k businesses that is
 * the difference between tens and hundreds of megabytes.
 *
 * Each long list is split at a weight cap: its head (`start[f]..head[f]`) holds the few entries
 * heavier than the cap (short profiles, where every feature weighs a lot), its tail the rest, in
 * ascending business index within each part. The tail's largest weight per column (`tailMax*`)
 * bounds what any business reached only through the tail can get from the feature, so one short
 * profile no longer makes the whole list look heavy to the search's bounds (search.ts).
 */
import { type Corpus, type Kind, weightAt } from "./corpus";
import type { Sector } from "./types";

/** Word postings: feature f's entries are `doc[start[f]..start[f + 1])` with weights `w`. */
export interface WordPostings {
  start: Int32Array;
  /** End of feature f's head (entries heavier than its tail); equals `start[f + 1]` when unsplit. */
  head: Int32Array;
  doc: Int32Array;
  w: Float32Array;
  /** Largest weight in feature f's tail (0 when it has none). */
  tailMax: Float32Array;
}

/**
 * Concept postings: every business whose profile has the feature, with its weight in the offers,
 * needs and whole-profile vectors (0 where absent), so a query walks each list once.
 */
export interface ConceptPostings {
  start: Int32Array;
  /** End of feature f's head; see {@link WordPostings.head}. */
  head: Int32Array;
  doc: Int32Array;
  offers: Float32Array;
  needs: Float32Array;
  all: Float32Array;
  /** Largest weight per column in feature f's tail (0 when it has none). */
  tailMaxOffers: Float32Array;
  tailMaxNeeds: Float32Array;
  tailMaxAll: Float32Array;
}

/**
 * Where lists are split and when the search skips tails. Lists shorter than `splitMin` are not
 * split (walking them whole costs less than bounding them); a split list's head holds about
 * `headShare` of its entries (at least splitMin / 4). `seedWorth` and `seedMin`: see search.ts.
 * Fixed in production; tests lower them to reach the skipping path on small registries.
 */
export const SEARCH_TUNING = { splitMin: 64, headShare: 1 / 16, seedWorth: 4000, seedMin: 200_000 };

export type SectorPostings = Record<Sector, { concepts: ConceptPostings; words: WordPostings }>;

/** Builds both sectors' concept and word postings; entries are in ascending business index. */
export function buildPostings(corpus: Corpus): SectorPostings {
  return {
    service: { concepts: conceptPostings(corpus, "service"), words: wordPostings(corpus, "service") },
    industry: { concepts: conceptPostings(corpus, "industry"), words: wordPostings(corpus, "industry") },
  };
}

/** Row offsets: how many of the sector's businesses have each feature of `kind`, accumulated. */
function countPostings(corpus: Corpus, kind: Kind, sector: Sector, features: number): Int32Array {
  const start = new Int32Array(features + 1);
  for (const d of corpus.docs) if (d.sector === sector) for (const id of d.vec[kind].ids) start[id + 1]++;
  for (let f = 0; f < features; f++) start[f + 1] += start[f];
  return start;
}

function wordPostings(corpus: Corpus, sector: Sector): WordPostings {
  const features = corpus.wordCount;
  const start = countPostings(corpus, "words", sector, features);
  const fill = Int32Array.from(start);
  const doc = new Int32Array(start[features]);
  const w = new Float32Array(start[features]);
  corpus.docs.forEach((d, i) => {
    if (d.sector !== sector) return;
    const v = d.vec.words;
    for (let j = 0; j < v.ids.length; j++) {
      const at = fill[v.ids[j]]++;
      doc[at] = i;
      w[at] = v.w[j];
    }
  });
  const head = Int32Array.from(start.subarray(1));
  const tailMax = new Float32Array(features);
  const scratch = new Float32Array(maxListLength(start));
  for (let f = 0; f < features; f++) {
    const cap = splitCap(start[f], start[f + 1], (x) => w[x], scratch);
    if (cap < 0) continue;
    head[f] = partition(start[f], start[f + 1], (x) => w[x] > cap, [doc, w]);
    for (let x = head[f]; x < start[f + 1]; x++) tailMax[f] = Math.max(tailMax[f], w[x]);
  }
  return { start, head, doc, w, tailMax };
}

function maxListLength(start: Int32Array): number {
  let m = 0;
  for (let f = 0; f + 1 < start.length; f++) m = Math.max(m, start[f + 1] - start[f]);
  return m;
}

/**
 * The weight cap of the list `from..to` (keyed by `key`): the key ranked at the head's size, or
 * -1 when the list is too short to split or the cap would leave no tail.
 */
function splitCap(from: number, to: number, key: (x: number) => number, scratch: Float32Array): number {
  const len = to - from;
  if (len < SEARCH_TUNING.splitMin) return -1;
  const keys = scratch.subarray(0, len);
  for (let x = from; x < to; x++) keys[x - from] = key(x);
  keys.sort();
  // Ascending: the head is what lies above the value at rank `len - headSize`.
  const headSize = Math.max(SEARCH_TUNING.splitMin >> 2, Math.ceil(len * SEARCH_TUNING.headShare));
  const cap = keys[len - headSize - 1];
  return cap > 0 ? cap : -1;
}

/**
 * Stable partition of `from..to` across `columns`: entries where `inHead` holds first, each part
 * in its previous (ascending business) order. Returns the end of the head.
 */
function partition(
  from: number,
  to: number,
  inHead: (x: number) => boolean,
  columns: Array<Int32Array | Float32Array>,
): number {
  const order: number[] = [];
  for (let x = from; x < to; x++) if (inHead(x)) order.push(x);
  const end = from + order.length;
  for (let x = from; x < to; x++) if (!inHead(x)) order.push(x);
  for (const col of columns) {
    const copy = col.slice(from, to);
    for (let j = 0; j < order.length; j++) col[from + j] = copy[order[j] - from];
  }
  return end;
}

function conceptPostings(corpus: Corpus, sector: Sector): ConceptPostings {
  const features = corpus.conceptKeys.length;
  const start = countPostings(corpus, "all", sector, features);
  const fill = Int32Array.from(start);
  const size = start[features];
  const p: ConceptPostings = {
    start,
    head: Int32Array.from(start.subarray(1)),
    doc: new Int32Array(size),
    offers: new Float32Array(size),
    needs: new Float32Array(size),
    all: new Float32Array(size),
    tailMaxOffers: new Float32Array(features),
    tailMaxNeeds: new Float32Array(features),
    tailMaxAll: new Float32Array(features),
  };
  corpus.docs.forEach((d, i) => {
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
  const scratch = new Float32Array(maxListLength(start));
  const key = (x: number) => Math.max(p.offers[x], p.needs[x], p.all[x]);
  for (let f = 0; f < features; f++) {
    const cap = splitCap(start[f], start[f + 1], key, scratch);
    if (cap < 0) continue;
    p.head[f] = partition(start[f], start[f + 1], (x) => key(x) > cap, [p.doc, p.offers, p.needs, p.all]);
    for (let x = p.head[f]; x < start[f + 1]; x++) {
      p.tailMaxOffers[f] = Math.max(p.tailMaxOffers[f], p.offers[x]);
      p.tailMaxNeeds[f] = Math.max(p.tailMaxNeeds[f], p.needs[x]);
      p.tailMaxAll[f] = Math.max(p.tailMaxAll[f], p.all[x]);
    }
  }
  return p;
}
