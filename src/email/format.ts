/**
 * Small formatting helpers for emails, pure and deterministic (no Intl: the output must not depend
 * on the runtime's locale data). Dates are shown in Asia/Jakarta (WIB, UTC+7, no DST).
 */

import { wibDate } from "../domain/calendar";
import type { Language } from "../domain/language";
import type { PartnershipPattern } from "../matching";

/** Month names per language, January first. */
export const MONTHS: Record<Language, readonly string[]> = {
  id: [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
  ],
  en: [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
  ],
};

/** "7 Desember 2026" / "7 December 2026", the calendar date in WIB of an epoch-ms instant. */
export function formatDate(ms: number, language: Language): string {
  const { year, month, day } = wibDate(ms);
  return `${day} ${MONTHS[language][month - 1]} ${year}`;
}

/** PP 7/2021 partnership patterns as people say them. */
export const PATTERN_LABELS: Record<PartnershipPattern, Record<Language, string>> = {
  rantai_pasok: { id: "rantai pasok", en: "supply chain" },
  subkontrak: { id: "subkontrak", en: "subcontracting" },
  distribusi_keagenan: { id: "distribusi dan keagenan", en: "distribution and agency" },
  perdagangan_umum: { id: "perdagangan umum", en: "general trade" },
  waralaba: { id: "waralaba", en: "franchise" },
  inti_plasma: { id: "inti-plasma", en: "nucleus-plasma" },
  bagi_hasil: { id: "bagi hasil", en: "profit sharing" },
  kerja_sama_operasional: { id: "kerja sama operasional", en: "joint operation" },
  usaha_patungan: { id: "usaha patungan", en: "joint venture" },
  penyumberluaran: { id: "penyumberluaran (outsourcing)", en: "outsourcing" },
};

export function patternLabel(pattern: string, language: Language): string {
  return PATTERN_LABELS[pattern as PartnershipPattern]?.[language] ?? pattern;
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Shortens free text to `max` characters on a word boundary, with an ellipsis. */
export function excerpt(text: string, max: number): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
