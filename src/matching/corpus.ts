/**
 * A registry snapshot as vectors: every business's analysis (analyze.ts) becomes four
 * L2-normalised TF-IDF vectors over interned feature ids, with IDF from this snapshot, plus what
 * the other signals need (KBLI codes, size rank, a prepared place). The analyses themselves are
 * dropped once interned, which is what lets 100k businesses fit in memory.
 *
 * Memory (docs/SCALING.md 4a, "Bounded memory"): a built business keeps its feature ids only (its
 * concepts once for offers, needs and all, and its words); its weights are held once, as 16-bit
 * integers, in the postings (postings.ts), where the search and exact scoring both read them.
 */

import { type AnalyzedProfile, analyzeProfile } from "./analyze";
import { type FeatureKey, isPerishable } from "./lexicon";
import { type Place, toPlace } from "./location";
import { activityPerishability } from "./perishable";
import { buildPostings, type DocWeights, type SectorPostings, WEIGHT_ONE } from "./postings";
import { SIZE_RANK } from "./score";
import type { MatchProfile, Sector } from "./types";

/** The vector kinds of a business: its offers, its needs, both together, and its surface words. */
export const KINDS = ["offers", "needs", "all", "words"] as const;
export type Kind = (typeof KINDS)[number];

/**
 * A business's feature ids of one kind, ascending: the entries `from` to `to - 1` of `ids`. A
 * built corpus keeps all its ids in a few shared arrays (one small typed array per vector cost
 * more in overhead than in numbers); a business added later (live.ts) has arrays of its own.
 * The weights are not here: see {@link Doc.own} and postings.ts.
 */
export interface Vec {
  ids: Int32Array;
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
  /**
   * Its concept ids (offers and needs together): each entry has a weight in its offers, needs and
   * whole-profile ("all") vectors, 0 where absent; the three vectors are L2-normalised TF-IDF.
   */
  concepts: Vec;
  /** Its surface-word ids, weighted as one L2-normalised TF-IDF vector. */
  words: Vec;
  /** Index in the corpus it was built into, whose postings hold its weights; -1 with {@link own}. */
  at: number;
  /** Weights of its own (a business added after the build: live.ts), else null. */
  own: DocWeights | null;
  /** How perishable what it supplies is, from its activity code (perishable.ts), in [0, 1]. */
  perish: number;
  /** Concept ids of offer features only its KBLI code implies (AnalyzedProfile.implied). */
  implied: readonly number[];
}

export interface Corpus {
  /** Sorted by id, so that an index order is an id order (ties are broken by it). */
  docs: Doc[];
  /** The inverted index, which also holds every built doc's weights (postings.ts). */
  postings: SectorPostings;
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

/** What a doc is besides its features and weights. */
type DocFacts = Omit<Doc, "concepts" | "words" | "at" | "own">;

/** A business interned but not yet weighted: its doc without vectors, and its four bags. */
export interface RawDoc {
  doc: DocFacts;
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

/** Term weight to TF-IDF factor: sublinear above 1 (1 + ln tf), linear below. */
function sublinear(t: number): number {
  return t > 1 ? 1 + Math.log(t) : t;
}

/** A held weight (postings.ts): x of a vector of norm `norm`, as round(x / norm x WEIGHT_ONE), at least 1. */
function held(x: number, norm: number): number {
  return x > 0 && norm > 0 ? Math.max(1, Math.round((x / norm) * WEIGHT_ONE)) : 0;
}

/**
 * The held weights of one business's concept entries `from..to - 1` (ids ascending, term weights
 * `tfo` in its offers and `tfn` in its needs, 0 where absent; the whole profile's is their sum),
 * written at the same positions of `o`, `n` and `a`. The one home of this arithmetic: a built
 * business and one added later (live.ts) get the same numbers.
 */
function weighConcepts(
  ids: Int32Array,
  tfo: Float64Array,
  tfn: Float64Array,
  from: number,
  to: number,
  idf: Float64Array,
  o: Uint16Array,
  n: Uint16Array,
  a: Uint16Array,
): void {
  let no = 0;
  let nn = 0;
  let na = 0;
  for (let i = from; i < to; i++) {
    const f = idf[ids[i]];
    const xo = sublinear(tfo[i]) * f;
    const xn = sublinear(tfn[i]) * f;
    const xa = sublinear(tfo[i] + tfn[i]) * f;
    no += xo * xo;
    nn += xn * xn;
    na += xa * xa;
  }
  no = Math.sqrt(no);
  nn = Math.sqrt(nn);
  na = Math.sqrt(na);
  for (let i = from; i < to; i++) {
    const f = idf[ids[i]];
    o[i] = held(sublinear(tfo[i]) * f, no);
    n[i] = held(sublinear(tfn[i]) * f, nn);
    a[i] = held(sublinear(tfo[i] + tfn[i]) * f, na);
  }
}

/** {@link weighConcepts} for surface words (one vector). */
function weighWords(
  ids: Int32Array,
  tf: Float64Array,
  from: number,
  to: number,
  idf: Float64Array,
  w: Uint16Array,
): void {
  let norm = 0;
  for (let i = from; i < to; i++) {
    const x = sublinear(tf[i]) * idf[ids[i]];
    norm += x * x;
  }
  norm = Math.sqrt(norm);
  for (let i = from; i < to; i++) w[i] = held(sublinear(tf[i]) * idf[ids[i]], norm);
}

/** A bag's keys, ascending. */
function sortedBag(bag: Map<number, number>): Int32Array {
  return Int32Array.from([...bag.keys()].sort((x, y) => x - y));
}

/** A raw doc weighted by the given IDF tables, with arrays and weights of its own (live.ts). */
export function weighDoc(r: RawDoc, idf: { concept: Float64Array; word: Float64Array }): Doc {
  const cIds = sortedBag(r.bags.all);
  const tfo = Float64Array.from(cIds, (id) => r.bags.offers.get(id) ?? 0);
  const tfn = Float64Array.from(cIds, (id) => r.bags.needs.get(id) ?? 0);
  const wIds = sortedBag(r.bags.words);
  const tfw = Float64Array.from(wIds, (id) => r.bags.words.get(id) ?? 0);
  const own: DocWeights = {
    offers: new Uint16Array(cIds.length),
    needs: new Uint16Array(cIds.length),
    all: new Uint16Array(cIds.length),
    words: new Uint16Array(wIds.length),
    cShift: 0,
    wShift: 0,
  };
  weighConcepts(cIds, tfo, tfn, 0, cIds.length, idf.concept, own.offers, own.needs, own.all);
  weighWords(wIds, tfw, 0, wIds.length, idf.word, own.words);
  return docOf(r.doc, { ids: cIds, from: 0, to: cIds.length }, { ids: wIds, from: 0, to: wIds.length }, own);
}

/**
 * A doc with every field written out, not spread: one compact shape for all docs (a spread copy
 * took ~0.4 KB more per business and gave built and added docs different shapes).
 */
function docOf(d: DocFacts, concepts: Vec, words: Vec, own: DocWeights | null): Doc {
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
    concepts,
    words,
    at: -1,
    own,
  };
}

/**
 * Builds the corpus from stored analyses or raw profiles (raw ones are analysed here).
 * IDF is ln((n + 1) / (df + 0.5)) over businesses: a concept counts once per business whichever
 * side it is on. Term weights are sublinear (1 + ln tf above 1; weights below 1 stay linear).
 * With `stats`, IDF comes from them instead of from these businesses (live.ts).
 * @example
 * const corpus = buildCorpus(profiles);
 * corpus.docs[corpus.indexOf.get("S001") ?? -1]?.concepts // S001's concept ids (their weights: corpus.postings)
 */
export function buildCorpus(items: Iterable<AnalyzedProfile | MatchProfile>, stats?: CorpusStats): Corpus {
  const builder = corpusBuilder();
  for (const item of items) builder.add(item);
  return builder.finish(stats);
}

/** Entries per shared block of ids (4 bytes each; and 16 bytes of term weights while building). */
const BLOCK = 1 << 15;

/**
 * Builds a corpus one business at a time, so that a caller reading pages of rows need not hold
 * them all: each business is analysed (if raw), interned and its term weights written into shared
 * blocks at once; only its small doc is kept. `finish` weighs every business with the IDF of what
 * was added (or `stats`) and writes the weights into the postings, their one home.
 */
export interface CorpusBuilder {
  add(item: AnalyzedProfile | MatchProfile): void;
  finish(stats?: CorpusStats): Corpus;
}

/** A block of entries: ids, and two term weights (offers and needs; a word's in the first). */
interface Block {
  ids: Int32Array;
  tf1: Float64Array | null;
  tf2: Float64Array | null;
}

export function corpusBuilder(): CorpusBuilder {
  const interned: Interned = { concepts: new Map(), words: new Map(), codesets: new Map() };
  const docs: Doc[] = [];
  const blocks: Block[] = [];
  let block: Block = { ids: new Int32Array(0), tf1: null, tf2: null };
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
  /** Writes a bag's ids (ascending) and term weights into the blocks (the second's too, 0 where absent). */
  const put = (bag: Map<number, number>, first: Map<number, number>, second?: Map<number, number>): Vec => {
    const keys = [...bag.keys()].sort((a, b) => a - b);
    if (used + keys.length > block.ids.length) {
      const size = Math.max(BLOCK, keys.length);
      block = { ids: new Int32Array(size), tf1: new Float64Array(size), tf2: new Float64Array(size) };
      blocks.push(block);
      used = 0;
    }
    const { ids, tf1, tf2 } = block as { ids: Int32Array; tf1: Float64Array; tf2: Float64Array };
    const from = used;
    for (const k of keys) {
      ids[used] = k;
      tf1[used] = first.get(k) ?? 0;
      tf2[used++] = second?.get(k) ?? 0;
    }
    return { ids, from, to: used };
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
          put(r.bags.all, r.bags.offers, r.bags.needs),
          put(r.bags.words, r.bags.words),
          null,
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
      // Term weights become held weights, in arrays of their own by block (the last one no longer
      // than it is). Docs are still in the order added, so the blocks are met in order: each
      // block's term weights are dropped as soon as the docs in it are weighed.
      const weights = new Map<Int32Array, DocWeights>();
      blocks.forEach((b, i) => {
        const size = i === blocks.length - 1 ? used : b.ids.length;
        const a = new Uint16Array(size);
        weights.set(b.ids, {
          offers: new Uint16Array(size),
          needs: new Uint16Array(size),
          all: a,
          words: a,
          cShift: 0,
          wShift: 0,
        });
      });
      const byIds = new Map(blocks.map((x) => [x.ids, x]));
      let b = 0;
      for (const d of docs) {
        const { concepts: c, words: v } = d;
        // A doc's words may start the next block, never an earlier one.
        while (blocks[b].ids !== c.ids) {
          blocks[b].tf1 = null;
          blocks[b++].tf2 = null;
        }
        const bc = blocks[b];
        const bw = byIds.get(v.ids) as Block;
        const wc = weights.get(c.ids) as DocWeights;
        const tf1 = bc.tf1 as Float64Array;
        weighConcepts(
          c.ids,
          tf1,
          bc.tf2 as Float64Array,
          c.from,
          c.to,
          idf.concept,
          wc.offers,
          wc.needs,
          wc.all,
        );
        weighWords(
          v.ids,
          bw.tf1 as Float64Array,
          v.from,
          v.to,
          idf.word,
          (weights.get(v.ids) as DocWeights).words,
        );
      }
      const last = blocks.length > 0 ? blocks[blocks.length - 1].ids : undefined;
      byIds.clear();
      blocks.length = 0;
      block = { ids: new Int32Array(0), tf1: null, tf2: null };
      strings.clear();
      // A doc's words may be in the block after its concepts'.
      const view: DocWeights = { ...(weights.values().next().value as DocWeights) };
      const corpus = corpusOf(docs, interned, fixed, (d) => {
        const c = weights.get(d.concepts.ids) as DocWeights;
        view.offers = c.offers;
        view.needs = c.needs;
        view.all = c.all;
        view.words = (weights.get(d.words.ids) as DocWeights).words;
        return view;
      });
      // The last block of ids trimmed to what it holds.
      if (last !== undefined && used < last.length) {
        const trimmed = last.slice(0, used);
        for (const d of docs) {
          if (d.concepts.ids === last) d.concepts.ids = trimmed;
          if (d.words.ids === last) d.words.ids = trimmed;
        }
      }
      return corpus;
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
 * A corpus over weighted docs (sorted here by id) and the intern tables their ids come from: what
 * a full build ends with, and what live.ts compacts into without analysing anything again. Each
 * doc's weights are read once through `weightsOf` and written into the postings; the docs then
 * hold ids only (their own weights, if any, are dropped).
 */
export function corpusOf(
  unsorted: Doc[],
  interned: Interned,
  stats: CorpusStats,
  weightsOf: (d: Doc) => DocWeights,
): Corpus {
  const docs = unsorted.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const conceptKeys: FeatureKey[] = [...interned.concepts.keys()];
  const postings = buildPostings(docs, interned.concepts.size, interned.words.size, weightsOf);
  docs.forEach((d, i) => {
    d.at = i;
    d.own = null;
  });
  return {
    docs,
    postings,
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
