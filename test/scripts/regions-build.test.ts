import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import kelurahanData from "../../data/mojokerto-kelurahan.json";
import regionsData from "../../data/regions.json";
import {
  buildRegions,
  buildRegionsFile,
  idnAreaDataDir,
  parseAreaCsv,
  REGIONS_PATH,
} from "../../scripts/regions/build";

const csv = (name: string) => parseAreaCsv(readFileSync(path.join(idnAreaDataDir(), name), "utf8"));

describe("data/regions.json from idn-area-data", () => {
  it("is what scripts/regions/build.ts writes (run it after changing data/regions/extras.json)", () => {
    expect(readFileSync(REGIONS_PATH, "utf8")).toBe(buildRegionsFile());
  });

  it("holds every regency and city of Jawa Timur with the package's code and name", () => {
    const official = csv("regencies.csv").filter((r) => r.parent === "35");
    expect(official).toHaveLength(38);
    const ours = new Map(regionsData.regions.map((r) => [r.code, r.name]));
    expect(ours.size).toBe(38);
    for (const r of official) expect(ours.get(r.code), r.code).toBe(r.name);
    expect(ours.get("35.76")).toBe("Kota Mojokerto");
    expect(ours.get("35.16")).toBe("Kabupaten Mojokerto");
  });

  it("gives every region at least one neighbour, and only known codes", () => {
    const codes = new Set(regionsData.regions.map((r) => r.code));
    for (const r of regionsData.regions) {
      expect(r.neighbours.length, r.code).toBeGreaterThan(0);
      for (const n of r.neighbours) expect(codes.has(n), `${r.code} -> ${n}`).toBe(true);
      expect(r.neighbours, r.code).not.toContain(r.code);
    }
  });

  it("refuses a package release with a region the extras do not describe, or extras for an unknown code", () => {
    const rows = [
      { code: "35.01", parent: "35", name: "Kabupaten Pacitan" },
      { code: "35.02", parent: "35", name: "Kabupaten Ponorogo" },
    ];
    const extra = { aliases: [], lat: -8, lng: 111, neighbours: ["35.02"] };
    expect(() => buildRegions(rows, { "35.01": extra })).toThrow(/no extras for 35.02/);
    expect(() => buildRegions(rows.slice(0, 1), { "35.01": extra })).toThrow(/unknown neighbours 35.02/);
    expect(() => buildRegions(rows, { "35.01": extra, "35.02": extra, "35.99": extra })).toThrow(/35.99/);
  });

  it("agrees with the package on Kota Mojokerto's kecamatan and kelurahan (the only ones the registry uses)", () => {
    const districts = new Map(
      csv("districts.csv")
        .filter((d) => d.parent === "35.76")
        .map((d) => [d.code, d.name]),
    );
    const villages = new Map(
      csv("villages.csv")
        .filter((v) => v.code.startsWith("35.76."))
        .map((v) => [v.code, v]),
    );
    expect(districts.size).toBe(3);
    expect(villages.size).toBe(kelurahanData.kelurahan.length);
    for (const k of kelurahanData.kelurahan) {
      expect(districts.get(k.kecamatanCode), k.code).toBe(k.kecamatan);
      expect(villages.get(k.code)?.name, k.code).toBe(k.kelurahan);
      expect(villages.get(k.code)?.parent, k.code).toBe(k.kecamatanCode);
    }
  });
});
