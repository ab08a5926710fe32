/**
 * The vocabulary check of `npm run eval`: which lexicon terms and KBLI identity entries an
 * evaluation set's texts use that no general source (BPS KBLI 2020 titles and descriptions, BPS
 * IO 2016 product names, a standard dictionary: data/vocab/general-words.json) contains. Those are hand-written vocabulary; the ones used by a single
 * business of the set are the kind that gets copied from a development set, so they should be none.
 */
import { readFileSync } from "node:fs";
import identityData from "../../data/kbli-identity.json";
import lexiconData from "../../data/lexicon.json";
import generalWords from "../../data/vocab/general-words.json";
import { tokenize } from "../../src/matching/text";
import type { Dataset } from "./dataset";

export interface VocabularyCheck {
  /** Distinct lexicon terms that occur in the set's texts. */
  lexiconTermsInTexts: number;
  /** Of those, the terms found in no general source (hand-written vocabulary). */
  unsourced: string[];
  /** Unsourced terms that occur in exactly one business of the set: aim for none. */
  singleBusiness: string[];
  /** KBLI identity entries none of whose concept terms appears in the KBLI text of that prefix. */
  identityUnsourced: number;
}

let generalText: string | null = null;
let kbliEntries: Array<{ code: string; title: string; description: string }> = [];
function general(): string {
  if (generalText === null) {
    kbliEntries = JSON.parse(readFileSync("data/kbli/kbli2020.json", "utf8"));
    const io = JSON.parse(readFileSync("data/io2016/io2016-185.json", "utf8")) as {
      sectors: Array<{ name: string }>;
    };
    const parts = [
      ...kbliEntries.map((e) => `${e.title} ${e.description}`),
      ...io.sectors.map((s) => s.name),
    ];
    generalText = ` ${parts.map((p) => tokenize(p).join(" ")).join(" | ")} `;
  }
  return generalText;
}

/** Lexicon terms a standard dictionary lists (data/vocab/general-words.json, WordNet and hunspell-id). */
const dictionary: ReadonlySet<string> = new Set(Object.keys(generalWords.terms));

const contains = (haystack: string, term: string) => haystack.includes(` ${term} `);

export function vocabularyCheck(d: Dataset): VocabularyCheck {
  const src = general();
  const texts = d.businesses.map((b) => ` ${tokenize(`${b.name} ${b.offers} ${b.needs}`).join(" ")} `);
  const terms = new Set<string>();
  for (const c of [...lexiconData.groups, ...lexiconData.concepts]) {
    for (const t of c.terms) {
      const norm = tokenize(t).join(" ");
      if (norm) terms.add(norm);
    }
  }
  let inTexts = 0;
  const unsourced: string[] = [];
  const singleBusiness: string[] = [];
  for (const t of [...terms].sort()) {
    const users = texts.filter((x) => contains(x, t)).length;
    if (users === 0) continue;
    inTexts++;
    if (contains(src, t) || dictionary.has(t)) continue;
    unsourced.push(t);
    if (users === 1) singleBusiness.push(t);
  }
  const conceptTerms = new Map(
    [...lexiconData.groups, ...lexiconData.concepts].map((c) => [
      c.id,
      c.terms.map((t) => tokenize(t).join(" ")),
    ]),
  );
  let identityUnsourced = 0;
  for (const [prefix, ids] of Object.entries(identityData.prefixes as Record<string, string[]>)) {
    const text = ` ${kbliEntries
      .filter((e) => e.code.startsWith(prefix))
      .map((e) => tokenize(`${e.title} ${e.description}`).join(" "))
      .join(" ")} `;
    const ok = ids.every((id) => (conceptTerms.get(id) ?? []).some((t) => t && contains(text, t)));
    if (!ok) identityUnsourced++;
  }
  return { lexiconTermsInTexts: inTexts, unsourced, singleBusiness, identityUnsourced };
}
