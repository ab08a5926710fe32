/**
 * `npm run eval -- --dataset FILE [--json]`: ranks every judged business of an evaluation
 * dataset with the engine and with single-signal baselines, and reports nDCG@10, P@5, MRR and
 * coverage as shared/eval/FORMAT.md defines them.
 * `npm run eval -- --forum [--json]`: forum schedules instead (scripts/eval/forum.ts).
 */
import { parseArgs } from "node:util";
import { createMatcher, DEFAULT_WEIGHTS, type MatchWeights } from "../src/matching";
import { type AnalysisOptions, analyzeProfile } from "../src/matching/analyze";
import { categoryRanker, locationRanker, type Ranker, randomRanker, textRanker } from "./eval/baselines";
import { type DatasetBusiness, judgmentsByQuery, loadDataset, toProfile } from "./eval/dataset";
import { evaluateForums, printForums } from "./eval/forum";
import { evaluateRankings, type Metrics, ndcgAt10, precisionAt5, reciprocalRank } from "./eval/metrics";
import { evaluatePairing, type PairingReport, pairGrades } from "./eval/pairing";
import { printProcurement } from "./eval/procurement";
import { checkReasons, type ReasonCheck } from "./eval/reasons";
import { type VocabularyCheck, vocabularyCheck } from "./eval/vocabulary";

/** One query's figures, for slicing the held-out measurement by business. */
export interface QueryMetrics {
  ref: string;
  ndcg10: number;
  p5: number;
  rr: number;
}

/** Slices of the queries: English texts, outside Kota Mojokerto, short texts, no KBLI code. */
export type SliceName = "english" | "outsideCity" | "short" | "noKbli";

export interface EvalReport {
  engine: Metrics & {
    queries: QueryMetrics[];
    slices: Record<SliceName, { n: number; ndcg10: number; p5: number }>;
  };
  /** Share of the top-5 suggestions whose reasons say something untrue (scripts/eval/reasons.ts). */
  reasons: ReasonCheck;
  /** Lexicon and identity entries that occur in this set's texts but in no general source. */
  vocabulary: VocabularyCheck;
  baselines: { random: Metrics; category: Metrics; location: Metrics; text: Metrics };
  /** Weekly pairing proposals (src/matching/assign.ts) against greedy top-1 and naive top-k. */
  pairing: PairingReport;
}

/** The engine's nDCG@10 and P@5 alone, with parts of the analysis or weights switched off. */
export function engineMetrics(
  file: string,
  weights: MatchWeights = DEFAULT_WEIGHTS,
  analysis: AnalysisOptions = {},
): Metrics {
  const d = loadDataset(file);
  const profiles = d.businesses.map((b) => toProfile(b, d.kbliVersion ?? "2020"));
  const matcher = createMatcher(
    profiles.map((p) => analyzeProfile(p, analysis)),
    weights,
  );
  const judgments = judgmentsByQuery(d);
  const rankings = new Map<string, string[]>();
  for (const q of judgments.keys()) rankings.set(q, matcher.topIds(q, { limit: Number.POSITIVE_INFINITY }));
  return evaluateRankings(rankings, judgments, profiles.length);
}

export function evaluateDataset(file: string, seed = 42, weights?: MatchWeights): EvalReport {
  const d = loadDataset(file);
  const profiles = d.businesses.map((b) => toProfile(b, d.kbliVersion ?? "2020"));
  const byId = new Map(profiles.map((p) => [p.id, p]));
  const judgments = judgmentsByQuery(d);
  const candidatesOf = (id: string) => profiles.filter((p) => p.sector !== byId.get(id)?.sector);
  const matcher = createMatcher(profiles, weights);
  const engineRankings = new Map<string, string[]>();
  for (const q of judgments.keys())
    engineRankings.set(q, matcher.topIds(q, { limit: Number.POSITIVE_INFINITY }));
  const queries: QueryMetrics[] = [...judgments].map(([ref, grades]) => {
    const r = engineRankings.get(ref) ?? [];
    const round = (x: number) => Math.round(x * 10000) / 10000;
    return {
      ref,
      ndcg10: round(ndcgAt10(r, grades)),
      p5: round(precisionAt5(r, grades)),
      rr: round(reciprocalRank(r, grades)),
    };
  });
  const businesses = new Map(d.businesses.map((b) => [b.ref, b]));
  const inSlice: Record<SliceName, (b: DatasetBusiness) => boolean> = {
    english: (b) => b.language === "en",
    outsideCity: (b) => b.city.toLowerCase().replace(/[^a-z]/g, "") !== "kotamojokerto",
    short: (b) => `${b.offers} ${b.needs}`.split(/\s+/).filter(Boolean).length < 25,
    noKbli: (b) => b.kbli.length === 0,
  };
  const slices = Object.fromEntries(
    (Object.keys(inSlice) as SliceName[]).map((name) => {
      const qs = queries.filter((q) => {
        const b = businesses.get(q.ref);
        return b !== undefined && inSlice[name](b);
      });
      const mean = (f: (q: QueryMetrics) => number) =>
        qs.length === 0 ? 0 : Math.round((qs.reduce((a, q) => a + f(q), 0) / qs.length) * 10000) / 10000;
      return [name, { n: qs.length, ndcg10: mean((q) => q.ndcg10), p5: mean((q) => q.p5) }];
    }),
  ) as Record<SliceName, { n: number; ndcg10: number; p5: number }>;

  const run = (rank: (id: string) => string[]) => {
    const rankings = new Map<string, string[]>();
    for (const q of judgments.keys()) rankings.set(q, rank(q));
    return evaluateRankings(rankings, judgments, profiles.length);
  };
  const baseline = (r: Ranker) =>
    run((q) => {
      const query = byId.get(q);
      return query ? r(query, candidatesOf(q)) : [];
    });
  return {
    engine: { ...run((q) => engineRankings.get(q) ?? []), queries, slices },
    reasons: checkReasons(matcher, profiles),
    vocabulary: vocabularyCheck(d),
    baselines: {
      random: baseline(randomRanker(seed)),
      category: baseline(categoryRanker),
      location: baseline(locationRanker),
      text: baseline(textRanker(profiles)),
    },
    pairing: evaluatePairing(matcher, profiles, pairGrades(d.judgments)),
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      dataset: { type: "string", default: "data/eval/mojokerto-dev.json" },
      json: { type: "boolean" },
      seed: { type: "string", default: "42" },
      ablate: { type: "boolean" },
      forum: { type: "boolean" },
      procurement: { type: "boolean" },
    },
  });
  if (values.forum) {
    const forums = evaluateForums();
    if (values.json) console.log(JSON.stringify(forums));
    else printForums(forums);
    return;
  }
  if (values.procurement) {
    printProcurement(Boolean(values.json));
    return;
  }
  if (values.ablate) {
    printAblation();
    return;
  }
  const report = evaluateDataset(values.dataset as string, Number(values.seed));
  if (values.json) {
    console.log(JSON.stringify(report));
    return;
  }
  const rows: Array<[string, Metrics]> = [["engine", report.engine], ...Object.entries(report.baselines)];
  console.log(`dataset: ${values.dataset}`);
  console.log("ranker      nDCG@10   P@5     MRR     coverage");
  for (const [name, m] of rows) {
    console.log(
      `${name.padEnd(10)}  ${[m.ndcg10, m.p5, m.mrr, m.coverage].map((x) => x.toFixed(3).padEnd(7)).join(" ")}`,
    );
  }
  const best = Math.max(...Object.values(report.baselines).map((m) => m.ndcg10));
  const target = best + 0.5 * (1 - best);
  console.log(
    `best baseline nDCG@10 ${best.toFixed(3)}; target ${target.toFixed(3)}; engine ${report.engine.ndcg10 >= target ? "meets" : "misses"} it`,
  );
  const sl = report.engine.slices;
  console.log(
    `slices (nDCG@10 / P@5, n): ${(Object.keys(sl) as SliceName[]).map((k) => `${k} ${sl[k].ndcg10.toFixed(3)} / ${sl[k].p5.toFixed(3)} (${sl[k].n})`).join("; ")}`,
  );
  const r = report.reasons;
  console.log(
    `reasons: ${r.failing} of ${r.pairs} top-5 suggestions (${(100 * r.share).toFixed(1)}%) state something untrue${r.examples.length ? `, e.g. ${r.examples.slice(0, 3).join(" | ")}` : ""}`,
  );
  const v = report.vocabulary;
  console.log(
    `vocabulary: ${v.lexiconTermsInTexts} lexicon terms occur in this set's texts, ${v.unsourced.length} of them in no general source (KBLI 2020 text, IO 2016 names, WordNet, hunspell-id), ${v.singleBusiness.length} used by a single business of the set${v.unsourced.length ? `: ${v.unsourced.slice(0, 12).join(", ")}` : ""}; identity entries outside KBLI: ${v.identityUnsourced}`,
  );
  printPairing(report.pairing);
}

/** What each component adds: the engine with one part switched off, on both development sets. */
function printAblation(): void {
  const sets = ["data/eval/mojokerto-dev.json", "data/eval/mojokerto-dev2.json"];
  const w = DEFAULT_WEIGHTS;
  const variants: Array<[string, MatchWeights, AnalysisOptions]> = [
    ["engine (defaults)", w, {}],
    ["- category", { ...w, category: 0, text: w.text + w.category }, {}],
    ["- location", { ...w, location: 0, perishableLocation: 0, text: w.text + w.location }, {}],
    ["- IO 2016 in category", { ...w, io: false }, {}],
    ["- perishable (both parts)", { ...w, perishableLocation: 0 }, {}],
    ["- perishable supplier (KBLI)", { ...w, activityPerishable: false }, {}],
    ["- size fit", { ...w, sizeGap: 0 }, {}],
    ["- lexicon", w, { lexicon: false }],
    ["- KBLI identity concepts", w, { identity: false }],
    ["- activities (KBLI text)", w, { activities: false }],
    ["- affinity (whole profile)", { ...w, affinity: 0 }, {}],
    ["- exact words", { ...w, lexical: 0 }, {}],
  ];
  const base = sets.map((f) => engineMetrics(f));
  console.log("component removed            dev nDCG@10 (delta)    dev2 nDCG@10 (delta)");
  for (const [name, weights, analysis] of variants) {
    const ms = sets.map((f) => engineMetrics(f, weights, analysis));
    const cells = ms.map(
      (m, i) =>
        `${m.ndcg10.toFixed(3)} (${m.ndcg10 - base[i].ndcg10 >= 0 ? "+" : ""}${(m.ndcg10 - base[i].ndcg10).toFixed(3)})`,
    );
    console.log(`${name.padEnd(28)} ${cells[0].padEnd(22)} ${cells[1]}`);
  }
}

function printPairing(p: PairingReport): void {
  const f = (x: number) => x.toFixed(3);
  console.log("");
  console.log(
    `weekly pairing proposals (exposure cap ${p.config.exposureCap}, min score ${p.config.minScore}, ` +
      `top ${p.config.candidatesPerBusiness} suggestions each: ${p.candidates} candidate pairs)`,
  );
  console.log(
    "method          proposals  total score  top-10% share  Gini   max/business  mean grade  grade>=2",
  );
  const row = (
    name: string,
    n: number,
    total: number,
    e: { top10Share: number; gini: number; max: number },
    q: { meanGrade: number; goodShare: number },
  ) =>
    console.log(
      `${name.padEnd(16)}${String(n).padStart(9)}  ${f(total).padStart(11)}  ${f(e.top10Share).padStart(13)}  ` +
        `${f(e.gini).padEnd(5)}  ${String(e.max).padStart(12)}  ${f(q.meanGrade).padStart(10)}  ${f(q.goodShare).padStart(8)}`,
    );
  row("assignment", p.proposals, p.totalScore, p.exposure, p.judged.assignment);
  row(
    "greedy top-1",
    p.greedyTopOne.proposals,
    p.greedyTopOne.totalScore,
    p.greedyTopOne.exposure,
    p.judged.greedyTopOne,
  );
  row(
    `naive top-${p.naiveTopK.k}`,
    p.judged.naiveTopK.proposals,
    p.naiveTopK.totalScore,
    p.naiveTopK.exposure,
    p.judged.naiveTopK,
  );
  console.log(
    `assignment total ${f(p.totalScore)} vs greedy top-1 ${f(p.greedyTopOne.totalScore)} ` +
      `(x${f(p.totalScore / (p.greedyTopOne.totalScore || 1))}); greedy step alone ${f(p.greedyTotal)}, ${p.swaps} augmenting swaps`,
  );
  const skipped = Object.entries(p.skipped)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  console.log(`not proposed: ${skipped || "none"}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
