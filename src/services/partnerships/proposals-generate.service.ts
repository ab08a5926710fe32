import type { BatchItem } from "drizzle-orm/batch";
import type { StoredComponents } from "../../../schema";
import { newId, randomToken } from "../../lib/ids";
import {
  type AssignmentComparison,
  type CandidatePair,
  compareAssignment,
  DEFAULT_ASSIGN_CONFIG,
  type ExclusionReason,
  PROPOSAL_CANDIDATES_PER_BUSINESS,
  pairId,
  renderReasons,
} from "../../matching";
import type { ServiceDeps } from "../deps";
import {
  auditDraftsStatement,
  type CandidateRow,
  countRunDrafts,
  type DraftToWrite,
  insertDraftsStatement,
  selectCandidateRows,
  selectDeclinedPairs,
  selectHoldingCounts,
  selectMatchable,
  selectOpenPairs,
  selectProposalCounts,
  selectProposedPairs,
} from "./proposals.queries";
import { type ProposalConfig, type ProposalScope, proposalPeriod } from "./proposals-config";

/** Drafts per insert statement: keeps each statement's one JSON parameter well under D1's limits. */
const DRAFTS_PER_STATEMENT = 100;

interface Candidate extends CandidatePair {
  components: StoredComponents;
  /** The stored reason codes, rendered in both languages for the pairs chosen. */
  reasons: unknown;
  reasonsFor: "service" | "industry";
  pattern: string;
}

/** What a run did: the job's report. */
export interface ProposePairingsReport extends AssignmentComparison {
  period: string;
  runId: string;
  config: ProposalConfig & { candidatesPerBusiness: number };
  /** Matchable businesses, and those with room for at least one proposal this run. */
  businesses: number;
  businessesWithRoom: number;
  /** Distinct candidate pairs read from the stored suggestions. */
  candidates: number;
  /** Drafts inserted by this run. */
  proposalsWritten: number;
  /** Chosen pairs another run of the same week had written meanwhile (left as they were). */
  alreadyWritten: number;
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** One record per pair: the service business's stored suggestion when it has one, else the industry's. */
function toCandidates(rows: CandidateRow[]): Candidate[] {
  const byPair = new Map<string, Candidate>();
  for (const r of rows) {
    const fromService = r.sector === "service";
    const c: Candidate = {
      serviceId: fromService ? r.businessId : r.candidateId,
      industryId: fromService ? r.candidateId : r.businessId,
      score: r.score,
      components: parseJson<StoredComponents>(r.components, { category: 0, location: 0, text: 0 }),
      reasons: parseJson<unknown>(r.reasons, []),
      reasonsFor: fromService ? "service" : "industry",
      pattern: r.pattern,
    };
    const k = pairId(c.serviceId, c.industryId);
    const seen = byPair.get(k);
    if (!seen || (seen.reasonsFor === "industry" && fromService)) byPair.set(k, c);
  }
  return [...byPair.values()];
}

/**
 * The weekly pairing proposals: reads the stored top suggestions of every matchable business,
 * chooses pairs globally (src/matching/assign.ts) and writes them as drafts for officers to review.
 *
 * Each business's room this run is `maxPartners` minus its requested, accepted and active
 * partnerships and its pending drafts, and at most `exposureCap` minus what this week's runs
 * already proposed to it. Declined pairs, pairs with an open request or partnership and pairs ever
 * proposed before are skipped. Drafts of one pair and week are unique, so a rerun in the same week
 * adds nothing unless room appeared (a partnership ended, a draft was discarded...); the drafts
 * and their audit rows are written in one batch.
 */
export async function proposePairings(
  deps: ServiceDeps,
  input: { now: number; config?: Partial<ProposalConfig> },
): Promise<ProposePairingsReport> {
  const config = { ...DEFAULT_ASSIGN_CONFIG, scope: "city" as ProposalScope, ...input.config };
  const period = proposalPeriod(input.now);
  const runId = newId("prun_", input.now);
  // Not one D1 batch (drizzle's raw `db.all` cannot be batched on D1): the reads may straddle a
  // concurrent write, which is harmless for drafts, since publishing re-checks every rule.
  const [matchable, holding, proposalCounts, rows, declined, open, proposed] = await Promise.all([
    selectMatchable(deps.db).all(),
    selectHoldingCounts(deps.db),
    selectProposalCounts(deps.db, period),
    selectCandidateRows(deps.db, PROPOSAL_CANDIDATES_PER_BUSINESS),
    selectDeclinedPairs(deps.db).all(),
    selectOpenPairs(deps.db),
    selectProposedPairs(deps.db),
  ]);
  const holdingOf = new Map(holding.map((h) => [h.id, h.n]));
  const countsOf = new Map(proposalCounts.map((p) => [p.id, p]));
  const capacity = new Map<string, number>();
  const exposed = new Map<string, number>();
  for (const b of matchable) {
    const counts = countsOf.get(b.id);
    capacity.set(b.id, Math.max(0, b.maxPartners - (holdingOf.get(b.id) ?? 0) - (counts?.drafts ?? 0)));
    if (counts?.inPeriod) exposed.set(b.id, counts.inPeriod);
  }
  const excluded: Array<{ a: string; b: string; reason: ExclusionReason }> = [
    ...declined.map((p) => ({ ...p, reason: "declined" as const })),
    ...open.map((p) => ({ ...p, reason: "existing" as const })),
    ...proposed.map((p) => ({ ...p, reason: "already_proposed" as const })),
  ];
  const inCity = new Set(matchable.filter((b) => b.inCity).map((b) => b.id));
  const candidates = toCandidates(rows).filter(
    (c) => config.scope === "all" || inCity.has(c.serviceId) || inCity.has(c.industryId),
  );
  const { result, comparison } = compareAssignment({ candidates, capacity, excluded, exposed, config });

  const drafts: DraftToWrite[] = result.chosen.map((c) => ({
    id: newId("prp_", input.now),
    serviceId: c.serviceId,
    industryId: c.industryId,
    score: c.score,
    components: c.components,
    reasonsId: renderReasons(c.reasons, "id"),
    reasonsEn: renderReasons(c.reasons, "en"),
    reasonsFor: c.reasonsFor,
    pattern: c.pattern,
  }));
  let written = 0;
  if (drafts.length > 0) {
    const meta = { period, runId, now: input.now, revision: randomToken(16) };
    const statements: BatchItem<"sqlite">[] = [];
    for (let i = 0; i < drafts.length; i += DRAFTS_PER_STATEMENT) {
      statements.push(insertDraftsStatement(deps.db, drafts.slice(i, i + DRAFTS_PER_STATEMENT), meta));
    }
    const [first, ...rest] = statements;
    if (first) await deps.db.batch([first, ...rest, auditDraftsStatement(deps.db, runId, input.now)]);
    written = (await countRunDrafts(deps.db, runId).get())?.n ?? 0;
  }
  return {
    period,
    runId,
    config: {
      exposureCap: config.exposureCap,
      minScore: config.minScore,
      scope: config.scope,
      candidatesPerBusiness: PROPOSAL_CANDIDATES_PER_BUSINESS,
    },
    businesses: matchable.length,
    businessesWithRoom: [...capacity].filter(
      ([id, n]) => n > 0 && (exposed.get(id) ?? 0) < config.exposureCap,
    ).length,
    candidates: candidates.length,
    proposalsWritten: written,
    alreadyWritten: drafts.length - written,
    ...comparison,
  };
}
