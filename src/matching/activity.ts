/**
 * What a business does, read from its own words against BPS's KBLI 2020 descriptions
 * (data/kbli/kbli2020-index.json, built by scripts/kbli-index.ts). It catches missing and wrong
 * codes, and lets a need such as "hotel, resto dan katering" find businesses by what they are.
 */
import kbliIndex from "../../data/kbli/kbli2020-index.json";
import { functionWordMask } from "./lexicon";
import { isStopword, stem, tokenize } from "./text";

const index = kbliIndex as { codes: string[]; titles: string[]; postings: Record<string, number[]> };

/** At most this many activities are read from one text. */
const MAX_ACTIVITIES = 3;
/** A text must match a code's description at least this well (sum of TF-IDF weights) to name it. */
const MIN_SCORE = 0.5;
/** Runners-up must reach this share of the best code's score. */
const RELATIVE = 0.6;

/** KBLI section C (manufacturing) is divisions 10-33. */
export function isManufacturingCode(code: string): boolean {
  const division = Number(code.slice(0, 2));
  return division >= 10 && division <= 33;
}

/**
 * Divisions a small business in this registry cannot be in (mining, utilities, finance, public
 * administration, training and schools as a *reading of words*): their descriptions share words
 * with everyday products ("pelatihan ... perhotelan", "sentra dana") and only mislead.
 */
const NEVER_INFERRED = /^(0[5-9]|19|24|3[5-9]|6[4-6]|78|84|99)/;

/**
 * The KBLI 2020 five-digit codes a text describes best, strongest first, with their scores:
 * the text's stems against each code's TF-IDF vector. The head of the text (the name, or the
 * first words) says what the business is and counts double. `sector` keeps only codes of that
 * side (manufacturing for an industry, anything else for a service).
 * @example inferActivities("Produksi tahu putih dan tahu kuning", "industry")[0][0] === "10392"
 */
export function inferActivities(
  text: string,
  sector?: "service" | "industry",
  head = "",
): Array<[string, number]> {
  const score = new Map<number, number>();
  const seen = new Map<string, number>();
  const headTokens = tokenize(head);
  const tokens = [...headTokens, ...tokenize(text)];
  const skip = functionWordMask(tokens);
  let content = 0;
  tokens.forEach((t, i) => {
    if (skip[i] || isStopword(t)) return;
    const s = stem(t);
    const weight = i < headTokens.length || content++ < 3 ? 2 : 1;
    if ((seen.get(s) ?? 0) >= weight) return;
    const add = weight - (seen.get(s) ?? 0);
    seen.set(s, weight);
    const list = index.postings[s] ?? (s !== t ? index.postings[t] : undefined);
    if (!list) return;
    for (let k = 0; k < list.length; k += 2) {
      const code = index.codes[list[k]];
      if (NEVER_INFERRED.test(code)) continue;
      if (sector && isManufacturingCode(code) !== (sector === "industry")) continue;
      score.set(list[k], (score.get(list[k]) ?? 0) + (add * list[k + 1]) / 1000);
    }
  });
  const ranked = [...score].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  if (ranked.length === 0 || ranked[0][1] < MIN_SCORE) return [];
  const best = ranked[0][1];
  return ranked
    .filter(([, s]) => s >= RELATIVE * best)
    .slice(0, MAX_ACTIVITIES)
    .map(([i, s]) => [index.codes[i], Math.round(s * 1000) / 1000]);
}

/** BPS's title of a five-digit KBLI 2020 code, or null. */
export function kbliTitle(code: string): string | null {
  const i = index.codes.indexOf(code);
  return i < 0 ? null : index.titles[i];
}
