import { z } from "zod";
import {
  normalizeKey,
  type PROCUREMENT_METHODS,
  type PROCUREMENT_TYPES,
  parseMethod,
  parseMonth,
  parseRupiah,
  parseType,
} from "../../domain/procurement";

/**
 * One RUP package's fields as the import and the hand-entry form both read them (text in, values
 * out), so a package typed by hand and the same package imported cannot differ.
 */

export interface PackageFields {
  code: string | null;
  name: string;
  buyer: string;
  pagu: number;
  method: (typeof PROCUREMENT_METHODS)[number];
  type: (typeof PROCUREMENT_TYPES)[number];
  fundingSource: string | null;
  plannedMonth: string;
}

/** The raw text of each field (a form's values or a file row's cells). */
export type PackageText = Record<keyof PackageFields, string>;

/** The field's problem in the words a user reads, per field. */
export type PackageIssues = Partial<Record<keyof PackageFields, string>>;

const NameSchema = z.string().min(3).max(300);

/** Reads a package's text fields; returns the values or the problem of each bad field. */
export function readPackageFields(text: PackageText): { ok: PackageFields } | { issues: PackageIssues } {
  const issues: PackageIssues = {};
  const name = text.name.trim();
  if (!NameSchema.safeParse(name).success)
    issues.name = "Nama paket 3-300 karakter / package name of 3-300 characters";
  const buyer = text.buyer.trim();
  if (normalizeKey(buyer).length < 3)
    issues.buyer = "Satuan kerja (OPD) wajib / the office (OPD) is required";
  const pagu = parseRupiah(text.pagu);
  if (pagu === null)
    issues.pagu = "Pagu harus angka rupiah, mis. 150000000 / the ceiling must be a rupiah amount";
  const method = parseMethod(text.method);
  if (method === null) issues.method = `Metode tidak dikenal: "${text.method}" / unknown method`;
  const type = parseType(text.type);
  if (type === null) issues.type = `Jenis pengadaan tidak dikenal: "${text.type}" / unknown type`;
  const plannedMonth = parseMonth(text.plannedMonth);
  if (plannedMonth === null)
    issues.plannedMonth = `Waktu pemilihan tidak terbaca: "${text.plannedMonth}" (mis. "Maret 2026") / unreadable month`;
  const code = text.code.trim();
  if (code !== "" && !/^[0-9A-Za-z-]{3,40}$/.test(code))
    issues.code = "Kode RUP tidak valid / invalid RUP code";
  if (Object.keys(issues).length > 0 || pagu === null || !method || !type || !plannedMonth) return { issues };
  return {
    ok: {
      code: code || null,
      name,
      buyer,
      pagu,
      method,
      type,
      fundingSource: text.fundingSource.trim().slice(0, 80) || null,
      plannedMonth,
    },
  };
}

/**
 * The package's identity: SiRUP's Kode RUP, else the OPD, year and name (so entering or importing
 * the same package again updates it rather than adding a copy).
 */
export function rupKeyOf(p: Pick<PackageFields, "code" | "buyer" | "plannedMonth" | "name">): string {
  if (p.code) return `rup:${p.code}`;
  return `h:${normalizeKey(p.buyer)}|${p.plannedMonth.slice(0, 4)}|${normalizeKey(p.name)}`;
}
