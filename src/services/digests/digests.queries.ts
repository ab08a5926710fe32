import { and, eq, type SQL, sql } from "drizzle-orm";
import { alias, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import {
  auditLog,
  businesses,
  declinedPairs,
  digestOutbox,
  digestPreferences,
  officers,
  partnerships,
  suggestions,
} from "../../../schema";
import type { Database } from "../../db";
import type { Language } from "../../domain/language";
import { partyRef, partyRefPrefix } from "../../domain/party";
import { storedOrderSql } from "../matching/suggestions.queries";

/** SQL prefixes that make an id column a party reference (`partyRef`), to join on `recipient`. */
const BUSINESS_REF = partyRefPrefix("business");
const OFFICER_REF = partyRefPrefix("officer");

/** Outbox statuses whose content counts as delivered or on its way (not `failed`). */
const LIVE = sql`('sent', 'skipped', 'pending', 'sending')`;

/** SQL: the period key that applies to a recipient with this (nullable) cadence column. */
function periodFor(cadence: SQL, keys: { weekly: string; monthly: string }): SQL {
  return sql`case when ${cadence} = 'monthly' then ${keys.monthly} else ${keys.weekly} end`;
}

export interface BusinessRecipientRow {
  id: string;
  name: string;
  sector: "service" | "industry";
  email: string;
  language: Language;
  cadence: "weekly" | "monthly" | null;
  prefLanguage: Language | null;
}

/**
 * Active, published businesses that want digests (cadence not `off`) and have no outbox row for
 * their current period yet, in id order. Planning walks this until it is empty.
 */
export function selectUnplannedBusinesses(
  db: Database,
  input: { keys: { weekly: string; monthly: string }; limit: number },
) {
  return db.all<BusinessRecipientRow>(sql`select b.id as id, b.name as name, b.sector as sector, b.email as email,
      b.language as language, p.cadence as cadence, p.language as prefLanguage
    from ${businesses} b left join ${digestPreferences} p on p.recipient = ${BUSINESS_REF} || b.id
    where b.active = 1 and b.status = 'published' and coalesce(p.cadence, 'weekly') <> 'off'
      and not exists (select 1 from ${digestOutbox} o where o.recipient = ${BUSINESS_REF} || b.id
        and o.period = ${periodFor(sql`p.cadence`, input.keys)})
    order by b.id limit ${input.limit}`);
}

export interface OfficerRecipientRow {
  id: string;
  email: string;
  cadence: "weekly" | "monthly" | null;
  prefLanguage: Language | null;
}

/** Active officers (Access sign-in rows, which carry an email) still to plan, in id order. */
export function selectUnplannedOfficers(
  db: Database,
  input: { keys: { weekly: string; monthly: string }; limit: number },
) {
  return db.all<OfficerRecipientRow>(sql`select o.id as id, o.email as email, p.cadence as cadence,
      p.language as prefLanguage
    from ${officers} o left join ${digestPreferences} p on p.recipient = ${OFFICER_REF} || o.id
    where o.active = 1 and coalesce(p.cadence, 'weekly') <> 'off'
      and not exists (select 1 from ${digestOutbox} x where x.recipient = ${OFFICER_REF} || o.id
        and x.period = ${periodFor(sql`p.cadence`, input.keys)})
    order by o.id limit ${input.limit}`);
}

/** How many recipients are still to plan (both kinds), for the report. */
export function countUnplanned(db: Database, keys: { weekly: string; monthly: string }) {
  return db.all<{ n: number }>(sql`select
    (select count(*) from ${businesses} b left join ${digestPreferences} p on p.recipient = ${BUSINESS_REF} || b.id
      where b.active = 1 and b.status = 'published' and coalesce(p.cadence, 'weekly') <> 'off'
        and not exists (select 1 from ${digestOutbox} o where o.recipient = ${BUSINESS_REF} || b.id
          and o.period = ${periodFor(sql`p.cadence`, keys)}))
    + (select count(*) from ${officers} f left join ${digestPreferences} p on p.recipient = ${OFFICER_REF} || f.id
      where f.active = 1 and coalesce(p.cadence, 'weekly') <> 'off'
        and not exists (select 1 from ${digestOutbox} x where x.recipient = ${OFFICER_REF} || f.id
          and x.period = ${periodFor(sql`p.cadence`, keys)})) as n`);
}

/** End of the recipient's last digest window (sent, skipped or on its way); null for a first one. */
export function selectLastWindowEnd(db: Database, recipient: string) {
  return db.all<{ windowEnd: number | null }>(sql`select max(window_end) as windowEnd from ${digestOutbox}
    where recipient = ${recipient} and status in ${LIVE}`);
}

export interface NewSuggestionRow {
  candidateId: string;
  name: string;
  sector: "service" | "industry";
  kelurahan: string | null;
  score: number;
  pattern: string;
  /** JSON reason codes. */
  reasons: string;
}

/**
 * What makes a stored row `s` of the business a new suggestion, wherever its candidate lives: among
 * the set's best `maxRank` (`storedOrder`), the pair not declined, not announced in a live digest.
 */
function newSuggestionRules(input: { businessId: string; maxRank: number }): SQL {
  const { businessId } = input;
  return sql`s.business_id = ${businessId}
      and s.candidate_id in (select t.candidate_id from ${suggestions} t where t.business_id = ${businessId}
        order by ${storedOrderSql("t")} limit ${input.maxRank})
      and not exists (select 1 from ${declinedPairs} d
        where d.low_id = min(s.business_id, s.candidate_id) and d.high_id = max(s.business_id, s.candidate_id))
      and not exists (select 1 from ${digestOutbox} o, json_each(o.suggestion_ids) j
        where o.recipient = ${partyRef("business", businessId)} and o.status in ${LIVE} and j.value = s.candidate_id)`;
}

/**
 * The business's stored suggestions among its best `maxRank` (`storedOrder`) never announced in a digest, best first: the candidate is
 * active, published and of the other sector; the pair is neither declined nor already has an open
 * request or partnership.
 */
export function selectNewSuggestions(db: Database, input: { businessId: string; maxRank: number }) {
  return db.all<NewSuggestionRow>(sql`select s.candidate_id as candidateId, c.name as name,
      c.sector as sector, c.kelurahan as kelurahan, s.score as score, s.pattern as pattern,
      s.reasons as reasons
    from ${suggestions} s
    join ${businesses} c on c.id = s.candidate_id and c.active = 1 and c.status = 'published'
      and c.sector <> (select sector from ${businesses} where id = ${input.businessId})
    where ${newSuggestionRules(input)}
      and not exists (select 1 from ${partnerships} p where p.status in ('requested', 'accepted', 'active')
        and ((p.requester_id = s.business_id and p.partner_id = s.candidate_id)
          or (p.requester_id = s.candidate_id and p.partner_id = s.business_id)))
    order by ${storedOrderSql("s")}`);
}

/**
 * One shard's deployment of a province: the stored suggestions among the business's best
 * `maxRank` whose candidate this database does not hold (a neighbour shard's business), neither
 * declined nor announced in a digest yet, best first. The caller completes them from the
 * neighbours (`servableAcross`), which also applies the candidate's rules there.
 */
export function selectNewAcrossRows(db: Database, input: { businessId: string; maxRank: number }) {
  return db.all<Omit<NewSuggestionRow, "name" | "sector" | "kelurahan">>(sql`select
      s.candidate_id as candidateId, s.score as score, s.pattern as pattern, s.reasons as reasons
    from ${suggestions} s
    where ${newSuggestionRules(input)}
      and not exists (select 1 from ${businesses} c where c.id = s.candidate_id)
    order by ${storedOrderSql("s")}`);
}

/** The stored reasons of `candidateIds` in a business's set (a neighbour's candidate: no join). */
export function selectStoredReasons(db: Database, input: { businessId: string; candidateIds: string[] }) {
  return db
    .select({ candidateId: suggestions.candidateId, reasons: suggestions.reasons })
    .from(suggestions)
    .where(
      and(eq(suggestions.businessId, input.businessId), inIds(suggestions.candidateId, input.candidateIds)),
    );
}

export interface WaitingRow {
  /** The partnership. */
  id: string;
  requesterName: string;
  pattern: string;
  message: string;
  expiresAt: number | null;
}

/** Requests sent to the business that it has not answered yet, soonest expiry first. */
export function selectWaitingRequests(db: Database, businessId: string) {
  return db.all<WaitingRow>(sql`select p.id as id, r.name as requesterName, p.pattern as pattern, p.message as message,
      p.expires_at as expiresAt
    from ${partnerships} p join ${businesses} r on r.id = p.requester_id
    where p.partner_id = ${businessId} and p.status = 'requested'
    order by p.expires_at, p.id`);
}

export interface ChangeRow {
  /** The audit row. */
  id: number;
  otherName: string;
  action: string;
  toState: string | null;
  at: number;
  details: string | null;
}

/**
 * Changes in [since, until) to the business's requests and partnerships made by someone else (the
 * other side, an officer or the expiry job), oldest first. A new incoming request is not a change
 * here: it is listed as waiting.
 */
export function selectChanges(db: Database, input: { businessId: string; since: number; until: number }) {
  const me = input.businessId;
  return db.all<ChangeRow>(sql`select a.id as id, case when p.requester_id = ${me} then pn.name else rn.name end as otherName,
      a.action as action, a.to_state as toState, a.at as at, a.details as details
    from ${partnerships} p
    join ${auditLog} a on a.entity_type = 'partnership' and a.entity_id = p.id
    join ${businesses} rn on rn.id = p.requester_id
    join ${businesses} pn on pn.id = p.partner_id
    where (p.requester_id = ${me} or p.partner_id = ${me})
      and a.at >= ${input.since} and a.at < ${input.until}
      and not (a.actor_kind = 'business' and a.actor_id = ${me})
      and a.action <> 'request'
    order by a.at, a.id`);
}

/** Officer digest: what waits for review, what expires soon, and the period's numbers. */
export function officerOverviewQueries(
  db: Database,
  input: { since: number; until: number; expiringBefore: number; listLimit: number },
) {
  return [
    db.all<{
      id: string;
      name: string;
      total: number;
    }>(sql`select id, name, count(*) over () as total from ${businesses}
      where status = 'pending_review' and active = 1 order by id limit ${input.listLimit}`),
    db.all<{
      id: string;
      requesterName: string;
      partnerName: string;
      pattern: string;
      total: number;
    }>(sql`select
        p.id as id, r.name as requesterName, q.name as partnerName, p.pattern as pattern, count(*) over () as total
      from ${partnerships} p join ${businesses} r on r.id = p.requester_id join ${businesses} q on q.id = p.partner_id
      where p.status = 'accepted' order by p.answered_at, p.id limit ${input.listLimit}`),
    db.all<{
      id: string;
      requesterName: string;
      partnerName: string;
      expiresAt: number;
      total: number;
    }>(sql`select
        p.id as id, r.name as requesterName, q.name as partnerName, p.expires_at as expiresAt, count(*) over () as total
      from ${partnerships} p join ${businesses} r on r.id = p.requester_id join ${businesses} q on q.id = p.partner_id
      where p.status = 'requested' and p.expires_at > ${input.until} and p.expires_at <= ${input.expiringBefore}
      order by p.expires_at, p.id limit ${input.listLimit}`),
    db.all<{ entityType: string; action: string; n: number }>(sql`select entity_type as entityType,
        action, count(*) as n from ${auditLog}
      where at >= ${input.since} and at < ${input.until}
        and (entity_type = 'partnership' or (entity_type = 'business' and action = 'confirm_sign_up'))
      group by entity_type, action`),
  ] as const;
}

/** Pending and in-flight rows: how many are due now and when the next one becomes due. */
export function selectOutboxBacklog(db: Database, now: number) {
  return db.all<{ dueNow: number; later: number; nextAt: number | null }>(sql`select
      coalesce(sum(case when (status = 'pending' and next_attempt_at <= ${now})
        or (status = 'sending' and lease_until <= ${now}) then 1 else 0 end), 0) as dueNow,
      coalesce(sum(case when (status = 'pending' and next_attempt_at > ${now})
        or (status = 'sending' and lease_until > ${now}) then 1 else 0 end), 0) as later,
      min(case when status = 'pending' then next_attempt_at else lease_until end) as nextAt
    from ${digestOutbox} where status in ('pending', 'sending')`);
}

// Send time: a planned digest's ids, read back as they are now, in one batch per digest (query
// builders, not raw SQL: D1 batches only prepared statements). An erased business keeps its row
// (anonymised, `deleted_at` set), so each loader says so and the caller leaves its items out.

/** SQL: `column` is one of the ids of a JSON array (no bound parameter per id). */
function inIds(column: SQLiteColumn, ids: readonly (string | number)[]): SQL {
  return sql`${column} in (select value from json_each(${JSON.stringify(ids)}))`;
}

/** The recipient business as it is now (no row when it is gone). */
export function selectBusinessRecipient(db: Database, businessId: string) {
  return db
    .select({
      name: businesses.name,
      email: businesses.email,
      active: businesses.active,
      deletedAt: businesses.deletedAt,
    })
    .from(businesses)
    .where(eq(businesses.id, businessId));
}

/** The recipient officer as it is now (no row when it is gone). */
export function selectOfficerRecipient(db: Database, officerId: string) {
  return db
    .select({ email: officers.email, active: officers.active })
    .from(officers)
    .where(eq(officers.id, officerId));
}

/**
 * The listed candidates, with the reasons the recipient's stored list gives for each now (null once
 * its list no longer has the candidate).
 */
export function selectSuggestionItems(db: Database, input: { businessId: string; candidateIds: string[] }) {
  return db
    .select({
      candidateId: businesses.id,
      name: businesses.name,
      sector: businesses.sector,
      kelurahan: businesses.kelurahan,
      deletedAt: businesses.deletedAt,
      reasons: suggestions.reasons,
    })
    .from(businesses)
    .leftJoin(
      suggestions,
      and(eq(suggestions.businessId, input.businessId), eq(suggestions.candidateId, businesses.id)),
    )
    .where(inIds(businesses.id, input.candidateIds));
}

/** The listed requests (partnership ids), with the requester's name and message as they are now. */
export function selectWaitingItems(db: Database, partnershipIds: string[]) {
  return db
    .select({
      id: partnerships.id,
      requesterName: businesses.name,
      requesterDeletedAt: businesses.deletedAt,
      pattern: partnerships.pattern,
      message: partnerships.message,
      expiresAt: partnerships.expiresAt,
    })
    .from(partnerships)
    .innerJoin(businesses, eq(businesses.id, partnerships.requesterId))
    .where(inIds(partnerships.id, partnershipIds));
}

/** The listed changes (audit row ids), the other side named from the recipient's side as it is now. */
export function selectChangeItems(db: Database, input: { businessId: string; auditIds: number[] }) {
  const rn = alias(businesses, "rn");
  const pn = alias(businesses, "pn");
  const mine = sql`${partnerships.requesterId} = ${input.businessId}`;
  return db
    .select({
      id: auditLog.id,
      otherName: sql<string>`case when ${mine} then ${pn.name} else ${rn.name} end`.as("other_name"),
      otherDeletedAt: sql<number | null>`case when ${mine} then ${pn.deletedAt} else ${rn.deletedAt} end`.as(
        "other_deleted_at",
      ),
      action: auditLog.action,
      toState: auditLog.toState,
      at: auditLog.at,
      details: auditLog.details,
    })
    .from(auditLog)
    .innerJoin(
      partnerships,
      and(eq(auditLog.entityType, "partnership"), eq(partnerships.id, auditLog.entityId)),
    )
    .innerJoin(rn, eq(rn.id, partnerships.requesterId))
    .innerJoin(pn, eq(pn.id, partnerships.partnerId))
    .where(inIds(auditLog.id, input.auditIds));
}

/** The listed sign-ups (business ids), as they are now. */
export function selectSignupItems(db: Database, businessIds: string[]) {
  return db
    .select({ id: businesses.id, name: businesses.name, deletedAt: businesses.deletedAt })
    .from(businesses)
    .where(inIds(businesses.id, businessIds));
}

/** The listed partnerships (officer digest), with both names as they are now. */
export function selectPairItems(db: Database, partnershipIds: string[]) {
  const r = alias(businesses, "r");
  const q = alias(businesses, "q");
  return db
    .select({
      id: partnerships.id,
      // Named apart: a D1 batch returns rows keyed by column name, and both are `name`.
      requesterName: sql<string>`${r.name}`.as("requester_name"),
      partnerName: sql<string>`${q.name}`.as("partner_name"),
      /** Either side was erased. */
      erased: sql<boolean>`(${r.deletedAt} is not null or ${q.deletedAt} is not null)`.mapWith(Boolean),
      pattern: partnerships.pattern,
      expiresAt: partnerships.expiresAt,
    })
    .from(partnerships)
    .innerJoin(r, eq(r.id, partnerships.requesterId))
    .innerJoin(q, eq(q.id, partnerships.partnerId))
    .where(inIds(partnerships.id, partnershipIds));
}
