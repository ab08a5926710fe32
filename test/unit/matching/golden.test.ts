/**
 * Golden rankings: what the engine answers today for the public dev set, the demo registry and a
 * synthetic registry, through the public matcher API only. A refactor of src/matching must leave
 * these files byte for byte unchanged; a change that means to move results updates them
 * (`npx vitest run --project unit test/unit/matching/golden.test.ts -u`) and says why in its commit.
 */
import { describe, expect, it } from "vitest";
import { syntheticRegistry } from "../../../scripts/bench/synthetic";
import { generateDemoRegistry } from "../../../scripts/demo/generate";
import { loadDataset, toProfile } from "../../../scripts/eval/dataset";
import {
  createMatcher,
  DEFAULT_WEIGHTS,
  type Matcher,
  type MatchProfile,
  renderReasons,
  type StoredSuggestion,
  type Suggestion,
} from "../../../src/matching";

const f6 = (x: number) => x.toFixed(6);

function head(s: Suggestion | StoredSuggestion): string {
  const c = s.components;
  return `${s.id} ${f6(s.score)} category=${f6(c.category)} location=${f6(c.location)} text=${f6(c.text)} ${s.pattern}`;
}

/**
 * Top suggestions with components and pattern; the reasons of the first three in Indonesian and of
 * the first in English too (dev-pairs.txt has more English), so the files stay readable.
 */
function stored(m: Matcher, ids: string[], options: { limit: number; minScore?: number }): string {
  const lines: string[] = [];
  for (const q of ids) {
    lines.push(q);
    m.rankForStorage(q, options).forEach((s, i) => {
      lines.push(`  ${i + 1}. ${head(s)}`);
      // Stored as codes: rendered here exactly as a read renders them.
      if (i < 3) for (const r of renderReasons(s.reasons, "id")) lines.push(`     id: ${r}`);
      if (i === 0) for (const r of renderReasons(s.reasons, "en")) lines.push(`     en: ${r}`);
    });
  }
  return `${lines.join("\n")}\n`;
}

/** Ids and scores only, one query per line: long lists without the reasons. */
function scores(m: Matcher, ids: string[], limit: number): string {
  const line = (q: string) =>
    m
      .rank(q, { limit })
      .map((s) => `${s.id}=${f6(s.score)}`)
      .join(" ");
  return `${ids.map((q) => `${q}: ${line(q)}`).join("\n")}\n`;
}

const dev = loadDataset("data/eval/mojokerto-dev.json");
const devProfiles: MatchProfile[] = dev.businesses.map((b) => toProfile(b, dev.kbliVersion ?? "2020"));
const devIds = devProfiles.map((p) => p.id);

describe("golden rankings (a refactor of src/matching must not change them)", () => {
  it("dev set: every business's top 5 with components, pattern and reasons", async () => {
    const m = createMatcher(devProfiles);
    await expect(stored(m, devIds, { limit: 5 })).toMatchFileSnapshot("./__golden__/dev-top5.txt");
  });

  it("dev set: every business's full ranking of the other sector, ids and scores", async () => {
    const m = createMatcher(devProfiles);
    await expect(scores(m, devIds, Number.POSITIVE_INFINITY)).toMatchFileSnapshot(
      "./__golden__/dev-full.txt",
    );
  });

  it("dev set under other weights: minimum and mean fusion, a service-leaning side, no affinity", async () => {
    const variants = {
      min: { ...DEFAULT_WEIGHTS, fusion: "min" },
      mean: { ...DEFAULT_WEIGHTS, fusion: "mean", serviceSide: 0.7 },
      "no-affinity": { ...DEFAULT_WEIGHTS, affinity: 0, lexical: 0.2, textSaturation: 0.5 },
    } as const;
    const out: string[] = [];
    for (const [name, weights] of Object.entries(variants)) {
      out.push(`## ${name}`, scores(createMatcher(devProfiles, weights), devIds, 5));
    }
    await expect(out.join("\n")).toMatchFileSnapshot("./__golden__/dev-weights.txt");
  });

  it("dev set: single pairs, explained in English, including the query's weakest candidate", async () => {
    const m = createMatcher(devProfiles);
    const lines: string[] = [];
    for (const q of devIds.filter((_, i) => i % 3 === 0)) {
      const ranking = m.rank(q, { limit: Number.POSITIVE_INFINITY });
      for (const c of [ranking[0], ranking[Math.floor(ranking.length / 2)], ranking[ranking.length - 1]]) {
        const pair = m.explainPair(q, c.id, "en");
        const score = m.score(q, c.id);
        if (!pair || !score) throw new Error(`no pair for ${q} and ${c.id}`);
        expect(pair.score).toBe(score.score);
        expect(pair.components).toEqual(score.components);
        lines.push(`${q} ${head(pair)}`, ...pair.reasons.map((r) => `  ${r}`));
      }
    }
    await expect(`${lines.join("\n")}\n`).toMatchFileSnapshot("./__golden__/dev-pairs.txt");
  });

  it("demo registry: a sample's top 5 above 0.3, with reasons", async () => {
    const demo = generateDemoRegistry();
    const m = createMatcher(demo);
    const ids = demo.filter((_, i) => i % 16 === 0).map((b) => b.id);
    await expect(stored(m, ids, { limit: 5, minScore: 0.3 })).toMatchFileSnapshot(
      "./__golden__/demo-top5.txt",
    );
  });

  it("synthetic registry of 3,000: a sample's top 10 through the index's pruning", async () => {
    const profiles = syntheticRegistry(3000, 11);
    const m = createMatcher(profiles);
    const ids = profiles.filter((_, i) => i % 60 === 0).map((p) => p.id);
    await expect(scores(m, ids, 10)).toMatchFileSnapshot("./__golden__/synthetic-top10.txt");
    // Building a 3,000-business matcher takes seconds on a busy 2-core machine: more than vitest's 5 s default.
  }, 60_000);
});
