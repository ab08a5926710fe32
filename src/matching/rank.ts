/**
 * The matcher: the public face of the engine. It builds a registry snapshot's vectors and index
 * once (corpus.ts, postings.ts), then answers per business: the top candidates of the other sector
 * (search.ts), each scored (score.ts) and explained (pair.ts, explain.ts), in one language or in
 * both for storing.
 */

import type { Language } from "../domain/language";
import type { AnalyzedProfile } from "./analyze";
import { DEFAULT_WEIGHTS, type MatchWeights } from "./config";
import { buildCorpus, type Doc } from "./corpus";
import { explain, suggestPattern } from "./explain";
import { createCategoryLookup, type EvaluatedPair, evaluatePair, type PairContext } from "./pair";
import { buildPostings } from "./postings";
import { createSearch, type Hit } from "./search";
import type { MatchComponents, MatchProfile, Suggestion } from "./types";

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
  const corpus = buildCorpus(items);
  const { docs, indexOf } = corpus;
  const n = docs.length;
  const ctx: PairContext = { corpus, weights, category: createCategoryLookup(corpus, weights.io !== false) };
  const search = createSearch(ctx, buildPostings(corpus));

  /** The two businesses of a pair of opposite sectors, or null. */
  function pair(queryId: string, candidateId: string): [Doc, Doc] | null {
    const qi = indexOf.get(queryId);
    const ci = indexOf.get(candidateId);
    if (qi === undefined || ci === undefined || qi === ci || docs[qi].sector === docs[ci].sector) return null;
    return [docs[qi], docs[ci]];
  }

  function hits(
    id: string,
    options: Omit<RankOptions, "lang"> & SearchOptions,
  ): { q: Doc; top: Hit[] } | null {
    const qi = indexOf.get(id);
    if (qi === undefined) return null;
    const limit = Math.min(options.limit ?? 10, n);
    return { q: docs[qi], top: search(qi, limit, options.minScore ?? 0, options.exhaustive) };
  }

  function suggestion(c: Doc, e: EvaluatedPair): Suggestion {
    return {
      id: c.id,
      score: e.score,
      components: e.components,
      reasons: explain(e.explainInput),
      pattern: suggestPattern(e.explainInput),
    };
  }

  return {
    size: n,
    has: (id) => indexOf.has(id),
    score(queryId, candidateId) {
      const p = pair(queryId, candidateId);
      if (!p) return null;
      const e = evaluatePair(ctx, p[0], p[1], "id");
      return { score: e.score, components: e.components };
    },
    explainPair(queryId, candidateId, lang = "id") {
      const p = pair(queryId, candidateId);
      return p ? suggestion(p[1], evaluatePair(ctx, p[0], p[1], lang)) : null;
    },
    topIds(id, options = {}) {
      return hits(id, options)?.top.map((h) => docs[h.i].id) ?? [];
    },
    rank(id, options = {}) {
      const found = hits(id, options);
      if (!found) return [];
      const lang = options.lang ?? "id";
      return found.top.map((h) => suggestion(docs[h.i], evaluatePair(ctx, found.q, docs[h.i], lang)));
    },
    rankForStorage(id, options = {}) {
      const found = hits(id, options);
      if (!found) return [];
      return found.top.map((h) => {
        const e = evaluatePair(ctx, found.q, docs[h.i], "id");
        return {
          id: docs[h.i].id,
          score: e.score,
          components: e.components,
          reasons: { id: explain(e.explainInput), en: explain({ ...e.explainInput, lang: "en" }) },
          pattern: suggestPattern(e.explainInput),
        };
      });
    },
  };
}
