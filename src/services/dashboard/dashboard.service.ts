import { type SQL, sql } from "drizzle-orm";
import type { Period } from "../../domain/calendar";
import { type KbliVersion, kbliDivision } from "../../domain/kbli";
import { STARTED_OUTCOMES } from "../../domain/partnership";
import type { ServiceDeps } from "../deps";

/** A labelled count, largest first in every list. */
export interface Count {
  key: string;
  count: number;
}

/** Activity of one kelurahan, for the map: registered businesses and partnerships touching it. */
export interface KelurahanActivity {
  kelurahan: string;
  businesses: number;
  /** Requests and partnerships (any status) with at least one side located here. */
  partnerships: number;
  /** Of those, active now. */
  active: number;
}

/** Partnerships started in the period (see `isPartnershipStarted`), and how they spread. */
export interface StartedPartnerships {
  total: number;
  /** Per kecamatan of either side: one with sides in two kecamatan counts in both. */
  byKecamatan: Count[];
  /** Per PP 7/2021 pattern (each partnership once). */
  byPattern: Count[];
  /** Per KBLI section of either side's first code: one whose sides differ counts in both. */
  byKbliSection: Count[];
}

export interface Dashboard {
  /** The period the flows cover (`requests`, `signups`, `requestsSent`, `started`); null = all time. */
  period: Period | null;
  /** Businesses that signed up (or were registered) in the period and confirmed their address. */
  signups: { registered: number; published: number };
  /** Business requests sent in the period. */
  requestsSent: number;
  started: StartedPartnerships;
  /**
   * Published, active industry UMKM (mikro, kecil, menengah) now, and how many of them have a
   * partnership that started (at any time: this is the stock, not a flow).
   */
  umkmPartnered: { registered: number; withPartner: number; share: number | null };
  /** Active partnerships per kecamatan of either side (one with sides in two kecamatan counts in both). */
  activeByKecamatan: Count[];
  /** Active partnerships per PP 7/2021 pattern. */
  activeByPattern: Count[];
  /** Sides of active partnerships per KBLI section of the business's first code (each side counted once). */
  activeSidesByKbliSection: Count[];
  /** Answers to business requests sent in the period: accepted (later approved, rejected or ended too) vs declined or expired. */
  requests: { accepted: number; declinedOrExpired: number; acceptanceRate: number | null };
  /** Published, active UMKM (mikro, kecil, menengah) and how many have at least one active partnership. */
  umkm: { registered: number; withActivePartner: number; share: number | null };
  /**
   * Government procurement readiness of those UMKM: ready = NIB and an e-katalog listing; one step
   * away = exactly one of the two (almost always an NIB without a listing).
   */
  procurement: {
    ready: number;
    oneStepAway: number;
    /** The first 10 of those one step away in list order (`listOneStepAway` pages them all). */
    oneStepAwaySample: Array<{ id: string; name: string; missing: "nib" | "ekatalog" }>;
  };
  kelurahan: KelurahanActivity[];
}

/**
 * The started-partnership rule of `isPartnershipStarted` as SQL over alias `p`. The outcomes are
 * our own constants, inlined as literals.
 */
export const STARTED_SQL = sql.raw(
  `(p.status = 'active' or (p.status = 'ended' and p.outcome in (${STARTED_OUTCOMES.map((o) => `'${o}'`).join(", ")})))`,
);

/** When a partnership started: the officer's approval (or creation), else its creation. */
const STARTED_AT = sql`coalesce(p.decided_at, p.created_at)`;

/**
 * `column` within the period; always true for all time. The bounds are inlined as integer
 * literals, not bound: drizzle's D1 `batch` cannot bind parameters of raw `db.all` queries.
 */
function within(column: SQL, period: Period | null): SQL {
  if (!period || period.from === null || period.to === null) return sql`1`;
  const [from, to] = [period.from, period.to];
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to))
    throw new Error("period bounds must be integers");
  return sql`(${column} >= ${sql.raw(String(from))} and ${column} < ${sql.raw(String(to))})`;
}

export const UMKM = sql`b.active = 1 and b.status = 'published' and b.size_class in ('mikro', 'kecil', 'menengah')`;

/** UMKM one step from procurement readiness: exactly one of an NIB and an e-katalog listing. */
export const ONE_STEP = sql`(b.nib is not null) + (b.ekatalog_listed = 1) = 1`;

/**
 * The readiness list's order, by kecamatan (outside the city last) then name: an officer visits
 * one area at a time. The same expressions make the keyset (`listOneStepAway`).
 */
export const READINESS_ORDER = sql`coalesce(b.kecamatan, '~'), lower(b.name), b.id`;

/** `part` of `whole` as a fraction, null when there is no whole (every share and rate here). */
function shareOf(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** The dashboard's figures that carry a share or rate, built from their counts (one rule for each). */
export const withShares = {
  umkmPartnered: (registered: number, withPartner: number): Dashboard["umkmPartnered"] => ({
    registered,
    withPartner,
    share: shareOf(withPartner, registered),
  }),
  requests: (accepted: number, declinedOrExpired: number): Dashboard["requests"] => ({
    accepted,
    declinedOrExpired,
    acceptanceRate: shareOf(accepted, accepted + declinedOrExpired),
  }),
  umkm: (registered: number, withActivePartner: number): Dashboard["umkm"] => ({
    registered,
    withActivePartner,
    share: shareOf(withActivePartner, registered),
  }),
};

const byCount = (a: Count, b: Count) => b.count - a.count || (a.key < b.key ? -1 : 1);

/** Section letter of a stored first KBLI code ("?" when it has none or an unknown division). */
function sectionOf(division: string | null, version: string | null): string {
  const v: KbliVersion = version === "2025" ? "2025" : "2020";
  return division ? (kbliDivision(`${division}000`, v)?.section ?? "?") : "?";
}

/**
 * The officers' dashboard figures, computed in one D1 round trip (a batch of aggregate queries);
 * nothing is cached. Flows (sign-ups, requests, partnerships started) count what happened in
 * `period` (WIB, see `resolvePeriod`; omitted = all time); stocks (UMKM, procurement readiness,
 * active partnerships, the map) count the registry as it is now.
 */
export async function getDashboard(deps: ServiceDeps, input: { period?: Period } = {}): Promise<Dashboard> {
  const db = deps.db;
  const period = input.period ?? null;
  const [
    byKecamatan,
    byPattern,
    byDivision,
    requests,
    umkm,
    procurement,
    sample,
    kelurahanParts,
    kelurahanBiz,
    signups,
    startedTotals,
    startedKecamatan,
    startedPattern,
    startedSides,
    partnered,
  ] = await db.batch([
    db.all<{ key: string; count: number }>(sql`
        select b.kecamatan as key, count(distinct p.id) as count
        from partnerships p join businesses b on b.id in (p.requester_id, p.partner_id)
        where p.status = 'active' and b.kecamatan is not null group by b.kecamatan`),
    db.all<{ key: string; count: number }>(sql`
        select pattern as key, count(*) as count from partnerships where status = 'active' group by pattern`),
    db.all<{ division: string | null; version: string | null; count: number }>(sql`
        select substr(json_extract(b.kbli, '$[0].code'), 1, 2) as division,
               json_extract(b.kbli, '$[0].version') as version, count(*) as count
        from partnerships p join businesses b on b.id in (p.requester_id, p.partner_id)
        where p.status = 'active' group by division, version`),
    db.all<{ accepted: number | null; declined: number | null }>(sql`
        select sum(status in ('accepted', 'active', 'rejected', 'ended')) as accepted,
               sum(status in ('declined', 'expired')) as declined
        from partnerships p where origin = 'request' and ${within(sql`p.created_at`, period)}`),
    db.all<{ registered: number; partnered: number | null }>(sql`
        select count(*) as registered,
               sum(exists (select 1 from partnerships p where p.status = 'active'
                           and (p.requester_id = b.id or p.partner_id = b.id))) as partnered
        from businesses b where ${UMKM}`),
    db.all<{ ready: number | null; oneStep: number | null }>(sql`
        select sum(b.nib is not null and b.ekatalog_listed = 1) as ready,
               sum(${ONE_STEP}) as oneStep
        from businesses b where ${UMKM}`),
    db.all<{ id: string; name: string; nib: string | null }>(sql`
        select b.id, b.name, b.nib from businesses b
        where ${UMKM} and ${ONE_STEP} order by ${READINESS_ORDER} limit 10`),
    db.all<{ kelurahan: string; total: number; active: number }>(sql`
        select b.kelurahan as kelurahan, count(distinct p.id) as total,
               count(distinct case when p.status = 'active' then p.id end) as active
        from partnerships p join businesses b on b.id in (p.requester_id, p.partner_id)
        where b.kelurahan is not null group by b.kelurahan`),
    db.all<{ kelurahan: string; count: number }>(sql`
        select kelurahan, count(*) as count from businesses
        where active = 1 and status = 'published' and kelurahan is not null group by kelurahan`),
    db.all<{ registered: number; published: number | null; requests: number | null }>(sql`
        select count(*) as registered, sum(b.status = 'published') as published,
               (select count(*) from partnerships p where p.origin = 'request'
                and ${within(sql`p.created_at`, period)}) as requests
        from businesses b where b.status <> 'unconfirmed' and ${within(sql`b.created_at`, period)}`),
    db.all<{ total: number }>(sql`
        select count(*) as total from partnerships p where ${STARTED_SQL} and ${within(STARTED_AT, period)}`),
    db.all<{ key: string; count: number }>(sql`
        select b.kecamatan as key, count(distinct p.id) as count
        from partnerships p join businesses b on b.id in (p.requester_id, p.partner_id)
        where ${STARTED_SQL} and ${within(STARTED_AT, period)} and b.kecamatan is not null
        group by b.kecamatan`),
    db.all<{ key: string; count: number }>(sql`
        select p.pattern as key, count(*) as count from partnerships p
        where ${STARTED_SQL} and ${within(STARTED_AT, period)} group by p.pattern`),
    db.all<{ id: string; division: string | null; version: string | null }>(sql`
        select p.id as id, substr(json_extract(b.kbli, '$[0].code'), 1, 2) as division,
               json_extract(b.kbli, '$[0].version') as version
        from partnerships p join businesses b on b.id in (p.requester_id, p.partner_id)
        where ${STARTED_SQL} and ${within(STARTED_AT, period)}`),
    db.all<{ registered: number; partnered: number | null }>(sql`
        select count(*) as registered,
               sum(exists (select 1 from partnerships p where ${STARTED_SQL}
                           and (p.requester_id = b.id or p.partner_id = b.id))) as partnered
        from businesses b where ${UMKM} and b.sector = 'industry'`),
  ]);

  const sections = new Map<string, number>();
  for (const row of byDivision) {
    const section = sectionOf(row.division, row.version);
    sections.set(section, (sections.get(section) ?? 0) + row.count);
  }
  const startedSections = new Map<string, Set<string>>();
  for (const row of startedSides) {
    const section = sectionOf(row.division, row.version);
    const ids = startedSections.get(section) ?? new Set<string>();
    ids.add(row.id);
    startedSections.set(section, ids);
  }
  const industryUmkm = partnered[0]?.registered ?? 0;
  const withPartner = partnered[0]?.partnered ?? 0;

  const accepted = requests[0]?.accepted ?? 0;
  const declinedOrExpired = requests[0]?.declined ?? 0;
  const registered = umkm[0]?.registered ?? 0;
  const withActivePartner = umkm[0]?.partnered ?? 0;

  const activity = new Map<string, KelurahanActivity>();
  const entry = (k: string) => {
    let e = activity.get(k);
    if (!e) {
      e = { kelurahan: k, businesses: 0, partnerships: 0, active: 0 };
      activity.set(k, e);
    }
    return e;
  };
  for (const r of kelurahanBiz) entry(r.kelurahan).businesses = r.count;
  for (const r of kelurahanParts) {
    const e = entry(r.kelurahan);
    e.partnerships = r.total;
    e.active = r.active;
  }

  return {
    period,
    signups: { registered: signups[0]?.registered ?? 0, published: signups[0]?.published ?? 0 },
    requestsSent: signups[0]?.requests ?? 0,
    started: {
      total: startedTotals[0]?.total ?? 0,
      byKecamatan: startedKecamatan.map((r) => ({ key: r.key, count: r.count })).sort(byCount),
      byPattern: startedPattern.map((r) => ({ key: r.key, count: r.count })).sort(byCount),
      byKbliSection: [...startedSections].map(([key, ids]) => ({ key, count: ids.size })).sort(byCount),
    },
    umkmPartnered: withShares.umkmPartnered(industryUmkm, withPartner),
    activeByKecamatan: byKecamatan.map((r) => ({ key: r.key, count: r.count })).sort(byCount),
    activeByPattern: byPattern.map((r) => ({ key: r.key, count: r.count })).sort(byCount),
    activeSidesByKbliSection: [...sections].map(([key, count]) => ({ key, count })).sort(byCount),
    requests: withShares.requests(accepted, declinedOrExpired),
    umkm: withShares.umkm(registered, withActivePartner),
    procurement: {
      ready: procurement[0]?.ready ?? 0,
      oneStepAway: procurement[0]?.oneStep ?? 0,
      oneStepAwaySample: sample.map((r) => ({
        id: r.id,
        name: r.name,
        missing: r.nib === null ? ("nib" as const) : ("ekatalog" as const),
      })),
    },
    kelurahan: [...activity.values()].sort((a, b) => (a.kelurahan < b.kelurahan ? -1 : 1)),
  };
}
