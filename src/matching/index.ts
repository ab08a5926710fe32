/**
 * The matching core: pure functions over plain data (no HTTP, storage or Workers APIs).
 * How a match is scored, in order:
 * - signals: analyze.ts (text -> concepts, via lexicon.ts and text.ts, the only user of
 *   `natural`), category.ts (KBLI complementarity), location.ts (tiers + distance);
 * - score.ts: the one formula that combines them into a pair's score (weights in config.ts);
 * - the engine: corpus.ts (TF-IDF vectors), postings.ts (inverted index), search.ts (top k with
 *   pruning), pair.ts (one pair exactly, and what met), rank.ts (the Matcher API), live.ts (a
 *   matcher that takes changes without a rebuild, statistics fixed until the next full build);
 * - explain.ts: reasons (as stored codes, rendered per language) and the PP 7/2021 pattern; why.ts: those reasons in a few words for owners;
 *   assign.ts: weekly proposals over everyone.
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
export type { CorpusStats } from "./corpus";
export { type ReasonCode, renderReasons } from "./explain";
export {
  createLiveMatcher,
  type LiveMatcher,
  type LiveMatcherBuilder,
  liveMatcherBuilder,
  type MatcherChanges,
} from "./live";
export {
  createMatcher,
  type Matcher,
  type RankOptions,
  type SearchOptions,
  type StoredSuggestion,
} from "./rank";
export * from "./types";
export { shortReason, shortWhy } from "./why";
