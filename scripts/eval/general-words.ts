/**
 * `npx tsx scripts/eval/general-words.ts`: writes data/vocab/general-words.json, the lexicon
 * terms (all of them, whether or not any evaluation text uses them) that a standard dictionary
 * lists: Princeton WordNet 3.0 for English (Debian wordnet-base, /usr/share/wordnet), the
 * LibreOffice Indonesian hunspell dictionary (Debian hunspell-id, /usr/share/hunspell/id_ID.dic)
 * and the Sastrawi root-word list that the Indonesian stemmer ships (natural's kata-dasar.json).
 * The vocabulary check of `npm run eval` counts such a term as sourced. Install the two Debian
 * packages first (`apt-get install wordnet-base hunspell-id`); the output is committed, so eval
 * itself needs neither.
 */
import { readFileSync, writeFileSync } from "node:fs";
import kataDasar from "natural/lib/natural/stemmers/indonesian/data/kata-dasar.json";
import lexiconData from "../../data/lexicon.json";
import { stem, tokenize } from "../../src/matching/text";

const WORDNET = "/usr/share/wordnet";
const HUNSPELL = "/usr/share/hunspell/id_ID.dic";

const wordnet = new Set<string>();
for (const pos of ["noun", "verb", "adj", "adv"]) {
  for (const line of readFileSync(`${WORDNET}/index.${pos}`, "utf8").split("\n")) {
    if (line && !line.startsWith(" ")) wordnet.add(line.split(" ")[0]);
  }
}
const exceptions = new Map<string, string>();
for (const line of readFileSync(`${WORDNET}/noun.exc`, "utf8").split("\n")) {
  const [inflected, base] = line.split(" ");
  if (inflected && base) exceptions.set(inflected, base);
}
/** WordNet's morphy for nouns: the exception list, then the regular plural endings. */
function inWordnet(words: string[]): boolean {
  const last = words[words.length - 1];
  const bases = [last, exceptions.get(last) ?? ""];
  for (const [suffix, repl] of [
    ["s", ""],
    ["ses", "s"],
    ["xes", "x"],
    ["ches", "ch"],
    ["shes", "sh"],
    ["ies", "y"],
  ])
    if (last.endsWith(suffix)) bases.push(last.slice(0, -suffix.length) + repl);
  return bases.some((b) => b && wordnet.has([...words.slice(0, -1), b].join("_")));
}

const indonesian = new Set<string>(kataDasar as string[]);
const hunspell = new Set<string>();
for (const line of readFileSync(HUNSPELL, "utf8").split("\n").slice(1)) {
  const w = line.split("/")[0].trim().toLowerCase();
  if (w) hunspell.add(w);
}

const PREFIXES = new Set([
  "",
  "me",
  "mem",
  "men",
  "meng",
  "meny",
  "pe",
  "pem",
  "pen",
  "peng",
  "peny",
  "per",
  "ber",
  "be",
  "ter",
  "di",
  "ke",
  "se",
  "memper",
  "diper",
]);
const SUFFIXES = new Set(["", "an", "kan", "i", "nya"]);
/** True when word = prefix + root + suffix with Indonesian affixes (nasal assimilation allowed). */
function isDerivation(word: string, root: string): boolean {
  if (root === word || root.length < 3) return false;
  for (const [body, nasal] of [
    [root, false],
    [root.slice(1), true],
  ] as const) {
    const at = word.indexOf(body);
    if (at < 0) continue;
    const prefix = word.slice(0, at);
    const suffix = word.slice(at + body.length);
    if (nasal && !(/[ptks]/.test(root[0]) && /(m|n|ng|ny)$/.test(prefix))) continue;
    if (PREFIXES.has(prefix) && SUFFIXES.has(suffix) && prefix.length + suffix.length >= 2) return true;
  }
  return false;
}

const out: Record<string, string> = {};
for (const c of [...lexiconData.groups, ...lexiconData.concepts]) {
  for (const term of c.terms) {
    const tokens = tokenize(term);
    const norm = tokens.join(" ");
    if (!norm || out[norm]) continue;
    const raw = term.toLowerCase().trim();
    if (inWordnet(tokens) || inWordnet(raw.split(/[\s-]+/))) out[norm] = "WordNet 3.0";
    else if (hunspell.has(raw) || hunspell.has(norm)) out[norm] = "hunspell-id";
    else if (tokens.length === 1 && indonesian.has(norm)) out[norm] = "Sastrawi kata dasar";
    else if (
      tokens.length === 1 &&
      isDerivation(norm, stem(norm)) &&
      (hunspell.has(stem(norm)) || indonesian.has(stem(norm)))
    )
      // A regular derivation of a listed root (pengajian < kaji, peternak < ternak).
      out[norm] = `hunspell-id root ${stem(norm)}`;
  }
}
const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(
  "data/vocab/general-words.json",
  `${JSON.stringify(
    {
      source:
        "Lexicon terms (data/lexicon.json, every term, not only those in evaluation texts) that a standard dictionary lists, with the dictionary: 'WordNet 3.0' = Princeton WordNet 3.0 (Debian wordnet-base 1:3.0-37, index.noun/verb/adj/adv with noun.exc and regular plurals), 'hunspell-id' = the LibreOffice Indonesian hunspell dictionary id_ID v2 (B. Brevoort 2014, GPL; Debian hunspell-id 1:7.5.0-1), 'Sastrawi kata dasar' = the Indonesian root-word list shipped with the stemmer (natural, stemmers/indonesian/data/kata-dasar.json, from Sastrawi); 'hunspell-id root X' = an affixed word whose root X (by the engine's Indonesian stemmer) one of the two Indonesian lists has. Written by scripts/eval/general-words.ts. A listed term is a word of the language, not one made up from an evaluation text; which concept it maps to is still the lexicon's hand-written judgement.",
      terms: sorted,
    },
    null,
    1,
  )}\n`,
);
console.log(`${Object.keys(sorted).length} lexicon terms found in a standard dictionary`);
