/**
 * The matcher: the public face of the engine. It builds a registry snapshot's vectors and index
 * once (corpus.ts, postings.ts), then answers per business: the top candidates of the other sector
 * (search.ts), each scored (score.ts) and explained (pair.ts, explain.ts), in one language or in
 * both for storing.
 */

import type { Language } from "../domain/language";
import type { AnalyzedProfile } from "./analyze";
import { DEFAULT_WEIGHTS, type MatchWeights } from "./config";
import { buildCorpus, type Corpus, type Doc } from "./corpus";
import { explain, explainCodes, type ReasonCode, suggestPattern } from "./explain";
import {
  type CategoryLookup,
  createCategoryLookup,
  type EvaluatedPair,
  evaluatePair,
  type PairContext,
} from "./pair";
import type { PairSimilarities } from "./score";
import { createSearch } from "./search";
import type { MatchComponents, MatchProfile, Suggestion } from "./types";

export interface RankOptions {
  /** Maximum results (default 10). */
  limit?: number;
  /** Drop candidates whose fused score is below this (0-1, default 0). */
  minScore?: number;
  /** Language of the reasons (default "id"). */
  lang?: Language;
}

/** A suggestion as stored: reasons as codes, rendered in the reader's language (`renderReasons`). */
export interface StoredSuggestion extends Omit<Suggestion, "reasons"> {
  reasons: ReasonCode[];
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
  /** Top suggestions with reasons as codes, for storing and rendering in either language later. */
  rankForStorage(id: string, options?: Omit<RankOptions, "lang"> & SearchOptions): StoredSuggestion[];
  /** Ids of the top candidates only (no explanations): for recall checks and batch work. */
  topIds(id: string, options?: Omit<RankOptions, "lang"> & SearchOptions): string[];
  /**
   * The top candidates with their scores (what `score` gives for each pair), no explanations: for
   * batch work that needs both, such as marking the stored sets a changed business can enter.
   */
  topScored(
    id: string,
    options?: Omit<RankOptions, "lang"> & SearchOptions,
  ): Array<{ id: string; score: number }>;
  /** Scores one pair without explanations, for evaluation and tests. */
  score(queryId: string, candidateId: string): { score: number; components: MatchComponents } | null;
  /**
   * One pair scored and explained as `rank` would (reasons in `lang`, suggested pattern), whether
   * or not the candidate makes the query's top list: for reviewing a pairing someone asked for.
   * Null when either id is unknown or both are of the same sector.
   */
  explainPair(queryId: string, candidateId: string, lang?: Language): Suggestion | null;
}

/**
 * A top candidate as an engine finds it, with its similarities with the query when the index
 * search accumulated them (then its explanation need not merge the pair's vectors again).
 */
export interface Found {
  doc: Doc;
  /** Its score with the query, as `exactPairScore` gives it. */
  score: number;
  sums?: PairSimilarities;
}

/**
 * What a {@link Matcher} answers from: the scoring context, the businesses it knows, and the top
 * candidates of one of them (best first, ties by id). A full build (below) and a live index with
 * changes applied since (live.ts) are both engines.
 */
export interface MatchEngine {
  ctx: PairContext;
  size(): number;
  doc(id: string): Doc | undefined;
  top(q: Doc, k: number, minScore: number, exhaustive: boolean): Found[];
}

/**
 * Builds a matcher over a registry snapshot (stored analyses, or raw profiles which are analysed
 * here); IDF statistics come from this snapshot. Building is O(features of all businesses); each
 * query then costs about the postings of its features (see search.ts).
 * @example
 * const m = createMatcher(profiles);
 * m.rank("S001", { limit: 5, lang: "en" })
 * // [{ id: "I015", score: 0.8599, components: { category: 0.9, location: 0.7464, text: 0.8875 },
 * //    reasons: ["They offer what you need: tempeh", ...], pattern: "rantai_pasok" }, ...]
 */
export function createMatcher(
  items: Iterable<AnalyzedProfile | MatchProfile>,
  weights: MatchWeights = DEFAULT_WEIGHTS,
): Matcher {
  return matcherOver(snapshotEngine(buildCorpus(items), weights));
}

/**
 * A built corpus's engine, which can also search it for a business it does not hold
 * (`topExternal`, for live.ts: a business added or edited since the build).
 */
export interface SnapshotEngine extends MatchEngine {
  /**
   * The top `k` of this corpus's businesses of the other sector for `q`, a business not in it
   * (weighted with this corpus's statistics, holding its own weights), by the index search, with
   * their similarities: what scoring each directly would give (search.ts). `category` must know
   * `q`'s code list.
   */
  topExternal(q: Doc, k: number, minScore: number, category: CategoryLookup): Found[];
}

/** The engine of one built corpus: its postings and search (search.ts). */
export function snapshotEngine(corpus: Corpus, weights: MatchWeights): SnapshotEngine {
  const { docs, indexOf } = corpus;
  const ctx: PairContext = { corpus, weights, category: createCategoryLookup(corpus, weights.io !== false) };
  const search = createSearch(ctx, corpus.postings);
  return {
    ctx,
    size: () => docs.length,
    doc: (id) => {
      const i = indexOf.get(id);
      return i === undefined ? undefined : docs[i];
    },
    top: (q, k, minScore, exhaustive) =>
      search(indexOf.get(q.id) ?? -1, k, minScore, exhaustive).map((h) => ({
        doc: docs[h.i],
        score: h.score,
        sums: h.sums,
      })),
    topExternal: (q, k, minScore, category) =>
      search.external(q, k, minScore, category).map((h) => ({
        doc: docs[h.i],
        score: h.score,
        sums: h.sums,
      })),
  };
}

/** One scored pair as a suggestion: the candidate, its score and components, reasons and pattern. */
export function suggestionOf(c: Doc, e: EvaluatedPair): Suggestion {
  return {
    id: c.id,
    score: e.score,
    components: e.components,
    reasons: explain(e.explainInput),
    pattern: suggestPattern(e.explainInput),
  };
}

/** The {@link Matcher} API over an engine: limits, scoring and explanations. */
export function matcherOver(engine: MatchEngine): Matcher {
  /** The two businesses of a pair of opposite sectors, or null. */
  function pair(queryId: string, candidateId: string): [Doc, Doc] | null {
    const q = engine.doc(queryId);
    const c = engine.doc(candidateId);
    if (!q || !c || q === c || q.sector === c.sector) return null;
    return [q, c];
  }

  function hits(
    id: string,
    options: Omit<RankOptions, "lang"> & SearchOptions,
  ): { q: Doc; top: Found[] } | null {
    const q = engine.doc(id);
    if (!q) return null;
    const limit = Math.min(options.limit ?? 10, engine.size());
    if (limit <= 0) return { q, top: [] };
    return { q, top: engine.top(q, limit, options.minScore ?? 0, options.exhaustive ?? false) };
  }

  const suggestion = suggestionOf;

  return {
    get size() {
      return engine.size();
    },
    has: (id) => engine.doc(id) !== undefined,
    score(queryId, candidateId) {
      const p = pair(queryId, candidateId);
      if (!p) return null;
      const e = evaluatePair(engine.ctx, p[0], p[1], "id");
      return { score: e.score, components: e.components };
    },
    explainPair(queryId, candidateId, lang = "id") {
      const p = pair(queryId, candidateId);
      return p ? suggestion(p[1], evaluatePair(engine.ctx, p[0], p[1], lang)) : null;
    },
    topIds(id, options = {}) {
      return hits(id, options)?.top.map((f) => f.doc.id) ?? [];
    },
    topScored(id, options = {}) {
      return hits(id, options)?.top.map((f) => ({ id: f.doc.id, score: f.score })) ?? [];
    },
    rank(id, options = {}) {
      const found = hits(id, options);
      if (!found) return [];
      const lang = options.lang ?? "id";
      return found.top.map((f) => suggestion(f.doc, evaluatePair(engine.ctx, found.q, f.doc, lang, f.sums)));
    },
    rankForStorage(id, options = {}) {
      const found = hits(id, options);
      if (!found) return [];
      return found.top.map(({ doc: c, sums }) => {
        const e = evaluatePair(engine.ctx, found.q, c, "id", sums);
        return {
          id: c.id,
          score: e.score,
          components: e.components,
          reasons: explainCodes(e.explainInput),
          pattern: suggestPattern(e.explainInput),
        };
      });
    },
  };
}
