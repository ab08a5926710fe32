/**
 * Per-business analysis, done once when a profile is written: the text of each side becomes
 * a bag of lexicon concepts and stems, and the KBLI codes add what the business *is*.
 * The result is plain JSON so services may store it next to the row.
 */

import kbliIndex from "../../data/kbli/kbli2020-index.json";
import identityData from "../../data/kbli-identity.json";
import lexiconData from "../../data/lexicon.json";
import sensesData from "../../data/senses.json";
import stopwordData from "../../data/stopwords.json";
import { inferActivities, isManufacturingCode } from "./activity";
import { addConcept, conceptKey, extractFeatures, type FeatureKey, functionWordMask } from "./lexicon";
import { isStopword, stem, tokenize } from "./text";
import type { MatchLocation, MatchProfile, Sector, SizeClass } from "./types";

/**
 * Identifies the analysis: the code revision plus a fingerprint of the data it reads, so a
 * lexicon or KBLI table edit invalidates stored features without anyone remembering to bump it.
 */
export const ANALYZER_VERSION = `4.${fingerprint(JSON.stringify([lexiconData, stopwordData, identityData, sensesData, kbliIndex.postings]))}`;

/** What a KBLI code says the business is counts a little less than its own words. */
const IDENTITY_WEIGHT = 0.6;
/** An activity (KBLI class, declared or read from the text) counts like an identity concept. */
const ACTIVITY_WEIGHT = 0.6;

/** Parts of the analysis that can be switched off, for `npm run eval -- --ablate`. */
export interface AnalysisOptions {
  /** Lexicon concepts (off: every content word as its stem). */
  lexicon?: boolean;
  /** Concepts implied by the declared KBLI codes (data/kbli-identity.json). */
  identity?: boolean;
  /** Activities read from the text against the KBLI descriptions, and their use in the category. */
  activities?: boolean;
}

function addFeature(bag: Map<FeatureKey, number>, key: FeatureKey, w: number): void {
  bag.set(key, (bag.get(key) ?? 0) + w);
}

/** Without the lexicon: every content word as its stem, at full weight. */
function plainFeatures(text: string): Map<FeatureKey, number> {
  const bag = new Map<FeatureKey, number>();
  const tokens = tokenize(text);
  const skip = functionWordMask(tokens);
  tokens.forEach((t, i) => {
    const s = stem(t);
    if (!skip[i] && !isStopword(t) && !isStopword(s) && s.length > 2) addFeature(bag, `w:${s}`, 1);
  });
  return bag;
}

export interface AnalyzedProfile {
  v: string;
  id: string;
  sector: Sector;
  kbli: string[];
  /**
   * The KBLI codes the category signal uses: the declared ones that fit the sector, else the
   * one its offer text describes best, marked "~" as inferred ("~56102").
   */
  activity: string[];
  sizeClass: SizeClass;
  location: MatchLocation;
  maxPartners: number;
  /** What it offers, plus its KBLI identity: [feature, weight] pairs. */
  offers: Array<[FeatureKey, number]>;
  /**
   * Offer features that only its KBLI code implies (not in its own words): explanations say
   * them as its registered activity, never as something it says it offers.
   */
  implied: FeatureKey[];
  needs: Array<[FeatureKey, number]>;
  /** Surface words of name, offers and needs (no stemming, no lexicon): the exact-wording view. */
  words: Array<[string, number]>;
}

const identityPrefixes = Object.entries(identityData.prefixes as Record<string, string[]>).sort(
  (a, b) => b[0].length - a[0].length,
);

/** Concept ids implied by one KBLI code (longest matching prefix), e.g. "56210" -> ["katering"]. */
export function identityConcepts(code: string): string[] {
  for (const [prefix, ids] of identityPrefixes) if (code.startsWith(prefix)) return ids;
  return [];
}

/**
 * Analyses one profile into weighted features (plain JSON, stored with the row and stamped with
 * {@link ANALYZER_VERSION}). Weights add up per feature: 1 per lexicon match (each family above
 * it half as much per step), 0.5 per other content word, 0.6 per concept a KBLI code implies.
 * @example analyzeProfile({ ...p, needs: "Butuh kardus sepatu" }).needs // [["c:dus_karton", 1], ["g:kemasan", 0.5]]
 */
export function analyzeProfile(p: MatchProfile, options: AnalysisOptions = {}): AnalyzedProfile {
  const useLexicon = options.lexicon !== false;
  const offers = useLexicon
    ? extractFeatures(`${p.name ?? ""}. ${p.offers}`)
    : plainFeatures(`${p.name ?? ""}. ${p.offers}`);
  const ownWords = new Set(offers.keys());
  if (options.identity !== false) {
    for (const k of p.kbli) {
      for (const id of identityConcepts(k.code)) {
        const key = conceptKey(id);
        if (key) addConcept(offers, key, IDENTITY_WEIGHT);
      }
    }
  }
  const needs = useLexicon ? extractFeatures(p.needs) : plainFeatures(p.needs);
  // What the business is: its own codes when they fit its sector, else what its words describe.
  const declared = p.kbli
    .map((k) => k.code)
    .filter((c) => /^\d{5}$/.test(c) && isManufacturingCode(c) === (p.sector === "industry"));
  const useActivities = options.activities !== false;
  const inferred =
    useActivities && declared.length === 0 ? inferActivities(p.offers, p.sector, p.name ?? "") : [];
  const activity = declared.length > 0 ? declared : inferred.slice(0, 1).map(([c]) => `~${c}`);
  if (useActivities) {
    for (const c of activity) addFeature(offers, `a:${c.replace("~", "").slice(0, 4)}`, ACTIVITY_WEIGHT);
    // Needs describe the partner: read them against the other sector's activities.
    const other = p.sector === "service" ? "industry" : "service";
    for (const [c] of inferActivities(p.needs, other))
      addFeature(needs, `a:${c.slice(0, 4)}`, ACTIVITY_WEIGHT);
  }
  return {
    v: ANALYZER_VERSION,
    id: p.id,
    sector: p.sector,
    kbli: p.kbli.map((k) => k.code),
    activity,
    sizeClass: p.sizeClass,
    location: p.location,
    maxPartners: p.maxPartners,
    offers: [...offers],
    implied: [...offers.keys()].filter((f) => !ownWords.has(f) && !f.startsWith("a:")),
    needs: [...needs],
    words: surfaceWords(`${p.name ?? ""} ${p.offers} ${p.needs}`),
  };
}

function surfaceWords(text: string): Array<[string, number]> {
  const bag = new Map<string, number>();
  const tokens = tokenize(text);
  const skip = functionWordMask(tokens);
  tokens.forEach((t, i) => {
    if (!skip[i] && !isStopword(t)) bag.set(t, (bag.get(t) ?? 0) + 1);
  });
  return [...bag];
}

/** FNV-1a, 32 bit, as 8 hex digits: a change detector, not a security hash. */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}
