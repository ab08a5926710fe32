import divisions2020 from "../../data/kbli/divisions-2020.json";
import divisions2025 from "../../data/kbli/divisions-2025.json";
import type { Language } from "./language";

/**
 * KBLI codes are checked at division level (the first two digits) against the division tables of
 * the version they claim: KBLI 2020 (Perban BPS 2/2020) and KBLI 2025 (Perban BPS 7/2025) reuse
 * numbers with different meanings, so a code is only meaningful with its version.
 */

export type KbliVersion = "2020" | "2025";

export interface KbliDivision {
  code: string;
  section: string;
  nameId: string;
  nameEn: string;
}

interface DivisionTable {
  version: string;
  divisions: KbliDivision[];
}

const tables: Record<KbliVersion, Map<string, KbliDivision>> = {
  "2020": toMap(divisions2020 as DivisionTable),
  "2025": toMap(divisions2025 as DivisionTable),
};

function toMap(table: DivisionTable): Map<string, KbliDivision> {
  return new Map(table.divisions.map((d) => [d.code, d]));
}

/** The division of a 5-digit code in the given version, or undefined when that version has none. */
export function kbliDivision(code: string, version: KbliVersion): KbliDivision | undefined {
  return tables[version].get(code.slice(0, 2));
}

export interface KbliIssue {
  /** Index into the list checked. */
  index: number;
  message: string;
}

/** Checks each code's division exists in its version's table. Shape (5 digits) is the schema's job. */
export function checkKbliDivisions(
  codes: ReadonlyArray<{ code: string; version: KbliVersion }>,
): KbliIssue[] {
  const issues: KbliIssue[] = [];
  codes.forEach((k, index) => {
    if (!kbliDivision(k.code, k.version)) {
      issues.push({ index, message: `KBLI ${k.version} has no division ${k.code.slice(0, 2)}.` });
    }
  });
  return issues;
}

interface SectionTable {
  sections?: Array<{ code: string; nameId: string; nameEn: string }>;
}

const sectionNames = new Map<string, { nameId: string; nameEn: string }>();
// KBLI 2020 names first; 2025-only sections (its letters past U) fill in after.
for (const table of [divisions2020, divisions2025] as SectionTable[])
  for (const s of table.sections ?? []) if (!sectionNames.has(s.code)) sectionNames.set(s.code, s);

/** "C Industri Pengolahan" for a section letter (KBLI 2020 names, 2025 for its new letters). */
export function kbliSectionName(code: string, lang: Language): string {
  const s = sectionNames.get(code);
  return s ? `${code} ${lang === "en" ? s.nameEn : s.nameId}` : code;
}
