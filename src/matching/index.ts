/**
 * The matching core: pure functions over plain data (no HTTP, storage or Workers APIs).
 * How a match is scored, in order: analyze.ts (text -> concepts), category.ts (KBLI
 * complementarity), location.ts (tiers + distance), rank.ts (TF-IDF vectors, the inverted index,
 * directional scores, reciprocal fusion, ranking), explain.ts (reasons, PP 7/2021 pattern).
 */
export { ANALYZER_VERSION, type AnalyzedProfile, analyzeProfile } from "./analyze";
export {
  type AssignConfig,
  type AssignInput,
  type AssignmentComparison,
  type AssignResult,
  assignPairings,
  type CandidatePair,
  compareAssignment,
  DEFAULT_ASSIGN_CONFIG,
  type ExclusionReason,
  type ExposureStats,
  exposure,
  greedyTopOne,
  naiveTopK,
  PROPOSAL_CANDIDATES_PER_BUSINESS,
  pairId,
  type SkipReason,
} from "./assign";
export { DEFAULT_WEIGHTS, type MatchWeights } from "./config";
export {
  createMatcher,
  type Matcher,
  type RankOptions,
  type SearchOptions,
  type StoredSuggestion,
} from "./rank";
export * from "./types";
