import { and, asc, count, eq, gt, inArray, or, type Placeholder, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import {
  businesses,
  declinedPairs,
  type NewPartnershipRow,
  type PartnershipRow,
  partnerships,
} from "../../../schema";
import { type Database, insertIf, prepareOnce } from "../../db";
import type { PairFacts } from "../../domain/pair-rules";
import { matchable } from "../businesses/businesses.queries";

export type PartnershipStatus = PartnershipRow["status"];

/** Statuses that hold a place against `maxPartners`: agreed by both sides, or running. */
export const COMMITTED: readonly PartnershipStatus[] = ["accepted", "active"];
/** Statuses during which the same pair cannot open another request. */
export const OPEN: readonly PartnershipStatus[] = ["requested", "accepted", "active"];

function statusList(statuses: readonly PartnershipStatus[]): SQL {
  return sql.join(
    statuses.map((s) => sql`${s}`),
    sql`, `,
  );
}

/** SQL: how many partnerships in `statuses` involve `businessId` (either side). */
export function countInvolving(businessId: string, statuses: readonly PartnershipStatus[]): SQL {
  return sql`(select count(*) from ${partnerships} p where p.status in (${statusList(statuses)})
    and (p.requester_id = ${businessId} or p.partner_id = ${businessId}))`;
}

/** SQL: true while `businessId` has room for one more partnership counted over `statuses`. */
export function hasRoom(businessId: string, statuses: readonly PartnershipStatus[]): SQL {
  return sql`${countInvolving(businessId, statuses)} < coalesce((select ${businesses.maxPartners} from ${businesses} where ${businesses.id} = ${businessId}), 0)`;
}

/** The pair's key in `declined_pairs`: its two ids in ascending order. */
export function pairKey(a: string, b: string): { lowId: string; highId: string } {
  return a < b ? { lowId: a, highId: b } : { lowId: b, highId: a };
}

/** SQL: true when the pair was declined and not reset. */
export function pairDeclined(a: string, b: string): SQL {
  const k = pairKey(a, b);
  return sql`exists (select 1 from ${declinedPairs} d where d.low_id = ${k.lowId} and d.high_id = ${k.highId})`;
}

/** SQL: true when the pair already has an open request or partnership (either direction). */
export function pairOpen(a: string, b: string): SQL {
  return sql`exists (select 1 from ${partnerships} p where p.status in (${statusList(OPEN)})
    and ((p.requester_id = ${a} and p.partner_id = ${b}) or (p.requester_id = ${b} and p.partner_id = ${a})))`;
}

/** SQL: how many requests `businessId` sent that are still unanswered. */
export function openOutgoing(businessId: string): SQL {
  return sql`(select count(*) from ${partnerships} p where p.requester_id = ${businessId} and p.status = 'requested')`;
}

/** SQL: true when the row `id` carries `revision` (the write that set it won). */
export function hasRevision(id: string, revision: string): SQL {
  return sql`exists (select 1 from ${partnerships} where ${partnerships.id} = ${id} and ${partnerships.revision} = ${revision})`;
}

const requester = alias(businesses, "requester");
const partner = alias(businesses, "partner");

/** A partnership with both sides' names, sectors, emails and WhatsApp (callers decide what to show). */
function selectWithParties(db: Database) {
  return db
    .select({
      row: partnerships,
      requester: {
        id: requester.id,
        name: requester.name,
        sector: requester.sector,
        email: requester.email,
        whatsapp: requester.whatsapp,
      },
      partner: {
        id: partner.id,
        name: partner.name,
        sector: partner.sector,
        email: partner.email,
        whatsapp: partner.whatsapp,
      },
    })
    .from(partnerships)
    .innerJoin(requester, eq(requester.id, partnerships.requesterId))
    .innerJoin(partner, eq(partner.id, partnerships.partnerId));
}

export type PartnershipWithParties = Awaited<ReturnType<ReturnType<typeof selectWithParties>["all"]>>[number];

export function selectPartnershipById(db: Database, id: string | Placeholder) {
  return selectWithParties(db).where(eq(partnerships.id, id));
}

/**
 * {@link selectPartnershipById} prepared once per database (every answer, cancel or decision loads
 * its partnership first): placeholder `id`.
 */
export function partnershipByIdQuery(db: Database) {
  return prepareOnce(db, preparePartnershipById);
}

function preparePartnershipById(db: Database) {
  return selectPartnershipById(db, sql.placeholder("id")).prepare();
}

export interface PartnershipFilters {
  status?: PartnershipStatus | undefined;
  /** Either side. */
  businessId?: string | undefined;
  /** Either side's kecamatan (as stored). */
  kecamatan?: string | undefined;
  pattern?: string | undefined;
}

function partnershipConditions(filters: PartnershipFilters): SQL[] {
  const conds: SQL[] = [];
  if (filters.status) conds.push(eq(partnerships.status, filters.status));
  if (filters.pattern) conds.push(eq(partnerships.pattern, filters.pattern));
  if (filters.kecamatan) {
    const either = or(eq(requester.kecamatan, filters.kecamatan), eq(partner.kecamatan, filters.kecamatan));
    if (either) conds.push(either);
  }
  if (filters.businessId) {
    const side = or(
      eq(partnerships.requesterId, filters.businessId),
      eq(partnerships.partnerId, filters.businessId),
    );
    if (side) conds.push(side);
  }
  return conds;
}

/** Keyset page in id (= creation) order, one extra row to know whether more follow. */
export function selectPartnershipPage(
  db: Database,
  filters: PartnershipFilters,
  after: string | null,
  limit: number,
) {
  const conds = partnershipConditions(filters);
  if (after !== null) conds.push(gt(partnerships.id, after));
  return selectWithParties(db)
    .where(conds.length > 0 ? and(...conds) : undefined)
    .orderBy(asc(partnerships.id))
    .limit(limit + 1);
}

/** How many partnerships match `filters` (every page, counted as the pages read them). */
export function countPartnershipRows(db: Database, filters: PartnershipFilters) {
  const conds = partnershipConditions(filters);
  return db
    .select({ n: count() })
    .from(partnerships)
    .innerJoin(requester, eq(requester.id, partnerships.requesterId))
    .innerJoin(partner, eq(partner.id, partnerships.partnerId))
    .where(conds.length > 0 ? and(...conds) : undefined);
}

/** The ids of businesses `businessId` must never be suggested (declined pairs, either side). */
export function selectDeclinedWith(db: Database, businessId: string) {
  return db
    .select({ lowId: declinedPairs.lowId, highId: declinedPairs.highId })
    .from(declinedPairs)
    .where(or(eq(declinedPairs.lowId, businessId), eq(declinedPairs.highId, businessId)));
}

/** Both businesses' rows needed to check a request or pairing. */
export function selectParties(db: Database, ids: [string, string]) {
  return db
    .select({
      id: businesses.id,
      sector: businesses.sector,
      active: businesses.active,
      status: businesses.status,
      maxPartners: businesses.maxPartners,
      // What a new partnership's answer shows of each side (createPartnership), read here so the
      // request needs no further round trip.
      name: businesses.name,
      email: businesses.email,
      whatsapp: businesses.whatsapp,
    })
    .from(businesses)
    .where(inArray(businesses.id, ids));
}

/**
 * The facts `brokenPairRule` decides on, for a new request (a business's own request, an
 * officer's pairing, a published proposal), in one batch: both parties' rows, and whether the pair
 * is declined or already open, the requester's unanswered requests and each side's room.
 */
/** A party of a pair as {@link readPairFacts} reads it: the rules' facts and what an answer shows. */
export type PairPartyRow = Awaited<ReturnType<ReturnType<typeof selectParties>["all"]>>[number];

export async function readPairFacts(
  db: Database,
  requesterId: string,
  partnerId: string,
): Promise<PairFacts & { requester: PairPartyRow | undefined; partner: PairPartyRow | undefined }> {
  const [parties, [counts]] = await db.batch([
    selectParties(db, [requesterId, partnerId]),
    db
      .select({
        declined: sql<number>`${pairDeclined(requesterId, partnerId)}`.as("declined"),
        open: sql<number>`${pairOpen(requesterId, partnerId)}`.as("open"),
        outgoing: sql<number>`${openOutgoing(requesterId)}`.as("outgoing"),
        requesterRoom: sql<number>`${hasRoom(requesterId, COMMITTED)}`.as("requesterRoom"),
        partnerRoom: sql<number>`${hasRoom(partnerId, COMMITTED)}`.as("partnerRoom"),
      })
      .from(sql`(select 1)`),
  ]);
  if (!counts) throw new Error("count query returned no row");
  return {
    requesterId,
    partnerId,
    requester: parties.find((p) => p.id === requesterId),
    partner: parties.find((p) => p.id === partnerId),
    declined: Boolean(counts.declined),
    open: Boolean(counts.open),
    outgoing: counts.outgoing,
    requesterRoom: Boolean(counts.requesterRoom),
    partnerRoom: Boolean(counts.partnerRoom),
  };
}

/** SQL: the business takes partnerships when the statement runs (not deactivated meanwhile). */
function takesPartnershipsNow(id: string): SQL {
  return sql`exists (select 1 from ${businesses} where ${businesses.id} = ${id} and ${matchable()})`;
}

/**
 * SQL: the part of `brokenPairRule` a concurrent write can change, evaluated as a guarded insert
 * runs: both sides still take partnerships, the pair is neither declined nor open, and, when
 * asked, the requester is under `maxOpenRequests` and both sides have room.
 */
export function pairStillAllowed(
  requesterId: string,
  partnerId: string,
  limits: { maxOpenRequests: number | null; room: boolean },
): SQL {
  const conds: SQL[] = [
    takesPartnershipsNow(requesterId),
    takesPartnershipsNow(partnerId),
    sql`not ${pairOpen(requesterId, partnerId)}`,
    sql`not ${pairDeclined(requesterId, partnerId)}`,
  ];
  if (limits.maxOpenRequests !== null) {
    conds.push(sql`${openOutgoing(requesterId)} < ${limits.maxOpenRequests}`);
  }
  if (limits.room) conds.push(hasRoom(requesterId, COMMITTED), hasRoom(partnerId, COMMITTED));
  return sql.join(conds, sql` and `);
}

/**
 * A new partnership written only when `onlyIf` holds as the statement runs (limits, the pair's
 * state, a draft still undecided), so concurrent writers cannot slip past them.
 */
export function insertPartnershipIf(db: Database, row: NewPartnershipRow, onlyIf: SQL) {
  return insertIf(db, partnerships, row, onlyIf);
}
