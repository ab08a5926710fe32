/**
 * The matcher: scores every business of the other sector for one business, in both directions,
 * and returns them ranked and explained.
 */
import { type AnalyzedProfile, analyzeProfile } from "./analyze";
import { categoryScore } from "./category";
import { DEFAULT_WEIGHTS, type MatchWeights } from "./config";
import { explain, suggestPattern } from "./explain";
import { type FeatureKey, isPerishable } from "./lexicon";
import { locationScore } from "./location";
import type { Lang, MatchComponents, MatchProfile, Suggestion } from "./types";
import { cosine, idfTable, type SparseVector, tfidfVector } from "./vector";

export interface RankOptions {
  /** Maximum results (default 10). */
  limit?: number;
  /** Drop candidates whose fused score is below this (0-1, default 0). */
  minScore?: number;
  /** Language of the reasons (default "id"). */
  lang?: Lang;
}

export interface StoredSuggestion extends Omit<Suggestion, "reasons"> {
  reasons: Record<Lang, string[]>;
}

export interface Matcher {
  readonly size: number;
  has(id: string): boolean;
  /** Ranked suggestions for one business; empty when the id is unknown. */
  rank(id: string, options?: RankOptions): Suggestion[];
  /** Top suggestions with reasons in both languages, for storing and serving either later. */
  rankForStorage(id: string, options?: Omit<RankOptions, "lang">): StoredSuggestion[];
  /** Scores one pair without explanations, for evaluation and tests. */
  score(queryId: string, candidateId: string): { score: number; components: MatchComponents } | null;
}

interface Entry {
  p: AnalyzedProfile;
  offers: SparseVector;
  needs: SparseVector;
  /** Offers and needs together: what the business is about, for topical affinity. */
  all: SparseVector;
  /** The profile's own words, unmapped: rewards the exact wording two businesses share. */
  words: SparseVector;
}

const SIZE_RANK = { mikro: 0, kecil: 1, menengah: 2, besar: 3 } as const;

/** Fuses the two directions; `wa` is the weight of `a` (0.5 = symmetric). */
function fuse(a: number, b: number, how: MatchWeights["fusion"], wa = 0.5): number {
  if (how === "min") return Math.min(a, b);
  if (how === "mean") return wa * a + (1 - wa) * b;
  return a === 0 || b === 0 ? 0 : 1 / (wa / a + (1 - wa) / b);
}

function perishableShare(parts: Array<[FeatureKey, number]>): number {
  let total = 0;
  let fresh = 0;
  for (const [f, w] of parts) {
    total += w;
    if (isPerishable(f)) fresh += w;
  }
  return total > 0 ? fresh / total : 0;
}

/**
 * Builds a matcher over a registry snapshot. Accepts stored analyses or raw profiles
 * (which are analysed here). IDF statistics come from this snapshot.
 * @example createMatcher(profiles).rank("S001", { limit: 5, lang: "en" })
 */
export function createMatcher(
  items: Array<AnalyzedProfile | MatchProfile>,
  weights: MatchWeights = DEFAULT_WEIGHTS,
): Matcher {
  const analysed = items.map((i) => ("v" in i ? i : analyzeProfile(i)));
  const idf = idfTable(analysed.map((a) => [...a.offers.map(([f]) => f), ...a.needs.map(([f]) => f)]));
  const maxIdf = Math.log(analysed.length + 1);
  const wordIdf = idfTable(analysed.map((a) => a.words.map(([w]) => w)));
  const entries = new Map<string, Entry>();
  for (const p of analysed) {
    entries.set(p.id, {
      p,
      offers: tfidfVector(p.offers, idf, maxIdf),
      needs: tfidfVector(p.needs, idf, maxIdf),
      all: tfidfVector(mergeBags(p.offers, p.needs), idf, maxIdf),
      words: tfidfVector(p.words, wordIdf, maxIdf),
    });
  }
  const sorted = [...entries.values()].sort((a, b) => (a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0));

  function scorePair(q: Entry, c: Entry) {
    const forQuery = cosine(q.needs, c.offers);
    const forCandidate = cosine(c.needs, q.offers);
    const affinity = cosine(q.all, c.all).score;
    const lexical = cosine(q.words, c.words).score;
    const [service, industry] = q.p.sector === "service" ? [q.p, c.p] : [c.p, q.p];
    const category = categoryScore(service.kbli, industry.kbli);
    const location = locationScore(q.p.location, c.p.location);
    const sat = (t: number) => Math.min(1, t / weights.textSaturation);
    const fresh = Math.max(perishableShare(forQuery.parts), perishableShare(forCandidate.parts));
    const wl = weights.location + weights.perishableLocation * fresh;
    const wt = weights.text - weights.perishableLocation * fresh;
    const sizeGap = Math.abs(SIZE_RANK[q.p.sizeClass] - SIZE_RANK[c.p.sizeClass]);
    const sizeFit = 1 - 0.05 * Math.max(0, sizeGap - 1);
    const blend = (t: number) =>
      (1 - weights.affinity - weights.lexical) * t + weights.affinity * affinity + weights.lexical * lexical;
    const direction = (t0: number, t = blend(t0)) =>
      (wt * sat(t) + weights.category * category.score + wl * location.score) * sizeFit;
    // Order the directions as (service's needs met, industry's needs met) so the fusion can
    // weigh the service side, whichever business asked.
    const [dService, dIndustry] =
      q.p.sector === "service"
        ? [direction(forQuery.score), direction(forCandidate.score)]
        : [direction(forCandidate.score), direction(forQuery.score)];
    const score = fuse(dService, dIndustry, weights.fusion, weights.serviceSide);
    const components: MatchComponents = {
      category: round(category.score),
      location: round(location.score),
      text: round(fuse(sat(blend(forQuery.score)), sat(blend(forCandidate.score)), "mean")),
    };
    return { score: round(score), components, forQuery, forCandidate, category, location };
  }

  return {
    size: entries.size,
    has: (id) => entries.has(id),
    score(queryId, candidateId) {
      const q = entries.get(queryId);
      const c = entries.get(candidateId);
      if (!q || !c || q === c || q.p.sector === c.p.sector) return null;
      const r = scorePair(q, c);
      return { score: r.score, components: r.components };
    },
    rank(id, options = {}) {
      const lang = options.lang ?? "id";
      return topK(id, options.limit ?? 10, options.minScore ?? 0).map(({ q, c, r }) => {
        const x = explainInput(q, c, r, lang);
        return {
          id: c.p.id,
          score: r.score,
          components: r.components,
          reasons: explain(x),
          pattern: suggestPattern(x),
        };
      });
    },
    rankForStorage(id, options = {}) {
      return topK(id, options.limit ?? 10, options.minScore ?? 0).map(({ q, c, r }) => {
        const x = explainInput(q, c, r, "id");
        return {
          id: c.p.id,
          score: r.score,
          components: r.components,
          reasons: { id: explain(x), en: explain({ ...x, lang: "en" }) },
          pattern: suggestPattern(x),
        };
      });
    },
  };

  function topK(id: string, limit: number, minScore: number) {
    const q = entries.get(id);
    if (!q) return [];
    const scored: Array<{ q: Entry; c: Entry; r: ReturnType<typeof scorePair> }> = [];
    for (const c of sorted) {
      if (c.p.sector === q.p.sector || c.p.id === id) continue;
      const r = scorePair(q, c);
      if (r.score >= minScore) scored.push({ q, c, r });
    }
    // Ties break by id (the list is id-sorted and the sort is stable).
    scored.sort((a, b) => b.r.score - a.r.score);
    return scored.slice(0, limit);
  }

  function explainInput(q: Entry, c: Entry, r: ReturnType<typeof scorePair>, lang: Lang) {
    return {
      lang,
      candidateMeetsQuery: r.forQuery.parts,
      queryMeetsCandidate: r.forCandidate.parts,
      category: r.category,
      location: r.location,
      queryLocation: q.p.location,
      candidateLocation: c.p.location,
      querySector: q.p.sector,
    };
  }
}

function mergeBags(
  a: Array<[FeatureKey, number]>,
  b: Array<[FeatureKey, number]>,
): Array<[FeatureKey, number]> {
  const m = new Map<FeatureKey, number>(a);
  for (const [f, w] of b) m.set(f, (m.get(f) ?? 0) + w);
  return [...m];
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
