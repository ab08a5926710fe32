/**
 * The reasons check of `npm run eval`: over every business's top 5, a "They offer what you need"
 * line may only name what the candidate's own offer text says (not what its KBLI code implies)
 * and never a kind of business or an attribute (hotel, school, PIRT), which one is or has but
 * does not offer. The share of suggestions failing it should be zero.
 */
import type { Matcher, MatchProfile } from "../../src/matching";
import { extractFeatures, featureLabel, isIdentityFeature } from "../../src/matching/lexicon";

export interface ReasonCheck {
  pairs: number;
  failing: number;
  share: number;
  examples: string[];
}

const OFFER = "They offer what you need: ";

export function checkReasons(matcher: Matcher, profiles: readonly MatchProfile[]): ReasonCheck {
  const byId = new Map(profiles.map((p) => [p.id, p]));
  const allowed = new Map<string, string[]>();
  const labelsOf = (p: MatchProfile) => {
    let l = allowed.get(p.id);
    if (!l) {
      l = [...extractFeatures(`${p.name ?? ""}. ${p.offers}`).keys()]
        .filter((f) => !isIdentityFeature(f))
        .map((f) => featureLabel(f, "en"))
        .sort((a, b) => b.length - a.length);
      allowed.set(p.id, l);
    }
    return l;
  };
  let pairs = 0;
  let failing = 0;
  const examples: string[] = [];
  for (const q of profiles) {
    for (const s of matcher.rank(q.id, { limit: 5, lang: "en" })) {
      pairs++;
      const line = s.reasons.find((r) => r.startsWith(OFFER));
      const c = byId.get(s.id);
      if (!line || !c) continue;
      let rest = line.slice(OFFER.length);
      for (const label of labelsOf(c)) rest = rest.split(label).join("");
      if (rest.replace(/,|\band\b/g, "").trim() !== "") {
        failing++;
        if (examples.length < 10) examples.push(`${c.id} to ${q.id}: "${line}"`);
      }
    }
  }
  return { pairs, failing, share: pairs ? Math.round((failing / pairs) * 10000) / 10000 : 0, examples };
}
