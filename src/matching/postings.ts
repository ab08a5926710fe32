/**
 * The inverted index over a corpus: for each feature, the businesses that have it, per sector, so
 * that a query walks only the other sector's lists. Stored as compressed rows (one `start` offset
 * per feature into flat typed arrays) rather than arrays of objects: at 100k businesses that is
 * the difference between tens and hundreds of megabytes.
 */
import { type Corpus, type Kind, weightAt } from "./corpus";
import type { Sector } from "./types";

/** Word postings: feature f's entries are `doc[start[f]..start[f + 1])` with weights `w`. */
export interface WordPostings {
  start: Int32Array;
  doc: Int32Array;
  w: Float32Array;
}

/**
 * Concept postings: every business whose profile has the feature, with its weight in the offers,
 * needs and whole-profile vectors (0 where absent), so a query walks each list once.
 */
export interface ConceptPostings {
  start: Int32Array;
  doc: Int32Array;
  offers: Float32Array;
  needs: Float32Array;
  all: Float32Array;
}

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
  for (const d of corpus.docs) {
    if (d.sector !== sector) continue;
    const v = d.vec[kind];
    for (let j = v.from; j < v.to; j++) start[v.ids[j] + 1]++;
  }
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
    for (let j = v.from; j < v.to; j++) {
      const at = fill[v.ids[j]]++;
      doc[at] = i;
      w[at] = v.w[j];
    }
  });
  return { start, doc, w };
}

function conceptPostings(corpus: Corpus, sector: Sector): ConceptPostings {
  const features = corpus.conceptKeys.length;
  const start = countPostings(corpus, "all", sector, features);
  const fill = Int32Array.from(start);
  const size = start[features];
  const p: ConceptPostings = {
    start,
    doc: new Int32Array(size),
    offers: new Float32Array(size),
    needs: new Float32Array(size),
    all: new Float32Array(size),
  };
  corpus.docs.forEach((d, i) => {
    if (d.sector !== sector) return;
    const all = d.vec.all;
    const co = { j: 0 };
    const cn = { j: 0 };
    for (let j = all.from; j < all.to; j++) {
      const id = all.ids[j];
      const at = fill[id]++;
      p.doc[at] = i;
      p.all[at] = all.w[j];
      p.offers[at] = weightAt(d.vec.offers, co, id);
      p.needs[at] = weightAt(d.vec.needs, cn, id);
    }
  });
  return p;
}
