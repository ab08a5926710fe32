import divisions2020 from "../../data/kbli/divisions-2020.json";
import divisions2025 from "../../data/kbli/divisions-2025.json";
import kbliIndex from "../../data/kbli/kbli2020-index.json";
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

// Five-digit KBLI 2020 titles ---------------------------------------------------------------------

/**
 * The 1,789 five-digit KBLI 2020 codes with BPS's titles, read from the engine's word index
 * (data/kbli/kbli2020-index.json, derived from data/kbli/kbli2020.json; see SOURCES.md there), so
 * the Worker carries the titles once and not the 1.5 MB table with its descriptions.
 */
const kbli2020 = kbliIndex as { codes: string[]; titles: string[]; postings: Record<string, number[]> };

/** Lowercase, accents and punctuation gone: "Kue-kue  Basah" -> "kue kue basah". */
function searchKey(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

const titleKeys = kbli2020.titles.map((title) => searchKey(title));

export interface KbliTitle {
  code: string;
  title: string;
}

/** The BPS title of a five-digit KBLI 2020 code, or undefined for a code it does not have. */
export function kbli2020Title(code: string): string | undefined {
  const i = kbli2020.codes.indexOf(code);
  return i < 0 ? undefined : kbli2020.titles[i];
}

/** Longest query the title search reads. */
export const KBLI_QUERY_MAX_LENGTH = 100;

/**
 * Five-digit KBLI 2020 codes whose title has every word of `query` (each as the start of a title
 * word: "kue basah" finds "Industri Kue Basah"), or whose code starts with the digits given
 * ("1079"). Titles where the words come first and shorter titles rank higher. When titles give
 * fewer than `limit`, codes whose BPS description uses the words follow (the engine's word index:
 * "katering" is in no title but in the description of 56290), strongest first. An empty query
 * finds nothing.
 * @example searchKbli2020("kue basah")[0] // { code: "10792", title: "Industri Kue Basah" }
 */
export function searchKbli2020(query: string, limit = 20): KbliTitle[] {
  const q = searchKey(query.slice(0, KBLI_QUERY_MAX_LENGTH));
  if (q === "") return [];
  if (/^\d{1,5}$/.test(q)) {
    const out: KbliTitle[] = [];
    kbli2020.codes.forEach((code, i) => {
      if (out.length < limit && code.startsWith(q)) out.push({ code, title: kbli2020.titles[i] ?? "" });
    });
    return out;
  }
  const words = q.split(" ");
  const hits: Array<{ i: number; rank: number }> = [];
  titleKeys.forEach((key, i) => {
    const titleWords = key.split(" ");
    let rank = 0;
    for (const w of words) {
      const at = titleWords.findIndex((t) => t.startsWith(w));
      if (at < 0) return;
      rank += at;
    }
    hits.push({ i, rank: rank * 100 + key.length });
  });
  hits.sort((a, b) => a.rank - b.rank || a.i - b.i);
  const found = hits.slice(0, limit).map((h) => h.i);
  if (found.length < limit) {
    for (const i of descriptionMatches(words)) {
      if (found.length >= limit) break;
      if (!found.includes(i)) found.push(i);
    }
  }
  return found.map((i) => ({ code: kbli2020.codes[i] ?? "", title: kbli2020.titles[i] ?? "" }));
}

/** Word forms the index may hold: as written, and without a common suffix ("kemasan" -> "kemas"). */
function indexForms(word: string): string[] {
  const bare = word.replace(/(kan|an|nya|i)$/, "");
  return bare.length >= 3 && bare !== word ? [word, bare] : [word];
}

/** Codes whose description has every word (in some form), by their summed index weight. */
function descriptionMatches(words: string[]): number[] {
  let scores: Map<number, number> | undefined;
  for (const word of words) {
    const next = new Map<number, number>();
    for (const form of indexForms(word)) {
      const list = kbli2020.postings[form] ?? [];
      for (let k = 0; k + 1 < list.length; k += 2) {
        const i = list[k] as number;
        next.set(i, Math.max(next.get(i) ?? 0, list[k + 1] as number));
      }
    }
    if (scores === undefined) scores = next;
    else {
      const both = new Map<number, number>();
      for (const [i, w] of next) {
        const had = scores.get(i);
        if (had !== undefined) both.set(i, had + w);
      }
      scores = both;
    }
  }
  return [...(scores ?? new Map<number, number>())]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([i]) => i);
}
