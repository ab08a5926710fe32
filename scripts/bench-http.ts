/**
 * HTTP benchmark of the bundled Worker under `wrangler dev` (workerd) with a large local D1.
 *
 * 1. Prepares a separate local D1 (.wrangler/bench-seeded, never the demo's .wrangler/state):
 *    migrations, then N businesses from the deterministic demo generator, mapped and rendered by
 *    the same code as `npm run demo:seed` (scripts/local/), in chunked SQL files for
 *    `wrangler d1 execute --local --file`. Reseeding is skipped when the state already holds the
 *    same N rows from the same generator/analyzer (a fingerprint file beside the state). Each run
 *    serves a fresh copy of it (.wrangler/bench-state), so runs do not inherit each other's writes.
 * 2. Starts `wrangler dev --ip 127.0.0.1 --port <free> --persist-to .wrangler/bench-state`.
 * 3. Times the isolate's first suggestions request (it builds the matcher from all rows), reads
 *    every rotating id once and then again, one request at a time (warm-up, and the cost of a
 *    first and a repeated read), then runs autocannon against `/health` and against
 *    `/v1/businesses/{id}/matches?limit=10` (rotating over a few hundred active ids, officer key)
 *    for D seconds at C connections each.
 * 4. Prints a table (or one JSON object with --json) and stops wrangler dev and its workerd.
 *
 * CLI: npm run bench:http [-- --size 10000 --connections 32 --duration 20 --ids 300 --json --reseed
 *      --profile]   (--profile: a third run on GET /v1/businesses/{id}, for reference)
 *
 * The load generator runs on the same machine as workerd; on a small machine the two compete for
 * the same cores, which the report should say next to the figures.
 */
import { cpus, loadavg } from "node:os";
import { generateDemoRegistry } from "./demo/generate";
import {
  type AcRequest,
  autocannon,
  codeVersion,
  freshState,
  log,
  ms,
  pct,
  prepareState,
  queryLocal,
  round,
  type SeedInfo,
  startDev,
  stateDirs,
  waitForHealth,
} from "./local/bench-harness";
import { demoOfficerKey } from "./local/demo-keys";
import { toSeedBusiness } from "./local/demo-registry";

/**
 * Relative to the repository root (wrangler runs there). `seeded` holds the freshly seeded
 * registry and is never served; each run copies it to `state`, so every run starts from the same
 * database (no stored suggestions or other writes left over from an earlier run).
 */
const DIRS = stateDirs("bench");
const TARGETS = { matchesP95Ms: 50, ratioMin: 0.5 } as const;

interface Options {
  size: number;
  connections: number;
  durationS: number;
  ids: number;
  json: boolean;
  reseed: boolean;
  chunk: number;
  /** Also load `GET /v1/businesses/{id}` (officer auth + one row) as a third, reference run. */
  profile: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    size: 10_000,
    connections: 32,
    durationS: 20,
    ids: 300,
    json: false,
    reseed: false,
    chunk: 1000,
    profile: false,
  };
  const ints: Record<string, keyof Options> = {
    "--size": "size",
    "--connections": "connections",
    "--duration": "durationS",
    "--ids": "ids",
    "--chunk": "chunk",
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const key = ints[arg];
    if (key) {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${arg} needs a positive integer`);
      (o as unknown as Record<string, number>)[key] = n;
    } else if (arg === "--json") o.json = true;
    else if (arg === "--reseed") o.reseed = true;
    else if (arg === "--profile") o.profile = true;
    else if (arg === "--help" || arg === "-h") {
      process.stdout.write(
        "usage: npm run bench:http [-- --size N --connections C --duration S --ids K --chunk R --json --reseed --profile]\n",
      );
      process.exit(0);
    } else throw new Error(`unknown argument: ${arg}`);
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// 3. Measuring

interface Stats {
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  requests: number;
  non2xx: number;
  timeouts: number;
}

function load(
  base: string,
  opts: Options,
  request: AcRequest,
  headers: Record<string, string> = {},
): Promise<Stats> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon(
      {
        url: base,
        connections: opts.connections,
        duration: opts.durationS,
        headers,
        requests: [request],
        timeout: 30,
      },
      (err, result) => {
        clearInterval(ticker);
        if (err) return reject(err);
        latencies.sort((a, b) => a - b);
        resolve({
          // autocannon's own count of completed requests over its measured duration
          rps: round(result.requests.total / result.duration),
          p50Ms: round(pct(latencies, 50), 2),
          p95Ms: round(pct(latencies, 95), 2),
          p99Ms: round(pct(latencies, 99), 2),
          errors: result.errors + result.non2xx,
          requests: result.requests.total,
          non2xx: result.non2xx,
          timeouts: result.timeouts,
        });
      },
    );
    // autocannon's histogram has no p95 (p90, p97.5, p99 only): keep every latency (float ms).
    instance.on("response", (_client, _status, _bytes, t) => {
      latencies.push(t);
    });
    const t0 = Date.now();
    const ticker = setInterval(() => {
      log(
        `  ${request.path ?? "(rotating)"}: ${Math.round((Date.now() - t0) / 1000)}/${opts.durationS} s, ${latencies.length} responses`,
      );
    }, 5_000);
  });
}

async function timed(url: string, headers: Record<string, string>): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  return { ms: ms(t0), status: res.status };
}

// ---------------------------------------------------------------------------------------------

interface Report {
  size: number;
  connections: number;
  durationS: number;
  health: Stats;
  matches: Stats;
  /** With --profile: `GET /v1/businesses/{id}` under the same load, for reference. */
  profile?: Stats;
  ratio: number;
  /**
   * Stored sets in the local D1 after the run (the warm-up wrote one per rotating id) and their
   * mean size: the column values as SQLite stores them (text bytes, 8 per number), the set's row
   * included, page and index overhead not (scripts/bench/stored-sets.ts counts the same way).
   * Rows written per rescore cannot be read from D1 afterwards: `npm run bench` reports them.
   */
  storedSets: number;
  bytesPerStoredSet: number | null;
  targets: typeof TARGETS;
  pass: { matchesP95: boolean; ratio: boolean; noErrors: boolean };
  diagnostics: {
    seed: SeedInfo;
    rotatingIds: number;
    readyMs: number;
    /** First suggestions request after start: loads all active rows and builds the matcher. */
    coldFirstMatchesMs: number;
    /** The next request, for another business outside the rotation (matcher built). */
    secondMatchesMs: number;
    /** One connection: each rotating id's first request, then its second. */
    serialFirstReads: { n: number; p50Ms: number; p95Ms: number };
    serialSecondReads: { n: number; p50Ms: number; p95Ms: number };
    /** One connection: `GET /v1/businesses/{id}` (officer auth + one row), for reference. */
    serialProfile: { n: number; p50Ms: number; p95Ms: number };
    serialHealth: { n: number; p50Ms: number; p95Ms: number };
    strayProcesses: number[];
    machine: string;
    /** What was measured: the commit, and whether the Worker's sources had uncommitted changes. */
    code: { commit: string; dirty: boolean };
    /** 1-minute load average just before the load runs (other work on the machine skews results). */
    loadAvgBefore: number;
  };
}

function printTable(r: Report): void {
  const row = (name: string, s: Stats) =>
    `| ${name.padEnd(44)} | ${String(s.rps).padStart(8)} | ${String(s.p50Ms).padStart(7)} | ${String(s.p95Ms).padStart(7)} | ${String(s.p99Ms).padStart(7)} | ${String(s.errors).padStart(6)} |`;
  const d = r.diagnostics;
  const lines = [
    "",
    `HTTP benchmark: bundled Worker under wrangler dev, ${r.size} businesses in local D1, ${r.connections} connections, ${r.durationS} s per endpoint`,
    `(${d.machine}; load generator on the same machine; load average ${d.loadAvgBefore} before the runs; code ${d.code.commit}${d.code.dirty ? " with uncommitted changes" : ""})`,
    "",
    "| endpoint                                     |    req/s | p50 ms  | p95 ms  | p99 ms  | errors |",
    "|----------------------------------------------|---------:|--------:|--------:|--------:|-------:|",
    row("GET /health", r.health),
    row(`GET /v1/businesses/{id}/matches?limit=10 (${d.rotatingIds} ids)`, r.matches),
    ...(r.profile ? [row("GET /v1/businesses/{id} (reference)", r.profile)] : []),
    "",
    `matches p95 ${r.matches.p95Ms} ms (target <= ${r.targets.matchesP95Ms}): ${r.pass.matchesP95 ? "PASS" : "MISS"}`,
    `matches/health req/s ${r.ratio} (target >= ${r.targets.ratioMin}): ${r.pass.ratio ? "PASS" : "MISS"}`,
    `errors/non-2xx: ${r.pass.noErrors ? "none" : `health ${r.health.errors}, matches ${r.matches.errors}`}`,
    "",
    `seed: ${d.seed.cached ? `cached state reused (${d.seed.totalMs} ms to check)` : `${d.seed.totalMs} ms (${d.seed.prepareMs} ms generate+analyse+render, ${d.seed.executeMs} ms wrangler d1 execute, ${d.seed.chunks} files)`}`,
    `wrangler dev ready after ${d.readyMs} ms; first matches request of the isolate ${d.coldFirstMatchesMs} ms, the next (another business) ${d.secondMatchesMs} ms`,
    `serial, 1 connection: first read per business p50 ${d.serialFirstReads.p50Ms} / p95 ${d.serialFirstReads.p95Ms} ms, second read p50 ${d.serialSecondReads.p50Ms} / p95 ${d.serialSecondReads.p95Ms} ms (${d.serialFirstReads.n} ids)`,
    `serial, 1 connection, for reference: GET /v1/businesses/{id} p50 ${d.serialProfile.p50Ms} ms, /health p50 ${d.serialHealth.p50Ms} ms`,
    d.strayProcesses.length
      ? `stray processes killed after stop: ${d.strayProcesses.join(", ")}`
      : "wrangler dev and workerd stopped",
    "",
  ];
  process.stdout.write(lines.join("\n"));
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));

  log(`- generating ${opts.size} demo businesses`);
  const businesses = generateDemoRegistry({ count: opts.size }).map(toSeedBusiness);
  const seed = await prepareState(DIRS, opts, businesses);
  log(
    seed.cached
      ? "- reusing the seeded bench state"
      : `- seeded ${opts.size} businesses in ${round(seed.totalMs / 1000)} s`,
  );

  // Active ids spread evenly over the registry (both sectors, all archetypes).
  const active = businesses.filter((b) => b.fields.active).map((b) => b.id);
  const stride = Math.max(1, Math.floor(active.length / opts.ids));
  const ids = active.filter((_, i) => i % stride === 0).slice(0, opts.ids);
  // Two more, outside the rotation, for the cold requests.
  const inRotation = new Set(ids);
  const [coldId, secondId] = active.filter((id) => !inRotation.has(id));
  if (!coldId || !secondId) throw new Error("need a larger --size for this many --ids");
  const officer = (await demoOfficerKey()).plaintext;
  const auth = { authorization: `Bearer ${officer}` };
  const matchesPath = (id: string) => `/v1/businesses/${id}/matches?limit=10`;

  // Every run starts from the freshly seeded database.
  await freshState(DIRS);

  const t0 = performance.now();
  const dev = await startDev(DIRS.state);
  const stopOnSignal = () => {
    void dev.stop().then(() => process.exit(130));
  };
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  let report: Report;
  try {
    await waitForHealth(dev);
    const readyMs = round(ms(t0), 0);

    const get = async (id: string) => {
      const r = await timed(`${dev.base}${matchesPath(id)}`, auth);
      if (r.status !== 200)
        throw new Error(`matches for ${id} answered ${r.status}; is the officer key seeded?`);
      return r.ms;
    };
    const summary = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return { n: xs.length, p50Ms: round(pct(sorted, 50), 2), p95Ms: round(pct(sorted, 95), 2) };
    };
    log("- cold requests");
    // The isolate's first suggestions request loads every active row and builds the matcher.
    const coldMs = await get(coldId);
    const secondMs = await get(secondId);
    log(`- warm-up: each of the ${ids.length} rotating ids once, then again`);
    // First read of each business (whatever the Worker does on a first read: rank, store, ...),
    // then a second, serial pass: what the load below measures, one request at a time.
    const firstReads: number[] = [];
    for (const id of ids) firstReads.push(await get(id));
    const secondReads: number[] = [];
    for (const id of ids) secondReads.push(await get(id));
    // Reference: the same auth and one indexed D1 read, without suggestions.
    const profileReads: number[] = [];
    for (const id of ids) {
      const r = await timed(`${dev.base}/v1/businesses/${id}`, auth);
      if (r.status !== 200) throw new Error(`GET /v1/businesses/${id} answered ${r.status}`);
      profileReads.push(r.ms);
    }
    const serialHealth: number[] = [];
    for (let i = 0; i < 100; i++) serialHealth.push((await timed(`${dev.base}/health`, {})).ms);

    const loadAvgBefore = round(loadavg()[0] ?? 0, 2);
    log(`- autocannon /health: ${opts.connections} connections, ${opts.durationS} s`);
    const health = await load(dev.base, opts, { method: "GET", path: "/health" });

    log(`- autocannon matches over ${ids.length} ids: ${opts.connections} connections, ${opts.durationS} s`);
    let next = 0;
    const matches = await load(
      dev.base,
      opts,
      {
        method: "GET",
        setupRequest: (req) => ({ ...req, path: matchesPath(ids[next++ % ids.length] as string) }),
      },
      auth,
    );

    let profile: Stats | undefined;
    if (opts.profile) {
      log(
        `- autocannon GET /v1/businesses/{id} (reference): ${opts.connections} connections, ${opts.durationS} s`,
      );
      let k = 0;
      profile = await load(
        dev.base,
        opts,
        {
          method: "GET",
          setupRequest: (req) => ({ ...req, path: `/v1/businesses/${ids[k++ % ids.length]}` }),
        },
        auth,
      );
    }

    log("- stopping wrangler dev");
    const { stray } = await dev.stop();
    const [sets] = await queryLocal<{ sets: number; bytes: number | null }>(
      DIRS.state,
      `select count(*) as sets, sum(bytes) as bytes from (
         select ss.business_id, length(cast(ss.business_id as blob)) + 40 + coalesce((
           select sum(length(cast(s.business_id as blob)) + 16 + length(cast(s.candidate_id as blob))
             + length(cast(s.components as blob)) + length(cast(s.reasons as blob)) + length(cast(s.pattern as blob)))
           from suggestions s where s.business_id = ss.business_id), 0) as bytes
         from suggestion_sets ss)`,
    );
    const ratio = round(matches.rps / health.rps, 3);
    report = {
      size: opts.size,
      connections: opts.connections,
      durationS: opts.durationS,
      health,
      matches,
      ...(profile ? { profile } : {}),
      ratio,
      storedSets: sets?.sets ?? 0,
      bytesPerStoredSet: sets?.sets && sets.bytes !== null ? Math.round(sets.bytes / sets.sets) : null,
      targets: TARGETS,
      pass: {
        matchesP95: matches.p95Ms <= TARGETS.matchesP95Ms,
        ratio: ratio >= TARGETS.ratioMin,
        noErrors: health.errors === 0 && matches.errors === 0,
      },
      diagnostics: {
        seed,
        rotatingIds: ids.length,
        readyMs,
        coldFirstMatchesMs: round(coldMs),
        secondMatchesMs: round(secondMs),
        serialFirstReads: summary(firstReads),
        serialSecondReads: summary(secondReads),
        serialProfile: summary(profileReads),
        serialHealth: summary(serialHealth),
        strayProcesses: stray,
        machine: `${cpus().length} cores, Node ${process.version}`,
        code: codeVersion(),
        loadAvgBefore,
      },
    };
  } catch (err) {
    await dev.stop();
    throw err;
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else printTable(report);
}

main().catch((err: unknown) => {
  log(`bench:http failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
