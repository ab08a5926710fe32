import type { ProcurementType } from "../../domain/procurement";
import { countsAsSmall, type SupplierQualification, UMKM_SHARE_TARGET } from "../../domain/procurement";

/**
 * The arithmetic of the 40% rule (Perpres 12/2021 Pasal 65): pure, so its tests need no database.
 * A realised row counts as small when its supplier is a registry business of class mikro or kecil,
 * else when the file's "kualifikasi usaha" says mikro, kecil or koperasi. A registry business's
 * class wins over the file's (the registry is what the office keeps up to date).
 */

export interface ShareRow {
  buyerId: string;
  buyerName: string;
  /** "YYYY-MM-DD". */
  date: string;
  type: ProcurementType;
  value: number;
  qualification: SupplierQualification | null;
  /** The registry business's size class when the supplier was matched, else null. */
  registrySize: "mikro" | "kecil" | "menengah" | "besar" | null;
}

export interface ShareFigures {
  /** Everything realised (rupiah). */
  total: number;
  /** To micro and small businesses and cooperatives. */
  small: number;
  /** The part of `small` that went to businesses in this registry. */
  registrySmall: number;
  /** small / total, in [0, 1] (0 when nothing was spent), 4 decimals. */
  share: number;
  /** Rupiah more to small businesses needed to reach the target: max(0, ceil(target * total) - small). */
  gap: number;
}

export interface ShareReport {
  target: number;
  overall: ShareFigures;
  byBuyer: Array<ShareFigures & { key: string; name: string }>;
  byMonth: Array<ShareFigures & { key: string }>;
  byType: Array<ShareFigures & { key: ProcurementType }>;
}

/** Whether a row's spending counts toward the share. */
export function isSmall(row: Pick<ShareRow, "qualification" | "registrySize">): boolean {
  if (row.registrySize !== null) return row.registrySize === "mikro" || row.registrySize === "kecil";
  return countsAsSmall(row.qualification);
}

function figures(total: number, small: number, registrySmall: number, target: number): ShareFigures {
  return {
    total,
    small,
    registrySmall,
    share: total === 0 ? 0 : Math.round((small / total) * 10000) / 10000,
    gap: Math.max(0, Math.ceil(target * total) - small),
  };
}

/**
 * The share overall and by OPD (largest gap first), month and type (in order).
 * @example summariseShare([{ value: 100, registrySize: "mikro", ... }, { value: 300, qualification: "besar", ... }])
 *   .overall // { total: 400, small: 100, registrySmall: 100, share: 0.25, gap: 60 }
 */
export function summariseShare(rows: readonly ShareRow[], target = UMKM_SHARE_TARGET): ShareReport {
  type Acc = { total: number; small: number; registrySmall: number; name: string };
  const add = (m: Map<string, Acc>, key: string, name: string, r: ShareRow, small: boolean) => {
    const a = m.get(key) ?? { total: 0, small: 0, registrySmall: 0, name };
    a.total += r.value;
    if (small) {
      a.small += r.value;
      if (r.registrySize !== null) a.registrySmall += r.value;
    }
    m.set(key, a);
  };
  const all = new Map<string, Acc>();
  const buyers = new Map<string, Acc>();
  const months = new Map<string, Acc>();
  const types = new Map<string, Acc>();
  for (const r of rows) {
    const small = isSmall(r);
    add(all, "all", "", r, small);
    add(buyers, r.buyerId, r.buyerName, r, small);
    add(months, r.date.slice(0, 7), "", r, small);
    add(types, r.type, "", r, small);
  }
  const f = (a: Acc | undefined) => figures(a?.total ?? 0, a?.small ?? 0, a?.registrySmall ?? 0, target);
  return {
    target,
    overall: f(all.get("all")),
    byBuyer: [...buyers]
      .map(([key, a]) => ({ key, name: a.name, ...f(a) }))
      .sort((a, b) => b.gap - a.gap || a.share - b.share || a.name.localeCompare(b.name)),
    byMonth: [...months].map(([key, a]) => ({ key, ...f(a) })).sort((a, b) => a.key.localeCompare(b.key)),
    byType: [...types]
      .map(([key, a]) => ({ key: key as ProcurementType, ...f(a) }))
      .sort((a, b) => a.key.localeCompare(b.key)),
  };
}

/**
 * Packages that could close a gap: the OPD's planned packages not yet realised, reserved for small
 * businesses, largest first, until their ceilings cover the gap (at most `max`).
 */
export function packagesToClose<P extends { pagu: number }>(
  candidates: readonly P[],
  gap: number,
  max = 5,
): P[] {
  if (gap <= 0) return [];
  const out: P[] = [];
  let covered = 0;
  for (const p of [...candidates].sort((a, b) => b.pagu - a.pagu)) {
    if (covered >= gap || out.length >= max) break;
    out.push(p);
    covered += p.pagu;
  }
  return out;
}
