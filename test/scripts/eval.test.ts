import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateDataset } from "../../scripts/eval";
import type { Dataset, DatasetBusiness } from "../../scripts/eval/dataset";
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

/**
 * A dataset small enough to rank by hand: a warung that needs tahu and a tahu maker that wants
 * warung customers (the only judged pair, grade 3), about 40 km apart. Three unrelated makers sit in the
 * warung's kelurahan and a hotel in the tahu maker's city, so the location baseline puts the right
 * partner last for the warung (4th of 4) and second for the tahu maker (2nd of 2).
 */
describe("npm run eval on a dataset ranked by hand", () => {
  const miji = {
    kelurahan: "Miji",
    kecamatan: "Kranggan",
    city: "Kota Mojokerto",
    lat: -7.4757,
    lng: 112.4345,
  };
  const surabaya = { kelurahan: null, kecamatan: null, city: "Kota Surabaya", lat: -7.2575, lng: 112.7521 };
  const business = (
    b: Partial<DatasetBusiness> & Pick<DatasetBusiness, "ref" | "sector">,
  ): DatasetBusiness => ({
    name: b.ref,
    kbli: [],
    sizeClass: "mikro",
    ...miji,
    offers: "",
    needs: "",
    language: "id",
    maxPartners: 3,
    ...b,
  });
  const dataset: Dataset = {
    name: "hand",
    kbliVersion: "2020",
    businesses: [
      business({
        ref: "S1",
        sector: "service",
        kbli: ["56102"],
        offers: "Warung penyetan ayam dan lele, 150 porsi sehari",
        needs: "Tahu putih dan tahu kuning tiap pagi",
      }),
      business({
        ref: "S2",
        sector: "service",
        kbli: ["55110"],
        ...surabaya,
        offers: "Hotel dengan 80 kamar dan ruang rapat",
        needs: "Jasa binatu untuk sprei dan handuk",
      }),
      business({
        ref: "I1",
        sector: "industry",
        kbli: ["10392"],
        ...surabaya,
        offers: "Tahu putih dan tahu kuning, antar pagi",
        needs: "Pelanggan tetap warung penyetan",
      }),
      business({ ref: "I2", sector: "industry", kbli: ["15201"], offers: "Sepatu pantofel kulit" }),
      business({ ref: "I3", sector: "industry", kbli: ["31001"], offers: "Lemari dan meja kayu jati" }),
      business({ ref: "I4", sector: "industry", kbli: ["13134"], offers: "Kain batik tulis" }),
    ],
    judgments: [{ service: "S1", industry: "I1", grade: 3 }],
  };
  const dir = mkdtempSync(path.join(tmpdir(), "kemitraan-eval-"));
  const file = path.join(dir, "hand.json");
  writeFileSync(file, JSON.stringify(dataset));
  const report = evaluateDataset(file);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const round = (x: number) => Math.round(x * 10000) / 10000;

  it("scores the engine at the top when it puts the judged partner first from both sides", () => {
    // Two queries (S1 and I1), one relevant candidate each, ranked first: nDCG 1, MRR 1, P@5 1/5.
    expect(report.engine).toMatchObject({ ndcg10: 1, p5: 0.2, mrr: 1 });
  });

  it("scores the location baseline from the ranks it gives the judged partner", () => {
    // S1 finds I1 4th (gain 7 / log2 5 over the ideal 7), I1 finds S1 2nd (7 / log2 3 over 7).
    expect(report.baselines.location).toEqual({
      ndcg10: round((1 / Math.log2(5) + 1 / Math.log2(3)) / 2),
      p5: 0.2,
      mrr: round((1 / 4 + 1 / 2) / 2),
      // Every candidate of both queries is in their top 10: all six businesses.
      coverage: 1,
    });
  });
});

describe("npm run eval on the dev set", () => {
  const report = evaluateDataset("data/eval/mojokerto-dev.json");

  it("reports the engine and all four baselines, every metric in [0, 1]", () => {
    expect(Object.keys(report.baselines).sort()).toEqual(["category", "location", "random", "text"]);
    const { queries, slices, ...engine } = report.engine;
    const dev = JSON.parse(readFileSync("data/eval/mojokerto-dev.json", "utf8")) as Dataset;
    const judgedBusinesses = new Set(dev.judgments.flatMap((j) => [j.service, j.industry])).size;
    // One row per judged business, for the held-out measurement's slices.
    expect(queries.length).toBe(judgedBusinesses);
    expect(Object.keys(queries[0]).sort()).toEqual(["ndcg10", "p5", "ref", "rr"]);
    expect(Object.keys(slices).sort()).toEqual(["english", "noKbli", "outsideCity", "short"]);
    for (const m of [engine, ...Object.values(report.baselines)]) {
      expect(Object.keys(m).sort()).toEqual(["coverage", "mrr", "ndcg10", "p5"]);
      for (const v of Object.values(m)) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    expect(report.engine.p5).toBeGreaterThan(report.baselines.random.p5);
    expect(report.engine.mrr).toBeGreaterThan(report.baselines.random.mrr);
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
