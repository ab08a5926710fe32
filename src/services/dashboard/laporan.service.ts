import type { Period } from "../../domain/calendar";
import { kbliSectionName } from "../../domain/kbli";
import type { Language } from "../../domain/language";
import { patternLabel } from "../../email/format";
import { type TableCell, writeCsv } from "../../lib/csv";
import { writeXlsx, XLSX_CONTENT_TYPE } from "../../lib/xlsx";
import type { ServiceDeps } from "../deps";
import { type Dashboard, getDashboard } from "./dashboard.service";
import { LAPORAN_LIST_LIMIT, listOneStepAway, type OneStepAway } from "./readiness.service";

/**
 * The office's laporan: the dashboard's figures and lists as tables, written as one CSV per table
 * or one XLSX workbook with a sheet per table (docs/OPERATIONS.md: "The laporan").
 */

export const LAPORAN_TABLES = ["summary", "kecamatan", "pattern", "kbli", "readiness"] as const;
export type LaporanTable = (typeof LAPORAN_TABLES)[number];
export type LaporanFormat = "csv" | "xlsx";

const TEXT = {
  id: {
    titles: {
      summary: "Ringkasan",
      kecamatan: "Per kecamatan",
      pattern: "Per pola kemitraan",
      kbli: "Per seksi KBLI",
      readiness: "Satu langkah lagi",
    },
    figure: "Angka",
    value: "Nilai",
    period: "Periode",
    allTime: "Sejak awal",
    signups: "Pendaftaran usaha (terkonfirmasi) dalam periode",
    signupsPublished: "  di antaranya sudah diterbitkan",
    requestsSent: "Permintaan kemitraan dikirim dalam periode",
    accepted: "Permintaan dalam periode yang diterima",
    declined: "Permintaan dalam periode yang ditolak atau kedaluwarsa",
    acceptanceRate: "Tingkat penerimaan (0-1)",
    started: "Kemitraan dimulai dalam periode",
    activeNow: "Kemitraan aktif saat ini",
    umkmIndustry: "UMKM industri terbit dan aktif (saat ini)",
    umkmPartnered: "UMKM industri dengan mitra (kemitraan yang dimulai)",
    umkmShare: "Porsi UMKM industri dengan mitra (0-1)",
    ready: "UMKM siap pengadaan (NIB + e-katalog)",
    oneStep: "UMKM satu langkah lagi",
    kecamatan: "Kecamatan",
    kelurahan: "Kelurahan",
    code: "Kode",
    pattern: "Pola",
    section: "Seksi KBLI",
    count: "Kemitraan dimulai",
    name: "Nama usaha",
    nib: "NIB",
    missing: "Yang kurang",
    missingNib: "NIB",
    missingEkatalog: "Tayang di e-katalog",
    outside: "Luar kota",
    id: "ID",
    filename: "laporan-kemitraan",
  },
  en: {
    titles: {
      summary: "Summary",
      kecamatan: "By kecamatan",
      pattern: "By partnership pattern",
      kbli: "By KBLI section",
      readiness: "One step away",
    },
    figure: "Figure",
    value: "Value",
    period: "Period",
    allTime: "All time",
    signups: "Business sign-ups (confirmed) in the period",
    signupsPublished: "  of which published",
    requestsSent: "Partnership requests sent in the period",
    accepted: "Requests of the period accepted",
    declined: "Requests of the period declined or expired",
    acceptanceRate: "Acceptance rate (0-1)",
    started: "Partnerships started in the period",
    activeNow: "Partnerships active now",
    umkmIndustry: "Published, active industry UMKM (now)",
    umkmPartnered: "Industry UMKM with a partner (a partnership that started)",
    umkmShare: "Share of industry UMKM with a partner (0-1)",
    ready: "UMKM ready for procurement (NIB + e-katalog)",
    oneStep: "UMKM one step away",
    kecamatan: "Kecamatan",
    kelurahan: "Kelurahan",
    code: "Code",
    pattern: "Pattern",
    section: "KBLI section",
    count: "Partnerships started",
    name: "Business name",
    nib: "NIB",
    missing: "Missing",
    missingNib: "NIB",
    missingEkatalog: "e-katalog listing",
    outside: "Outside the city",
    id: "ID",
    filename: "kemitraan-report",
  },
} as const;

/** "2026-12-01 – 2026-12-31", or "all time" in the language. */
export function periodText(period: Period | null, lang: Language): string {
  if (!period || period.firstDay === null) return TEXT[lang].allTime;
  return `${period.firstDay} – ${period.lastDay}`;
}

/** Every table of the laporan, header row first. */
export function laporanTables(
  d: Dashboard,
  readiness: OneStepAway[],
  lang: Language,
): Record<LaporanTable, TableCell[][]> {
  const s = TEXT[lang];
  const activeNow = d.activeByPattern.reduce((n, c) => n + c.count, 0);
  return {
    summary: [
      [s.figure, s.value],
      [s.period, periodText(d.period, lang)],
      [s.signups, d.signups.registered],
      [s.signupsPublished, d.signups.published],
      [s.requestsSent, d.requestsSent],
      [s.accepted, d.requests.accepted],
      [s.declined, d.requests.declinedOrExpired],
      [s.acceptanceRate, d.requests.acceptanceRate],
      [s.started, d.started.total],
      [s.activeNow, activeNow],
      [s.umkmIndustry, d.umkmPartnered.registered],
      [s.umkmPartnered, d.umkmPartnered.withPartner],
      [s.umkmShare, d.umkmPartnered.share],
      [s.ready, d.procurement.ready],
      [s.oneStep, d.procurement.oneStepAway],
    ],
    kecamatan: [[s.kecamatan, s.count], ...d.started.byKecamatan.map((c) => [c.key, c.count])],
    pattern: [
      [s.code, s.pattern, s.count],
      ...d.started.byPattern.map((c) => [c.key, patternLabel(c.key, lang), c.count]),
    ],
    kbli: [
      [s.code, s.section, s.count],
      ...d.started.byKbliSection.map((c) => [c.key, kbliSectionName(c.key, lang), c.count]),
    ],
    readiness: [
      [s.name, s.kecamatan, s.kelurahan, s.nib, s.missing, s.id],
      ...readiness.map((b) => [
        b.name,
        b.kecamatan ?? s.outside,
        b.kelurahan,
        b.nib,
        b.missing === "nib" ? s.missingNib : s.missingEkatalog,
        b.id,
      ]),
    ],
  };
}

/** A file to send: its name, type and bytes. */
export interface LaporanFile {
  filename: string;
  contentType: string;
  body: Uint8Array;
}

/**
 * The laporan of `period` as a file: XLSX with one sheet per table in `LAPORAN_TABLES` order, or
 * the CSV of one table (default: the summary). The readiness list holds at most
 * `LAPORAN_LIST_LIMIT` rows; its count in the summary is exact.
 */
export async function exportLaporan(
  deps: ServiceDeps,
  input: { period: Period; lang: Language; format: LaporanFormat; table?: LaporanTable | undefined },
): Promise<LaporanFile> {
  const dashboard = await getDashboard(deps, { period: input.period });
  const list = await listOneStepAway(deps, { limit: LAPORAN_LIST_LIMIT });
  const tables = laporanTables(dashboard, list.items, input.lang);
  const s = TEXT[input.lang];
  const span = input.period.firstDay === null ? "all" : `${input.period.firstDay}_${input.period.lastDay}`;
  if (input.format === "xlsx") {
    return {
      filename: `${s.filename}-${span}.xlsx`,
      contentType: XLSX_CONTENT_TYPE,
      body: writeXlsx(LAPORAN_TABLES.map((t) => ({ name: s.titles[t], rows: tables[t] }))),
    };
  }
  const table = input.table ?? "summary";
  return {
    filename: `${s.filename}-${table}-${span}.csv`,
    contentType: "text/csv; charset=utf-8",
    body: new TextEncoder().encode(writeCsv(tables[table])),
  };
}
