/**
 * What the HTTP scripts (bench:http, bench:import, load) share: a local D1 of their own, seeded
 * with N demo businesses and copied fresh for each run, the bundled Worker under `wrangler dev` on
 * a free port of 127.0.0.1 (never 8787, never the demo's `.wrangler/state`), stopped by pid with
 * everything it started, and autocannon's typed surface.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes, randomInt } from "node:crypto";
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import { ANALYZER_VERSION } from "../../src/matching";
import { DEFAULT_SEED } from "../demo/generate";
import { demoBusinessKey, demoOfficerKey } from "./demo-keys";
import { buildSeedSql, type SeedBusiness } from "./seed-sql";
import { runWrangler, wranglerBin } from "./wrangler";

export const root = path.resolve(import.meta.dirname, "../..");
export const HOST = "127.0.0.1";
/** Bump when the way this script seeds changes (so cached states are rebuilt). */
const BENCH_SEED_VERSION = 1;
/** Same fixed created/updated time as the demo seed. */
export const SEEDED_AT = Date.UTC(2026, 0, 5);
const READY_TIMEOUT_MS = 120_000;

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

export const ms = (t0: number) => performance.now() - t0;
export const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** Nearest-rank percentile of a sorted array. */
export function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** The commit measured, and whether the Worker's inputs differ from it (wrangler bundles the tree). */
export function codeVersion(): { commit: string; dirty: boolean } {
  try {
    const git = (args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
    const commit = git(["rev-parse", "--short", "HEAD"]);
    const dirty = git(["status", "--porcelain", "--", "src", "schema", "wrangler.toml", "data"]) !== "";
    return { commit, dirty };
  } catch {
    return { commit: "unknown", dirty: true };
  }
}

// ---------------------------------------------------------------------------------------------
// autocannon (CommonJS, no bundled types): just the part of its API used here.

export interface AcRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  setupRequest?: (req: AcRequest, context: unknown) => AcRequest;
}
export interface AcOptions {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  requests?: AcRequest[];
  timeout?: number;
}
export interface AcResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: { total: number; average: number };
  latency: Record<string, number>;
}
export interface AcInstance {
  on(event: "response", cb: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  stop(): void;
}
export type Autocannon = (opts: AcOptions, cb: (err: Error | null, result: AcResult) => void) => AcInstance;
export const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

// ---------------------------------------------------------------------------------------------
// A script's own local D1

/** What a seeded state depends on: any change rebuilds it. */
async function seedFingerprint(size: number, storedSets: boolean): Promise<string> {
  const h = createHash("sha256");
  h.update(JSON.stringify({ BENCH_SEED_VERSION, size, seed: DEFAULT_SEED, ANALYZER_VERSION, SEEDED_AT }));
  // The sets come from the Worker's own recompute: its engine is part of the state.
  if (storedSets) h.update("stored-sets").update(await sourceDigest("src"));
  const files = [
    "scripts/demo/generate.ts",
    "scripts/local/demo-registry.ts",
    "scripts/local/seed-sql.ts",
    "scripts/local/demo-keys.ts",
    "data/kbli/codes-common.json",
    "data/mojokerto-kelurahan.json",
    ...(await readdir(path.join(root, "data/demo"))).sort().map((f) => `data/demo/${f}`),
  ];
  for (const f of files) h.update(f).update(await readFile(path.join(root, f)));
  return h.digest("hex").slice(0, 16);
}

/** Directories of a script's database, relative to the repository root (wrangler runs there). */
export interface StateDirs {
  /** The freshly seeded registry; never served by a run (only by `storedSets`' own recompute while seeding). */
  seeded: string;
  /** A copy of `seeded` that a run serves and writes to. */
  state: string;
  /** Temporary SQL files while seeding. */
  sql: string;
}

/** `.wrangler/<name>-seeded`, `-state` and `-seed`. */
export function stateDirs(name: string): StateDirs {
  return {
    seeded: path.join(".wrangler", `${name}-seeded`),
    state: path.join(".wrangler", `${name}-state`),
    sql: path.join(".wrangler", `${name}-seed`),
  };
}

/** Rows of one SQL query against a local D1 state (wrangler d1 execute --json). */
export async function queryLocal<T = Record<string, unknown>>(dir: string, sqlText: string): Promise<T[]> {
  const { output } = await runWrangler(
    ["d1", "execute", "DB", "--local", "--persist-to", dir, "--json", "--command", sqlText],
    root,
  );
  const parsed = JSON.parse(output.slice(output.indexOf("["))) as Array<{ results: T[] }>;
  return parsed.flatMap((p) => p.results);
}

async function countBusinesses(dir: string): Promise<number> {
  const { output } = await runWrangler(
    [
      "d1",
      "execute",
      "DB",
      "--local",
      "--persist-to",
      dir,
      "--json",
      "--command",
      "SELECT count(*) AS n FROM businesses",
    ],
    root,
  );
  const m = /"n":\s*(\d+)/.exec(output);
  return m ? Number(m[1]) : -1;
}

function applyMigrations(dir: string) {
  return runWrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", dir], root);
}

export interface SeedInfo {
  cached: boolean;
  /** Generation, normalisation and analysis of all rows (Node). */
  prepareMs: number;
  /** `wrangler d1 execute --file` over all chunks. */
  executeMs: number;
  totalMs: number;
  chunks: number;
}

/**
 * Prepares `dirs.seeded`: migrations, then the businesses (rendered by the demo seed's code, in
 * chunked `wrangler d1 execute --file` runs) and the demo officer key. Skipped when a marker says
 * the same rows from the same generator and analyzer are there (unless `reseed`).
 */
export async function prepareState(
  dirs: StateDirs,
  opts: {
    size: number;
    reseed: boolean;
    chunk: number;
    /**
     * Also store every business's suggestions, as the nightly run leaves a deployment: the seeded
     * database is served by wrangler dev once and a full recompute run (POST /v1/admin/recompute)
     * is waited for.
     */
    storedSets?: boolean;
  },
  businesses: SeedBusiness[],
): Promise<SeedInfo> {
  const SEEDED_DIR = dirs.seeded;
  const SQL_DIR = dirs.sql;
  const MARKER = path.join(SEEDED_DIR, "bench-seed.json");
  const t0 = performance.now();
  const fingerprint = await seedFingerprint(opts.size, opts.storedSets === true);
  if (!opts.reseed) {
    try {
      const marker = JSON.parse(await readFile(path.join(root, MARKER), "utf8")) as {
        fingerprint?: string;
        size?: number;
      };
      if (marker.fingerprint === fingerprint && marker.size === opts.size) {
        log("- bench state exists; applying any new migrations and counting rows");
        await applyMigrations(SEEDED_DIR);
        if ((await countBusinesses(SEEDED_DIR)) === opts.size) {
          return { cached: true, prepareMs: 0, executeMs: 0, totalMs: round(ms(t0), 0), chunks: 0 };
        }
        log("- row count differs from the marker: reseeding");
      }
    } catch {
      // no marker: seed
    }
  }

  log(`- seeding a fresh bench database in ${SEEDED_DIR}`);
  await rm(path.join(root, SEEDED_DIR), { recursive: true, force: true });
  await rm(path.join(root, SQL_DIR), { recursive: true, force: true });
  await mkdir(path.join(root, SQL_DIR), { recursive: true });
  await applyMigrations(SEEDED_DIR);

  const officerKey = await demoOfficerKey();
  const epoch = randomInt(2 ** 47);
  const files: string[] = [];
  let prepareMs = 0;
  let executeMs = 0;
  // At least one file, so an empty registry still gets the officer key.
  for (let start = 0, k = 0; start < businesses.length || k === 0; start += opts.chunk, k++) {
    const chunk = businesses.slice(start, start + opts.chunk);
    let t = performance.now();
    const businessKeys = new Map(
      await Promise.all(chunk.map(async (b) => [b.id, await demoBusinessKey(b.id)] as const)),
    );
    // Every chunk repeats the officer key upsert and bumps the revision: harmless, and keeps each
    // file a valid, self-contained demo seed script.
    const script = buildSeedSql({ businesses: chunk, officerKey, businessKeys, seededAt: SEEDED_AT, epoch });
    const file = path.join(SQL_DIR, `chunk-${String(k).padStart(3, "0")}.sql`);
    await writeFile(path.join(root, file), script);
    files.push(file);
    prepareMs += ms(t);
    t = performance.now();
    await runWrangler(
      ["d1", "execute", "DB", "--local", "--persist-to", SEEDED_DIR, "--file", file, "--yes"],
      root,
    );
    executeMs += ms(t);
    const done = Math.min(start + opts.chunk, businesses.length);
    log(`  seeded ${done}/${businesses.length} businesses (${round(ms(t0) / 1000)} s)`);
  }
  const n = await countBusinesses(SEEDED_DIR);
  if (n !== opts.size)
    throw new Error(`bench state has ${n} businesses after seeding, expected ${opts.size}`);
  if (opts.storedSets) await storeAllSets(SEEDED_DIR);
  await writeFile(
    path.join(root, MARKER),
    `${JSON.stringify({ fingerprint, size: opts.size, seededAt: new Date().toISOString() })}\n`,
  );
  await rm(path.join(root, SQL_DIR), { recursive: true, force: true });
  return {
    cached: false,
    prepareMs: round(prepareMs, 0),
    executeMs: round(executeMs, 0),
    totalMs: round(ms(t0), 0),
    chunks: files.length,
  };
}

/** Every file under `dir` (relative to the repository), hashed in path order. */
async function sourceDigest(dir: string): Promise<string> {
  const h = createHash("sha256");
  const files = (await readdir(path.join(root, dir), { recursive: true })).map(String).sort();
  for (const f of files) {
    if (!/\.(ts|tsx|json)$/.test(f)) continue;
    h.update(f).update(await readFile(path.join(root, dir, f)));
  }
  return h.digest("hex");
}

/** A full recompute run by the Worker itself over `stateDir` (the nightly run's result), waited for. */
async function storeAllSets(stateDir: string): Promise<void> {
  log("- storing every business's suggestions (a full recompute run, as the nightly cron starts)");
  const t0 = performance.now();
  const dev = await startDev(stateDir);
  try {
    await waitForHealth(dev);
    const key = (await demoOfficerKey()).plaintext;
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const res = await fetch(`${dev.base}/v1/admin/recompute`, {
      method: "POST",
      headers,
      body: JSON.stringify({ mode: "full" }),
    });
    if (res.status !== 202) throw new Error(`recompute run not started: ${res.status} ${await res.text()}`);
    const { runId } = (await res.json()) as { runId: string };
    const deadline = Date.now() + 15 * 60_000;
    for (;;) {
      const run = (await (await fetch(`${dev.base}/v1/admin/recompute/${runId}`, { headers })).json()) as {
        finishedAt: string | null;
      };
      if (run.finishedAt) break;
      if (Date.now() > deadline || dev.exited()) throw new Error(`recompute run ${runId} did not finish`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await dev.stop();
  }
  const [row] = await queryLocal<{ sets: number; fresh: number }>(
    stateDir,
    "select count(*) as sets, count(*) filter (where stale_since is null) as fresh from suggestion_sets",
  );
  log(`  ${row?.sets} stored sets (${row?.fresh} fresh) in ${round(ms(t0) / 1000)} s`);
}

/** Copies the seeded database to the run's state directory, so every run starts from it. */
export async function freshState(dirs: StateDirs): Promise<void> {
  await rm(path.join(root, dirs.state), { recursive: true, force: true });
  await cp(path.join(root, dirs.seeded), path.join(root, dirs.state), { recursive: true });
}

// ---------------------------------------------------------------------------------------------
// 2. wrangler dev

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** pids of a process's descendants (Linux/macOS `pgrep -P`). */
export function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    // pgrep exits 1 when there are none
  }
  return children.flatMap((c) => [c, ...descendants(c)]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface Dev {
  base: string;
  child: ChildProcess;
  output: () => string;
  exited: () => boolean;
  stop: () => Promise<{ stray: number[] }>;
}

/**
 * The settings a script's Worker runs with, written next to its state: what `npm start` puts in
 * .dev.vars (development, so the log mailer is allowed and nothing is mailed; fresh random local
 * secrets for idempotency keys and unsubscribe links), independent of the checkout's .dev.vars.
 */
async function writeDevEnv(stateDir: string): Promise<string> {
  const file = `${stateDir}.env`;
  const secret = () => randomBytes(32).toString("base64url");
  const lines = [
    'ENVIRONMENT="development"',
    'MAIL_PROVIDER="log"',
    `DIGEST_SIGNING_KEY="${secret()}"`,
    `IDEMPOTENCY_SECRET="${secret()}"`,
  ];
  await mkdir(path.dirname(path.resolve(root, file)), { recursive: true });
  await writeFile(path.resolve(root, file), `${lines.join("\n")}\n`, { mode: 0o600 });
  return file;
}

/**
 * wrangler dev's local tooling that production has no equivalent of on the Worker's thread, off for
 * measurements. Local observability (on by default since wrangler 4.15x) streams every request's
 * trace spans (each D1 call one, with its SQL text) and log lines to a collector worker that writes
 * them to a SQLite Durable Object, all in the same single-threaded workerd as the Worker: a load run
 * wrote ~42,000 spans (52 MB) in 60 s. That cost grows with the D1 calls a request makes, so it
 * weighed on suggestions and writes far more than on `/health`. The local explorer UI is not used.
 * `npm start` keeps both (a developer's tools).
 */
export const LOCAL_TOOLING_OFF = { X_LOCAL_OBSERVABILITY: "false", X_LOCAL_EXPLORER: "false" } as const;

/** Starts the Worker under `wrangler dev` on a free port, serving the D1 in `stateDir`. */
export async function startDev(stateDir: string): Promise<Dev> {
  const port = await freePort();
  // BENCH_INSPECTOR_PORT fixes the inspector's port, to profile the Worker's isolate during a run
  // (docs/BENCHMARKS.md, "Profiling the Worker under load").
  const inspector = Number(process.env.BENCH_INSPECTOR_PORT) || (await freePort());
  const base = `http://${HOST}:${port}`;
  const envFile = await writeDevEnv(stateDir);
  log(`- starting wrangler dev on ${base} (state ${stateDir})`);
  const child = spawn(
    process.execPath,
    [
      wranglerBin(),
      "dev",
      "--ip",
      HOST,
      "--port",
      String(port),
      "--inspector-port",
      String(inspector),
      "--persist-to",
      stateDir,
      "--show-interactive-dev-session=false",
      // Its own settings, never the developer's .dev.vars (absent on a fresh clone, and it may name
      // a real mail server): see writeDevEnv.
      "--env-file",
      envFile,
      // Per-request log lines would cost wrangler's own process CPU on the same two cores.
      "--log-level",
      "warn",
    ],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", ...LOCAL_TOOLING_OFF },
    },
  );
  let output = "";
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited = false;
  const closed = new Promise<void>((resolve) => {
    child.on("close", () => {
      exited = true;
      resolve();
    });
  });

  const stop = async () => {
    const pid = child.pid;
    if (!pid || exited) return { stray: [] };
    const tree = descendants(pid);
    child.kill("SIGTERM");
    await Promise.race([closed, new Promise((r) => setTimeout(r, 10_000))]);
    if (!exited) {
      child.kill("SIGKILL");
      await closed;
    }
    // wrangler stops its workerd and esbuild on SIGTERM, within a second or two; then make sure
    // (by pid, only the processes this wrangler started).
    for (let i = 0; i < 20 && tree.some(alive); i++) await new Promise((r) => setTimeout(r, 250));
    const stray = tree.filter(alive);
    for (const p of stray) {
      try {
        process.kill(p, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
    return { stray };
  };
  return { base, child, output: () => output, exited: () => exited, stop };
}

export async function waitForHealth(dev: Dev): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !dev.exited()) {
    try {
      const res = await fetch(`${dev.base}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  process.stderr.write(dev.output());
  throw new Error(`wrangler dev did not answer ${dev.base}/health within ${READY_TIMEOUT_MS / 1000}s`);
}

/**
 * CPU time (ms, user + system) used so far by `pid`'s descendants, by command name (Linux
 * /proc; empty elsewhere). Under `wrangler dev` the Worker and the local D1 run in `workerd`.
 */
export async function descendantsCpuMs(pid: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const p of descendants(pid)) {
    try {
      const stat = await readFile(`/proc/${p}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
      const ticks = Number(fields[11]) + Number(fields[12]);
      out[comm] = (out[comm] ?? 0) + ticks * 10;
    } catch {
      // exited meanwhile, or no /proc
    }
  }
  return out;
}
