/**
 * The weekly pairing proposals on an evaluation dataset: the assignment against greedy top-1 (total
 * score) and naive top-k (exposure concentration), plus how good the proposed pairs are by the
 * dataset's judgments (grade of each proposed pair, 0 when unjudged).
 */
import {
  type AssignmentComparison,
  type CandidatePair,
  compareAssignment,
  DEFAULT_ASSIGN_CONFIG,
  greedyTopOne,
  type Matcher,
  type MatchProfile,
  naiveTopK,
  PROPOSAL_CANDIDATES_PER_BUSINESS,
  pairId,
} from "../../src/matching";

export interface JudgedQuality {
  proposals: number;
  /** Mean grade (0-3) of the proposed pairs; unjudged pairs count 0. */
  meanGrade: number;
  /** Share of proposed pairs graded 2 or 3 (a good or excellent fit). */
  goodShare: number;
}

export interface PairingReport extends AssignmentComparison {
  config: { exposureCap: number; minScore: number; candidatesPerBusiness: number };
  candidates: number;
  judged: { assignment: JudgedQuality; greedyTopOne: JudgedQuality; naiveTopK: JudgedQuality };
}

/** Pair grades keyed by `pairId`. */
export function pairGrades(judgments: Array<{ service: string; industry: string; grade: number }>) {
  return new Map(judgments.map((j) => [pairId(j.service, j.industry), j.grade]));
}

function quality(pairs: readonly CandidatePair[], grades: Map<string, number>): JudgedQuality {
  const gs = pairs.map((p) => grades.get(pairId(p.serviceId, p.industryId)) ?? 0);
  return {
    proposals: pairs.length,
    meanGrade: gs.length ? gs.reduce((a, b) => a + b, 0) / gs.length : 0,
    goodShare: gs.length ? gs.filter((g) => g >= 2).length / gs.length : 0,
  };
}

/**
 * Every business's top `PROPOSAL_CANDIDATES_PER_BUSINESS` suggestions as candidates, each
 * business's capacity its `maxPartners` (nobody has partners yet), nothing excluded.
 */
export function evaluatePairing(
  matcher: Matcher,
  profiles: readonly MatchProfile[],
  grades: Map<string, number>,
): PairingReport {
  const sectorOf = new Map(profiles.map((p) => [p.id, p.sector]));
  const candidates: CandidatePair[] = [];
  for (const p of profiles) {
    for (const s of matcher.rank(p.id, { limit: PROPOSAL_CANDIDATES_PER_BUSINESS })) {
      const service = p.sector === "service" ? p.id : s.id;
      const industry = p.sector === "service" ? s.id : p.id;
      if (sectorOf.get(service) !== "service" || sectorOf.get(industry) !== "industry") continue;
      candidates.push({ serviceId: service, industryId: industry, score: s.score });
    }
  }
  const input = {
    candidates,
    capacity: new Map(profiles.map((p) => [p.id, p.maxPartners])),
    excluded: [],
    config: DEFAULT_ASSIGN_CONFIG,
  };
  const { result, comparison } = compareAssignment(input);
  return {
    config: {
      exposureCap: DEFAULT_ASSIGN_CONFIG.exposureCap,
      minScore: DEFAULT_ASSIGN_CONFIG.minScore,
      candidatesPerBusiness: PROPOSAL_CANDIDATES_PER_BUSINESS,
    },
    candidates: new Set(candidates.map((c) => pairId(c.serviceId, c.industryId))).size,
    ...comparison,
    judged: {
      assignment: quality(result.chosen, grades),
      greedyTopOne: quality(greedyTopOne(input).chosen, grades),
      naiveTopK: quality(naiveTopK(input, DEFAULT_ASSIGN_CONFIG.exposureCap), grades),
    },
  };
}
