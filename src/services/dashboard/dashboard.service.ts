import { sql } from "drizzle-orm";
import { type KbliVersion, kbliDivision } from "../../domain/kbli";
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

export interface Dashboard {
  /** Active partnerships per kecamatan of either side (one with sides in two kecamatan counts in both). */
  activeByKecamatan: Count[];
  /** Active partnerships per PP 7/2021 pattern. */
  activeByPattern: Count[];
  /** Sides of active partnerships per KBLI section of the business's first code (each side counted once). */
  activeSidesByKbliSection: Count[];
  /** Answers to business requests: accepted (later approved, rejected or ended too) vs declined or expired. */
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
    /** Up to 10 of those one step away, for the officer to follow up. */
    oneStepAwaySample: Array<{ id: string; name: string; missing: "nib" | "ekatalog" }>;
  };
  kelurahan: KelurahanActivity[];
}

const UMKM = sql`b.active = 1 and b.status = 'published' and b.size_class in ('mikro', 'kecil', 'menengah')`;

const byCount = (a: Count, b: Count) => b.count - a.count || (a.key < b.key ? -1 : 1);

/**
 * The officers' dashboard figures, computed in one D1 round trip (a batch of aggregate queries).
 * Everything counts the registry as it is now; nothing is cached.
 */
export async function getDashboard(deps: ServiceDeps): Promise<Dashboard> {
  const db = deps.db;
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
        from partnerships where origin = 'request'`),
    db.all<{ registered: number; partnered: number | null }>(sql`
        select count(*) as registered,
               sum(exists (select 1 from partnerships p where p.status = 'active'
                           and (p.requester_id = b.id or p.partner_id = b.id))) as partnered
        from businesses b where ${UMKM}`),
    db.all<{ ready: number | null; oneStep: number | null }>(sql`
        select sum(b.nib is not null and b.ekatalog_listed = 1) as ready,
               sum((b.nib is not null) + (b.ekatalog_listed = 1) = 1) as oneStep
        from businesses b where ${UMKM}`),
    db.all<{ id: string; name: string; nib: string | null }>(sql`
        select b.id, b.name, b.nib from businesses b
        where ${UMKM} and (b.nib is not null) + (b.ekatalog_listed = 1) = 1 order by b.name, b.id limit 10`),
    db.all<{ kelurahan: string; total: number; active: number }>(sql`
        select b.kelurahan as kelurahan, count(distinct p.id) as total,
               count(distinct case when p.status = 'active' then p.id end) as active
        from partnerships p join businesses b on b.id in (p.requester_id, p.partner_id)
        where b.kelurahan is not null group by b.kelurahan`),
    db.all<{ kelurahan: string; count: number }>(sql`
        select kelurahan, count(*) as count from businesses
        where active = 1 and status = 'published' and kelurahan is not null group by kelurahan`),
  ]);

  const sections = new Map<string, number>();
  for (const row of byDivision) {
    const version: KbliVersion = row.version === "2025" ? "2025" : "2020";
    const section = row.division ? (kbliDivision(`${row.division}000`, version)?.section ?? "?") : "?";
    sections.set(section, (sections.get(section) ?? 0) + row.count);
  }

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
    activeByKecamatan: byKecamatan.map((r) => ({ key: r.key, count: r.count })).sort(byCount),
    activeByPattern: byPattern.map((r) => ({ key: r.key, count: r.count })).sort(byCount),
    activeSidesByKbliSection: [...sections].map(([key, count]) => ({ key, count })).sort(byCount),
    requests: {
      accepted,
      declinedOrExpired,
      acceptanceRate: accepted + declinedOrExpired > 0 ? accepted / (accepted + declinedOrExpired) : null,
    },
    umkm: { registered, withActivePartner, share: registered > 0 ? withActivePartner / registered : null },
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
