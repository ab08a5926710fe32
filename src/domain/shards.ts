import regionsData from "../../data/regions.json";
import { type LocationInput, normaliseLocation } from "./location";

/**
 * Shards of a province deployment: which D1 database holds a business, by its region (a regency or
 * city code of data/regions.json), and which shards border it. Pure: the layout comes in as the
 * `SHARDS` var's text, the borders from data/regions.json; src/db-shards.ts turns a shard into its
 * D1 binding. docs/SCALING.md ("Province topology") and docs/OPERATIONS.md ("Shards") explain it.
 *
 * No layout (`SHARDS` empty or unset) = one database, `DB`, exactly as a city deployment has
 * always run: {@link parseShardLayout} returns null and nothing here is consulted.
 */

/** One shard as configured: a name, the D1 binding that holds it, the region codes it owns. */
export interface ShardSpec {
  name: string;
  binding: string;
  regions: string[];
}

export interface ShardLayout {
  /** In configured order; the first is the default shard (no region, or a region no shard lists). */
  shards: ShardSpec[];
  byName: Map<string, ShardSpec>;
  byRegion: Map<string, ShardSpec>;
  /** Shard name -> the other shards one of whose regions shares a border with one of its own. */
  neighbours: Map<string, ShardSpec[]>;
}

/** A layout that cannot work; the message says which entry and why (shown at the first request). */
export class ShardLayoutError extends Error {
  override name = "ShardLayoutError";
}

const regionNeighbours = new Map<string, string[]>();
for (const r of regionsData.regions) {
  for (const n of r.neighbours) {
    // Borders are symmetric: either side listing one is enough (as in src/matching/location.ts).
    regionNeighbours.set(r.code, [...(regionNeighbours.get(r.code) ?? []), n]);
    regionNeighbours.set(n, [...(regionNeighbours.get(n) ?? []), r.code]);
  }
}

/** The regions sharing a border with `code` (data/regions.json, made symmetric). */
export function regionNeighbourCodes(code: string): string[] {
  return [...new Set(regionNeighbours.get(code) ?? [])].sort();
}

const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const BINDING = /^[A-Z][A-Z0-9_]{0,62}$/;

function fail(message: string): never {
  throw new ShardLayoutError(`SHARDS: ${message}`);
}

/**
 * Reads the `SHARDS` var: a JSON array of `{ "name", "binding", "regions": [codes] }`. Empty or
 * blank text = no sharding (null). Every region code must be a known region and belong to one
 * shard at most; names and bindings must be unique.
 *
 * @throws ShardLayoutError when the text is not such a layout.
 */
export function parseShardLayout(text: string | undefined | null): ShardLayout | null {
  if (text === undefined || text === null || text.trim() === "") return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    fail("not JSON");
  }
  if (!Array.isArray(raw) || raw.length === 0) fail("expected a non-empty JSON array of shards");
  const known = new Set(regionsData.regions.map((r) => r.code));
  const shards: ShardSpec[] = raw.map((entry: unknown, i) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const { name, binding, regions } = e;
    if (typeof name !== "string" || !NAME.test(name))
      fail(`shard ${i}: "name" must be lowercase a-z, 0-9, -`);
    if (typeof binding !== "string" || !BINDING.test(binding)) {
      fail(`shard "${name}": "binding" must be a D1 binding name such as DB_JOMBANG`);
    }
    if (!Array.isArray(regions) || !regions.every((r) => typeof r === "string")) {
      fail(`shard "${name}": "regions" must be an array of region codes`);
    }
    for (const code of regions as string[]) {
      if (!known.has(code)) fail(`shard "${name}": unknown region code "${code}" (data/regions.json)`);
    }
    return { name, binding, regions: [...(regions as string[])] };
  });
  const byName = new Map<string, ShardSpec>();
  const bindings = new Set<string>();
  const byRegion = new Map<string, ShardSpec>();
  for (const s of shards) {
    if (byName.has(s.name)) fail(`two shards are named "${s.name}"`);
    if (bindings.has(s.binding)) fail(`two shards use the binding ${s.binding}`);
    byName.set(s.name, s);
    bindings.add(s.binding);
    for (const code of s.regions) {
      const other = byRegion.get(code);
      if (other) fail(`region ${code} is in both "${other.name}" and "${s.name}"`);
      byRegion.set(code, s);
    }
  }
  const neighbours = new Map<string, ShardSpec[]>();
  for (const s of shards) {
    const names = new Set<string>();
    for (const code of s.regions) {
      for (const n of regionNeighbourCodes(code)) {
        const other = byRegion.get(n);
        if (other && other.name !== s.name) names.add(other.name);
      }
    }
    neighbours.set(
      s.name,
      shards.filter((t) => names.has(t.name)),
    );
  }
  return { shards, byName, byRegion, neighbours };
}

/** The shard that holds a business of this region: its region's shard, else the first (default). */
export function shardForRegion(layout: ShardLayout, regionCode: string | null | undefined): ShardSpec {
  const found = regionCode ? layout.byRegion.get(regionCode) : undefined;
  return found ?? (layout.shards[0] as ShardSpec);
}

/** The shards whose businesses a shard's matcher also indexes (configured order, itself excluded). */
export function neighbourShards(layout: ShardLayout, name: string): ShardSpec[] {
  return layout.neighbours.get(name) ?? [];
}

/**
 * The shard a business at this location belongs in (a new business, before it has a region code):
 * its region as the location rules resolve it; an invalid or unknown place goes to the default.
 */
export function shardForLocation(layout: ShardLayout, location: LocationInput): ShardSpec {
  const result = normaliseLocation(location);
  return shardForRegion(layout, result.ok ? result.location.regionCode : null);
}

/**
 * The shard a Worker deployed for one shard serves (the `SHARD` var; docs/OPERATIONS.md, "Shards"):
 * every route, cron and run of that deployment works on this shard, and its matcher also reads the
 * neighbour shards. Its binding must be `DB`: a shard's deployment keeps every table (officers,
 * forums, partnerships, ...) in its own database. Null when `name` is blank (a city, or a Worker
 * over every shard of `layout`).
 *
 * @throws ShardLayoutError when there is no layout, no shard of that name, or it is not bound as DB.
 */
export function deploymentShard(
  layout: ShardLayout | null,
  name: string | undefined | null,
): ShardSpec | null {
  const wanted = (name ?? "").trim();
  if (wanted === "") return null;
  if (!layout)
    fail(`SHARD is "${wanted}" but SHARDS is empty: a shard's deployment needs the province's layout`);
  const spec = layout.byName.get(wanted);
  if (!spec) fail(`SHARD names "${wanted}", which is not a shard of SHARDS`);
  if (spec.binding !== "DB") {
    fail(
      `shard "${wanted}" is this deployment's own (SHARD), so SHARDS must give it the binding DB, not ${spec.binding}`,
    );
  }
  return spec;
}

/**
 * The shards whose D1 bindings a Worker needs for `layout`: every shard, or in one shard's
 * deployment (`own`) that shard and its neighbours.
 */
export function shardsNeeded(layout: ShardLayout, own: ShardSpec | null): ShardSpec[] {
  return own ? [own, ...neighbourShards(layout, own.name)] : layout.shards;
}
