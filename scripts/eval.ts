/**
 * `npm run eval -- --dataset FILE [--json]`: ranks every judged business of an evaluation
 * dataset with the engine and with single-signal baselines, and reports nDCG@10, P@5, MRR and
 * coverage as shared/eval/FORMAT.md defines them.
 */
import { parseArgs } from "node:util";
import { createMatcher, type MatchWeights } from "../src/matching";
import { categoryRanker, locationRanker, type Ranker, randomRanker, textRanker } from "./eval/baselines";
import { judgmentsByQuery, loadDataset, toProfile } from "./eval/dataset";
import { evaluateRankings, type Metrics } from "./eval/metrics";

export interface EvalReport {
  engine: Metrics;
  baselines: { random: Metrics; category: Metrics; location: Metrics; text: Metrics };
}

export function evaluateDataset(file: string, seed = 42, weights?: MatchWeights): EvalReport {
  const d = loadDataset(file);
  const profiles = d.businesses.map((b) => toProfile(b, d.kbliVersion ?? "2020"));
  const byId = new Map(profiles.map((p) => [p.id, p]));
  const judgments = judgmentsByQuery(d);
  const candidatesOf = (id: string) => profiles.filter((p) => p.sector !== byId.get(id)?.sector);
  const matcher = createMatcher(profiles, weights);

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
    engine: run((q) => matcher.rank(q, { limit: Number.POSITIVE_INFINITY }).map((s) => s.id)),
    baselines: {
      random: baseline(randomRanker(seed)),
      category: baseline(categoryRanker),
      location: baseline(locationRanker),
      text: baseline(textRanker(profiles)),
    },
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      dataset: { type: "string", default: "data/eval/mojokerto-dev.json" },
      json: { type: "boolean" },
      seed: { type: "string", default: "42" },
    },
  });
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
}

if (import.meta.url === `file://${process.argv[1]}`) main();
