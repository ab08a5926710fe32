import { describe, expect, it } from "vitest";
import { evaluateDataset } from "../../scripts/eval";
import { evaluateRankings, ndcgAt10, precisionAt5, reciprocalRank } from "../../scripts/eval/metrics";

describe("metrics (shared/eval/FORMAT.md)", () => {
  const grades = new Map([
    ["a", 3],
    ["b", 2],
    ["c", 1],
  ]);

  it("gives nDCG@10 = 1 for the ideal order and less otherwise", () => {
    expect(ndcgAt10(["a", "b", "c", "x"], grades)).toBeCloseTo(1);
    const swapped = ndcgAt10(["c", "b", "a"], grades);
    const ideal = 7 + 3 / Math.log2(3) + 1 / 2;
    expect(swapped).toBeCloseTo((1 + 3 / Math.log2(3) + 7 / 2) / ideal);
  });

  it("counts P@5 over grades >= 2 and MRR from the first such candidate", () => {
    expect(precisionAt5(["x", "a", "c", "b", "y"], grades)).toBeCloseTo(2 / 5);
    expect(reciprocalRank(["x", "c", "b"], grades)).toBeCloseTo(1 / 3);
    expect(reciprocalRank(["x", "c"], grades)).toBe(0);
  });

  it("measures coverage over all businesses in the file", () => {
    const m = evaluateRankings(new Map([["q", ["a", "b"]]]), new Map([["q", grades]]), 4);
    expect(m.coverage).toBe(0.5);
  });
});

describe("npm run eval on the dev set", () => {
  const report = evaluateDataset("data/eval/mojokerto-dev.json");

  it("reports the engine and all four baselines", () => {
    expect(Object.keys(report.baselines).sort()).toEqual(["category", "location", "random", "text"]);
    for (const m of [report.engine, ...Object.values(report.baselines)]) {
      for (const v of Object.values(m)) expect(v).toBeGreaterThanOrEqual(0);
    }
  });

  it("beats every single-signal baseline on nDCG@10", () => {
    const best = Math.max(...Object.values(report.baselines).map((m) => m.ndcg10));
    expect(report.engine.ndcg10).toBeGreaterThan(best);
  });

  it("is far better than random and deterministic for a seed", () => {
    expect(report.engine.ndcg10).toBeGreaterThan(report.baselines.random.ndcg10 + 0.4);
    expect(evaluateDataset("data/eval/mojokerto-dev.json").baselines.random).toEqual(report.baselines.random);
  });
});

describe("npm run eval: weekly pairing proposals on the dev set", () => {
  const { pairing } = evaluateDataset("data/eval/mojokerto-dev.json");

  it("beats greedy top-1 on total score and never exceeds the exposure cap", () => {
    expect(pairing.proposals).toBeGreaterThan(0);
    expect(pairing.totalScore).toBeGreaterThan(pairing.greedyTopOne.totalScore);
    expect(pairing.totalScore).toBeGreaterThanOrEqual(pairing.greedyTotal);
    expect(pairing.exposure.max).toBeLessThanOrEqual(pairing.config.exposureCap);
  });

  it("concentrates exposure less than naive top-k", () => {
    expect(pairing.exposure.gini).toBeLessThan(pairing.naiveTopK.exposure.gini);
    expect(pairing.exposure.top10Share).toBeLessThan(pairing.naiveTopK.exposure.top10Share);
    expect(pairing.naiveTopK.exposure.max).toBeGreaterThan(pairing.config.exposureCap);
  });

  it("proposes pairs the judges mostly rate good (grade >= 2)", () => {
    expect(pairing.judged.assignment.proposals).toBe(pairing.proposals);
    expect(pairing.judged.assignment.goodShare).toBeGreaterThan(0.8);
  });
});
