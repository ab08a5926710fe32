import type { Language } from "../../domain/language";
import { typeLabel } from "../../domain/procurement";
import { type TableCell, writeCsv } from "../../lib/csv";
import { writeXlsx, XLSX_CONTENT_TYPE } from "../../lib/xlsx";
import type { LaporanFile } from "../dashboard/laporan.service";
import type { ServiceDeps } from "../deps";
import { getShare, type ShareView } from "./share.service";

/** The 40% view as a laporan: CSV of one table or an XLSX with a sheet per table (like the dashboard's). */

export const SHARE_TABLES = ["opd", "month", "type"] as const;
export type ShareTable = (typeof SHARE_TABLES)[number];

const TEXT = {
  id: {
    titles: { opd: "Per OPD", month: "Per bulan", type: "Per jenis" },
    opd: "OPD",
    month: "Bulan",
    type: "Jenis pengadaan",
    total: "Realisasi (Rp)",
    small: "Ke usaha mikro, kecil dan koperasi (Rp)",
    registry: "Di antaranya ke UMKM terdaftar (Rp)",
    share: "Porsi (0-1)",
    target: "Target (0-1)",
    gap: "Kekurangan (Rp)",
    closing: "Paket yang dapat menutup kekurangan",
    all: "Semua OPD",
    filename: "porsi-umkm-pengadaan",
  },
  en: {
    titles: { opd: "By OPD", month: "By month", type: "By type" },
    opd: "Office (OPD)",
    month: "Month",
    type: "Procurement type",
    total: "Realised (Rp)",
    small: "To micro, small businesses and cooperatives (Rp)",
    registry: "Of which to registered UMKM (Rp)",
    share: "Share (0-1)",
    target: "Target (0-1)",
    gap: "Gap (Rp)",
    closing: "Packages that could close the gap",
    all: "All offices",
    filename: "umkm-procurement-share",
  },
} as const;

/** The tables, header row first. */
export function shareTables(v: ShareView, lang: Language): Record<ShareTable, TableCell[][]> {
  const s = TEXT[lang];
  const cols = [s.total, s.small, s.registry, s.share, s.target, s.gap];
  const nums = (f: ShareView["overall"]): TableCell[] => [
    f.total,
    f.small,
    f.registrySmall,
    f.share,
    v.target,
    f.gap,
  ];
  return {
    opd: [
      [s.opd, ...cols, s.closing],
      [s.all, ...nums(v.overall), ""],
      ...v.byBuyer.map((b) => [b.name, ...nums(b), (v.closing[b.key] ?? []).map((p) => p.name).join("; ")]),
    ],
    month: [[s.month, ...cols], ...v.byMonth.map((m) => [m.key, ...nums(m)])],
    type: [[s.type, ...cols], ...v.byType.map((t) => [typeLabel(t.key, lang), ...nums(t)])],
  };
}

/** The year's 40% view as a file. */
export async function exportShare(
  deps: ServiceDeps,
  input: {
    year?: string | undefined;
    lang: Language;
    format: "csv" | "xlsx";
    table?: ShareTable | undefined;
  },
): Promise<LaporanFile> {
  const view = await getShare(deps, { year: input.year });
  const tables = shareTables(view, input.lang);
  const s = TEXT[input.lang];
  const span = view.year ?? "none";
  if (input.format === "xlsx") {
    return {
      filename: `${s.filename}-${span}.xlsx`,
      contentType: XLSX_CONTENT_TYPE,
      body: writeXlsx(SHARE_TABLES.map((t) => ({ name: s.titles[t], rows: tables[t] }))),
    };
  }
  const table = input.table ?? "opd";
  return {
    filename: `${s.filename}-${table}-${span}.csv`,
    contentType: "text/csv; charset=utf-8",
    body: new TextEncoder().encode(writeCsv(tables[table])),
  };
}
