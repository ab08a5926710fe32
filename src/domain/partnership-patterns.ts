import patternData from "../../data/partnership-patterns.json";
import type { Language } from "./language";

/**
 * The PP 7/2021 partnership patterns in plain words for owners: a short name and a one-line
 * meaning in each language, with the article each comes from (data/partnership-patterns.json).
 */
export interface PatternText {
  name: string;
  meaning: string;
  /** Where the pattern is set out ("PP 7/2021 Pasal 106 ayat (1) huruf f"). */
  article: string;
}

type Entry = { code: string; article: string } & Record<Language, { name: string; meaning: string }>;

const byCode = new Map<string, Entry>((patternData.patterns as Entry[]).map((p) => [p.code, p]));

/** The plain-word name and meaning of a pattern code; an unknown code is shown as it is. */
export function patternText(code: string, lang: Language): PatternText {
  const e = byCode.get(code);
  if (!e) return { name: code, meaning: "", article: "" };
  return { ...e[lang], article: e.article };
}

/** The pattern codes the data file describes, in its order. */
export const DESCRIBED_PATTERNS: readonly string[] = patternData.patterns.map((p) => p.code);
