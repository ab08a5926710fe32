/**
 * Text primitives: the only module that touches `natural`. Everything else calls
 * `tokenize`, `stem` and `isStopword`, so the library's quirks stay here:
 * - `import "natural"` pulls databases into the bundle and fails in workerd, so submodules are imported;
 * - its Indonesian tokenizer drops capitals, so text is lowercased first;
 * - its Indonesian stemmer needed a strict-mode patch (patches/natural+8.1.1.patch).
 */

import kataDasar from "natural/lib/natural/stemmers/indonesian/data/kata-dasar.json";
import stemmerId from "natural/lib/natural/stemmers/indonesian/stemmer_id.js";
import AggressiveTokenizerId from "natural/lib/natural/tokenizers/aggressive_tokenizer_id.js";
import stopwordData from "../../data/stopwords.json";

const tokenizer = new AggressiveTokenizerId();
const indonesianRoots = new Set<string>(kataDasar);
const stopwords = new Set<string>([...stopwordData.id, ...stopwordData.en]);

/** Lowercase, fold accents and typographic variants, and separate joined words ("tahu/tempe", "&"). */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[’'`]/g, "")
    .replace(/[/&+,;:()[\]{}"!?|]/g, " ");
}

/** Bases whose reduplication means something else than the base (oleh-oleh: souvenirs; oleh: by). */
const LEXICALISED_REDUPLICATION: ReadonlySet<string> = new Set([
  "oleh",
  "alun",
  "kupu",
  "laba",
  "kura",
  "undang",
]);

/**
 * Split text into lowercase word tokens. Tokens with digits (quantities, prices, sizes) are
 * dropped, informal reduplication is folded ("onde2" -> "onde", "kue-kue" -> "kue") unless the
 * reduplicated form is a word of its own ("oleh2" -> "oleh-oleh").
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of tokenizer.tokenize(normalizeText(text))) {
    let t = raw.replace(/^-+|-+$/g, "");
    if (t.length === 0) continue;
    if (/^[a-z]+2(an)?$/.test(t)) t = t.replace(/2(an)?$/, "");
    if (/\d/.test(t)) continue;
    const parts = t.split("-");
    if (parts.length === 2 && parts[0] === parts[1]) t = parts[0];
    // A reduplication that is a word of its own ("oleh-oleh" souvenirs, not "oleh" by) stays whole.
    if (LEXICALISED_REDUPLICATION.has(t) && (raw.includes("-") || /2(an)?$/.test(raw))) t = `${t}-${t}`;
    if (t.length > 0) out.push(t);
  }
  return out;
}

/** Endings that mark an English inflection; Indonesian affixes never look like these. */
const englishShape = /(ings?|ed|ies|[^aeiou]es|[^su]s|ness|tions?|ments?|[^aeiou]y|[^aeiou]e)$/;

/**
 * Stem one lowercase token, language-aware: an Indonesian root stays as it is; Indonesian
 * affixes are stripped by natural's Sastrawi port (which only returns a known root); a word of
 * English shape goes to a light English stemmer instead, never through the Indonesian one
 * ("dining" is not di- + "ning", "sewing" not se- + "wing", "business" is not "busi").
 * @example stem("pengiriman") === "kirim"; stem("deliveries") === "deliveri"; stem("dining") === "dine"
 */
export function stem(token: string): string {
  const hit = stemCache.get(token);
  if (hit !== undefined) return hit;
  const s = stemUncached(token);
  // Bounded memo: business texts repeat a small vocabulary, and Sastrawi's rules are slow.
  if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
  stemCache.set(token, s);
  return s;
}

const STEM_CACHE_MAX = 50_000;
const stemCache = new Map<string, string>();

/** True when the token is a root of natural's Indonesian dictionary (kata dasar). */
export function isIndonesianRoot(token: string): boolean {
  return indonesianRoots.has(token);
}

function stemUncached(token: string): string {
  if (token.includes("-")) return token;
  if (indonesianRoots.has(token)) return token;
  const english = token.length > 3 && englishShape.test(token);
  const id = stemmerId.stem(token);
  // Sastrawi stripped only a prefix off a word that ends like English ("dining" -> "ning"):
  // the English reading is the likelier one.
  if (id !== token && !(english && token.endsWith(id))) return id;
  return english ? stemEnglish(token) : token;
}

/**
 * A light English stemmer (plurals, -ing, -ed; a final silent e goes, final y becomes i), enough to meet a lexicon term's
 * own stem. Porter goes further and lands on Indonesian words ("business" -> "busi", spark plug).
 * @example stemEnglish("bakeries") === "bakeri"; stemEnglish("business") === "business"
 */
export function stemEnglish(token: string): string {
  let t = token;
  if (/ies$/.test(t) && t.length > 4) t = `${t.slice(0, -3)}y`;
  else if (/(ss|us|is)$/.test(t)) {
    // business, bus, analysis: not plurals
  } else if (/(s|x|z|ch|sh)es$/.test(t)) t = t.slice(0, -2);
  else if (/s$/.test(t) && t.length > 3) t = t.slice(0, -1);
  const base = t.replace(/(ing|ed)$/, "");
  if (base !== t && base.length >= 3 && /[aeiou]/.test(base)) {
    t = base;
    if (/([^aeioulsz])\1$/.test(t))
      t = t.slice(0, -1); // wedding -> wed
    else if (/^[^aeiou]*[aeiou][^aeiouwxy]$/.test(t)) t = `${t}e`; // dining -> dine, baking -> bake
  }
  // A silent final e goes, so "package" and "packaging" meet; short words keep it ("cake").
  if (t.length >= 6 && t.endsWith("e") && !/ee$/.test(t)) t = t.slice(0, -1);
  return t.replace(/y$/, "i");
}

/** True for function words and request filler in Indonesian or English ("yg", "utk", "looking"). */
export function isStopword(token: string): boolean {
  return stopwords.has(token) || token.length < 2;
}
