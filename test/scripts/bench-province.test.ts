import { describe, expect, it } from "vitest";
import { measureProvince, shardRings } from "../../scripts/bench";
import { provinceRegions, syntheticProvince } from "../../scripts/bench/synthetic";
import { regionNeighbourCodes } from "../../src/domain/shards";
import { findRegion } from "../../src/matching/location";

describe("the bench's province (npm run bench above 30k)", () => {
  const regions = provinceRegions();

  it("spreads businesses evenly over the 38 regions, each placed where the location rules resolve its region", () => {
    const { profiles, regionOf } = syntheticProvince(380, 3);
    expect(regions).toHaveLength(38);
    const perRegion = new Map<number, number>();
    profiles.forEach((p, i) => {
      perRegion.set(regionOf[i], (perRegion.get(regionOf[i]) ?? 0) + 1);
      expect(findRegion(p.location.city)?.code).toBe(regions[regionOf[i]].code);
    });
    expect([...perRegion.values()]).toEqual(Array(38).fill(10));
  });

  it("generates only a ring's regions when asked, at the province's density", () => {
    const ring = shardRings()[0];
    const { profiles, regionOf } = syntheticProvince(3800, 3, ring);
    expect(profiles).toHaveLength(100 * ring.length);
    expect(new Set(regionOf)).toEqual(new Set(ring));
  });

  it("gives each shard its region and the bordering ones (src/domain/shards.ts)", () => {
    const rings = shardRings();
    rings.forEach((ring, ri) => {
      expect(ring[0]).toBe(ri);
      expect(
        ring
          .slice(1)
          .map((x) => regions[x].code)
          .sort(),
      ).toEqual(regionNeighbourCodes(regions[ri].code));
    });
  });

  it("recomputes every shard's own businesses on that shard's matcher, exact against exhaustive scoring", async () => {
    const r = await measureProvince(1900, true);
    const largestRing = Math.max(...shardRings().map((ring) => ring.length));
    expect(r.layout).toBe("province");
    expect(r.shards).toBe(38);
    expect(r.shardN).toBe(50 * largestRing);
    expect(r.recomputeMeasured).toBe("full");
    expect(r.recomputeAllMs).toBeGreaterThan(0);
    expect(r.recomputeLargestShardMs).toBeLessThanOrEqual(r.recomputeAllMs);
    expect(r.shardRecallAt10).toBe(1);
    expect(r.recallAt10).toBe(1);
    expect(r.largest).toHaveLength(r.shardN);
  }, 120_000);
});
