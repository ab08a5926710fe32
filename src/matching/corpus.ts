/**
 * A registry snapshot as vectors: every business's analysis (analyze.ts) becomes four
 * L2-normalised TF-IDF vectors over interned feature ids, with IDF from this snapshot, plus what
 * the other signals need (KBLI codes, size rank, a prepared place). The analyses themselves are
 * dropped once interned, which is what lets 100k businesses fit in memory.
 */

import { type AnalyzedProfile, analyzeProfile } from "./analyze";
import { type FeatureKey, isPerishable } from "./lexicon";
import { type Place, toPlace } from "./location";
import { activityPerishability } from "./perishable";
import { SIZE_RANK } from "./score";
import type { MatchProfile, Sector } from "./types";

/** The vector kinds of a business: its offers, its needs, both together, and its surface words. */
export const KINDS = ["offers", "needs", "all", "words"] as const;
export type Kind = (typeof KINDS)[number];

/** A sparse vector: feature ids ascending, L2-normalised weights (each in (0, 1]). */
export interface Vec {
  ids: Int32Array;
  w: Float32Array;
}

/** One business as the matcher keeps it. */
export interface Doc {
  id: string;
  sector: Sector;
  kbli: string[];
  /** {@link SIZE_RANK} of its size class. */
  sizeRank: number;
  location: AnalyzedProfile["location"];
  place: Place;
  /** Interned KBLI code list (an index into {@link Corpus.codesetCodes}), for the category cache. */
  codeset: number;
  /** `offers`, `needs` and `all` are over concept ids; `words` over word ids. */
  vec: Record<Kind, Vec>;
  /** How perishable what it supplies is, from its activity code (perishable.ts), in [0, 1]. */
  perish: number;
  /** Concept ids of offer features only its KBLI code implies (AnalyzedProfile.implied). */
  implied: readonly number[];
}

export interface Corpus {
  /** Sorted by id, so that an index order is an id order (ties are broken by it). */
  docs: Doc[];
  indexOf: Map<string, number>;
  /** Indices of each sector's businesses, ascending. */
  sectorMembers: Record<Sector, Int32Array>;
  /** Feature key of each concept id ("c:tahu", "g:kemasan", "w:kirim"). */
  conceptKeys: FeatureKey[];
  /** How many distinct surface words there are (word ids are 0 to wordCount - 1). */
  wordCount: number;
  /** 1 where a concept id is perishable (lexicon.ts), else 0. */
  perishable: Uint8Array;
  /** The KBLI codes of each interned code list. */
  codesetCodes: string[][];
}

function intern(map: Map<string, number>, key: string): number {
  let id = map.get(key);
  if (id === undefined) {
    id = map.size;
    map.set(key, id);
  }
  return id;
}

/**
 * Builds the corpus from stored analyses or raw profiles (raw ones are analysed here).
 * IDF is ln((n + 1) / (df + 0.5)) over businesses: a concept counts once per business whichever
 * side it is on. Term weights are sublinear (1 + ln tf above 1; weights below 1 stay linear).
 * @example
 * const corpus = buildCorpus(profiles);
 * corpus.docs[corpus.indexOf.get("S001") ?? -1]?.vec.needs // S001's needs as a unit vector
 */
export function buildCorpus(items: Iterable<AnalyzedProfile | MatchProfile>): Corpus {
  // Pass 1: intern features into compact arrays so the analyses themselves can be dropped.
  const conceptIds = new Map<FeatureKey, number>();
  const wordIds = new Map<string, number>();
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
    const implied = (a.implied ?? []).map((f) => intern(conceptIds, f));
    raws.push({
      doc: {
        id: a.id,
        sector: a.sector,
        kbli: a.kbli,
        sizeRank: SIZE_RANK[a.sizeClass],
        location: a.location,
        place: toPlace(a.location),
        codeset: intern(codesets, (a.activity ?? a.kbli).join(",")),
        implied,
        perish: activityPerishability(a.activity ?? a.kbli),
      },
      bags: { offers, needs, all, words },
    });
  }
  raws.sort((x, y) => (x.doc.id < y.doc.id ? -1 : x.doc.id > y.doc.id ? 1 : 0));

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

  // Pass 2: the vectors.
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
  return {
    docs,
    indexOf: new Map(docs.map((d, i) => [d.id, i])),
    sectorMembers: {
      service: Int32Array.from(docs.flatMap((d, i) => (d.sector === "service" ? [i] : []))),
      industry: Int32Array.from(docs.flatMap((d, i) => (d.sector === "industry" ? [i] : []))),
    },
    conceptKeys,
    wordCount: wordIds.size,
    perishable: new Uint8Array(conceptKeys.map((k) => (isPerishable(k) ? 1 : 0))),
    codesetCodes: [...codesets.keys()].map((k) => (k === "" ? [] : k.split(","))),
  };
}

/** L2-normalised TF-IDF vector of a bag of (feature id, term weight). */
function toVec(bag: Map<number, number>, idfs: Float64Array): Vec {
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
}

/**
 * Weight of feature `id` in `v` (0 when absent), advancing a cursor: called with ascending ids,
 * it walks `v` once.
 */
export function weightAt(v: Vec, cursor: { j: number }, id: number): number {
  while (cursor.j < v.ids.length && v.ids[cursor.j] < id) cursor.j++;
  return cursor.j < v.ids.length && v.ids[cursor.j] === id ? v.w[cursor.j] : 0;
}
