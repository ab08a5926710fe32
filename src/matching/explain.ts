/**
 * Reasons and partnership pattern for one scored pair, in Bahasa Indonesia or English.
 */
import divisions2020 from "../../data/kbli/divisions-2020.json";
import type { Language } from "../domain/language";
import { identityConcepts } from "./analyze";
import type { CategoryResult } from "./category";
import { ancestors, conceptKey, type FeatureKey, featureLabel, isIdentityFeature } from "./lexicon";
import type { LocationResult } from "./location";
import type { MatchLocation, PartnershipPattern } from "./types";

const divisionNames = new Map<string, { id: string; en: string }>(
  (divisions2020.divisions as Array<{ code: string; nameId: string; nameEn: string }>).map((d) => [
    d.code,
    { id: d.nameId, en: d.nameEn },
  ]),
);

/**
 * A short name for an activity: what the code says the business is, in lexicon words
 * ("katering (56210)"), else its KBLI division's name, which can be long.
 */
function activityName(code: string | null, lang: Language): string {
  if (!code) return "?";
  const labels = identityConcepts(code)
    .map((id) => conceptKey(id))
    .filter((k): k is FeatureKey => k !== null)
    .map((k) => featureLabel(k, lang));
  if (labels.length > 0) return `${labels.join(" / ")} (${code})`;
  const d = divisionNames.get(code.slice(0, 2));
  return d ? `${lang === "en" ? d.en : d.id} (${code})` : code;
}

/**
 * The features that can give a label, most important first: concepts before families and plain
 * words, leaving out a family already implied by an earlier one ("kue & jajanan" after
 * "onde-onde"). Running it again on its own output gives the same list.
 */
function* labelCandidates(parts: Iterable<FeatureKey>): Generator<FeatureKey> {
  const keys = [...parts];
  const covered = new Set<FeatureKey>();
  // Concepts first: a family or plain word only adds to the list when no concept is left.
  const ordered = [...keys.filter((f) => f.startsWith("c:")), ...keys.filter((f) => !f.startsWith("c:"))];
  for (const f of ordered) {
    if (covered.has(f)) continue;
    for (const a of ancestors(f)) covered.add(a);
    yield f;
  }
}

/** Up to `max` distinct labels of these features, in the order {@link labelCandidates} gives. */
function labelsOf(keys: Iterable<FeatureKey>, lang: Language, max: number): string[] {
  const labels: string[] = [];
  for (const f of labelCandidates(keys)) {
    const label = featureLabel(f, lang);
    if (!labels.includes(label)) labels.push(label);
    if (labels.length === max) break;
  }
  return labels;
}

/** Up to three labels of the features that carried a text match, most important first. */
export function topLabels(parts: Array<[FeatureKey, number]>, lang: Language, max = 3): string[] {
  return labelsOf(
    parts.map(([f]) => f),
    lang,
    max,
  );
}

/**
 * The features `topLabels` would name, in either language: the shortest prefix of
 * {@link labelCandidates} that gives `max` distinct labels in Indonesian and in English (two
 * features can share a label in one language only). Stored in place of the labels themselves.
 */
function topKeys(
  parts: ReadonlyArray<[FeatureKey, number]>,
  max: number,
  which: Which,
  implied: readonly FeatureKey[] = NO_KEYS,
): FeatureKey[] {
  // labelCandidates over the kept features, written out: every stored set explains 50 pairs, and
  // the generator, sets and copies cost more than the few features of a pair. Same order, same
  // keys (a feature listed twice is kept twice, as there).
  const keys: FeatureKey[] = [];
  const id = scratchId;
  const en = scratchEn;
  const covered = scratchCovered;
  id.length = 0;
  en.length = 0;
  covered.length = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < parts.length; j++) {
      const f = parts[j][0];
      if (f.startsWith("c:") !== (pass === 0) || !kept(f, which, implied) || covered.includes(f)) continue;
      for (const a of ancestors(f)) covered.push(a);
      keys.push(f);
      const labelId = featureLabel(f, "id");
      if (!id.includes(labelId)) id.push(labelId);
      const labelEn = featureLabel(f, "en");
      if (!en.includes(labelEn)) en.push(labelEn);
      if (id.length >= max && en.length >= max) return keys;
    }
  }
  return keys;
}

/** Scratch lists of {@link topKeys} (it runs to completion, never nested). */
const scratchId: string[] = [];
const scratchEn: string[] = [];
const scratchCovered: FeatureKey[] = [];

const NO_KEYS: readonly FeatureKey[] = [];

/**
 * Which met features a reason names: OFFERED, what is offered (lexicon concepts, not what the
 * business is, not what only its KBLI code implies); REGISTERED, what only its KBLI code implies;
 * IDENTITY, what it is (not its activity code); WORD, plain words.
 */
const OFFERED = 0;
const REGISTERED = 1;
const IDENTITY = 2;
const WORD = 3;
type Which = typeof OFFERED | typeof REGISTERED | typeof IDENTITY | typeof WORD;

function kept(f: FeatureKey, which: Which, implied: readonly FeatureKey[]): boolean {
  switch (which) {
    case OFFERED:
      // Only lexicon concepts are named as offered or sought: a plain word both texts use
      // ("izin", "pirt", "cabang") may be a licence or a branch, so it is said as a shared word.
      return !f.startsWith("w:") && !isIdentityFeature(f) && !implied.includes(f);
    case REGISTERED:
      return implied.includes(f) && !isIdentityFeature(f);
    case IDENTITY:
      return isIdentityFeature(f) && !f.startsWith("a:");
    default:
      return f.startsWith("w:");
  }
}

function list(items: string[], lang: Language): string {
  if (items.length <= 1) return items.join("");
  const and = lang === "en" ? " and " : " dan ";
  return `${items.slice(0, -1).join(", ")}${and}${items[items.length - 1]}`;
}

/**
 * How each kind of reason begins, per language: `explain` writes them, `shortWhy` (why.ts) reads
 * them back, so both use this one table.
 */
export const REASON_LEADS = {
  offer: { id: "Mereka menawarkan yang Anda butuhkan: ", en: "They offer what you need: " },
  identity: {
    id: "Mereka termasuk jenis usaha yang Anda cari: ",
    en: "They are the kind of business you look for: ",
  },
  need: { id: "Mereka mencari yang Anda tawarkan: ", en: "They are looking for what you offer: " },
  likeYou: { id: "Mereka mencari usaha seperti Anda: ", en: "They are looking for businesses like yours: " },
  category: { id: "Bidang usaha saling melengkapi: ", en: "Complementary activities: " },
  categoryNeutral: {
    id: "Kode KBLI tidak ada atau tidak lazim untuk sektornya: kategori dinilai netral",
    en: "KBLI code missing or unusual for this sector: category counted as neutral",
  },
} as const satisfies Record<string, Record<Language, string>>;

export interface ExplainInput {
  lang: Language;
  /** Features where the candidate's offers met the query business's needs. */
  candidateMeetsQuery: Array<[FeatureKey, number]>;
  /** Features where the query business's offers met the candidate's needs. */
  queryMeetsCandidate: Array<[FeatureKey, number]>;
  /** Offer features only the candidate's KBLI code implies (not its own words): a few at most. */
  candidateImplied?: readonly FeatureKey[];
  /** The same for the query business. */
  queryImplied?: readonly FeatureKey[];
  category: CategoryResult;
  location: LocationResult;
  queryLocation: MatchLocation;
  candidateLocation: MatchLocation;
  querySector: "service" | "industry";
  /** Size classes as SIZE_RANK (0 micro .. 3 large); a gap of two or more is said. */
  querySizeRank?: number;
  candidateSizeRank?: number;
}

const SIZE_NAMES: Record<Language, readonly string[]> = {
  id: ["mikro", "kecil", "menengah", "besar"],
  en: ["micro", "small", "medium", "large"],
};

/**
 * A reason as stored: what kind it is and its parameters, no sentence. `explainCodes` writes them,
 * `renderReasons` turns them into the sentences `explain` gives, in either language, when a
 * stored suggestion is read. Compact JSON arrays (a stored set holds 50 suggestions of up to three
 * each); a new kind gets a new tag, and a tag the renderer does not know is skipped.
 * - `["o", keys]` they offer what you need; `["k", keys]` their registered activity covers it;
 *   `["i", keys]` they are the kind of business you look for; `["n", keys]` they look for what
 *   you offer; `["y", keys]` they look for businesses like yours; `["w", keys]` shared words.
 *   `keys` are lexicon feature keys, labelled in the reader's language.
 * - `["c", serviceCode, industryCode, inferred]` complementary activities; `["c0"]` the neutral
 *   category note.
 * - `["s", queryRank, candidateRank]` different scale (SIZE_RANK).
 * - `["l", tier, km, place, queryCity?]` location: the candidate's kelurahan, kecamatan or city
 *   by tier (and the query's city for a neighbouring one); `km` as shown ("0.4", "2") or null.
 */
export type ReasonCode =
  | [kind: "o" | "k" | "i" | "n" | "y" | "w", keys: FeatureKey[]]
  | [kind: "c", serviceCode: string | null, industryCode: string | null, inferred: 0 | 1]
  | [kind: "c0"]
  | [kind: "s", queryRank: number, candidateRank: number]
  | [kind: "l", tier: string, km: string | null, place: string | null, queryCity?: string];

/** Said when the sizes are two or more classes apart, which costs the pair a little (score.ts). */
function sizeCode(x: ExplainInput): ReasonCode | null {
  const q = x.querySizeRank;
  const c = x.candidateSizeRank;
  if (q === undefined || c === undefined || Math.abs(q - c) < 2) return null;
  return ["s", q, c];
}

function locationCode(x: ExplainInput): ReasonCode {
  const { location } = x;
  const km =
    location.km == null
      ? null
      : location.km < 1
        ? location.km.toFixed(1)
        : Math.round(location.km).toString();
  const c = x.candidateLocation;
  switch (location.tier) {
    case "kelurahan":
      return ["l", "kelurahan", km, c.kelurahan];
    case "kecamatan":
      return ["l", "kecamatan", km, c.kecamatan];
    case "neighbour":
      return ["l", "neighbour", km, c.city, x.queryLocation.city];
    default:
      return ["l", location.tier, km, c.city];
  }
}

function categoryCode(x: ExplainInput): ReasonCode {
  const { category } = x;
  if (category.fallback) return ["c0"];
  return ["c", category.serviceCode, category.industryCode, category.inferred ? 1 : 0];
}

function renderSize(q: number, c: number, lang: Language): string {
  const names = SIZE_NAMES[lang];
  return lang === "en"
    ? `Different scale: you are ${names[q]}, they are ${names[c]} (scored a little lower)`
    : `Skala berbeda: usaha Anda ${names[q]}, mereka ${names[c]} (skor sedikit lebih rendah)`;
}

function renderLocation(
  tier: string,
  km: string | null,
  place: string | null,
  queryCity: string | undefined,
  lang: Language,
): string {
  const kmText = km == null ? "" : lang === "en" ? `about ${km} km apart` : `berjarak sekitar ${km} km`;
  switch (tier) {
    case "kelurahan":
      return lang === "en" ? `Same kelurahan (${place}), ${kmText}` : `Satu kelurahan (${place}), ${kmText}`;
    case "kecamatan":
      return lang === "en" ? `Same kecamatan (${place}), ${kmText}` : `Satu kecamatan (${place}), ${kmText}`;
    case "city":
      return lang === "en" ? `Both in ${place}, ${kmText}` : `Sama-sama di ${place}, ${kmText}`;
    case "neighbour":
      return lang === "en"
        ? `${place} borders ${queryCity}, ${kmText}`
        : `${place} bertetangga dengan ${queryCity}, ${kmText}`;
    default:
      return lang === "en" ? `In ${place}, ${kmText}` : `Di ${place}, ${kmText}`;
  }
}

function renderCategory(s: string | null, i: string | null, inferred: 0 | 1, lang: Language): string {
  const read = inferred
    ? lang === "en"
      ? " (read from the description)"
      : " (dibaca dari deskripsinya)"
    : "";
  return `${REASON_LEADS.category[lang]}${activityName(s, lang)}${lang === "en" ? " and " : " dan "}${activityName(i, lang)}${read}`;
}

/** One stored reason as a sentence in `lang`, or null for a kind this version does not know. */
export function renderReason(code: ReasonCode, lang: Language): string | null {
  switch (code[0]) {
    case "o":
      return `${REASON_LEADS.offer[lang]}${list(labelsOf(code[1], lang, 3), lang)}`;
    case "k": {
      const labels = list(labelsOf(code[1], lang, 2), lang);
      return lang === "en"
        ? `Their registered activity (KBLI) covers what you need: ${labels}`
        : `Bidang usaha terdaftarnya (KBLI) mencakup yang Anda butuhkan: ${labels}`;
    }
    case "i":
      return `${REASON_LEADS.identity[lang]}${list(labelsOf(code[1], lang, 2), lang)}`;
    case "n":
      return `${REASON_LEADS.need[lang]}${list(labelsOf(code[1], lang, 2), lang)}`;
    case "y":
      return `${REASON_LEADS.likeYou[lang]}${list(labelsOf(code[1], lang, 2), lang)}`;
    case "w": {
      const labels = list(labelsOf(code[1], lang, 3), lang);
      return lang === "en"
        ? `Your texts share the words: ${labels}`
        : `Teks Anda berdua memakai kata yang sama: ${labels}`;
    }
    case "c":
      return renderCategory(code[1], code[2], code[3], lang);
    case "c0":
      return REASON_LEADS.categoryNeutral[lang];
    case "s":
      return renderSize(code[1], code[2], lang);
    case "l":
      return renderLocation(code[1], code[2], code[3], code[4], lang);
    default:
      return null;
  }
}

/**
 * Stored reasons as sentences in `lang`, exactly as `explain` says them. Anything that is not a
 * list of codes (a set stored before codes, a damaged value) gives no reasons rather than an error.
 */
export function renderReasons(codes: unknown, lang: Language): string[] {
  if (!Array.isArray(codes)) return [];
  const out: string[] = [];
  for (const code of codes) {
    if (!Array.isArray(code) || typeof code[0] !== "string") continue;
    const s = renderedReason(code as ReasonCode, lang);
    if (s !== null) out.push(s);
  }
  return out;
}

/**
 * Sentences already said, by language and code: a served page repeats the same few hundred codes
 * (the same labels, places and tiers), and saying one walks the lexicon. Bounded; emptied when full.
 */
const said = new Map<string, string | null>();
const SAID_MAX = 4096;

function renderedReason(code: ReasonCode, lang: Language): string | null {
  const key = lang + JSON.stringify(code);
  const known = said.get(key);
  if (known !== undefined) return known;
  const sentence = renderReason(code, lang);
  if (said.size >= SAID_MAX) said.clear();
  said.set(key, sentence);
  return sentence;
}

/** One to three short reasons, strongest first, as codes (what a stored suggestion keeps). */
export function explainCodes(x: ExplainInput): ReasonCode[] {
  const reasons: ReasonCode[] = [];
  // What a business is (hotel, school, its KBLI activity) or has (PIRT) is never "offered":
  // it is said as what it is.
  // What only a KBLI code implies is said as the registered activity, not as offered.
  const cImplied = x.candidateImplied ?? NO_KEYS;
  const qImplied = x.queryImplied ?? NO_KEYS;
  // Which kinds are said depends only on whether their lists are empty, never on the language.
  const theyOffer = topKeys(x.candidateMeetsQuery, 3, OFFERED, cImplied);
  if (theyOffer.length > 0) reasons.push(["o", theyOffer]);
  else {
    const registered = topKeys(x.candidateMeetsQuery, 2, REGISTERED, cImplied);
    if (registered.length > 0) reasons.push(["k", registered]);
  }
  const theyAre = topKeys(x.candidateMeetsQuery, 2, IDENTITY);
  if (theyAre.length > 0) reasons.push(["i", theyAre]);
  const theyNeed = topKeys(x.queryMeetsCandidate, 2, OFFERED, qImplied);
  if (theyNeed.length > 0) reasons.push(["n", theyNeed]);
  else {
    const theyLookFor = topKeys(x.queryMeetsCandidate, 2, IDENTITY);
    if (theyLookFor.length > 0) reasons.push(["y", theyLookFor]);
  }
  if (reasons.length === 0) {
    const shared = topKeys([...x.candidateMeetsQuery, ...x.queryMeetsCandidate], 3, WORD);
    if (shared.length > 0) reasons.push(["w", shared]);
  }
  if (reasons.length < 3 && (x.category.fallback || x.category.score >= 0.5 || reasons.length === 0)) {
    reasons.push(categoryCode(x));
  }
  const size = sizeCode(x);
  if (size) {
    if (reasons.length >= 3) reasons.length = 2;
    reasons.push(size);
  }
  if (reasons.length < 3) reasons.push(locationCode(x));
  return reasons.slice(0, 3);
}

/** One to three short reasons, strongest first, in `x.lang`. */
export function explain(x: ExplainInput): string[] {
  return renderReasons(explainCodes(x), x.lang);
}

const RESELL: ReadonlySet<string> = new Set([
  "g:pembeli_ritel",
  "c:grosir_agen",
  "c:online_shop",
  "c:toko_oleh_oleh",
  "c:minimarket",
  "c:toko_sepatu",
  "c:toko_busana",
  "c:toko_mebel",
]);

/**
 * The PP 7/2021 pattern that fits best: subcontracting when contract manufacturing was matched,
 * distribution/agency when the industry is looking for a reseller and the service is one,
 * otherwise the pattern of the category row (supply chain for most buying relations).
 */
export function suggestPattern(x: ExplainInput): PartnershipPattern {
  const maklon = (p: [FeatureKey, number]) => p[0] === "c:maklon";
  if (x.candidateMeetsQuery.some(maklon) || x.queryMeetsCandidate.some(maklon)) return "subkontrak";
  const industryNeedsMet = x.querySector === "service" ? x.queryMeetsCandidate : x.candidateMeetsQuery;
  if (industryNeedsMet.some((p) => RESELL.has(p[0]))) return "distribusi_keagenan";
  return x.category.pattern;
}
