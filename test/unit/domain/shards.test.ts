import { describe, expect, it } from "vitest";
import {
  neighbourShards,
  parseShardLayout,
  regionNeighbourCodes,
  ShardLayoutError,
  shardForLocation,
  shardForRegion,
} from "../../../src/domain/shards";

const layoutText = JSON.stringify([
  { name: "mojokerto", binding: "DB", regions: ["35.76", "35.16"] },
  { name: "surabaya-raya", binding: "DB_SBY", regions: ["35.78", "35.15", "35.25"] },
  { name: "madura", binding: "DB_MADURA", regions: ["35.26", "35.27", "35.28", "35.29"] },
  { name: "mataraman", binding: "DB_MATARAMAN", regions: ["35.01", "35.02", "35.03"] },
]);

describe("parseShardLayout", () => {
  it("is null (one database) when SHARDS is empty or unset", () => {
    expect(parseShardLayout("")).toBeNull();
    expect(parseShardLayout("   ")).toBeNull();
    expect(parseShardLayout(undefined)).toBeNull();
  });

  it("derives neighbour shards from the regions' borders, both ways", () => {
    const layout = parseShardLayout(layoutText);
    if (!layout) throw new Error("expected a layout");
    const names = (n: string) => neighbourShards(layout, n).map((s) => s.name);
    // Kabupaten Mojokerto borders Sidoarjo and Gresik; Surabaya reaches Bangkalan over Suramadu.
    expect(names("mojokerto")).toEqual(["surabaya-raya"]);
    expect(names("surabaya-raya")).toEqual(["mojokerto", "madura"]);
    expect(names("madura")).toEqual(["surabaya-raya"]);
    // Pacitan, Ponorogo, Trenggalek border only regions no shard lists here.
    expect(names("mataraman")).toEqual([]);
  });

  it("places a region in its shard, and anything else in the first shard", () => {
    const layout = parseShardLayout(layoutText);
    if (!layout) throw new Error("expected a layout");
    expect(shardForRegion(layout, "35.15").name).toBe("surabaya-raya");
    expect(shardForRegion(layout, "35.17").name).toBe("mojokerto");
    expect(shardForRegion(layout, null).name).toBe("mojokerto");
    expect(shardForLocation(layout, { kelurahan: "Miji" }).name).toBe("mojokerto");
    expect(shardForLocation(layout, { city: "Kab. Sumenep", lat: -7.0, lng: 113.86 }).name).toBe("madura");
    expect(shardForLocation(layout, { city: "Kota Semarang", lat: -6.99, lng: 110.42 }).name).toBe(
      "mojokerto",
    );
  });

  it.each([
    ["not JSON", "{", /not JSON/],
    ["an empty list", "[]", /non-empty/],
    ["a bad name", JSON.stringify([{ name: "Kota Batu", binding: "DB", regions: [] }]), /"name"/],
    ["a bad binding", JSON.stringify([{ name: "batu", binding: "db-batu", regions: [] }]), /"binding"/],
    ["an unknown region", JSON.stringify([{ name: "batu", binding: "DB", regions: ["35.99"] }]), /35\.99/],
    [
      "a region in two shards",
      JSON.stringify([
        { name: "a", binding: "DB", regions: ["35.79"] },
        { name: "b", binding: "DB_B", regions: ["35.79"] },
      ]),
      /35\.79 is in both "a" and "b"/,
    ],
    [
      "one binding for two shards",
      JSON.stringify([
        { name: "a", binding: "DB", regions: [] },
        { name: "b", binding: "DB", regions: [] },
      ]),
      /binding DB/,
    ],
  ])("refuses %s", (_what, text, message) => {
    expect(() => parseShardLayout(text)).toThrow(ShardLayoutError);
    expect(() => parseShardLayout(text)).toThrow(message);
  });
});

describe("regionNeighbourCodes", () => {
  it("is symmetric although data/regions.json lists some borders on one side only", () => {
    expect(regionNeighbourCodes("35.76")).toEqual(["35.16"]);
    expect(regionNeighbourCodes("35.16")).toContain("35.76");
    expect(regionNeighbourCodes("35.72")).toEqual(["35.05"]);
    expect(regionNeighbourCodes("35.05")).toContain("35.72");
  });
});
