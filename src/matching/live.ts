/**
 * A matcher that takes changes: a built snapshot (the base: its postings and search, search.ts)
 * plus an overlay of the businesses added or edited since, and the base entries they removed or
 * replaced. Nothing is re-analysed or re-indexed for a change: the changed business is interned
 * into the base's feature ids and weighted with the base's corpus statistics (IDF, n), which stay
 * fixed until the next full build. So the answers are exactly those of a full build over the same
 * businesses with the same {@link CorpusStats} (test/unit/matching/live.test.ts checks it).
 *
 * A query pays for the overlay: base candidates come from the base search asked for k plus the
 * removed entries (then filtered), and overlay candidates are scored directly. A business that is
 * itself in the overlay has no postings in the base, but its own weights: the base search walks
 * the base's postings of its features as for any query (search.ts, `external`). When the overlay
 * passes {@link COMPACT_FRACTION} of the registry, the live docs are compacted into a new base
 * (postings only: no analysis, same statistics).
 */

import type { Language } from "../domain/language";
import type { AnalyzedProfile } from "./analyze";
import { DEFAULT_WEIGHTS, type MatchWeights } from "./config";
import {
  buildCorpus,
  type Corpus,
  type CorpusStats,
  corpusBuilder,
  corpusOf,
  type Doc,
  idfTables,
  internDoc,
  weighDoc,
} from "./corpus";
import { isPerishable } from "./lexicon";
import { createCategoryLookup, evaluatePair, exactPairScore, type PairContext } from "./pair";
import { weightScratch, weightsOf } from "./postings";
import {
  type Found,
  type MatchEngine,
  type Matcher,
  matcherOver,
  type SnapshotEngine,
  snapshotEngine,
  suggestionOf,
} from "./rank";
import type { MatchProfile, Suggestion } from "./types";

/** The overlay is compacted into the base once it holds this share of the registry (or 64 entries). */
export const COMPACT_FRACTION = 0.02;
const COMPACT_MIN = 64;

/** Changes since the index's revision: businesses to add or replace, ids to drop. */
export interface MatcherChanges {
  upsert: ReadonlyArray<AnalyzedProfile | MatchProfile>;
  remove: readonly string[];
}

export interface LiveMatcher extends Matcher {
  /** Applies changes in place: add or replace each upserted business, drop each removed id. */
  apply(changes: MatcherChanges): void;
  /** The statistics every vector is weighted with (those of the last full build). */
  readonly stats: CorpusStats;
  /** Businesses held outside the base index (added or edited since it was built). */
  readonly overlaySize: number;
  /**
   * Ranks the registry for a profile that is not in it (a procurement package read as a buyer),
   * weighted with the matcher's statistics and scored with `weights` laid over the matcher's own.
   * Every candidate of the other sector is scored directly (no index: the profile has no
   * postings), best first, ties by id. The profile's words are interned as a change's would be;
   * nothing else in the matcher moves.
   */
  rankExternal(item: AnalyzedProfile | MatchProfile, options: ExternalRankOptions): Suggestion[];
  /** Each business's id and KBLI codes (its own, then the activities read from them). */
  codes(): IterableIterator<[string, string[]]>;
}

export interface ExternalRankOptions {
  limit: number;
  lang: Language;
  weights?: Partial<MatchWeights>;
}

/**
 * Builds a live matcher over a registry snapshot. With `stats`, IDF comes from them (a full build
 * with the statistics of an earlier one, to compare with); else from the snapshot.
 */
export function createLiveMatcher(
  items: Iterable<AnalyzedProfile | MatchProfile>,
  weights: MatchWeights = DEFAULT_WEIGHTS,
  stats?: CorpusStats,
): LiveMatcher {
  return liveMatcherOver(buildCorpus(items, stats), weights);
}

/**
 * Builds a live matcher from businesses added a page at a time (what {@link createLiveMatcher}
 * does with all of them at once), so that whoever reads them from storage can drop each page
 * once added: each business is kept only as its vectors.
 * @example
 * const b = liveMatcherBuilder();
 * for await (const page of pages) b.add(page);
 * const matcher = b.finish();
 */
export function liveMatcherBuilder(
  weights: MatchWeights = DEFAULT_WEIGHTS,
  stats?: CorpusStats,
): LiveMatcherBuilder {
  const builder = corpusBuilder();
  return {
    add(items) {
      for (const item of items) builder.add(item);
    },
    finish: () => liveMatcherOver(builder.finish(stats), weights),
  };
}

export interface LiveMatcherBuilder {
  add(items: Iterable<AnalyzedProfile | MatchProfile>): void;
  /** The matcher over everything added, with IDF from it (or the builder's `stats`). */
  finish(): LiveMatcher;
}

function liveMatcherOver(built: Corpus, weights: MatchWeights): LiveMatcher {
  let base: Corpus = built;
  let engine: SnapshotEngine = snapshotEngine(base, weights);
  const { interned } = base;
  const fixed = base.stats;
  /** Added or edited businesses, by id. */
  const overlay = new Map<string, Doc>();
  /** Base indices removed or replaced. */
  const dead = new Set<number>();
  let idf = idfTables(interned, fixed);
  let live = liveContext(base, weights);

  function refreshTables(): void {
    if (idf.concept.length !== interned.concepts.size || idf.word.length !== interned.words.size)
      idf = idfTables(interned, fixed);
    if (
      live.corpus.perishable.length !== interned.concepts.size ||
      live.corpus.codesetCodes.length !== interned.codesets.size
    )
      live = liveContext(growCorpus(base), weights);
  }

  function baseIndex(id: string): number | undefined {
    const i = base.indexOf.get(id);
    return i === undefined || dead.has(i) ? undefined : i;
  }

  function doc(id: string): Doc | undefined {
    const o = overlay.get(id);
    if (o) return o;
    const i = baseIndex(id);
    return i === undefined ? undefined : base.docs[i];
  }

  function compact(): void {
    const docs: Doc[] = base.docs.filter((_, i) => !dead.has(i));
    docs.push(...overlay.values());
    const scratch = weightScratch();
    const held = base.postings;
    base = corpusOf(docs, interned, fixed, (d) => weightsOf(held, d, scratch));
    engine = snapshotEngine(base, weights);
    overlay.clear();
    dead.clear();
    live = liveContext(base, weights);
  }

  function top(q: Doc, k: number, minScore: number, exhaustive: boolean): Found[] {
    if (overlay.size === 0 && dead.size === 0) return engine.top(q, k, minScore, exhaustive);
    const found: Found[] = [];
    if (!exhaustive) {
      // Base candidates from the base search, asked for enough to survive dropping the dead
      // entries; a query in the overlay has no postings there, so it is searched as an external
      // business (with the live category lookup, which knows a code list first met in the
      // overlay). The search's scores and sums are those of exact scoring on the live context:
      // same weights, same category and place scores (search.ts), so they are kept as they are.
      const hits = overlay.has(q.id)
        ? engine.topExternal(q, k + dead.size, minScore, live.category)
        : engine.top(q, k + dead.size, minScore, false);
      for (const h of hits) if (!dead.has(base.indexOf.get(h.doc.id) as number)) found.push(h);
    } else {
      base.docs.forEach((c, i) => {
        if (c.sector === q.sector || dead.has(i) || c.id === q.id) return;
        const score = exactPairScore(live, q, c);
        if (score >= minScore) found.push({ doc: c, score });
      });
    }
    for (const c of overlay.values()) {
      if (c.sector === q.sector || c.id === q.id) continue;
      const score = exactPairScore(live, q, c);
      if (score >= minScore) found.push({ doc: c, score });
    }
    found.sort((a, b) => b.score - a.score || (a.doc.id < b.doc.id ? -1 : a.doc.id > b.doc.id ? 1 : 0));
    if (found.length > k) found.length = k;
    return found;
  }

  const liveEngine: MatchEngine = {
    get ctx() {
      return live;
    },
    size: () => base.docs.length - dead.size + overlay.size,
    doc,
    top,
  };
  const matcher = matcherOver(liveEngine);

  function apply(changes: MatcherChanges): void {
    for (const id of changes.remove) {
      overlay.delete(id);
      const i = base.indexOf.get(id);
      if (i !== undefined) dead.add(i);
    }
    for (const item of changes.upsert) {
      const raw = internDoc(interned, item);
      refreshTables();
      const d = weighDoc(raw, idf);
      const i = base.indexOf.get(d.id);
      if (i !== undefined) dead.add(i);
      overlay.set(d.id, d);
    }
    if (overlay.size + dead.size > Math.max(COMPACT_MIN, base.docs.length * COMPACT_FRACTION)) compact();
  }

  function rankExternal(item: AnalyzedProfile | MatchProfile, options: ExternalRankOptions): Suggestion[] {
    const raw = internDoc(interned, item);
    refreshTables();
    const q = weighDoc(raw, idf);
    const ctx: PairContext = { ...live, weights: { ...weights, ...options.weights } };
    const found: Array<{ c: Doc; score: number }> = [];
    const consider = (c: Doc) => {
      if (c.sector !== q.sector && c.id !== q.id) found.push({ c, score: exactPairScore(ctx, q, c) });
    };
    base.docs.forEach((c, i) => {
      if (!dead.has(i)) consider(c);
    });
    for (const c of overlay.values()) consider(c);
    found.sort((a, b) => b.score - a.score || (a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0));
    return found
      .slice(0, Math.max(0, options.limit))
      .map(({ c }) => suggestionOf(c, evaluatePair(ctx, q, c, options.lang)));
  }

  function* codes(): IterableIterator<[string, string[]]> {
    const codesOf = (d: Doc): [string, string[]] => [
      d.id,
      [...d.kbli, ...live.corpus.codesetCodes[d.codeset]],
    ];
    for (let i = 0; i < base.docs.length; i++) if (!dead.has(i)) yield codesOf(base.docs[i]);
    for (const d of overlay.values()) yield codesOf(d);
  }

  // Getters defined, not copied (Object.assign would read them once).
  return Object.defineProperties(matcher, {
    apply: { value: apply },
    rankExternal: { value: rankExternal },
    codes: { value: codes },
    stats: { get: () => fixed },
    overlaySize: { get: () => overlay.size + dead.size },
  }) as LiveMatcher;
}

/**
 * The base corpus seen with the intern tables as they are now: feature keys, perishable flags
 * and code lists of features first met in the overlay (the base's own arrays are left as built).
 */
function growCorpus(base: Corpus): Corpus {
  const conceptKeys = [...base.interned.concepts.keys()];
  return {
    ...base,
    conceptKeys,
    wordCount: base.interned.words.size,
    perishable: new Uint8Array(conceptKeys.map((k) => (isPerishable(k) ? 1 : 0))),
    codesetCodes: [...base.interned.codesets.keys()].map((k) => (k === "" ? [] : k.split(","))),
  };
}

/**
 * Scoring context over a (grown) corpus: its category lookup is sized by the code lists known now,
 * so a new one is made when a change brings a code list first met in the overlay.
 */
function liveContext(corpus: Corpus, weights: MatchWeights): PairContext {
  return { corpus, weights, category: createCategoryLookup(corpus, weights.io !== false) };
}
