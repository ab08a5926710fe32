/**
 * `npx tsx scripts/bench/ring.ts [--n 100000] [--count 1000] [--out file.json]`: the stored-set
 * recompute (top 50 with reason codes, `rankForStorage`) of `count` own businesses on the largest
 * shard's ring of a province of `n` (the bench's layout), timed, with a digest of every row
 * (ids, scores, components, codes, pattern) so that two versions of the engine can be compared
 * for exactly equal output. Run it under `node --cpu-prof` (via tsx) to profile one stored set.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { regionNeighbourCodes } from "../../src/domain/shards";
import { analyzeProfile, createLiveMatcher } from "../../src/matching";
import { provinceRegions, syntheticProvince } from "./synthetic";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const n = Number(arg("n", "100000"));
const count = Number(arg("count", "1000"));
const out = arg("out", "");

// The bench's shard rings (scripts/bench.ts shardRings): each region with its bordering ones.
const regions = provinceRegions();
const regionAt = new Map(regions.map((r, i) => [r.code, i]));
const rings = regions.map((r, ri) => [
  ri,
  ...regionNeighbourCodes(r.code)
    .map((c) => regionAt.get(c))
    .filter((x): x is number => x !== undefined),
]);
const largest = rings.reduce((a, b) => (b.length > a.length ? b : a));
const { profiles, regionOf } = syntheticProvince(n, 7, largest);
const rows = profiles.map((p) => analyzeProfile(p));
const live = createLiveMatcher(rows);
const own = rows.filter((_, i) => regionOf[i] === largest[0]).map((r) => r.id);
const step = Math.max(1, Math.floor(own.length / count));
const ids = own.filter((_, i) => i % step === 0).slice(0, count);
for (const id of ids.slice(0, 20)) live.rankForStorage(id, { limit: 50 });
// Timed as the bench times it (nothing kept), then again for the digest (every row hashed).
const t = performance.now();
for (const id of ids) live.rankForStorage(id, { limit: 50 });
const ms = performance.now() - t;
const hash = createHash("sha256");
const sets: string[] = [];
for (const id of ids) {
  const row = JSON.stringify([id, live.rankForStorage(id, { limit: 50 })]);
  hash.update(row);
  if (out) sets.push(row);
}
if (out) writeFileSync(out, `[${sets.join(",")}]`);
console.log(
  JSON.stringify({
    ring: rows.length,
    own: own.length,
    count: ids.length,
    perSetMs: Math.round((ms / ids.length) * 1000) / 1000,
    digest: hash.digest("hex").slice(0, 16),
  }),
);
