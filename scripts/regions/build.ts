/**
 * Builds data/regions.json (the regencies and cities the engine knows, with codes, names, aliases,
 * centres and neighbours) from two sources, so no hand-written code or name remains:
 * - codes and official names from the npm package `idn-area-data` (regencies.csv, Kepmendagri
 *   300.2.2-2138/2025; data under ODbL 1.0, see data/regions/SOURCES.md), read at build time only:
 *   nothing of the package is bundled into the Worker;
 * - the hand-kept part the package does not have (aliases, approximate centres, shared borders)
 *   from data/regions/extras.json.
 *
 * Run `npx tsx scripts/regions/build.ts`; test/scripts/regions-build.test.ts fails when the
 * committed data/regions.json differs from what this writes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export const PROVINCE_CODE = "35";
export const REGIONS_PATH = "data/regions.json";
export const EXTRAS_PATH = "data/regions/extras.json";

export interface RegionExtras {
  aliases: string[];
  lat: number;
  lng: number;
  neighbours: string[];
}

export interface RegionRecord extends RegionExtras {
  code: string;
  name: string;
}

export interface AreaRow {
  code: string;
  parent: string;
  name: string;
}

/** Rows of the package's `code,<parent>_code,name` CSVs (no quoted fields in them). */
export function parseAreaCsv(text: string): AreaRow[] {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  if (!header?.startsWith("code,")) throw new Error(`unexpected CSV header: ${header}`);
  return lines.map((line) => {
    const [code, parent, ...name] = line.split(",");
    if (!code || !parent || name.length === 0) throw new Error(`bad CSV row: ${line}`);
    return { code, parent, name: name.join(",").trim() };
  });
}

/**
 * The province's regencies and cities: every one of the package's, each with its extras, in the
 * extras' order. Fails when the two disagree (a code without extras, extras for an unknown code, a
 * neighbour that is not a known code), so a new data release cannot silently drop a region.
 */
export function buildRegions(regencies: AreaRow[], extras: Record<string, RegionExtras>): RegionRecord[] {
  const official = new Map(regencies.filter((r) => r.parent === PROVINCE_CODE).map((r) => [r.code, r.name]));
  const missing = [...official.keys()].filter((code) => !(code in extras));
  if (missing.length > 0) throw new Error(`no extras for ${missing.join(", ")}`);
  return Object.entries(extras).map(([code, extra]) => {
    const name = official.get(code);
    if (name === undefined) throw new Error(`extras for ${code}, which idn-area-data does not list`);
    const unknown = extra.neighbours.filter((n) => !official.has(n));
    if (unknown.length > 0) throw new Error(`${code} lists unknown neighbours ${unknown.join(", ")}`);
    return {
      code,
      name,
      aliases: extra.aliases,
      lat: extra.lat,
      lng: extra.lng,
      neighbours: extra.neighbours,
    };
  });
}

const SOURCE =
  "Built by scripts/regions/build.ts. Codes and names: idn-area-data 4.0.1 (regencies.csv, Kepmendagri 300.2.2-2138/2025; data ODbL 1.0), every regency and city of Jawa Timur (35). Aliases, centroids and neighbours: hand-kept in data/regions/extras.json (the package has none of them). Centroids are approximate town-centre coordinates (about +-5 km), adequate for tiering, not for routing. Neighbours are shared land borders as on the Jawa Timur administrative map, plus Kota Surabaya - Kabupaten Bangkalan (the Suramadu bridge); Kota Mojokerto is an enclave of Kabupaten Mojokerto. Not verified against a boundary file on this machine.";

/** data/regions.json's text for these records: one region per line, as the file has always been. */
export function regionsJson(records: RegionRecord[], province: { code: string; name: string }): string {
  const line = (value: object) =>
    JSON.stringify(value, null, 1).replace(/\n\s*/g, " ").replace(/\[ /g, "[").replace(/ \]/g, "]");
  const lines = records.map((r) => `    ${line(r)}`);
  return `{\n  "source": ${JSON.stringify(SOURCE)},\n  "regions": [\n${lines.join(",\n")}\n  ],\n  "province": ${line(province)}\n}\n`;
}

/** The package's data folder, resolved through node's module lookup. */
export function idnAreaDataDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("idn-area-data/package.json")), "data");
}

export function buildRegionsFile(): string {
  const dir = idnAreaDataDir();
  const regencies = parseAreaCsv(readFileSync(path.join(dir, "regencies.csv"), "utf8"));
  const provinces = readFileSync(path.join(dir, "provinces.csv"), "utf8").trim().split(/\r?\n/).slice(1);
  const province = provinces.map((l) => l.split(",")).find(([code]) => code === PROVINCE_CODE);
  if (!province?.[1]) throw new Error(`province ${PROVINCE_CODE} not in idn-area-data`);
  const extras = JSON.parse(readFileSync(EXTRAS_PATH, "utf8")) as { regions: Record<string, RegionExtras> };
  return regionsJson(buildRegions(regencies, extras.regions), { code: PROVINCE_CODE, name: province[1] });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  writeFileSync(REGIONS_PATH, buildRegionsFile());
  console.log(`wrote ${REGIONS_PATH}`);
}
