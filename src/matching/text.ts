/**
 * Text primitives: the only module that touches `natural`. Everything else calls
 * `tokenize`, `stem` and `isStopword`, so the library's quirks stay here:
 * - `import "natural"` pulls databases into the bundle and fails in workerd, so submodules are imported;
 * - its Indonesian tokenizer drops capitals, so text is lowercased first;
 * - its Indonesian stemmer needed a strict-mode patch (patches/natural+8.1.1.patch).
 */

import kataDasar from "natural/lib/natural/stemmers/indonesian/data/kata-dasar.json";
import stemmerId from "natural/lib/natural/stemmers/indonesian/stemmer_id.js";
import porter from "natural/lib/natural/stemmers/porter_stemmer.js";
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

/**
 * Split text into lowercase word tokens. Tokens with digits (quantities, prices, sizes) are
 * dropped, informal reduplication is folded ("onde2" -> "onde", "kue-kue" -> "kue").
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
    if (t.length > 0) out.push(t);
  }
  return out;
}

const englishSuffix = /(ing|ed|ers|er|ies|es|s|ly|tion|ment)$/;

/**
 * Stem one lowercase token: Indonesian affixes first (natural's Sastrawi port, which only
 * returns a known root), then Porter for words that look English and are no Indonesian root.
 * @example stem("pengiriman") === "kirim"; stem("deliveries") === "deliveri"
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

function stemUncached(token: string): string {
  if (token.includes("-")) return token;
  if (indonesianRoots.has(token)) return token;
  const id = stemmerId.stem(token);
  if (id !== token) return id;
  if (englishSuffix.test(token) && token.length > 4) return porter.stem(token);
  return token;
}

/** True for function words and request filler in Indonesian or English ("yg", "utk", "looking"). */
export function isStopword(token: string): boolean {
  return stopwords.has(token) || token.length < 2;
}
