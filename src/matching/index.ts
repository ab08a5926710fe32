// TEMPORARY placeholder so the service layer can be wired while the engine is written.
// The real engine replaces this file's internals; the exported names and shapes stay.
import type { Lang, MatchProfile, Suggestion } from "./types";

export * from "./types";

export const ANALYZER_VERSION = 0;

/** Per-business precomputed features, JSON-serialisable so services may store them. */
export interface AnalyzedProfile {
  v: number;
  profile: MatchProfile;
}

export function analyzeProfile(profile: MatchProfile): AnalyzedProfile {
  return { v: ANALYZER_VERSION, profile };
}

export interface RankOptions {
  limit?: number;
  minScore?: number;
  lang?: Lang;
}

export interface Matcher {
  readonly size: number;
  has(id: string): boolean;
  rank(id: string, options?: RankOptions): Suggestion[];
}

export function createMatcher(items: Array<AnalyzedProfile | MatchProfile>): Matcher {
  const profiles = items.map((i) => ("v" in i ? i.profile : i));
  const byId = new Map(profiles.map((p) => [p.id, p]));
  return {
    size: profiles.length,
    has: (id) => byId.has(id),
    rank(id, options = {}) {
      const q = byId.get(id);
      if (!q) return [];
      return profiles
        .filter((p) => p.sector !== q.sector)
        .map((p) => ({
          id: p.id,
          score: 0.5,
          components: { category: 0.5, location: 0.5, text: 0.5 },
          reasons: ["placeholder"],
          pattern: "rantai_pasok" as const,
        }))
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .slice(0, options.limit ?? 10);
    },
  };
}
