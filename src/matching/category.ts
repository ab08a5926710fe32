/**
 * Category signal: how strongly a service activity trades with a small-industry activity,
 * from the KBLI complementarity table in data/kbli-complementarity.json.
 */
import ioTable from "../../data/io2016/io2016-185.json";
import concordance from "../../data/io2016/kbli-io-concordance.json";
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
  /** True when a side's code was read from its text (no usable declared code). */
  inferred: boolean;
  /** The input-output share behind the score, when the IO table gave more than the table row. */
  io: number | null;
}

/*
 * Input-output complementarity: how much of one activity's intermediate input comes from the
 * other's product, in the BPS Input-Output Table 2016 (185 products, domestic flows at basic
 * prices; data/io2016/). KBLI codes reach IO products through data/io2016/kbli-io-concordance.json
 * (longest prefix wins). A coefficient of 10% or more is a core input (0.9); each tenfold less
 * loses 0.45, so 1% is 0.45 and 0.1% is nothing.
 */
const ioRows = (concordance.rows as Array<{ kbli: string; io: string }>)
  .slice()
  .sort((a, b) => b.kbli.length - a.kbli.length);
const ioIndex = new Map(ioTable.sectors.map((sec, i) => [sec.code, i]));

/** The IO 2016 product (0-184) of a KBLI code, or -1. */
export function ioProduct(code: string): number {
  for (const r of ioRows) if (code.startsWith(r.kbli)) return ioIndex.get(r.io) ?? -1;
  return -1;
}

/** Input coefficient: the share of buyer `b`'s total input that is supplier `a`'s domestic product. */
function coefficient(a: number, b: number): number {
  const total = ioTable.totalInput[b];
  return total > 0 ? ioTable.domestic[a][b] / total : 0;
}

/**
 * IO strength of a service and an industry code, in [0, 0.9]: the share of the service's input
 * that is the industry's product, on a log scale. Trade (45-47) buys goods for resale, which IO records as margins, not inputs: the
 * table row carries those relations.
 */
export function ioStrength(serviceCode: string, industryCode: string): number {
  // Trade buys goods for resale, which IO records as margins rather than inputs.
  if (/^4[5-7]/.test(serviceCode)) return 0;
  const s = ioProduct(serviceCode);
  const i = ioProduct(industryCode);
  if (s < 0 || i < 0) return 0;
  // Only the industry's product bought by the service: the other way round, finance, transport
  // and trade flows into every industry are margins and overheads, not partnerships.
  const c = coefficient(i, s);
  if (c <= 0) return 0;
  return Math.max(0, Math.min(0.9, 0.9 + 0.45 * Math.log10(c / 0.1)));
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
  // Bounded: distinct code pairs are at most a few hundred squared, but an isolate lives long.
  if (cache.size >= 50_000) cache.clear();
  cache.set(key, best);
  return best;
}

/**
 * Category complementarity between a service business and a small industry: the strongest
 * row over all their code pairs (most specific prefix wins per pair). A side without a usable
 * code gets the neutral fallback (0.3) rather than zero, so missing KBLI does not sink it.
 * @example categoryScore(["56102"], ["10392"]).score === 0.9 // warung buys tahu
 */
export function categoryScore(serviceCodes: string[], industryCodes: string[], useIo = true): CategoryResult {
  // A code read from the text is marked "~" (analyze.ts).
  const inferred = [...serviceCodes, ...industryCodes].some((c) => c.startsWith("~"));
  const plain = (c: string) => c.replace(/^~/, "");
  // A code from the wrong side (a café filed under bread making, a maker under retail) says
  // little about the trade between the two: it is set aside like a missing one.
  const s = serviceCodes.map(plain).filter((c) => /^\d{5}$/.test(c) && !isManufacturing(c));
  const i = industryCodes.map(plain).filter((c) => /^\d{5}$/.test(c) && isManufacturing(c));
  if (s.length === 0 || i.length === 0) {
    return {
      score: UNKNOWN.strength,
      pattern: "rantai_pasok",
      serviceCode: s[0] ?? null,
      industryCode: i[0] ?? null,
      rationale: UNKNOWN.rationale,
      fallback: true,
      inferred,
      io: null,
    };
  }
  let best: CategoryResult | null = null;
  for (const sc of s) {
    for (const ic of i) {
      const row = bestRow(sc, ic);
      const tableScore = row?.strength ?? DEFAULT.strength;
      const io = useIo ? ioStrength(sc, ic) : 0;
      const score = Math.max(tableScore, io);
      if (!best || score > best.score) {
        best = {
          score,
          pattern: (row?.pattern ??
            (io > tableScore ? "rantai_pasok" : DEFAULT.pattern)) as PartnershipPattern,
          serviceCode: sc,
          industryCode: ic,
          rationale: row?.rationale ?? DEFAULT.rationale,
          fallback: false,
          inferred,
          io: io > tableScore ? io : null,
        };
      }
    }
  }
  return best as CategoryResult;
}
