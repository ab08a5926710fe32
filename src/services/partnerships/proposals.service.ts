import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { pairingProposals, type StoredComponents } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { DAY_MS, isoWeekKey } from "../../domain/calendar";
import { brokenPairRule } from "../../domain/pair-rules";
import { type AuditActor, actorRef, parseActorRef, partyRef } from "../../domain/party";
import { ApiError, notFound, validationError } from "../../errors";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { newId, randomToken } from "../../lib/ids";
import {
  type AssignConfig,
  type AssignmentComparison,
  type CandidatePair,
  compareAssignment,
  DEFAULT_ASSIGN_CONFIG,
  type ExclusionReason,
  type PartnershipPattern,
  PROPOSAL_CANDIDATES_PER_BUSINESS,
  pairId,
} from "../../matching";
import { actorOf, auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { notifyIf } from "../notifications/enqueue";
import type { PartnershipConfig } from "./partnership-config";
import { hasRevision, insertPartnershipIf, pairStillAllowed, readPairFacts } from "./partnerships.queries";
import type { Partnership } from "./partnerships.shared";
import {
  auditDraftsStatement,
  type CandidateRow,
  countRunDrafts,
  type DraftToWrite,
  insertDraftsStatement,
  type ProposalStatus,
  type ProposalWithParties,
  proposalHasRevision,
  selectCandidateRows,
  selectDeclinedPairs,
  selectHoldingCounts,
  selectMatchable,
  selectOpenPairs,
  selectProposalById,
  selectProposalCounts,
  selectProposalPage,
  selectProposedPairs,
} from "./proposals.queries";
import { getPartnership } from "./read.service";

/** Drafts per insert statement: keeps each statement's one JSON parameter well under D1's limits. */
const DRAFTS_PER_STATEMENT = 100;

/**
 * The ISO 8601 week of `now` in Asia/Jakarta, e.g. "2026-W48": the period a run's drafts belong
 * to. A Monday 07:00 WIB run and a rerun on Sunday night fall in the same week.
 */
export function proposalPeriod(now: number): string {
  return isoWeekKey(now);
}

/**
 * Which pairs the weekly drafts may hold: `city` (the default) only pairs with at least one
 * business inside Kota Mojokerto, the city office's remit; `all` any pair of the registry.
 */
export const PROPOSAL_SCOPES = ["city", "all"] as const;
export type ProposalScope = (typeof PROPOSAL_SCOPES)[number];

/**
 * Settings of the proposals job (`PROPOSAL_EXPOSURE_CAP`, `PROPOSAL_MIN_SCORE`,
 * `PROPOSALS_SCOPE`).
 */
export type ProposalConfig = Pick<AssignConfig, "exposureCap" | "minScore"> & { scope: ProposalScope };

/** Reads the job's settings, falling back to the defaults when unset or malformed. */
export function parseProposalConfig(vars: {
  PROPOSAL_EXPOSURE_CAP?: string | undefined;
  PROPOSAL_MIN_SCORE?: string | undefined;
  PROPOSALS_SCOPE?: string | undefined;
}): ProposalConfig {
  const scope = vars.PROPOSALS_SCOPE?.trim().toLowerCase();
  const cap = Number(vars.PROPOSAL_EXPOSURE_CAP);
  const min = Number(vars.PROPOSAL_MIN_SCORE);
  return {
    exposureCap:
      vars.PROPOSAL_EXPOSURE_CAP && Number.isInteger(cap) && cap >= 0
        ? cap
        : DEFAULT_ASSIGN_CONFIG.exposureCap,
    minScore:
      vars.PROPOSAL_MIN_SCORE && Number.isFinite(min) && min >= 0 && min <= 1
        ? min
        : DEFAULT_ASSIGN_CONFIG.minScore,
    scope: scope === "all" ? "all" : "city",
  };
}

interface Candidate extends CandidatePair {
  components: StoredComponents;
  reasonsId: string[];
  reasonsEn: string[];
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
      reasonsId: parseJson<string[]>(r.reasonsId, []),
      reasonsEn: parseJson<string[]>(r.reasonsEn, []),
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
    reasonsId: c.reasonsId,
    reasonsEn: c.reasonsEn,
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

// ---------------------------------------------------------------------------------------------
// The officers' review queue
// ---------------------------------------------------------------------------------------------

export interface ProposalParty {
  id: string;
  name: string;
  kecamatan: string | null;
  kelurahan: string | null;
  city: string;
  maxPartners: number;
}

/** A draft (or decided) proposal as officers see it. Times are ISO 8601. */
export interface Proposal {
  id: string;
  period: string;
  status: ProposalStatus;
  score: number;
  components: StoredComponents;
  reasons: { id: string[]; en: string[] };
  reasonsFor: "service" | "industry";
  pattern: PartnershipPattern;
  service: ProposalParty;
  industry: ProposalParty;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: AuditActor | null;
  discardReason: string | null;
  partnershipId: string | null;
}

function toProposal(r: ProposalWithParties): Proposal {
  return {
    id: r.row.id,
    period: r.row.period,
    status: r.row.status,
    score: r.row.score,
    components: r.row.components,
    reasons: { id: r.row.reasonsId, en: r.row.reasonsEn },
    reasonsFor: r.row.reasonsFor,
    pattern: r.row.pattern as PartnershipPattern,
    service: r.service,
    industry: r.industry,
    createdAt: new Date(r.row.createdAt).toISOString(),
    decidedAt: r.row.decidedAt === null ? null : new Date(r.row.decidedAt).toISOString(),
    decidedBy: parseActorRef(r.row.decidedBy),
    discardReason: r.row.discardReason,
    partnershipId: r.row.partnershipId,
  };
}

function onlyOfficer(actor: Principal): void {
  if (actor.kind !== "officer") throw new ApiError("forbidden", "Officers only.");
}

async function loadProposal(deps: ServiceDeps, id: string): Promise<ProposalWithParties> {
  const found = await selectProposalById(deps.db, id).get();
  if (!found) throw notFound("Proposal");
  return found;
}

export async function getProposal(
  deps: ServiceDeps,
  input: { id: string; actor: Principal },
): Promise<Proposal> {
  onlyOfficer(input.actor);
  return toProposal(await loadProposal(deps, input.id));
}

/** Keyset-paginated review queue in creation order; `status` defaults to `draft` at the route. */
export async function listProposals(
  deps: ServiceDeps,
  input: {
    actor: Principal;
    status?: ProposalStatus | undefined;
    period?: string | undefined;
    /** Either side's kecamatan. */
    kecamatan?: string | undefined;
    /** Only proposals scoring at least this (0-1). */
    minScore?: number | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<{ items: Proposal[]; nextCursor: string | null }> {
  onlyOfficer(input.actor);
  let after: string | null = null;
  if (input.cursor !== undefined) {
    after = decodeCursor(input.cursor);
    if (after === null)
      throw validationError([{ path: "cursor", message: "Invalid cursor." }], "Invalid request query.");
  }
  const rows = await selectProposalPage(
    deps.db,
    { status: input.status, period: input.period, kecamatan: input.kecamatan, minScore: input.minScore },
    after,
    input.limit,
  ).all();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toProposal),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.row.id) : null,
  };
}

function assertDraft(row: ProposalWithParties["row"], action: "published" | "discarded"): void {
  if (row.status !== "draft") {
    throw new ApiError("invalid_state", `The proposal is ${row.status}; it cannot be ${action} now.`);
  }
}

/**
 * Names the first partnership rule a publication would break now, like a business's own request:
 * both sides matchable and of different sectors, the pair not declined and not already open, the
 * requester under `maxOpenRequests`, both sides with room under `maxPartners`.
 */
async function assertPublishable(
  deps: ServiceDeps,
  input: { requesterId: string; partnerId: string; config: PartnershipConfig },
): Promise<void> {
  const facts = await readPairFacts(deps.db, input.requesterId, input.partnerId);
  const rule = brokenPairRule(facts, { maxOpenRequests: input.config.maxOpenRequests });
  switch (rule) {
    case null:
      return;
    case "self":
    case "requester_unknown":
    case "partner_unknown":
    case "requester_unavailable":
    case "partner_unavailable":
      throw new ApiError(
        "partner_unavailable",
        "One side is no longer active and published; discard the proposal.",
      );
    case "same_sector":
      throw new ApiError("same_sector", "Both sides are now of one sector; discard the proposal.");
    case "declined":
      throw new ApiError("pair_declined", "One side declined this pair since it was proposed.");
    case "open":
      throw new ApiError("partnership_exists", "The pair already has an open request or partnership.");
    case "too_many_open_requests":
      throw new ApiError(
        "too_many_open_requests",
        `The requester already has ${input.config.maxOpenRequests} unanswered requests; publish with the other side as requester, or later.`,
      );
    case "requester_full":
    case "partner_full":
      throw new ApiError("capacity_reached", "One side already has as many partners as its maxPartners.");
  }
}

/**
 * The default request message, in Bahasa Indonesia (the businesses' default language): says the
 * city proposed the pairing, so neither side thinks the other wrote it.
 */
function defaultMessage(pattern: string): string {
  return `Usulan kemitraan dari petugas Kota Mojokerto berdasarkan kecocokan usaha (pola: ${pattern.replace(/_/g, " ")}). Silakan terima atau tolak.`;
}

export interface PublishProposalInput {
  id: string;
  actor: Principal;
  /** Which side becomes the requester (default `service`); the other side answers. */
  requester?: "service" | "industry" | undefined;
  message?: string | undefined;
  now: number;
}

/**
 * An officer publishes a draft: it becomes an ordinary partnership request (status `requested`,
 * origin `engine`, the proposal's pattern, expiring after `requestExpiryDays`) from the chosen
 * requester (the service business by default) to the other side, who accepts or declines it as any
 * request; the requester may cancel it. From here the normal rules apply: it counts against the
 * requester's `MAX_OPEN_REQUESTS`, and both sides must have room under `maxPartners`.
 *
 * One batch: the partnership insert (conditional on the draft still being at the revision it was
 * loaded with, and on every partnership rule), the draft's update to `published` (conditional on
 * that insert), and an audit row for each. Of two officers publishing at once, one wins; the other
 * gets 409 `state_changed`.
 *
 * @throws 403 not an officer, 404 unknown proposal, 409 `invalid_state`, `state_changed`,
 * `pair_declined`, `partnership_exists`, `too_many_open_requests`, `capacity_reached`,
 * `partner_unavailable`.
 */
export async function publishProposal(
  deps: ServiceDeps & { config: PartnershipConfig },
  input: PublishProposalInput,
): Promise<{ proposal: Proposal; partnership: Partnership }> {
  const { actor, now } = input;
  onlyOfficer(actor);
  const loaded = await loadProposal(deps, input.id);
  const row = loaded.row;
  assertDraft(row, "published");
  const requesterIsService = (input.requester ?? "service") === "service";
  const requesterId = requesterIsService ? row.serviceId : row.industryId;
  const partnerId = requesterIsService ? row.industryId : row.serviceId;
  await assertPublishable(deps, { requesterId, partnerId, config: deps.config });

  const partnershipId = newId("ptn_", now);
  const partnershipRevision = randomToken(16);
  const revision = randomToken(16);
  const by = actorRef(actorOf(actor));
  const message = input.message ?? defaultMessage(row.pattern);
  const expiresAt = now + deps.config.requestExpiryDays * DAY_MS;
  const stillDraft = sql`exists (select 1 from ${pairingProposals} where ${pairingProposals.id} = ${row.id}
    and ${pairingProposals.status} = 'draft' and ${pairingProposals.revision} = ${row.revision})`;
  const inserted = hasRevision(partnershipId, partnershipRevision);
  const won = proposalHasRevision(row.id, revision);
  await deps.db.batch([
    insertPartnershipIf(
      deps.db,
      {
        id: partnershipId,
        requesterId,
        partnerId,
        origin: "engine",
        pattern: row.pattern,
        message,
        status: "requested",
        revision: partnershipRevision,
        createdBy: by,
        createdAt: now,
        updatedAt: now,
        expiresAt,
      },
      sql`${stillDraft} and ${pairStillAllowed(requesterId, partnerId, {
        maxOpenRequests: deps.config.maxOpenRequests,
        room: true,
      })}`,
    ),
    deps.db
      .update(pairingProposals)
      .set({ status: "published", revision, partnershipId, decidedAt: now, decidedBy: by, updatedAt: now })
      .where(
        and(
          eq(pairingProposals.id, row.id),
          eq(pairingProposals.status, "draft"),
          eq(pairingProposals.revision, row.revision),
          inserted,
        ),
      ),
    auditInsertIf(
      deps.db,
      {
        at: now,
        actor: actorOf(actor),
        entityType: "pairing_proposal",
        entityId: row.id,
        action: "publish",
        fromState: "draft",
        toState: "published",
        details: { partnershipId, requesterId, partnerId },
      },
      won,
    ),
    auditInsertIf(
      deps.db,
      {
        at: now,
        actor: actorOf(actor),
        entityType: "partnership",
        entityId: partnershipId,
        action: "publish_proposal",
        fromState: null,
        toState: "requested",
        details: { proposalId: row.id, requesterId, partnerId, pattern: row.pattern, score: row.score },
      },
      won,
    ),
    ...notifyIf(
      deps.db,
      {
        kind: "request_received",
        recipients: [partyRef("business", partnerId)],
        subjectId: partnershipId,
        audit: { entityType: "partnership", entityId: partnershipId, action: "publish_proposal" },
        now,
      },
      won,
    ),
  ]);
  const after = await loadProposal(deps, row.id);
  if (after.row.revision !== revision) {
    if (after.row.revision !== row.revision) {
      throw new ApiError("state_changed", "The proposal changed meanwhile; reload it.");
    }
    // Still the draft we loaded: a partnership rule broke between the check and the write.
    await assertPublishable(deps, { requesterId, partnerId, config: deps.config });
    throw new ApiError("state_changed", "Another change got there first; retry.");
  }
  return {
    proposal: toProposal(after),
    partnership: await getPartnership(deps, { id: partnershipId, viewer: actor }),
  };
}

/** An officer discards a draft with a reason; the pair is not proposed again. */
export async function discardProposal(
  deps: ServiceDeps,
  input: { id: string; actor: Principal; reason: string; now: number },
): Promise<Proposal> {
  const { actor, now } = input;
  onlyOfficer(actor);
  const loaded = await loadProposal(deps, input.id);
  const row = loaded.row;
  assertDraft(row, "discarded");
  const revision = randomToken(16);
  const by = actorRef(actorOf(actor));
  const [updated] = await deps.db.batch([
    deps.db
      .update(pairingProposals)
      .set({
        status: "discarded",
        revision,
        discardReason: input.reason,
        decidedAt: now,
        decidedBy: by,
        updatedAt: now,
      })
      .where(
        and(
          eq(pairingProposals.id, row.id),
          eq(pairingProposals.status, "draft"),
          eq(pairingProposals.revision, row.revision),
        ),
      )
      .returning({ id: pairingProposals.id }),
    auditInsertIf(
      deps.db,
      {
        at: now,
        actor: actorOf(actor),
        entityType: "pairing_proposal",
        entityId: row.id,
        action: "discard",
        fromState: "draft",
        toState: "discarded",
        details: { reason: input.reason },
      },
      proposalHasRevision(row.id, revision),
    ),
  ]);
  if (updated.length === 0) {
    throw new ApiError("state_changed", "The proposal changed meanwhile; reload it.");
  }
  return toProposal(await loadProposal(deps, row.id));
}
