/**
 * Government procurement, the city as a buyer: the vocabularies (methods, types, channels, supplier
 * qualifications), the rules read from data/procurement/rules.json (the 40% share of Perpres
 * 12/2021 Pasal 65, the Rp15 bn reservation, the Rp200 m direct-procurement ceiling), the
 * readiness steps, and how a file's cells become values. Schema, services and the console all name
 * them through this module (docs/PROCUREMENT.md).
 */
import readinessData from "../../data/procurement/readiness-steps.json";
import rulesData from "../../data/procurement/rules.json";
import type { Language } from "./language";

export const PROCUREMENT_METHODS = [
  "e_purchasing",
  "pengadaan_langsung",
  "penunjukan_langsung",
  "tender_cepat",
  "tender",
  "seleksi",
  "dikecualikan",
] as const;
export type ProcurementMethod = (typeof PROCUREMENT_METHODS)[number];

export const PROCUREMENT_TYPES = ["barang", "jasa_lainnya", "konstruksi", "konsultansi"] as const;
export type ProcurementType = (typeof PROCUREMENT_TYPES)[number];

export const PROCUREMENT_CHANNELS = ["e_katalog", "tender", "pengadaan_langsung"] as const;
export type ProcurementChannel = (typeof PROCUREMENT_CHANNELS)[number];

export const SUPPLIER_QUALIFICATIONS = ["mikro", "kecil", "koperasi", "menengah", "besar"] as const;
export type SupplierQualification = (typeof SUPPLIER_QUALIFICATIONS)[number];

interface Named {
  id: string;
  en: string;
  aliases: string[];
}

const rules = rulesData as unknown as {
  umkmShareTarget: { value: number };
  reservedForSmallUpTo: { value: number };
  directProcurementUpTo: { value: number };
  smallClasses: string[];
  methods: Record<ProcurementMethod, Named>;
  types: Record<ProcurementType, Named>;
  channels: Record<ProcurementChannel, Named>;
  qualifications: Record<SupplierQualification, string[]>;
};

/** The minimum share (0-1) of goods/services spending for micro, small businesses and cooperatives. */
export const UMKM_SHARE_TARGET = rules.umkmShareTarget.value;
/** Packages with a ceiling up to this (rupiah) are reserved for small businesses and cooperatives. */
export const RESERVED_FOR_SMALL_UP_TO = rules.reservedForSmallUpTo.value;
/** Direct procurement (pengadaan langsung) covers goods and other services up to this (rupiah). */
export const DIRECT_PROCUREMENT_UP_TO = rules.directProcurementUpTo.value;

/** Whether a supplier of this qualification counts toward the 40% share. */
export function countsAsSmall(q: SupplierQualification | null): boolean {
  return q !== null && rules.smallClasses.includes(q);
}

export function methodLabel(m: ProcurementMethod, lang: Language): string {
  return rules.methods[m][lang];
}
export function typeLabel(m: ProcurementType, lang: Language): string {
  return rules.types[m][lang];
}
export function channelLabel(m: ProcurementChannel, lang: Language): string {
  return rules.channels[m][lang];
}

/** Lower case, punctuation to spaces, spaces collapsed: how names and cells are compared. */
export function normalizeKey(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9/]+/g, " ")
    .trim();
}

function lookup<K extends string>(table: Record<K, Named>, cell: string): K | null {
  const key = normalizeKey(cell).replace(/\//g, " ");
  for (const [code, named] of Object.entries(table) as Array<[K, Named]>) {
    if (code === cell.trim()) return code;
    if (named.aliases.some((a) => normalizeKey(a) === key) || normalizeKey(named.id) === key) return code;
  }
  return null;
}

export const parseMethod = (cell: string) => lookup(rules.methods, cell);
export const parseChannel = (cell: string) => lookup(rules.channels, cell);

/** "Barang", "Jasa Lainnya", "Pekerjaan Konstruksi", "Jasa Konsultansi" (SiRUP's words), or a code. */
export function parseType(cell: string): ProcurementType | null {
  return lookup(rules.types, cell);
}

export function parseQualification(cell: string): SupplierQualification | null {
  const key = normalizeKey(cell);
  for (const [code, aliases] of Object.entries(rules.qualifications) as Array<
    [SupplierQualification, string[]]
  >)
    if (code === key || aliases.some((a) => normalizeKey(a) === key)) return code;
  return null;
}

/**
 * A rupiah amount as files write it: "150000000", "Rp 150.000.000", "150.000.000,00",
 * "1,5 M" is not accepted (ambiguous). Null when it is not a whole positive amount.
 * @example parseRupiah("Rp 1.250.000,00") === 1250000
 */
export function parseRupiah(cell: string | number): number | null {
  if (typeof cell === "number") return Number.isFinite(cell) && cell > 0 ? Math.round(cell) : null;
  let s = cell.replace(/rp\.?/i, "").replace(/\s/g, "");
  if (s === "") return null;
  // A decimal part of zeros after a comma (Indonesian) or a lone dot with 1-2 digits (a spreadsheet).
  s = s.replace(/,0{1,2}$/, "").replace(/\.0{1,2}$/, "");
  if (!/^\d{1,3}([.,]\d{3})*$|^\d+$/.test(s)) return null;
  const n = Number(s.replace(/[.,]/g, ""));
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

const MONTHS: Record<string, number> = {
  januari: 1,
  jan: 1,
  january: 1,
  februari: 2,
  feb: 2,
  pebruari: 2,
  february: 2,
  maret: 3,
  mar: 3,
  march: 3,
  april: 4,
  apr: 4,
  mei: 5,
  may: 5,
  juni: 6,
  jun: 6,
  june: 6,
  juli: 7,
  jul: 7,
  july: 7,
  agustus: 8,
  agu: 8,
  agt: 8,
  aug: 8,
  august: 8,
  september: 9,
  sep: 9,
  sept: 9,
  oktober: 10,
  okt: 10,
  oct: 10,
  october: 10,
  november: 11,
  nov: 11,
  nopember: 11,
  desember: 12,
  des: 12,
  dec: 12,
  december: 12,
};

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * SiRUP's "Waktu Pemilihan" ("Januari 2026", "Jan 2026", "2026-01", "01/2026") as "YYYY-MM";
 * a range ("Januari - Maret 2026") keeps its first month. Null when unreadable.
 */
export function parseMonth(cell: string): string | null {
  const s = normalizeKey(cell);
  let m = /^(\d{4})[ /-](\d{1,2})(?:[ /-]\d{1,2})?$/.exec(s.replace(/\s*\/\s*/g, "/"));
  if (m) return validMonth(Number(m[1]), Number(m[2]));
  m = /^(\d{1,2})[ /](\d{4})$/.exec(s);
  if (m) return validMonth(Number(m[2]), Number(m[1]));
  const words = s.split(" ");
  const year = words.find((w) => /^\d{4}$/.test(w));
  const month = words.map((w) => MONTHS[w]).find((x) => x !== undefined);
  return year && month ? validMonth(Number(year), month) : null;
}

function validMonth(year: number, month: number): string | null {
  return year >= 2000 && year <= 2100 && month >= 1 && month <= 12 ? `${year}-${pad(month)}` : null;
}

/**
 * A date as "YYYY-MM-DD" from "2026-03-14", "14/03/2026", "14-03-2026" or a spreadsheet serial
 * number (days since 1899-12-30). Null when unreadable.
 */
export function parseDate(cell: string | number): string | null {
  if (typeof cell === "number" || /^\d{5}$/.test(cell.trim())) {
    const serial = Number(cell);
    const d = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000);
    return validDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  const s = cell.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) return validDay(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) return validDay(Number(m[3]), Number(m[2]), Number(m[1]));
  return null;
}

function validDay(y: number, mo: number, d: number): string | null {
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 2000 || y > 2100 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${pad(mo)}-${pad(d)}`;
}

/** The readiness checklist's steps, each with its text in both languages and its source. */
export interface ReadinessStep {
  id: string;
  text: Record<Language, string>;
  source: string;
}

export const READINESS_STEPS: readonly ReadinessStep[] = readinessData.steps.map((s) => ({
  id: s.id,
  text: { id: s.id_text, en: s.en_text },
  source: s.source,
}));

/**
 * The columns of the two files: each field with the header names that mean it (SiRUP's own first;
 * compared by `normalizeKey`). docs/PROCUREMENT.md lists them.
 */
export const RUP_COLUMNS = {
  code: ["Kode RUP", "ID RUP", "Kode"],
  name: ["Nama Paket", "Paket"],
  buyer: ["Satuan Kerja", "Nama Satuan Kerja", "Satker", "Nama Satker", "OPD", "Perangkat Daerah"],
  pagu: ["Pagu", "Pagu (Rp)", "Total Pagu", "Pagu Anggaran"],
  method: ["Metode Pemilihan", "Metode Pengadaan", "Metode"],
  type: ["Jenis Pengadaan", "Jenis"],
  funding: ["Sumber Dana"],
  month: ["Waktu Pemilihan", "Pemilihan", "Jadwal Pemilihan", "Waktu Pemilihan Penyedia"],
} as const;

export const REALISATION_COLUMNS = {
  name: ["Nama Paket", "Paket"],
  buyer: ["Satuan Kerja", "Nama Satuan Kerja", "Satker", "OPD", "Perangkat Daerah"],
  supplier: ["Nama Penyedia", "Penyedia", "Pemenang"],
  nib: ["NIB", "NIB Penyedia"],
  value: ["Nilai Realisasi", "Nilai Kontrak", "Nilai", "Total Harga"],
  date: ["Tanggal", "Tanggal Kontrak", "Tanggal Realisasi", "Tanggal Pesanan"],
  channel: ["Jalur", "Metode", "Metode Pemilihan", "Sumber Transaksi"],
  type: ["Jenis Pengadaan", "Jenis"],
  qualification: ["Kualifikasi Usaha", "Kualifikasi", "Skala Usaha"],
} as const;

export type ColumnSpec = Readonly<Record<string, readonly string[]>>;

/**
 * Which column holds each field: header cell index by field, from the file's header row. Fields
 * whose header is missing are left out (the caller says which are required).
 */
export function mapColumns<S extends ColumnSpec>(
  spec: S,
  header: readonly string[],
): Partial<Record<keyof S, number>> {
  const keys = header.map((h) => normalizeKey(h));
  const out: Partial<Record<keyof S, number>> = {};
  for (const field of Object.keys(spec) as Array<keyof S>) {
    for (const name of spec[field]) {
      const at = keys.indexOf(normalizeKey(name));
      if (at >= 0 && !Object.values(out).includes(at)) {
        out[field] = at;
        break;
      }
    }
  }
  return out;
}

/**
 * Whether a package is open to a business of this size: one up to the reserved ceiling is for
 * micro and small businesses (and cooperatives) only; a larger one is open to all.
 */
export function packageOpenTo(pagu: number, sizeClass: "mikro" | "kecil" | "menengah" | "besar"): boolean {
  return pagu > RESERVED_FOR_SMALL_UP_TO || sizeClass === "mikro" || sizeClass === "kecil";
}
