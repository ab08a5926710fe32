/**
 * Category signal: how strongly a service activity trades with a small-industry activity,
 * from the KBLI complementarity table in data/kbli-complementarity.json.
 */
import complementarity from "../../data/kbli-complementarity.json";
import type { PartnershipPattern } from "./types";

export interface CategoryResult {
  /** In [0, 1]. */
  score: number;
  pattern: PartnershipPattern;
  /** The codes that gave the score, or null when a side has no usable KBLI code. */
  serviceCode: string | null;
  industryCode: string | null;
  rationale: string;
  /** True when the score is the neutral fallback for missing or unknown codes. */
  fallback: boolean;
}

interface Row {
  service: string;
  industry: string;
  strength: number;
  pattern: string;
  rationale: string;
}

const rows = complementarity.rows as Row[];
const DEFAULT = complementarity.default;
const UNKNOWN = complementarity.unknown;

const cache = new Map<string, Row | null>();

/** KBLI section C (manufacturing) is divisions 10-33 in both KBLI 2020 and 2025. */
function isManufacturing(code: string): boolean {
  const division = Number(code.slice(0, 2));
  return division >= 10 && division <= 33;
}

function bestRow(serviceCode: string, industryCode: string): Row | null {
  const key = `${serviceCode}|${industryCode}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let best: Row | null = null;
  let bestSpecificity = -1;
  for (const row of rows) {
    if (!serviceCode.startsWith(row.service) || !industryCode.startsWith(row.industry)) continue;
    const specificity = row.service.length + row.industry.length;
    if (specificity > bestSpecificity) {
      best = row;
      bestSpecificity = specificity;
    }
  }
  cache.set(key, best);
  return best;
}

/**
 * Category complementarity between a service business and a small industry: the strongest
 * row over all their code pairs (most specific prefix wins per pair). A side without a usable
 * code gets the neutral fallback (0.3) rather than zero, so missing KBLI does not sink it.
 * @example categoryScore(["56102"], ["10392"]).score === 0.9 // warung buys tahu
 */
export function categoryScore(serviceCodes: string[], industryCodes: string[]): CategoryResult {
  // A code from the wrong side (a café filed under bread making, a maker under retail) says
  // little about the trade between the two: it is set aside like a missing one.
  const s = serviceCodes.filter((c) => /^\d{5}$/.test(c) && !isManufacturing(c));
  const i = industryCodes.filter((c) => /^\d{5}$/.test(c) && isManufacturing(c));
  if (s.length === 0 || i.length === 0) {
    return {
      score: UNKNOWN.strength,
      pattern: "rantai_pasok",
      serviceCode: s[0] ?? null,
      industryCode: i[0] ?? null,
      rationale: UNKNOWN.rationale,
      fallback: true,
    };
  }
  let best: CategoryResult | null = null;
  for (const sc of s) {
    for (const ic of i) {
      const row = bestRow(sc, ic);
      const score = row?.strength ?? DEFAULT.strength;
      if (!best || score > best.score) {
        best = {
          score,
          pattern: (row?.pattern ?? DEFAULT.pattern) as PartnershipPattern,
          serviceCode: sc,
          industryCode: ic,
          rationale: row?.rationale ?? DEFAULT.rationale,
          fallback: false,
        };
      }
    }
  }
  return best as CategoryResult;
}
