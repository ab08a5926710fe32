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

/** Up to three labels of the features that carried a text match, most important first. */
export function topLabels(parts: Array<[FeatureKey, number]>, lang: Language, max = 3): string[] {
  const labels: string[] = [];
  // A family already implied by a listed concept ("kue & jajanan" after "onde-onde") adds nothing.
  const covered = new Set<FeatureKey>();
  // Concepts first: a family or plain word only adds to the list when no concept is left.
  const ordered = [
    ...parts.filter(([f]) => f.startsWith("c:")),
    ...parts.filter(([f]) => !f.startsWith("c:")),
  ];
  for (const [f] of ordered) {
    if (covered.has(f)) continue;
    for (const a of ancestors(f)) covered.add(a);
    const label = featureLabel(f, lang);
    if (!labels.includes(label)) labels.push(label);
    if (labels.length === max) break;
  }
  return labels;
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
  /** Offer features only the candidate's KBLI code implies (not its own words). */
  candidateImplied?: ReadonlySet<FeatureKey>;
  /** The same for the query business. */
  queryImplied?: ReadonlySet<FeatureKey>;
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

/** Said when the sizes are two or more classes apart, which costs the pair a little (score.ts). */
function sizeReason(x: ExplainInput): string | null {
  const q = x.querySizeRank;
  const c = x.candidateSizeRank;
  if (q === undefined || c === undefined || Math.abs(q - c) < 2) return null;
  const names = SIZE_NAMES[x.lang];
  return x.lang === "en"
    ? `Different scale: you are ${names[q]}, they are ${names[c]} (scored a little lower)`
    : `Skala berbeda: usaha Anda ${names[q]}, mereka ${names[c]} (skor sedikit lebih rendah)`;
}

function locationReason(x: ExplainInput): string {
  const { lang, location } = x;
  const km =
    location.km == null
      ? null
      : location.km < 1
        ? location.km.toFixed(1)
        : Math.round(location.km).toString();
  const kmText = km == null ? "" : lang === "en" ? `about ${km} km apart` : `berjarak sekitar ${km} km`;
  const q = x.queryLocation;
  const c = x.candidateLocation;
  switch (location.tier) {
    case "kelurahan":
      return lang === "en"
        ? `Same kelurahan (${c.kelurahan}), ${kmText}`
        : `Satu kelurahan (${c.kelurahan}), ${kmText}`;
    case "kecamatan":
      return lang === "en"
        ? `Same kecamatan (${c.kecamatan}), ${kmText}`
        : `Satu kecamatan (${c.kecamatan}), ${kmText}`;
    case "city":
      return lang === "en" ? `Both in ${c.city}, ${kmText}` : `Sama-sama di ${c.city}, ${kmText}`;
    case "neighbour":
      return lang === "en"
        ? `${c.city} borders ${q.city}, ${kmText}`
        : `${c.city} bertetangga dengan ${q.city}, ${kmText}`;
    default:
      return lang === "en" ? `In ${c.city}, ${kmText}` : `Di ${c.city}, ${kmText}`;
  }
}

function categoryReason(x: ExplainInput): string {
  const { lang, category } = x;
  if (category.fallback) return REASON_LEADS.categoryNeutral[lang];
  const s = activityName(category.serviceCode, lang);
  const i = activityName(category.industryCode, lang);
  const read = category.inferred
    ? lang === "en"
      ? " (read from the description)"
      : " (dibaca dari deskripsinya)"
    : "";
  return `${REASON_LEADS.category[lang]}${s}${lang === "en" ? " and " : " dan "}${i}${read}`;
}

/** One to three short reasons, strongest first. */
export function explain(x: ExplainInput): string[] {
  const { lang } = x;
  const reasons: string[] = [];
  // What a business is (hotel, school, its KBLI activity) or has (PIRT) is never "offered":
  // it is said as what it is.
  // What only a KBLI code implies is said as the registered activity, not as offered.
  const none: ReadonlySet<FeatureKey> = new Set();
  const cImplied = x.candidateImplied ?? none;
  const qImplied = x.queryImplied ?? none;
  // Only lexicon concepts are named as offered or sought: a plain word both texts use
  // ("izin", "pirt", "cabang") may be a licence or a branch, so it is said as a shared word.
  const offered = (parts: Array<[FeatureKey, number]>, implied: ReadonlySet<FeatureKey>) =>
    parts.filter(([f]) => !f.startsWith("w:") && !isIdentityFeature(f) && !implied.has(f));
  const identity = (parts: Array<[FeatureKey, number]>) =>
    parts.filter(([f]) => isIdentityFeature(f) && !f.startsWith("a:"));
  const theyOffer = topLabels(offered(x.candidateMeetsQuery, cImplied), lang);
  if (theyOffer.length > 0) {
    reasons.push(`${REASON_LEADS.offer[lang]}${list(theyOffer, lang)}`);
  }
  const registered = topLabels(
    x.candidateMeetsQuery.filter(([f]) => cImplied.has(f) && !isIdentityFeature(f)),
    lang,
    2,
  ).filter((l) => !theyOffer.includes(l));
  if (theyOffer.length === 0 && registered.length > 0) {
    reasons.push(
      lang === "en"
        ? `Their registered activity (KBLI) covers what you need: ${list(registered, lang)}`
        : `Bidang usaha terdaftarnya (KBLI) mencakup yang Anda butuhkan: ${list(registered, lang)}`,
    );
  }
  const theyAre = topLabels(identity(x.candidateMeetsQuery), lang, 2);
  if (theyAre.length > 0) {
    reasons.push(`${REASON_LEADS.identity[lang]}${list(theyAre, lang)}`);
  }
  const theyNeed = topLabels(offered(x.queryMeetsCandidate, qImplied), lang, 2);
  const theyLookFor = topLabels(identity(x.queryMeetsCandidate), lang, 2);
  if (theyNeed.length > 0) {
    reasons.push(`${REASON_LEADS.need[lang]}${list(theyNeed, lang)}`);
  } else if (theyLookFor.length > 0) {
    reasons.push(`${REASON_LEADS.likeYou[lang]}${list(theyLookFor, lang)}`);
  }
  if (reasons.length === 0) {
    const shared = topLabels(
      [...x.candidateMeetsQuery, ...x.queryMeetsCandidate].filter(([f]) => f.startsWith("w:")),
      lang,
    );
    if (shared.length > 0)
      reasons.push(
        lang === "en"
          ? `Your texts share the words: ${list(shared, lang)}`
          : `Teks Anda berdua memakai kata yang sama: ${list(shared, lang)}`,
      );
  }
  if (reasons.length < 3 && (x.category.fallback || x.category.score >= 0.5 || reasons.length === 0)) {
    reasons.push(categoryReason(x));
  }
  const size = sizeReason(x);
  if (size) {
    if (reasons.length >= 3) reasons.length = 2;
    reasons.push(size);
  }
  if (reasons.length < 3) reasons.push(locationReason(x));
  return reasons.slice(0, 3);
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
  const all = [...x.candidateMeetsQuery, ...x.queryMeetsCandidate].map(([f]) => f);
  if (all.includes("c:maklon")) return "subkontrak";
  const industryNeedsMet = x.querySector === "service" ? x.queryMeetsCandidate : x.candidateMeetsQuery;
  if (industryNeedsMet.some(([f]) => RESELL.has(f))) return "distribusi_keagenan";
  return x.category.pattern;
}
