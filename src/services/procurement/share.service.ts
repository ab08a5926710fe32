import { and, eq, inArray, like, sql } from "drizzle-orm";
import { businesses, procurementBuyers, procurementPackages, procurementRealisations } from "../../../schema";
import { normalizeKey, RESERVED_FOR_SMALL_UP_TO } from "../../domain/procurement";
import type { ServiceDeps } from "../deps";
import { packagesToClose, type ShareReport, type ShareRow, summariseShare } from "./share";

export interface ClosingPackage {
  id: string;
  name: string;
  pagu: number;
  method: string;
  plannedMonth: string;
}

export interface ShareView extends ShareReport {
  /** The year shown ("YYYY"), and the years that have realised spending. */
  year: string | null;
  years: string[];
  /** Rows of the year that were matched to registry businesses. */
  matched: { nib: number; name: number; rows: number };
  /** Per OPD with a gap: the planned packages that could close it. */
  closing: Record<string, ClosingPackage[]>;
}

/**
 * The 40% share of one year's realised spending (default: the latest year with data), by OPD,
 * month and type, with the packages that could close each OPD's gap: its RUP packages of that year
 * reserved for small businesses (pagu up to Rp15 bn, goods or other services, not exempted) whose
 * name is not among the year's realised packages.
 */
export async function getShare(deps: ServiceDeps, input: { year?: string | undefined }): Promise<ShareView> {
  const yearRows = await deps.db
    .selectDistinct({ y: sql<string>`substr(${procurementRealisations.date}, 1, 4)` })
    .from(procurementRealisations)
    .all();
  const years = yearRows
    .map((r) => r.y)
    .sort()
    .reverse();
  const year = input.year && /^\d{4}$/.test(input.year) ? input.year : (years[0] ?? null);
  if (year === null) {
    return { ...summariseShare([]), year: null, years, matched: { nib: 0, name: 0, rows: 0 }, closing: {} };
  }
  const rows = await deps.db
    .select({
      buyerId: procurementRealisations.buyerId,
      buyerName: procurementBuyers.name,
      date: procurementRealisations.date,
      type: procurementRealisations.type,
      value: procurementRealisations.value,
      qualification: procurementRealisations.qualification,
      registrySize: businesses.sizeClass,
      matchedBy: procurementRealisations.matchedBy,
      packageName: procurementRealisations.packageName,
    })
    .from(procurementRealisations)
    .innerJoin(procurementBuyers, eq(procurementBuyers.id, procurementRealisations.buyerId))
    .leftJoin(businesses, eq(businesses.id, procurementRealisations.businessId))
    .where(like(procurementRealisations.date, `${year}-%`))
    .all();
  const report = summariseShare(rows as ShareRow[]);
  const realised = new Set(rows.map((r) => `${r.buyerId}|${normalizeKey(r.packageName)}`));
  const withGap = report.byBuyer.filter((b) => b.gap > 0).map((b) => b.key);
  const closing: Record<string, ClosingPackage[]> = {};
  if (withGap.length > 0) {
    const planned = await deps.db
      .select({
        id: procurementPackages.id,
        buyerId: procurementPackages.buyerId,
        name: procurementPackages.name,
        pagu: procurementPackages.pagu,
        method: procurementPackages.method,
        plannedMonth: procurementPackages.plannedMonth,
      })
      .from(procurementPackages)
      .where(
        and(
          inArray(procurementPackages.buyerId, withGap.slice(0, 90)),
          like(procurementPackages.plannedMonth, `${year}-%`),
          sql`${procurementPackages.pagu} <= ${RESERVED_FOR_SMALL_UP_TO}`,
          inArray(procurementPackages.type, ["barang", "jasa_lainnya"]),
          sql`${procurementPackages.method} <> 'dikecualikan'`,
        ),
      )
      .all();
    for (const b of report.byBuyer) {
      if (b.gap <= 0) continue;
      const open = planned.filter(
        (p) => p.buyerId === b.key && !realised.has(`${p.buyerId}|${normalizeKey(p.name)}`),
      );
      closing[b.key] = packagesToClose(open, b.gap).map(({ buyerId: _b, ...p }) => p);
    }
  }
  return {
    ...report,
    year,
    years,
    matched: {
      nib: rows.filter((r) => r.matchedBy === "nib").length,
      name: rows.filter((r) => r.matchedBy === "name").length,
      rows: rows.length,
    },
    closing,
  };
}
