/**
 * `npm run bench [-- --json] [--sizes 1000,10000,100000] [--full] [--simulate 1000000]`: in-process
 * benchmark of the matching engine on deterministic synthetic registries (scripts/bench/synthetic.ts).
 *
 * Up to 30k businesses (CITY_MAX) a size is a city: one database, one matcher over everything.
 * Above, a province as a sharded deployment runs it (src/domain/shards.ts, docs/SCALING.md 4b):
 * the businesses spread evenly over Jawa Timur's 38 regions, one shard per region, each shard's
 * matcher holding its region and the bordering ones; `recomputeAllMs` is every shard recomputing
 * its own businesses on its own matcher, one shard after another (their sum, not the wall time of
 * shards running side by side: that is `recomputeLargestShardMs`), and the per-query, memory and
 * stored-set figures are the largest shard's (layout, shards, shardN, shardMedianN,
 * buildAllShardsMs, shardRecallAt10 say so). `--simulate N` adds a province too large to generate:
 * only its largest shard's ring is generated and measured (memory, one stored set's time).
 *
 * Per size, in a child process of its own (so memory is measured per size):
 * - analyzeMs: per-business text analysis (done at write time in the Worker, stored with the row);
 * - buildMs: building the matcher (vectors + inverted index) from stored analyses;
 * - topkMedianMs / topkP95Ms: one business's top 10 with all signals, fusion and explanations;
 * - recomputeAllMs: what a full recompute runs in production: every business's rankForStorage
 *   (top 50, reasons in both languages) on the isolate's live matcher (measured in full up to 10k
 *   or with --full; above that extrapolated from a sample, and says so);
 * - recomputeTop10Ms: every business's top 10 on the built matcher, without storage rows: the
 *   figure the engine's earlier 10 s target at 10k was set on (docs/BENCHMARKS.md);
 * - peakRssMb: the child's peak resident memory (the whole process: generator, analyses, baseline);
 * - isolatePeakMb: what one isolate holds for matching at that size: the live matcher's retained
 *   JS heap plus typed-array memory after a forced GC, plus the largest transient of its build (a
 *   page of rows as loaded: measured as the analyses' retained size). The child runs with --expose-gc;
 * - rowsReadPerWrite: D1's own rows_read (meta.rows_read) for the delta read of one business edit
 *   (the version, the change log since the isolate's revision, the changed businesses' rows: the
 *   queries src/services/matching/matcher.cache.ts runs), measured on a local D1 (miniflare) with
 *   `rowsReadRegistryN` businesses: the size, or a capped registry above 20k
 *   (scripts/bench/rows-read.ts); rowsReadFullLoad is the same count for a full load;
 * - deltaApplyMs: median time to apply one edit to the live matcher (no rebuild);
 * - recallAt10: the index search against exhaustive scoring of every pair, on a sample;
 * - bytesPerStoredSet, setsMarkedPerEdit, rowsWrittenPerRescore (each with its `...Before`;
 *   rowsWrittenPerRescoreByRank too) and
 *   staleCheckMs: stored sets as reason codes and selective staleness (scripts/bench/stored-sets.ts;
 *   the edit figures up to 10k or with --full);
 * - naiveTopkMedianMs: natural's TfIdf as a developer would use it (addDocument for all, then
 *   `tfidfs` per query, sort), in the same run.
 * Progress goes to stderr; the report to stdout.
 */
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import TfIdf from "natural/lib/natural/tfidf/tfidf.js";
import { regionNeighbourCodes } from "../src/domain/shards";
import {
  type AnalyzedProfile,
  analyzeProfile,
  createLiveMatcher,
  createMatcher,
  liveMatcherBuilder,
  type MatchProfile,
} from "../src/matching";
import { MATCHER_PAGE_ROWS } from "../src/services/matching/matcher.queries";
import { measureRowsRead, ROWS_READ_CAP, type RowsReadFigures } from "./bench/rows-read";
import { measureStoredSets, type StoredSetFigures } from "./bench/stored-sets";
import { provinceRegions, syntheticProvince, syntheticRegistry } from "./bench/synthetic";

/**
 * How the registry is laid out: a city runs one database and one matcher over everything; a
 * province (above {@link CITY_MAX}) runs one shard per regency or city, each isolate's matcher
 * holding its region plus the bordering regions (src/domain/shards.ts), ranking its own region's
 * businesses. In a province the per-query, memory and stored-set figures are the largest shard's.
 */
export interface ProvinceFigures {
  layout: "city" | "province";
  /** Shards (one per region) and the businesses each shard's matcher holds (own + neighbours). */
  shards: number;
  shardN: number;
  shardMedianN: number;
  /** Building every shard's matcher, one after another. */
  buildAllShardsMs: number;
  /** The largest shard's own recompute: the wall time when the shards' queues run side by side. */
  recomputeLargestShardMs: number;
  /** Index search against exhaustive scoring within each shard (one query per shard at most). */
  shardRecallAt10: number;
}

export interface SizeReport extends StoredSetFigures, RowsReadFigures, ProvinceFigures {
  n: number;
  analyzeMs: number;
  buildMs: number;
  topkMedianMs: number;
  topkP95Ms: number;
  recomputeAllMs: number;
  /** Every business's top 10 on the built matcher (the figure issue 10's 10 s target was set on). */
  recomputeTop10Ms: number;
  recomputeMeasured: "full" | "extrapolated";
  peakRssMb: number;
  recallAt10: number;
  isolatePeakMb: number;
  /** The live matcher alone, retained after its build. */
  isolateIndexMb: number;
  deltaApplyMs: number;
  naiveTopkMedianMs: number;
  naiveBuildMs: number;
  speedup: number;
}

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function sample<T>(items: T[], count: number): T[] {
  const step = Math.max(1, Math.floor(items.length / count));
  return items.filter((_, i) => i % step === 0).slice(0, count);
}

/** Retained JS heap plus ArrayBuffer memory (typed arrays live outside the heap), after a GC. */
/**
 * Heap plus ArrayBuffers after forced GCs, with the event loop let run between them: right after
 * one synchronous GC, memory that GC freed (typed arrays most of all) is still counted.
 */
async function retainedBytes(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * What one isolate holds for matching: the live matcher as retained, plus, at its build, the rows
 * of one page it loads (approximated by the analyses they carry, measured on copies).
 */
async function isolateMemory(analysed: ReturnType<typeof analyzeProfile>[]) {
  const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
  const before = await retainedBytes();
  // As matcher.cache.ts builds it: page after page of rows, each dropped once added.
  const builder = liveMatcherBuilder();
  let rowsBytes = 0;
  let page: typeof analysed = [];
  for (let at = 0; at < analysed.length; at += MATCHER_PAGE_ROWS) {
    // Pages are of one size: the first one's rows are measured (forced GCs over a large heap, on
    // every page, took most of an hour for the simulated 1M ring).
    const start = at === 0 ? await retainedBytes() : 0;
    page = structuredClone(analysed.slice(at, at + MATCHER_PAGE_ROWS));
    if (at === 0) rowsBytes = (await retainedBytes()) - start;
    builder.add(page);
  }
  // Dropped explicitly: a suspended function's frame can otherwise keep the last page alive.
  page = [];
  const live = builder.finish();
  const indexBytes = (await retainedBytes()) - before;
  return { live, indexMb: mb(indexBytes), peakMb: mb(indexBytes + rowsBytes) };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Every figure of one matcher over `profiles` (a city's registry, or the largest shard of a
 * province): what one isolate builds, holds and answers.
 */
async function measureCore(
  profiles: MatchProfile[],
  full: boolean,
  /** The profiles' analyses when the caller has them already (a province's largest shard). */
  given?: AnalyzedProfile[],
): Promise<Omit<SizeReport, keyof RowsReadFigures | keyof ProvinceFigures>> {
  const n = profiles.length;
  progress(`n=${n}: analysing`);
  let t = performance.now();
  const analysed = given ?? profiles.map((p) => analyzeProfile(p));
  const analyzeMs = performance.now() - t;

  progress(`n=${n}: building the index`);
  t = performance.now();
  const matcher = createMatcher(analysed);
  const buildMs = performance.now() - t;

  progress(`n=${n}: top-10 latency`);
  const queries = sample(analysed, n >= 100_000 ? 300 : 500).map((a) => a.id);
  for (const id of queries.slice(0, 20)) matcher.rank(id, { limit: 10 });
  const times: number[] = [];
  for (const id of queries) {
    const s = performance.now();
    matcher.rank(id, { limit: 10 });
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);

  progress(`n=${n}: recall against exhaustive scoring`);
  let kept = 0;
  let total = 0;
  for (const id of sample(queries, n >= 100_000 ? 30 : 100)) {
    const exact = new Set(matcher.topIds(id, { limit: 10, exhaustive: true }));
    kept += matcher.topIds(id, { limit: 10 }).filter((x) => exact.has(x)).length;
    total += exact.size;
  }

  progress(`n=${n}: isolate memory of the live matcher`);
  const mem = await isolateMemory(analysed);
  const live = mem.live;

  const everyone = analysed.map((a) => a.id);
  const measureAll = full || n <= 10_000;
  const batch = measureAll ? everyone : sample(everyone, 2000);
  progress(
    `n=${n}: recompute ${measureAll ? "all" : `a sample of ${batch.length}`} stored sets (top 50, reasons)`,
  );
  t = performance.now();
  for (let i = 0; i < batch.length; i++) {
    live.rankForStorage(batch[i], { limit: 50 });
    if (i > 0 && i % 5000 === 0) progress(`n=${n}: ${i}/${batch.length}`);
  }
  const batchMs = performance.now() - t;
  const recomputeAllMs = (batchMs / batch.length) * n;

  progress(`n=${n}: recompute ${measureAll ? "all" : `a sample of ${batch.length}`} top-10 lists`);
  t = performance.now();
  for (const id of batch) matcher.rank(id, { limit: 10 });
  const recomputeTop10Ms = ((performance.now() - t) / batch.length) * n;

  progress(`n=${n}: delta path (edits applied to the live matcher)`);
  const edits = sample(analysed, 20);
  const applyTimes: number[] = [];
  for (let e = 0; e < edits.length; e++) {
    // An edit of one business's texts and place: what a profile edit changes.
    const from = analysed[(e * 7919) % n];
    const edited = { ...from, id: edits[e].id, sector: edits[e].sector };
    const s = performance.now();
    live.apply({ upsert: [edited], remove: [] });
    applyTimes.push(performance.now() - s);
  }
  applyTimes.sort((a, b) => a - b);

  progress(`n=${n}: stored sets (bytes, stale marks per edit, rows written per rescore)`);
  const stored = measureStoredSets(live, analysed, { everyone: measureAll, edits: 20 });

  progress(`n=${n}: naive natural TfIdf baseline`);
  const tfidf = new TfIdf();
  t = performance.now();
  for (const p of profiles) tfidf.addDocument(`${p.offers} ${p.needs}`.toLowerCase());
  const naiveBuildMs = performance.now() - t;
  const naiveQueries = sample(profiles, n >= 100_000 ? 3 : n >= 10_000 ? 15 : 50);
  const naive: number[] = [];
  for (const q of naiveQueries) {
    const s = performance.now();
    const scores = tfidf.tfidfs(q.needs.toLowerCase());
    const ranked = scores
      .map((score, i) => ({ score, i }))
      .filter((x) => profiles[x.i].sector !== q.sector)
      .sort((a, b) => b.score - a.score)
      .slice(0, 10);
    naive.push(performance.now() - s);
    if (ranked.length === 0) progress("naive baseline found nothing");
  }
  naive.sort((a, b) => a - b);
  const topkMedianMs = quantile(times, 0.5);
  const naiveTopkMedianMs = quantile(naive, 0.5);
  return {
    n,
    analyzeMs: Math.round(analyzeMs),
    buildMs: Math.round(buildMs),
    topkMedianMs: round(topkMedianMs),
    topkP95Ms: round(quantile(times, 0.95)),
    recomputeAllMs: Math.round(recomputeAllMs),
    recomputeTop10Ms: Math.round(recomputeTop10Ms),
    recomputeMeasured: measureAll ? "full" : "extrapolated",
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    recallAt10: round(kept / total),
    isolatePeakMb: mem.peakMb,
    isolateIndexMb: mem.indexMb,
    deltaApplyMs: round(quantile(applyTimes, 0.5)),
    ...stored,
    naiveTopkMedianMs: round(naiveTopkMedianMs),
    naiveBuildMs: Math.round(naiveBuildMs),
    speedup: Math.round(naiveTopkMedianMs / topkMedianMs),
  };
}

/** Per region (= shard), the regions its matcher holds: itself first, then its neighbours. */
export function shardRings(): number[][] {
  const regions = provinceRegions();
  const index = new Map(regions.map((r, i) => [r.code, i]));
  return regions.map((r, ri) => [
    ri,
    ...regionNeighbourCodes(r.code)
      .map((c) => index.get(c))
      .filter((x): x is number => x !== undefined),
  ]);
}

/** A province too large to generate whole, simulated on its largest shard (see main's --simulate). */
export interface SimulatedProvince {
  n: number;
  shardN: number;
  isolatePeakMb: number;
  isolateIndexMb: number;
  /** One own business's stored set (top 50, reasons) on the largest ring, median of a sample. */
  rankForStorageMedianMs: number;
  /** n times that median: an upper bound, since every other ring is smaller. */
  recomputeAllUpperMs: number;
}

async function simulateProvince(n: number): Promise<SimulatedProvince> {
  const rings = shardRings();
  const largest = rings.reduce((a, b) => (b.length > a.length ? b : a));
  progress(`simulated n=${n}: generating the largest shard's ring (${largest.length} regions)`);
  const { profiles, regionOf } = syntheticProvince(n, 7, largest);
  const rows = profiles.map((p) => analyzeProfile(p));
  progress(`simulated n=${n}: building its live matcher (${rows.length} businesses)`);
  const mem = await isolateMemory(rows);
  const ownIds = rows.filter((_, i) => regionOf[i] === largest[0]).map((r) => r.id);
  const times: number[] = [];
  for (const id of sample(ownIds, 200)) {
    const t = performance.now();
    mem.live.rankForStorage(id, { limit: 50 });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = quantile(times, 0.5);
  return {
    n,
    shardN: rows.length,
    isolatePeakMb: mem.peakMb,
    isolateIndexMb: mem.indexMb,
    rankForStorageMedianMs: round(median),
    recomputeAllUpperMs: Math.round(median * n),
  };
}

/** Above this many businesses the bench lays the registry out as a province (Kota Mojokerto: ~30k). */
export const CITY_MAX = 30_000;

/** Per shard, how many own businesses the recompute times when not measuring every one. */
const SHARD_SAMPLE = 60;

/**
 * A province of `n`: one shard per region, each shard's live matcher built over its region plus
 * the bordering ones, and its own businesses' stored sets recomputed (top 50, reasons) on it, as
 * the per-shard recompute queue does. Then every per-isolate figure on the largest shard.
 */
export async function measureProvince(
  n: number,
  full: boolean,
): Promise<
  Omit<SizeReport, keyof RowsReadFigures> & {
    largest: MatchProfile[];
  }
> {
  progress(`n=${n}: generating a province (38 regions) and analysing`);
  const { profiles, regionOf } = syntheticProvince(n);
  let t = performance.now();
  const analysed = profiles.map((p) => analyzeProfile(p));
  const analyzeMs = performance.now() - t;
  const regions = provinceRegions();
  const own: number[][] = regions.map(() => []);
  for (let i = 0; i < n; i++) own[regionOf[i]].push(i);
  const held = shardRings();
  const heldN = held.map((rs) => rs.reduce((sum, ri) => sum + own[ri].length, 0));
  let buildAllShardsMs = 0;
  let recomputeAllMs = 0;
  let recomputeTop10Ms = 0;
  let recomputeLargestShardMs = 0;
  let kept = 0;
  let total = 0;
  let measuredAll = true;
  const largestAt = heldN.indexOf(Math.max(...heldN));
  for (let ri = 0; ri < regions.length; ri++) {
    const rows: AnalyzedProfile[] = held[ri].flatMap((x) => own[x].map((i) => analysed[i]));
    t = performance.now();
    const live = createLiveMatcher(rows);
    buildAllShardsMs += performance.now() - t;
    const ids = own[ri].map((i) => analysed[i].id);
    const batch = full ? ids : sample(ids, SHARD_SAMPLE);
    if (batch.length < ids.length) measuredAll = false;
    for (const id of batch.slice(0, 5)) live.rankForStorage(id, { limit: 50 });
    t = performance.now();
    for (const id of batch) live.rankForStorage(id, { limit: 50 });
    const shardMs = ((performance.now() - t) / batch.length) * ids.length;
    recomputeAllMs += shardMs;
    if (ri === largestAt) recomputeLargestShardMs = shardMs;
    t = performance.now();
    for (const id of batch) live.rank(id, { limit: 10 });
    recomputeTop10Ms += ((performance.now() - t) / batch.length) * ids.length;
    const q = batch[0];
    const exact = new Set(live.topIds(q, { limit: 10, exhaustive: true }));
    kept += live.topIds(q, { limit: 10 }).filter((x) => exact.has(x)).length;
    total += exact.size;
    progress(
      `n=${n}: shard ${ri + 1}/${regions.length} ${regions[ri].name}: ${rows.length} held, ${ids.length} own, ${Math.round(shardMs)} ms`,
    );
  }
  const largestRows = held[largestAt].flatMap((x) => own[x]);
  const largest = largestRows.map((i) => profiles[i]);
  progress(`n=${n}: the largest shard (${regions[largestAt].name}, ${largest.length} businesses) in full`);
  // Its analyses are the ones above (the province's analyzeMs is reported, not the shard's).
  const core = await measureCore(
    largest,
    full,
    largestRows.map((i) => analysed[i]),
  );
  const sortedN = [...heldN].sort((a, b) => a - b);
  return {
    ...core,
    n,
    analyzeMs: Math.round(analyzeMs),
    recomputeAllMs: Math.round(recomputeAllMs),
    recomputeTop10Ms: Math.round(recomputeTop10Ms),
    recomputeMeasured: measuredAll ? "full" : "extrapolated",
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    layout: "province",
    shards: regions.length,
    shardN: largest.length,
    shardMedianN: quantile(sortedN, 0.5),
    buildAllShardsMs: Math.round(buildAllShardsMs),
    recomputeLargestShardMs: Math.round(recomputeLargestShardMs),
    shardRecallAt10: round(kept / total),
    largest,
  };
}

/** One size as the bench lays it out: a city up to {@link CITY_MAX}, a province above. */
async function measureSize(n: number, full: boolean): Promise<SizeReport> {
  if (n > CITY_MAX) {
    const { largest, ...report } = await measureProvince(n, full);
    progress(`n=${n}: D1 rows read for one edit (local D1, miniflare; the largest shard's rows)`);
    const rows = await measureRowsRead(largest.slice(0, ROWS_READ_CAP), progress);
    return { ...report, ...rows };
  }
  progress(`n=${n}: generating a city registry`);
  const report = await measureCore(syntheticRegistry(n), full);
  progress(`n=${n}: D1 rows read for one edit (local D1, miniflare)`);
  const rows = await measureRowsRead(syntheticRegistry(Math.min(n, ROWS_READ_CAP)), progress);
  return {
    ...report,
    ...rows,
    layout: "city",
    shards: 1,
    shardN: n,
    shardMedianN: n,
    buildAllShardsMs: report.buildMs,
    recomputeLargestShardMs: report.recomputeAllMs,
    shardRecallAt10: report.recallAt10,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: "boolean" },
      full: { type: "boolean" },
      sizes: { type: "string", default: "1000,10000,100000" },
      child: { type: "string" },
      simulate: { type: "string" },
      "simulate-child": { type: "string" },
    },
  });
  if (values["simulate-child"]) {
    process.stdout.write(JSON.stringify(await simulateProvince(Number(values["simulate-child"]))));
    return;
  }
  if (values.child) {
    const sized = await measureSize(Number(values.child), values.full === true);
    process.stdout.write(JSON.stringify(sized));
    return;
  }
  const sizes: SizeReport[] = [];
  for (const n of (values.sizes as string).split(",").map(Number)) {
    const args = [
      "--expose-gc",
      "--max-old-space-size=16384",
      "--import",
      "tsx",
      import.meta.filename,
      "--child",
      String(n),
      ...(values.full ? ["--full"] : []),
    ];
    const r = spawnSync(process.execPath, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 1 << 20,
    });
    if (r.status !== 0) throw new Error(`bench for n=${n} failed (exit ${r.status})`);
    sizes.push(JSON.parse(r.stdout) as SizeReport);
  }
  const simulated: SimulatedProvince[] = [];
  for (const n of values.simulate ? (values.simulate as string).split(",").map(Number) : []) {
    const r = spawnSync(
      process.execPath,
      [
        "--expose-gc",
        "--max-old-space-size=16384",
        "--import",
        "tsx",
        import.meta.filename,
        "--simulate-child",
        String(n),
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 20 },
    );
    if (r.status !== 0) throw new Error(`simulated province of ${n} failed (exit ${r.status})`);
    simulated.push(JSON.parse(r.stdout) as SimulatedProvince);
  }
  if (values.json) {
    console.log(JSON.stringify({ sizes, simulated }));
    return;
  }
  console.log(
    "n        build ms  top10 med ms  p95 ms  recompute top-50  recompute top-10  isolate MB  peak RSS  recall@10  naive med ms  speed-up",
  );
  for (const s of sizes) {
    const mark = s.recomputeMeasured === "extrapolated" ? "*" : "";
    const recompute = `${(s.recomputeAllMs / 1000).toFixed(1)} s${mark}`;
    const recompute10 = `${(s.recomputeTop10Ms / 1000).toFixed(1)} s${mark}`;
    console.log(
      [
        String(s.n).padEnd(8),
        String(s.buildMs).padStart(8),
        s.topkMedianMs.toFixed(3).padStart(13),
        s.topkP95Ms.toFixed(3).padStart(8),
        recompute.padStart(17),
        recompute10.padStart(17),
        s.isolatePeakMb.toFixed(1).padStart(11),
        `${s.peakRssMb} MB`.padStart(9),
        s.recallAt10.toFixed(3).padStart(10),
        s.naiveTopkMedianMs.toFixed(1).padStart(13),
        `${s.speedup}x`.padStart(9),
      ].join(" "),
    );
  }
  if (sizes.some((s) => s.recomputeMeasured === "extrapolated")) {
    console.log(
      "* extrapolated from a sample (2,000 businesses; in a province 60 per shard); --full measures every one.",
    );
  }
  for (const s of sizes.filter((x) => x.layout === "province")) {
    console.log(
      `n=${s.n}: a province of ${s.shards} shards (one per region; a shard's matcher holds its region and the bordering ones): ` +
        `largest ${s.shardN} businesses, median ${s.shardMedianN}; per-query, memory and recall figures are the largest shard's; ` +
        `recompute is every shard's own, one after another (the largest shard alone: ${(s.recomputeLargestShardMs / 1000).toFixed(1)} s); ` +
        `building every shard ${(s.buildAllShardsMs / 1000).toFixed(1)} s; recall@10 within shards ${s.shardRecallAt10}`,
    );
  }
  for (const s of simulated) {
    console.log(
      `simulated province of ${s.n}: largest shard ${s.shardN} businesses, isolate peak ${s.isolatePeakMb} MB (index ${s.isolateIndexMb} MB), ` +
        `top 50 with reasons ${s.rankForStorageMedianMs} ms median, recompute at most ${(s.recomputeAllUpperMs / 1000).toFixed(0)} s`,
    );
  }
  for (const s of sizes) {
    const capped = s.rowsReadRegistryN < s.n ? ` (capped: ${s.rowsReadRegistryN} businesses)` : "";
    console.log(
      `n=${s.n}: D1 rows read per edit ${s.rowsReadPerWrite}, per full load ${s.rowsReadFullLoad}, on a local D1 (miniflare)${capped}`,
    );
  }
  console.log(
    "analysis (at write time, not in the figures above): " +
      sizes.map((s) => `${s.n}: ${s.analyzeMs} ms`).join(", "),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
