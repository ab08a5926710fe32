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

/**
 * A sparse vector: feature ids ascending, L2-normalised weights (each in (0, 1]), the entries
 * `from` to `to - 1` of `ids` and `w`. A built corpus keeps all its vectors in a few shared
 * arrays (one small typed array per vector cost more in overhead than in numbers); a business
 * added later (live.ts) has arrays of its own.
 */
export interface Vec {
  ids: Int32Array;
  w: Float32Array;
  from: number;
  to: number;
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
  /** The statistics the IDF came from (this snapshot's, or the ones passed in). */
  stats: CorpusStats;
  /**
   * The intern tables (feature key, word, code list -> id), kept so that a business added later
   * (live.ts) gets the same ids and weights a full build with the same {@link CorpusStats} gives it.
   */
  interned: Interned;
}

/**
 * What IDF is computed from: how many businesses, and in how many of them each concept and each
 * surface word occurs. Fixed between full rebuilds (live.ts), so that a business added or edited
 * since gets the vector a rebuild with these statistics would give it.
 */
export interface CorpusStats {
  n: number;
  conceptDf: Map<FeatureKey, number>;
  wordDf: Map<string, number>;
}

export interface Interned {
  concepts: Map<FeatureKey, number>;
  words: Map<string, number>;
  codesets: Map<string, number>;
}

function intern(map: Map<string, number>, key: string): number {
  let id = map.get(key);
  if (id === undefined) {
    id = map.size;
    map.set(key, id);
  }
  return id;
}

/** A business interned but not yet weighted: its doc without vectors, and its four bags. */
export interface RawDoc {
  doc: Omit<Doc, "vec">;
  bags: Record<Kind, Map<number, number>>;
}

/** Analyses (or analyses then interns) one business into `interned`. */
export function internDoc(interned: Interned, item: AnalyzedProfile | MatchProfile): RawDoc {
  const a = "v" in item ? item : analyzeProfile(item);
  const { concepts, words: wordIds, codesets } = interned;
  const offers = new Map<number, number>();
  const needs = new Map<number, number>();
  const all = new Map<number, number>();
  const words = new Map<number, number>();
  for (const [f, tf] of a.offers) {
    const id = intern(concepts, f);
    offers.set(id, tf);
    all.set(id, (all.get(id) ?? 0) + tf);
  }
  for (const [f, tf] of a.needs) {
    const id = intern(concepts, f);
    needs.set(id, tf);
    all.set(id, (all.get(id) ?? 0) + tf);
  }
  for (const [t, tf] of a.words) words.set(intern(wordIds, t), tf);
  const implied = (a.implied ?? []).map((f) => intern(concepts, f));
  return {
    doc: {
      id: a.id,
      // The literal, not the row's own copy of the string.
      sector: a.sector === "service" ? "service" : "industry",
      kbli: a.kbli,
      sizeRank: SIZE_RANK[a.sizeClass],
      location: a.location,
      place: toPlace(a.location),
      codeset: intern(codesets, (a.activity ?? a.kbli).join(",")),
      implied,
      perish: activityPerishability(a.activity ?? a.kbli),
    },
    bags: { offers, needs, all, words },
  };
}

/** IDF of a feature occurring in `df` of `n` businesses. */
function idfOf(n: number, df: number): number {
  return Math.log((n + 1) / (df + 0.5));
}

/** IDF by interned id, from `stats` (a feature they do not know counts as df 0). */
export function idfTables(
  interned: Interned,
  stats: CorpusStats,
): { concept: Float64Array; word: Float64Array } {
  const concept = new Float64Array(interned.concepts.size);
  for (const [k, id] of interned.concepts) concept[id] = idfOf(stats.n, stats.conceptDf.get(k) ?? 0);
  const word = new Float64Array(interned.words.size);
  for (const [k, id] of interned.words) word[id] = idfOf(stats.n, stats.wordDf.get(k) ?? 0);
  return { concept, word };
}

/** A raw doc's vectors, weighted by the given IDF tables (arrays of its own: live.ts). */
export function weighDoc(r: RawDoc, idf: { concept: Float64Array; word: Float64Array }): Doc {
  return docOf(r.doc, {
    offers: toVec(r.bags.offers, idf.concept),
    needs: toVec(r.bags.needs, idf.concept),
    all: toVec(r.bags.all, idf.concept),
    words: toVec(r.bags.words, idf.word),
  });
}

/**
 * A doc with every field written out, not spread: one compact shape for all docs (a spread copy
 * took ~0.4 KB more per business and gave built and added docs different shapes).
 */
function docOf(d: Omit<Doc, "vec">, vec: Record<Kind, Vec>): Doc {
  return {
    id: d.id,
    sector: d.sector,
    kbli: d.kbli,
    sizeRank: d.sizeRank,
    location: d.location,
    place: d.place,
    codeset: d.codeset,
    implied: d.implied,
    perish: d.perish,
    vec,
  };
}

/**
 * Builds the corpus from stored analyses or raw profiles (raw ones are analysed here).
 * IDF is ln((n + 1) / (df + 0.5)) over businesses: a concept counts once per business whichever
 * side it is on. Term weights are sublinear (1 + ln tf above 1; weights below 1 stay linear).
 * With `stats`, IDF comes from them instead of from these businesses (live.ts).
 * @example
 * const corpus = buildCorpus(profiles);
 * corpus.docs[corpus.indexOf.get("S001") ?? -1]?.vec.needs // S001's needs as a unit vector
 */
export function buildCorpus(items: Iterable<AnalyzedProfile | MatchProfile>, stats?: CorpusStats): Corpus {
  const builder = corpusBuilder();
  for (const item of items) builder.add(item);
  return builder.finish(stats);
}

/** The weights of a vector whose term weights are still in the builder's blocks. */
const UNWEIGHED = new Float32Array(0);

/** Entries per shared block of vectors (ids 4 bytes, weights 4, and 8 for term weights while building). */
const BLOCK = 1 << 15;

/**
 * Builds a corpus one business at a time, so that a caller reading pages of rows need not hold
 * them all: each business is analysed (if raw), interned and its term weights written into shared
 * blocks at once; only its small doc is kept. `finish` weighs every vector with the IDF of what
 * was added (or `stats`).
 */
export interface CorpusBuilder {
  add(item: AnalyzedProfile | MatchProfile): void;
  finish(stats?: CorpusStats): Corpus;
}

export function corpusBuilder(): CorpusBuilder {
  const interned: Interned = { concepts: new Map(), words: new Map(), codesets: new Map() };
  const docs: Doc[] = [];
  /** Blocks: ids, and term weights until `finish` turns them into weights. */
  const idBlocks: Int32Array[] = [];
  const tfBlocks: Float64Array[] = [];
  let ids = new Int32Array(0);
  let tf = new Float64Array(0);
  let used = 0;
  let conceptDf: Int32Array<ArrayBuffer> = new Int32Array(1024);
  let wordDf: Int32Array<ArrayBuffer> = new Int32Array(1024);
  /** One copy of each repeated string (codes, place names) instead of one per row. */
  const strings = new Map<string, string>();
  const share = <T extends string | null>(x: T): T => {
    if (x === null) return x;
    const hit = strings.get(x);
    if (hit !== undefined) return hit as T;
    strings.set(x, x);
    return x;
  };
  const noImplied: readonly number[] = [];
  const count = (df: Int32Array<ArrayBuffer>, id: number): Int32Array<ArrayBuffer> => {
    let out = df;
    if (id >= out.length) {
      out = new Int32Array(Math.max(id + 1, 2 * out.length));
      out.set(df);
    }
    out[id]++;
    return out;
  };
  /** Writes one bag into the blocks, ids ascending: its vector, term weights for now. */
  const put = (bag: Map<number, number>): Vec => {
    const keys = [...bag.keys()].sort((a, b) => a - b);
    if (used + keys.length > ids.length) {
      ids = new Int32Array(Math.max(BLOCK, keys.length));
      tf = new Float64Array(ids.length);
      idBlocks.push(ids);
      tfBlocks.push(tf);
      used = 0;
    }
    const from = used;
    for (const k of keys) {
      ids[used] = k;
      tf[used++] = bag.get(k) as number;
    }
    return { ids, w: UNWEIGHED, from, to: used };
  };
  return {
    add(item) {
      const r = internDoc(interned, item);
      for (const id of r.bags.all.keys()) conceptDf = count(conceptDf, id);
      for (const id of r.bags.words.keys()) wordDf = count(wordDf, id);
      const d = r.doc;
      const loc = d.location;
      const place = d.place;
      place.cityKey = share(place.cityKey);
      place.kelurahan = share(place.kelurahan);
      place.kecamatan = share(place.kecamatan);
      docs.push(
        docOf(
          {
            ...d,
            kbli: d.kbli.map(share),
            location: {
              kelurahan: share(loc.kelurahan),
              kecamatan: share(loc.kecamatan),
              city: share(loc.city),
              lat: loc.lat,
              lng: loc.lng,
            },
            implied: d.implied.length === 0 ? noImplied : d.implied,
          },
          {
            offers: put(r.bags.offers),
            needs: put(r.bags.needs),
            all: put(r.bags.all),
            words: put(r.bags.words),
          },
        ),
      );
    },
    finish(stats) {
      const fixed = stats ?? {
        n: docs.length,
        conceptDf: dfByKey(interned.concepts, conceptDf),
        wordDf: dfByKey(interned.words, wordDf),
      };
      const idf = idfTables(interned, fixed);
      // Term weights become weights, in blocks of their own (the last one no longer than it is).
      const blocks = new Map<Int32Array, { tf: Float64Array; w: Float32Array }>();
      idBlocks.forEach((b, i) => {
        const size = i === idBlocks.length - 1 ? used : b.length;
        blocks.set(b, { tf: tfBlocks[i], w: new Float32Array(size) });
      });
      tfBlocks.length = 0;
      // Docs are still in the order added, so the blocks are met in order: each block's term
      // weights are dropped as soon as the docs in it are weighed.
      let current: Int32Array | null = null;
      for (const d of docs) {
        const { offers, needs, all, words } = d.vec;
        if (offers.ids !== current) {
          if (current !== null) (blocks.get(current) as { tf: Float64Array | null }).tf = null;
          current = offers.ids;
        }
        weigh(offers, idf.concept, blocks);
        weigh(needs, idf.concept, blocks);
        weigh(all, idf.concept, blocks);
        weigh(words, idf.word, blocks);
      }
      // The last block trimmed to what it holds.
      const last = idBlocks.length - 1;
      if (last >= 0 && used < idBlocks[last].length) {
        const trimmed = idBlocks[last].slice(0, used);
        const old = idBlocks[last];
        for (const d of docs) for (const k of KINDS) if (d.vec[k].ids === old) d.vec[k].ids = trimmed;
      }
      idBlocks.length = 0;
      tf = new Float64Array(0);
      strings.clear();
      return corpusOf(docs, interned, fixed);
    },
  };
}

/** Each feature's document frequency by key (features of no business left out). */
function dfByKey(m: Map<string, number>, df: Int32Array): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, id] of m) if (id < df.length && df[id] > 0) out.set(k, df[id]);
  return out;
}

/**
 * Turns a vector's term weights (in a block of term weights) into its L2-normalised TF-IDF
 * weights, in the weight block that replaces it: the same arithmetic as {@link toVec}.
 */
function weigh(
  v: Vec,
  idfs: Float64Array,
  blocks: Map<Int32Array, { tf: Float64Array; w: Float32Array }>,
): void {
  const { tf, w } = blocks.get(v.ids) as { tf: Float64Array; w: Float32Array };
  let norm = 0;
  for (let i = v.from; i < v.to; i++) {
    const t = tf[i];
    const x = (t > 1 ? 1 + Math.log(t) : t) * idfs[v.ids[i]];
    tf[i] = x;
    norm += x * x;
  }
  norm = Math.sqrt(norm);
  for (let i = v.from; i < v.to; i++) w[i] = norm > 0 ? tf[i] / norm : 0;
  v.w = w;
}

/**
 * A corpus over weighted docs (sorted here by id) and the intern tables their ids come from: what
 * a full build ends with, and what live.ts compacts into without analysing anything again.
 */
export function corpusOf(unsorted: Doc[], interned: Interned, stats: CorpusStats): Corpus {
  const docs = unsorted.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const conceptKeys: FeatureKey[] = [...interned.concepts.keys()];
  return {
    docs,
    indexOf: new Map(docs.map((d, i) => [d.id, i])),
    sectorMembers: {
      service: Int32Array.from(docs.flatMap((d, i) => (d.sector === "service" ? [i] : []))),
      industry: Int32Array.from(docs.flatMap((d, i) => (d.sector === "industry" ? [i] : []))),
    },
    conceptKeys,
    wordCount: interned.words.size,
    perishable: new Uint8Array(conceptKeys.map((k) => (isPerishable(k) ? 1 : 0))),
    codesetCodes: [...interned.codesets.keys()].map((k) => (k === "" ? [] : k.split(","))),
    stats,
    interned,
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
  return { ids, w, from: 0, to: ids.length };
}

/**
 * Weight of feature `id` in `v` (0 when absent), advancing a cursor: called with ascending ids,
 * it walks `v` once.
 */
export function weightAt(v: Vec, cursor: { j: number }, id: number): number {
  if (cursor.j < v.from) cursor.j = v.from;
  while (cursor.j < v.to && v.ids[cursor.j] < id) cursor.j++;
  return cursor.j < v.to && v.ids[cursor.j] === id ? v.w[cursor.j] : 0;
}
