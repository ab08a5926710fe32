import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_WEIGHTS, type MatchWeights } from "../../../src/matching";
import {
  freshShare,
  fuse,
  nonTextCeilings,
  pairScore,
  SIZE_RANK,
  scoreCeiling,
  sizeFit,
  textComponent,
  textPartBound,
} from "../../../src/matching/score";

describe("score.ts: how a pair is scored", () => {
  it("gives the documented examples", () => {
    expect(pairScore(0.5, 0.3, 0.4, 0.2, 0, 0, 0.9, 0.85, 1, DEFAULT_WEIGHTS, true)).toBe(0.821);
    expect(fuse(0.8, 0.4, "harmonic")).toBeCloseTo(0.5333, 4);
    expect(sizeFit(SIZE_RANK.mikro, SIZE_RANK.besar)).toBe(0.9);
    expect(sizeFit(SIZE_RANK.mikro, SIZE_RANK.kecil)).toBe(1);
  });

  it("scores a pair 0 under the harmonic mean when one side gets nothing from it", () => {
    const w = {
      ...DEFAULT_WEIGHTS,
      category: 0,
      location: 0,
      perishableLocation: 0,
      affinity: 0,
      lexical: 0,
    };
    expect(pairScore(0.9, 0, 0, 0, 0, 0, 1, 1, 1, w, true)).toBe(0);
    expect(pairScore(0.9, 0.9, 0, 0, 0, 0, 1, 1, 1, w, true)).toBeGreaterThan(0);
  });

  it("moves weight from text to location when the matched goods are perishable", () => {
    // Same text, a far location: the perishable pair scores lower than the durable one.
    const durable = pairScore(0.6, 0.6, 0.5, 0.3, 0, 0, 0.5, 0.1, 1, DEFAULT_WEIGHTS, true);
    const fresh = pairScore(0.6, 0.6, 0.5, 0.3, 0.6, 0.6, 0.5, 0.1, 1, DEFAULT_WEIGHTS, true);
    expect(fresh).toBeLessThan(durable);
  });

  it("weights the service business's direction by serviceSide, whichever side asks", () => {
    const w: MatchWeights = { ...DEFAULT_WEIGHTS, fusion: "mean", serviceSide: 0.8 };
    // The query is the service business: its direction (nq) counts 0.8.
    const asService = pairScore(0.9, 0.1, 0, 0, 0, 0, 0, 0, 1, w, true);
    // The same pair asked from the industry's side: the service's direction is now oq.
    const asIndustry = pairScore(0.1, 0.9, 0, 0, 0, 0, 0, 0, 1, w, false);
    expect(asService).toBe(asIndustry);
    expect(asService).toBeGreaterThan(pairScore(0.1, 0.9, 0, 0, 0, 0, 0, 0, 1, w, true));
  });

  it("keeps scores and the text component in [0, 1], under the search's bounds (which pruning relies on)", () => {
    const unit = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(
        fc.record({ nq: unit, oq: unit, all: unit, words: unit, fq: unit, fo: unit }),
        fc.record({
          category: unit,
          location: unit,
          perish: unit,
          gap: fc.integer({ min: 0, max: 3 }),
          // How far the location's ceiling (location.ts, placeCeilingAt) is above the location.
          headroom: unit,
        }),
        fc.constantFrom<MatchWeights["fusion"]>("harmonic", "mean", "min"),
        fc.boolean(),
        (s, o, fusion, isService) => {
          const w = { ...DEFAULT_WEIGHTS, fusion, serviceSide: 0.6 };
          const freshNq = s.fq * s.nq;
          const freshOq = s.fo * s.oq;
          const fit = sizeFit(0, o.gap);
          /** The pair's score with its location at `location`. */
          const scoreAt = (location: number, perishQuery: number, perishCandidate: number) =>
            pairScore(
              s.nq,
              s.oq,
              s.all,
              s.words,
              freshNq,
              freshOq,
              o.category,
              location,
              fit,
              w,
              isService,
              perishQuery,
              perishCandidate,
            );
          const scoreWith = (perishQuery: number, perishCandidate: number) =>
            scoreAt(o.location, perishQuery, perishCandidate);
          const score = scoreWith(0, 0);
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(1);
          const text = textComponent({ ...s, freshNq, freshOq }, w);
          expect(text).toBeGreaterThanOrEqual(0);
          expect(text).toBeLessThanOrEqual(1);
          // Rounding to 4 decimals may add up to 5e-5; the search keeps 1e-4 of slack.
          const bound = textPartBound(s.nq, s.oq, s.all, s.words, w);
          const ceilings = nonTextCeilings(w);
          expect(score).toBeLessThanOrEqual(bound + ceilings.all + 5e-5);
          expect(score).toBeLessThanOrEqual(bound + ceilings.location + w.category * o.category + 5e-5);
          // The search's first bound, with the location at or under its ceiling.
          const ceiling = Math.min(1, o.location + o.headroom * (1 - o.location));
          const first = scoreCeiling(
            s.nq,
            s.oq,
            s.all,
            s.words,
            freshShare(s.nq, s.oq, freshNq, freshOq),
            o.category,
            ceiling,
            fit,
            w,
          );
          expect(score).toBeLessThanOrEqual(first + 5e-5);
          // Its second: the score itself at the ceiling, which can only be higher (rounded alike).
          const atCeiling = (perishQuery: number, perishCandidate: number) =>
            scoreAt(ceiling, perishQuery, perishCandidate);
          expect(score).toBeLessThanOrEqual(atCeiling(0, 0));
          expect(atCeiling(0, 0)).toBeLessThanOrEqual(first + 5e-5);
          // Also when the supplier's activity code is perishable (the score loses with distance).
          const perishable = scoreWith(o.perish, 1 - o.perish);
          expect(perishable).toBeLessThanOrEqual(first + 5e-5);
          expect(perishable).toBeLessThanOrEqual(atCeiling(o.perish, 1 - o.perish));
          const textFree = pairScore(0, 0, 0, 0, 0, 0, o.category, o.location, fit, w, isService);
          expect(textFree).toBeLessThanOrEqual(ceilings.textFree + 5e-5);
        },
      ),
      { numRuns: 2000, seed: 13 },
    );
  });
});
