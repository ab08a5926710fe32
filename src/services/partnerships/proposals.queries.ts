import { and, asc, count, eq, gt, gte, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import {
  businesses,
  declinedPairs,
  pairingProposals,
  partnerships,
  type StoredComponents,
  suggestions,
} from "../../../schema";
import { type Database, insertSelect } from "../../db";
import { auditInsertSelect } from "../audit/audit.queries";
import { storedOrderSql } from "../matching/suggestions.queries";
import { OPEN } from "./partnerships.queries";

export type ProposalStatus = (typeof pairingProposals.$inferSelect)["status"];

/** Partnership statuses that hold (or may soon hold) a place: open requests, accepted, active. */
const HOLDING = OPEN;

const holdingList = sql.join(
  HOLDING.map((s) => sql`${s}`),
  sql`, `,
);

/**
 * Matchable businesses (active and published) with their `maxPartners`, and whether each is in
 * Kota Mojokerto (a business there always has one of its kelurahan; one outside has none).
 */
export function selectMatchable(db: Database) {
  return db
    .select({
      id: businesses.id,
      sector: businesses.sector,
      maxPartners: businesses.maxPartners,
      inCity: sql<number>`${businesses.kelurahan} is not null`.mapWith(Boolean),
    })
    .from(businesses)
    .where(and(eq(businesses.active, true), eq(businesses.status, "published")));
}

/** Per business: partnerships that hold a place (requested, accepted, active), either side. */
export function selectHoldingCounts(db: Database) {
  return db.all<{ id: string; n: number }>(sql`select id, count(*) as n from (
      select requester_id as id from ${partnerships} where status in (${holdingList})
      union all
      select partner_id as id from ${partnerships} where status in (${holdingList})
    ) group by id`);
}

/** Per business: its pending drafts (any week) and its proposals of `period` (any status). */
export function selectProposalCounts(db: Database, period: string) {
  return db.all<{ id: string; drafts: number; inPeriod: number }>(sql`select id,
      sum(status = 'draft') as drafts, sum(period = ${period}) as inPeriod from (
        select service_id as id, status, period from ${pairingProposals} where status = 'draft' or period = ${period}
        union all
        select industry_id as id, status, period from ${pairingProposals} where status = 'draft' or period = ${period}
      ) group by id`);
}

export interface CandidateRow {
  businessId: string;
  candidateId: string;
  sector: "service" | "industry";
  score: number;
  components: string;
  /** JSON reason codes (rendered when a pair is chosen). */
  reasons: string;
  pattern: string;
}

/**
 * The top `perBusiness` stored suggestions of every matchable business whose candidate is
 * matchable too and of the other sector. Each pair can come twice (once from each side).
 */
export function selectCandidateRows(db: Database, perBusiness: number) {
  return db.all<CandidateRow>(sql`select s.business_id as businessId, s.candidate_id as candidateId,
      b.sector as sector, s.score as score, s.components as components, s.reasons as reasons,
      s.pattern as pattern
    from (select *, row_number() over (partition by business_id order by ${storedOrderSql()})
        as position from ${suggestions}) s
    join ${businesses} b on b.id = s.business_id and b.active = 1 and b.status = 'published'
    join ${businesses} c on c.id = s.candidate_id and c.active = 1 and c.status = 'published'
      and c.sector <> b.sector
    where s.position <= ${perBusiness}`);
}

export function selectDeclinedPairs(db: Database) {
  return db.select({ a: declinedPairs.lowId, b: declinedPairs.highId }).from(declinedPairs);
}

/** Pairs with an open request or partnership. */
export function selectOpenPairs(db: Database) {
  return db.all<{ a: string; b: string }>(
    sql`select requester_id as a, partner_id as b from ${partnerships} where status in (${holdingList})`,
  );
}

/** Every pair ever proposed (any week, any status). */
export function selectProposedPairs(db: Database) {
  return db.all<{ a: string; b: string }>(
    sql`select distinct service_id as a, industry_id as b from ${pairingProposals}`,
  );
}

export interface DraftToWrite {
  id: string;
  serviceId: string;
  industryId: string;
  score: number;
  components: StoredComponents;
  reasonsId: string[];
  reasonsEn: string[];
  reasonsFor: "service" | "industry";
  pattern: string;
}

/**
 * Inserts drafts (one JSON parameter, expanded by `json_each`); a pair already proposed this week
 * is left alone (the unique index on period and pair), so a rerun or a concurrent run writes no
 * duplicate.
 */
export function insertDraftsStatement(
  db: Database,
  rows: DraftToWrite[],
  meta: { period: string; runId: string; now: number; revision: string },
) {
  const json = JSON.stringify(rows);
  // The paths are fixed field names, so they are written into the statement, not bound.
  const field = (name: keyof DraftToWrite) => sql`json_extract(j.value, ${sql.raw(`'$.${name}'`)})`;
  return insertSelect(
    db,
    pairingProposals,
    {
      id: field("id"),
      period: meta.period,
      serviceId: field("serviceId"),
      industryId: field("industryId"),
      score: field("score"),
      components: field("components"),
      reasonsId: field("reasonsId"),
      reasonsEn: field("reasonsEn"),
      reasonsFor: field("reasonsFor"),
      pattern: field("pattern"),
      status: "draft",
      revision: meta.revision,
      runId: meta.runId,
      createdAt: meta.now,
      updatedAt: meta.now,
    },
    // `where` keeps SQLite from reading the upsert's `on conflict` as a join constraint.
    sql`from json_each(${json}) as j where 1`,
  ).onConflictDoNothing();
}

/** One audit row per draft the run `runId` wrote (system actor `propose-pairings`). */
export function auditDraftsStatement(db: Database, runId: string, now: number) {
  return auditInsertSelect(
    db,
    {
      at: now,
      actor: { kind: "system", id: "propose-pairings" },
      entityType: "pairing_proposal",
      entityId: sql`p.id`,
      action: "propose",
      fromState: null,
      toState: "draft",
      details: sql`json_object('period', p.period, 'serviceId', p.service_id, 'industryId', p.industry_id,
        'score', p.score, 'runId', p.run_id)`,
    },
    sql`from ${pairingProposals} p where p.run_id = ${runId}`,
  );
}

export function countRunDrafts(db: Database, runId: string) {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(pairingProposals)
    .where(eq(pairingProposals.runId, runId));
}

const service = alias(businesses, "service");
const industry = alias(businesses, "industry");

function selectWithParties(db: Database) {
  return db
    .select({
      row: pairingProposals,
      service: {
        id: service.id,
        name: service.name,
        kecamatan: service.kecamatan,
        kelurahan: service.kelurahan,
        city: service.city,
        maxPartners: service.maxPartners,
      },
      industry: {
        id: industry.id,
        name: industry.name,
        kecamatan: industry.kecamatan,
        kelurahan: industry.kelurahan,
        city: industry.city,
        maxPartners: industry.maxPartners,
      },
    })
    .from(pairingProposals)
    .innerJoin(service, eq(service.id, pairingProposals.serviceId))
    .innerJoin(industry, eq(industry.id, pairingProposals.industryId));
}

export type ProposalWithParties = Awaited<ReturnType<ReturnType<typeof selectWithParties>["all"]>>[number];

export function selectProposalById(db: Database, id: string) {
  return selectWithParties(db).where(eq(pairingProposals.id, id));
}

export interface ProposalFilters {
  status?: ProposalStatus | undefined;
  period?: string | undefined;
  /** Either side's kecamatan (as stored). */
  kecamatan?: string | undefined;
  /** Score at least this (0-1). */
  minScore?: number | undefined;
}

function proposalConditions(filters: ProposalFilters): SQL[] {
  const conds: SQL[] = [];
  if (filters.status) conds.push(eq(pairingProposals.status, filters.status));
  if (filters.period) conds.push(eq(pairingProposals.period, filters.period));
  if (filters.kecamatan) {
    const either = or(eq(service.kecamatan, filters.kecamatan), eq(industry.kecamatan, filters.kecamatan));
    if (either) conds.push(either);
  }
  if (filters.minScore !== undefined) conds.push(gte(pairingProposals.score, filters.minScore));
  return conds;
}

/** Keyset page in id (= creation) order, one extra row to know whether more follow. */
export function selectProposalPage(
  db: Database,
  filters: ProposalFilters,
  after: string | null,
  limit: number,
) {
  const conds = proposalConditions(filters);
  if (after !== null) conds.push(gt(pairingProposals.id, after));
  return selectWithParties(db)
    .where(conds.length > 0 ? and(...conds) : undefined)
    .orderBy(asc(pairingProposals.id))
    .limit(limit + 1);
}

/** SQL: true when the proposal `id` carries `revision` (the write that set it won). */
export function proposalHasRevision(id: string, revision: string): SQL {
  return sql`exists (select 1 from ${pairingProposals} where ${pairingProposals.id} = ${id} and ${pairingProposals.revision} = ${revision})`;
}

/** How many proposals match `filters` (every page, counted as the pages read them). */
export function countProposals(db: Database, filters: ProposalFilters) {
  const conds = proposalConditions(filters);
  return db
    .select({ n: count() })
    .from(pairingProposals)
    .innerJoin(service, eq(service.id, pairingProposals.serviceId))
    .innerJoin(industry, eq(industry.id, pairingProposals.industryId))
    .where(conds.length > 0 ? and(...conds) : undefined);
}
