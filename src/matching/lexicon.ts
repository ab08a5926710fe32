/**
 * The domain lexicon: maps words in either language onto shared concepts
 * (sepatu / footwear / pantofel -> "sepatu", family "alas_kaki"), so that a need and an offer
 * worded differently still meet. Data lives in data/lexicon.json; this module only indexes it.
 */
import lexiconData from "../../data/lexicon.json";
import sensesData from "../../data/senses.json";
import type { Language } from "../domain/language";
import { isIndonesianRoot, isStopword, stem, tokenize } from "./text";

export interface ConceptInfo {
  id: string;
  labelId: string;
  labelEn: string;
  broader: string | null;
  perishable: boolean;
  /** A kind of business or an attribute (hotel, school, PIRT): something one is, never offers. */
  customer: boolean;
  isGroup: boolean;
}

interface RawConcept {
  id: string;
  id_label: string;
  en_label: string;
  broader?: string;
  perishable?: boolean;
  customer?: boolean;
  terms: string[];
}

/** A feature key: `c:<concept>` for a concept, `g:<group>` for a family, `w:<stem>` for any other word. */
export type FeatureKey = string;

const MAX_TERM_TOKENS = 4;
/** A family counts half as much as the concept that implies it. */
const BROADER_WEIGHT = 0.5;
/** Words outside the lexicon are kept, at a discount: shared plain words are weaker evidence. */
const PLAIN_WORD_WEIGHT = 0.5;

/** Every concept and family by feature key ("c:tahu", "g:kemasan"), filled from data/lexicon.json at load. */
export const concepts = new Map<string, ConceptInfo>();
/*
 * The lexicon is fixed once loaded, so what is derived from it per key is computed once: the
 * explanations of every suggestion ask these for each feature that met (lexicon keys only, so
 * the caches stay as small as the lexicon).
 */
const conceptKeys = new Map<string, FeatureKey | null>();
const ancestorLists = new Map<FeatureKey, readonly FeatureKey[]>();
const identityFeatures = new Map<FeatureKey, boolean>();
const NO_ANCESTORS: readonly FeatureKey[] = Object.freeze([]);

const single = new Map<string, string[]>();
const singleStemmed = new Map<string, string[]>();
const multi = new Map<string, string[]>();

function keyOf(id: string, isGroup: boolean): FeatureKey {
  return `${isGroup ? "g" : "c"}:${id}`;
}

function addTerm(map: Map<string, string[]>, term: string, key: FeatureKey): void {
  const list = map.get(term);
  if (!list) map.set(term, [key]);
  else if (!list.includes(key)) list.push(key);
}

function indexConcept(raw: RawConcept, isGroup: boolean): void {
  const key = keyOf(raw.id, isGroup);
  concepts.set(key, {
    id: raw.id,
    labelId: raw.id_label,
    labelEn: raw.en_label,
    broader: raw.broader ?? null,
    perishable: raw.perishable === true,
    customer: raw.customer === true,
    isGroup,
  });
  for (const term of raw.terms) {
    const tokens = tokenize(term);
    if (tokens.length === 0) continue;
    if (tokens.length === 1) {
      addTerm(single, tokens[0], key);
      addTerm(singleStemmed, stem(tokens[0]), key);
    } else {
      addTerm(multi, tokens.join(" "), key);
      addTerm(multi, tokens.map(stem).join(" "), key);
    }
  }
}

for (const g of lexiconData.groups as RawConcept[]) indexConcept(g, true);
for (const c of lexiconData.concepts as RawConcept[]) indexConcept(c, false);

/** Phrases in which a product word is a function word ("belum tahu", "diproduksi oleh"): they add nothing. */
const functionPhrases = new Set(sensesData.functionPhrases.map((p) => tokenize(p).join(" ")));
const maxPhraseTokens = Math.max(...[...functionPhrases].map((p) => p.split(" ").length));
/** Derived words whose stem is a product but whose sense is not ("rumahan", "memasarkan"): kept as plain words. */
const plainWords: ReadonlySet<string> = new Set(sensesData.plainWords);
/**
 * Packaging nouns that head a phrase ("kardus sepatu" = a shoe box): the product word right
 * after one is kept as a plain word, not as the product concept (data/senses.json says why).
 */
const packagingHeads: ReadonlySet<string> = new Set(sensesData.packagingHeads);
const isPackagingKey = (k: FeatureKey) => k === "g:kemasan" || ancestors(k).includes("g:kemasan");

/**
 * Token positions inside a function phrase, to be skipped by both the concept view and the
 * surface-word view ("belum tahu" is not tofu in either).
 */
export function functionWordMask(tokens: readonly string[]): boolean[] {
  const mask = tokens.map(() => false);
  for (let i = 0; i < tokens.length; i++) {
    for (let n = Math.min(maxPhraseTokens, tokens.length - i); n >= 2; n--) {
      if (functionPhrases.has(tokens.slice(i, i + n).join(" "))) {
        // Only the product-like word is dropped; "belum" and "oleh" are stopwords anyway.
        for (let k = i; k < i + n; k++) mask[k] = true;
        break;
      }
    }
  }
  return mask;
}

/*
 * Typo and informal-spelling tolerance: a word the lexicon does not know is compared with its
 * single-word terms by a spelling key (c/q -> k, v -> f, ph -> f, ou/au -> u, doubled letters
 * once, final y -> i) and, for longer words, one edit on that key ("katring", "loundry",
 * "konfeksi", "snak", "mebeul"). Stopwords are never corrected, and Indonesian roots only to a
 * spelling variant: "tahun" is not a misspelt "tahu".
 */
function spellingKey(word: string): string {
  return word
    .replace(/ck/g, "k")
    .replace(/ph/g, "f")
    .replace(/[cq]/g, "k")
    .replace(/v/g, "f")
    .replace(/x/g, "ks")
    .replace(/(ou|au|oe)/g, "u")
    .replace(/eu/g, "e")
    .replace(/y$/, "i")
    .replace(/(.)\1+/g, "$1");
}
const keyIndex = new Map<string, string>();
const deletionIndex = new Map<string, string>();
for (const term of single.keys()) {
  if (term.length < 4 || term.includes("-")) continue;
  const key = spellingKey(term);
  if (!keyIndex.has(key)) keyIndex.set(key, term);
  if (key.length < 5) continue;
  for (let i = 0; i < key.length; i++) {
    const d = key.slice(0, i) + key.slice(i + 1);
    if (!deletionIndex.has(d)) deletionIndex.set(d, term);
  }
}
const fuzzyCache = new Map<string, string | null>();

/**
 * The lexicon term a misspelt word stands for, or null: same spelling key (4+ letters), or one
 * insertion, deletion or substitution away on the key (6+ letters).
 * @example correctSpelling("katring") === "katering"; correctSpelling("tahun") === null
 */
export function correctSpelling(word: string): string | null {
  const hit = fuzzyCache.get(word);
  if (hit !== undefined) return hit;
  let out: string | null = null;
  if (word.length >= 4 && !isStopword(word) && !single.has(word)) {
    const key = spellingKey(word);
    // The same key is a spelling variant even of a dictionary word (konfeksi / konveksi).
    out = keyIndex.get(key) ?? null;
    if (out === null && word.length >= 6 && !isIndonesianRoot(word)) {
      out = deletionIndex.get(key) ?? keyIndex.get(key) ?? null;
      for (let i = 0; out === null && i < key.length; i++) {
        const d = key.slice(0, i) + key.slice(i + 1);
        out = keyIndex.get(d) ?? deletionIndex.get(d) ?? null;
      }
    }
  }
  if (fuzzyCache.size >= 50_000) fuzzyCache.clear();
  fuzzyCache.set(word, out);
  return out;
}

/** Looks up a concept or family id ("sepatu", "kerajinan") as a feature key, or null. */
export function conceptKey(id: string): FeatureKey | null {
  let key = conceptKeys.get(id);
  if (key === undefined) {
    key = concepts.has(`c:${id}`) ? `c:${id}` : concepts.has(`g:${id}`) ? `g:${id}` : null;
    conceptKeys.set(id, key);
  }
  return key;
}

/** The families above a concept, nearest first ("c:kue_basah" -> ["g:kue_roti", "g:camilan", ...]). */
export function ancestors(key: FeatureKey): readonly FeatureKey[] {
  const known = ancestorLists.get(key);
  if (known) return known;
  if (!concepts.has(key)) return NO_ANCESTORS;
  const out: FeatureKey[] = [];
  let broader = concepts.get(key)?.broader ?? null;
  while (broader) {
    const k = conceptKey(broader);
    if (!k || out.includes(k)) break;
    out.push(k);
    broader = concepts.get(k)?.broader ?? null;
  }
  Object.freeze(out);
  ancestorLists.set(key, out);
  return out;
}

/** Adds a concept's weight and its families' (at half weight each step) to a bag. */
export function addConcept(bag: Map<FeatureKey, number>, key: FeatureKey, weight: number): void {
  let k: FeatureKey | null = key;
  let w = weight;
  while (k) {
    bag.set(k, (bag.get(k) ?? 0) + w);
    const broader: string | null = concepts.get(k)?.broader ?? null;
    k = broader ? conceptKey(broader) : null;
    w *= BROADER_WEIGHT;
  }
}

/**
 * Turns free text into a bag of weighted features: lexicon concepts (multi-word terms first,
 * then single words by surface form or stem) and, for any other content word, its stem.
 * @example extractFeatures("Butuh kardus sepatu") -> { "c:dus_karton": 1, "g:kemasan": 0.5 }
 */
export function extractFeatures(text: string): Map<FeatureKey, number> {
  const bag = new Map<FeatureKey, number>();
  // A hyphenated word the lexicon does not know ("tahu-tempe", "mojokerto-jombang") is read
  // as its parts; known ones ("oleh-oleh", "t-shirt") stay whole.
  const tokens = tokenize(text).flatMap((t) =>
    t.includes("-") && !single.has(t) && !singleStemmed.has(t)
      ? t.split("-").filter((x) => x.length > 0)
      : [t],
  );
  const stems = tokens.map(stem);
  const skip = functionWordMask(tokens);
  let i = 0;
  // Set right after a packaging head noun: the next product word is what the packaging is for.
  let afterPackaging = false;
  while (i < tokens.length) {
    if (skip[i]) {
      i++;
      continue;
    }
    const modifiesPackaging = afterPackaging;
    afterPackaging = false;
    let matched = 0;
    for (let n = Math.min(MAX_TERM_TOKENS, tokens.length - i); n >= 2 && matched === 0; n--) {
      if (skip.slice(i, i + n).includes(true)) continue;
      const keys = multi.get(tokens.slice(i, i + n).join(" ")) ?? multi.get(stems.slice(i, i + n).join(" "));
      if (keys) {
        for (const k of keys) addConcept(bag, k, 1);
        matched = n;
      }
    }
    if (matched > 0) {
      i += matched;
      continue;
    }
    const token = tokens[i];
    const s = plainWords.has(token) ? token : stems[i];
    i++;
    if (plainWords.has(token)) {
      bag.set(`w:${token}`, (bag.get(`w:${token}`) ?? 0) + PLAIN_WORD_WEIGHT);
      continue;
    }
    // The surface form is looked up before the stopword list, so "perusahaan" stays a
    // concept although its stem "usaha" is filler; a misspelt term last.
    const corrected = () => {
      const term = correctSpelling(token);
      return term === null ? undefined : single.get(term);
    };
    const keys = single.get(token) ?? (isStopword(token) ? undefined : (singleStemmed.get(s) ?? corrected()));
    if (keys && modifiesPackaging && !keys.some(isPackagingKey)) {
      bag.set(`w:${s}`, (bag.get(`w:${s}`) ?? 0) + PLAIN_WORD_WEIGHT);
    } else if (keys) {
      for (const k of keys) addConcept(bag, k, 1);
      afterPackaging = packagingHeads.has(token);
    } else if (!isStopword(token) && !isStopword(s) && s.length > 2) {
      bag.set(`w:${s}`, (bag.get(`w:${s}`) ?? 0) + PLAIN_WORD_WEIGHT);
    }
  }
  return bag;
}

/** Human label of a feature in the caller's language ("tahu" / "tofu"); plain words as written. */
export function featureLabel(key: FeatureKey, lang: Language): string {
  const c = concepts.get(key);
  if (c) return lang === "en" ? c.labelEn : c.labelId;
  if (key.startsWith("a:")) return `KBLI ${key.slice(2)}`;
  return key.slice(2);
}

/**
 * True for what a business can be but never offers: an activity (`a:`), a kind of business or
 * an attribute marked `customer` in the lexicon, or anything in such a family.
 */
export function isIdentityFeature(key: FeatureKey): boolean {
  if (key.startsWith("a:")) return true;
  let known = identityFeatures.get(key);
  if (known === undefined) {
    const c = concepts.get(key);
    if (!c) return false;
    known = c.customer || ancestors(key).some((a) => concepts.get(a)?.customer === true);
    identityFeatures.set(key, known);
  }
  return known;
}

/** True for concepts marked perishable in the lexicon (tahu, kue basah): they move score weight to location. */
export function isPerishable(key: FeatureKey): boolean {
  return concepts.get(key)?.perishable === true;
}
