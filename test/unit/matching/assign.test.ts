import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AssignInput,
  assignPairings,
  type CandidatePair,
  compareAssignment,
  exposure,
  greedyTopOne,
  naiveTopK,
  pairId,
} from "../../../src/matching";

const pair = (serviceId: string, industryId: string, score: number): CandidatePair => ({
  serviceId,
  industryId,
  score,
});

const caps = (entries: Record<string, number>) => new Map(Object.entries(entries));

const keyOf = (p: CandidatePair) => `${p.serviceId}-${p.industryId}`;

/** Seeded Fisher-Yates, so a failing shuffle can be replayed. */
function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Checks every invariant the job relies on; returns the per-business counts. */
function expectFeasible(input: AssignInput<CandidatePair>, chosen: CandidatePair[], exposureCap: number) {
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  const excluded = new Set(input.excluded.map((x) => pairId(x.a, x.b)));
  for (const p of chosen) {
    const k = pairId(p.serviceId, p.industryId);
    expect(seen.has(k), `pair ${k} proposed twice`).toBe(false);
    seen.add(k);
    expect(excluded.has(k), `excluded pair ${k} proposed`).toBe(false);
    for (const id of [p.serviceId, p.industryId]) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  for (const [id, n] of counts) {
    expect(n, `${id} over its capacity`).toBeLessThanOrEqual(input.capacity.get(id) ?? 0);
    expect(n, `${id} over the exposure cap`).toBeLessThanOrEqual(exposureCap);
  }
  return counts;
}

/** The true optimum by brute force over subsets (tiny instances only). */
function optimum(input: AssignInput<CandidatePair>, exposureCap: number, minScore: number): number {
  const cap = (id: string) => exposureCap - (input.exposed?.get(id) ?? 0);
  const excluded = new Set(input.excluded.map((x) => pairId(x.a, x.b)));
  const edges = input.candidates.filter(
    (c) => !excluded.has(pairId(c.serviceId, c.industryId)) && c.score >= minScore,
  );
  const slots = (id: string) => Math.max(0, Math.min(input.capacity.get(id) ?? 0, cap(id)));
  let best = 0;
  for (let mask = 0; mask < 1 << edges.length; mask++) {
    const deg = new Map<string, number>();
    let total = 0;
    let ok = true;
    for (let i = 0; i < edges.length && ok; i++) {
      if (!(mask & (1 << i))) continue;
      const e = edges[i] as CandidatePair;
      for (const id of [e.serviceId, e.industryId]) {
        const d = (deg.get(id) ?? 0) + 1;
        deg.set(id, d);
        if (d > slots(id)) ok = false;
      }
      total += e.score;
    }
    if (ok && total > best) best = total;
  }
  return best;
}

describe("assignPairings", () => {
  it("swaps a greedy pick for two pairs when that raises the total", () => {
    const input = {
      candidates: [pair("s1", "i1", 0.9), pair("s1", "i2", 0.8), pair("s2", "i1", 0.7)],
      capacity: caps({ s1: 1, s2: 1, i1: 1, i2: 1 }),
      excluded: [],
    };
    const r = assignPairings(input);
    expect(r.chosen.map(keyOf)).toEqual(["s1-i2", "s2-i1"]);
    expect(r.greedyTotal).toBeCloseTo(0.9, 10);
    expect(r.totalScore).toBeCloseTo(1.5, 10);
    expect(r.swaps).toBe(1);
    expect(r.skipped.capacity).toBe(1);
    // Greedy top-1 resolves the conflict first come first served and stops at 0.9.
    const top1 = greedyTopOne(input);
    expect(top1.chosen.map(keyOf)).toEqual(["s1-i1"]);
    expect(r.totalScore).toBeGreaterThan(top1.totalScore);
  });

  it("never exceeds remaining capacity, even when everyone wants the same producer", () => {
    const candidates = ["s1", "s2", "s3", "s4", "s5"].map((s, i) => pair(s, "popular", 0.95 - i * 0.01));
    candidates.push(pair("s1", "other", 0.5));
    const r = assignPairings({
      candidates,
      capacity: caps({ popular: 2, other: 3, s1: 3, s2: 3, s3: 3, s4: 3, s5: 3 }),
      excluded: [],
      config: { exposureCap: 5 },
    });
    expect(r.chosen.filter((p) => p.industryId === "popular").map(keyOf)).toEqual([
      "s1-popular",
      "s2-popular",
    ]);
    expect(r.chosen.map(keyOf)).toContain("s1-other");
    expect(r.skipped.capacity).toBe(3);
  });

  it("holds the exposure cap below a larger capacity and says so in the skip reasons", () => {
    const candidates = ["s1", "s2", "s3", "s4"].map((s) => pair(s, "popular", 0.9));
    const r = assignPairings({
      candidates,
      capacity: caps({ popular: 10, s1: 3, s2: 3, s3: 3, s4: 3 }),
      excluded: [],
      config: { exposureCap: 2 },
    });
    expect(r.chosen.map(keyOf)).toEqual(["s1-popular", "s2-popular"]);
    expect(r.skipped.exposure_cap).toBe(2);
    expect(r.skipped.capacity).toBe(0);
  });

  it("counts this week's earlier proposals against the exposure cap", () => {
    const candidates = ["s1", "s2", "s3"].map((s) => pair(s, "popular", 0.9));
    const r = assignPairings({
      candidates,
      capacity: caps({ popular: 10, s1: 3, s2: 3, s3: 3 }),
      exposed: caps({ popular: 1, s1: 2 }),
      excluded: [],
      config: { exposureCap: 2 },
    });
    // s1 used its two this week; popular has one left, which goes to s2.
    expect(r.chosen.map(keyOf)).toEqual(["s2-popular"]);
    expect(r.skipped.exposure_cap).toBe(2);
  });

  it("never proposes declined, existing or already proposed pairs, whichever way round they are given", () => {
    const r = assignPairings({
      candidates: [
        pair("s1", "i1", 0.9),
        pair("s1", "i2", 0.8),
        pair("s2", "i1", 0.7),
        pair("s2", "i2", 0.6),
      ],
      capacity: caps({ s1: 2, s2: 2, i1: 2, i2: 2 }),
      excluded: [
        { a: "i1", b: "s1", reason: "declined" },
        { a: "s1", b: "i2", reason: "existing" },
        { a: "s2", b: "i1", reason: "already_proposed" },
      ],
    });
    expect(r.chosen.map(keyOf)).toEqual(["s2-i2"]);
    expect(r.skipped).toMatchObject({ declined: 1, existing: 1, already_proposed: 1 });
  });

  it("skips pairs below minScore and businesses without room", () => {
    const r = assignPairings({
      candidates: [pair("s1", "i1", 0.2), pair("s2", "i1", 0.8), pair("s3", "i2", 0.8)],
      capacity: caps({ s1: 1, s2: 0, i1: 1, s3: 1 }),
      excluded: [],
      config: { minScore: 0.3 },
    });
    expect(r.chosen).toEqual([]);
    expect(r.skipped.below_min_score).toBe(1);
    // s2 has no room; i2 has no capacity entry at all (not matchable).
    expect(r.skipped.no_capacity).toBe(2);
  });

  it("keeps one record per pair (the higher score) when a pair comes from both sides", () => {
    const r = assignPairings({
      candidates: [pair("s1", "i1", 0.7), pair("s1", "i1", 0.9)],
      capacity: caps({ s1: 2, i1: 2 }),
      excluded: [],
    });
    expect(r.chosen).toEqual([pair("s1", "i1", 0.9)]);
  });

  it("returns the same proposals for a shuffled input, ties broken by id", () => {
    const candidates = [
      pair("s2", "i1", 0.8),
      pair("s1", "i1", 0.8),
      pair("s1", "i2", 0.8),
      pair("s3", "i2", 0.5),
      pair("s3", "i1", 0.8),
    ];
    const input = { candidates, capacity: caps({ s1: 1, s2: 1, s3: 1, i1: 1, i2: 1 }), excluded: [] };
    const first = assignPairings(input).chosen.map(keyOf);
    expect(first).toEqual(["s1-i1", "s3-i2"]);
    for (let seed = 1; seed <= 20; seed++) {
      expect(assignPairings({ ...input, candidates: shuffled(candidates, seed) }).chosen.map(keyOf)).toEqual(
        first,
      );
    }
  });

  it("takes every eligible pair when capacities allow it, so it can only beat greedy top-1", () => {
    const candidates = [pair("s1", "i1", 0.9), pair("s1", "i2", 0.6), pair("s2", "i1", 0.4)];
    const input = { candidates, capacity: caps({ s1: 5, s2: 5, i1: 5, i2: 5 }), excluded: [] };
    const r = assignPairings({ ...input, config: { exposureCap: 5 } });
    expect(r.chosen).toHaveLength(3);
    expect(r.totalScore).toBeCloseTo(1.9, 10);
    expect(r.totalScore).toBeGreaterThanOrEqual(
      greedyTopOne({ ...input, config: { exposureCap: 5 } }).totalScore,
    );
  });
});

describe("baselines and exposure", () => {
  it("naive top-k shows each business its k best, piling onto a popular producer", () => {
    const candidates = ["s1", "s2", "s3", "s4"].flatMap((s) => [
      pair(s, "popular", 0.9),
      pair(s, "niche", 0.6),
    ]);
    const naive = naiveTopK({ candidates, capacity: caps({}), excluded: [] }, 1);
    // Every shop's top 1 is the popular producer; the niche one appears only through its own top 1.
    expect(naive.filter((p) => p.industryId === "popular")).toHaveLength(4);
    expect(naive).toHaveLength(5);
  });

  it("computes the top-10% share and the Gini coefficient over the whole population", () => {
    const population = Array.from({ length: 10 }, (_, i) => `b${i}`);
    const even = exposure(
      [
        pair("b0", "b1", 1),
        pair("b2", "b3", 1),
        pair("b4", "b5", 1),
        pair("b6", "b7", 1),
        pair("b8", "b9", 1),
      ],
      population,
    );
    expect(even.gini).toBeCloseTo(0, 10);
    expect(even.top10Share).toBeCloseTo(0.1, 10);
    const star = exposure(
      ["b1", "b2", "b3", "b4"].map((s) => pair(s, "b0", 1)),
      population,
    );
    // b0 holds 4 of 8 appearances; the four others 1 each; five have none.
    expect(star.top10Share).toBeCloseTo(0.5, 10);
    expect(star.max).toBe(4);
    // Sorted 0,0,0,0,0,1,1,1,1,4: G = 2*(6+7+8+9+40)/(10*8) - 11/10 = 0.65.
    expect(star.gini).toBeCloseTo(0.65, 10);
  });

  it("spreads proposals more evenly than naive top-k on a star-shaped instance", () => {
    const shops = Array.from({ length: 10 }, (_, i) => `s${i}`);
    const makers = Array.from({ length: 10 }, (_, i) => `i${i}`);
    const candidates = shops.flatMap((s, si) =>
      makers.map((m, mi) => pair(s, m, mi === 0 ? 0.95 : 0.8 - 0.01 * ((si + mi) % 10))),
    );
    const capacity = new Map([...shops, ...makers].map((id) => [id, 3]));
    const { comparison } = compareAssignment({
      candidates,
      capacity,
      excluded: [],
      config: { exposureCap: 2 },
    });
    expect(comparison.exposure.max).toBeLessThanOrEqual(2);
    expect(comparison.naiveTopK.exposure.max).toBe(10);
    expect(comparison.exposure.gini).toBeLessThan(comparison.naiveTopK.exposure.gini);
    expect(comparison.exposure.top10Share).toBeLessThan(comparison.naiveTopK.exposure.top10Share);
  });
});

describe("assignPairings on random instances (fast-check)", () => {
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const instance = fc
    .record({
      services: fc.integer({ min: 1, max: 5 }),
      industries: fc.integer({ min: 1, max: 5 }),
      exposureCap: fc.integer({ min: 0, max: 4 }),
      exposedBy: fc.integer({ min: 0, max: 2 }),
      minScore: fc.constantFrom(0, 0.3),
      seed: fc.integer(),
    })
    .chain((shape) => {
      const s = ids("s", shape.services);
      const i = ids("i", shape.industries);
      const allPairs = s.flatMap((a) => i.map((b) => [a, b] as const));
      return fc.record({
        shape: fc.constant(shape),
        candidates: fc.subarray(allPairs).chain((pairs) =>
          fc.tuple(
            ...pairs.map(([a, b]) =>
              // Few distinct scores, so ties are common and the tiebreak is exercised.
              fc.integer({ min: 0, max: 20 }).map((x) => pair(a, b, x / 20)),
            ),
          ),
        ),
        capacity: fc.tuple(
          ...[...s, ...i].map((id) => fc.tuple(fc.constant(id), fc.integer({ min: -1, max: 4 }))),
        ),
        excluded: fc
          .subarray(allPairs, { maxLength: Math.min(6, allPairs.length) })
          .chain((pairs) =>
            fc.tuple(
              ...pairs.map(([a, b]) =>
                fc
                  .constantFrom("declined" as const, "existing" as const, "already_proposed" as const)
                  .map((reason) => ({ a: b, b: a, reason })),
              ),
            ),
          ),
      });
    });

  it("holds capacity, exposure and exclusions; is deterministic; is at least half the optimum", () => {
    fc.assert(
      fc.property(instance, ({ shape, candidates, capacity, excluded }) => {
        // Every third business already got `exposedBy` proposals this week.
        const exposed = new Map(capacity.filter((_, i) => i % 3 === 0).map(([id]) => [id, shape.exposedBy]));
        const input: AssignInput<CandidatePair> = {
          candidates,
          capacity: new Map(capacity),
          exposed,
          excluded,
          config: { exposureCap: shape.exposureCap, minScore: shape.minScore },
        };
        const r = assignPairings(input);
        const counts = expectFeasible(input, r.chosen, shape.exposureCap);
        for (const [id, used] of exposed) {
          expect(counts.get(id) ?? 0).toBeLessThanOrEqual(Math.max(0, shape.exposureCap - used));
        }
        for (const p of r.chosen) expect(p.score).toBeGreaterThanOrEqual(shape.minScore);
        // Augmentation only ever adds to the greedy total.
        expect(r.totalScore).toBeGreaterThanOrEqual(r.greedyTotal - 1e-9);
        // Every candidate is either chosen or counted once under a reason.
        const skipped = Object.values(r.skipped).reduce((a, b) => a + b, 0);
        expect(r.chosen.length + skipped).toBe(
          new Set(candidates.map((c) => pairId(c.serviceId, c.industryId))).size,
        );
        // Same input in another order, same output.
        const again = assignPairings({ ...input, candidates: shuffled(candidates, shape.seed) });
        expect(again.chosen).toEqual(r.chosen);
        // Greedy b-matching is a 1/2-approximation; greedy top-1 is feasible, so it is bounded too.
        if (candidates.length <= 12) {
          const opt = optimum(input, shape.exposureCap, shape.minScore);
          expect(r.totalScore).toBeGreaterThanOrEqual(opt / 2 - 1e-9);
          expect(greedyTopOne(input).totalScore).toBeLessThanOrEqual(opt + 1e-9);
        }
        expectFeasible(input, greedyTopOne(input).chosen, shape.exposureCap);
      }),
      { numRuns: 400, seed: 20261129 },
    );
  });
});
