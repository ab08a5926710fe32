/**
 * Load test: the bundled Worker under `wrangler dev` with a mixed read/write workload, then a count
 * check that every write the load generator was told succeeded is in the database, and nothing else.
 *
 * 1. Its own local D1 (.wrangler/load-seeded, copied fresh to .wrangler/load-state for each run;
 *    never the demo's .wrangler/state): N demo businesses with their derived demo keys and the demo
 *    officer key (scripts/local/bench-harness.ts, shared with bench:http and bench:import).
 * 2. `wrangler dev` on a free port of 127.0.0.1; warm-up; then autocannon at C connections for D
 *    seconds. Every request is chosen when it is built, by weight:
 *      matches  GET /v1/businesses/{id}/matches?limit=10   (the business's own key)
 *      profile  GET /v1/businesses/{id}                    (own key)
 *      list     GET /v1/businesses?limit=20&sector=...      (officer)
 *      update   PATCH /v1/businesses/{id} {needs}          (own key; never two at once per business)
 *      request  POST /v1/partnerships                      (a service business asks an industry)
 *      answer   POST /v1/partnerships/{id}/accept|decline  (the partner, on a request made earlier)
 *      signup   POST /v1/signup                            (anonymous, unique email)
 *    The generator keeps the business rules on its side (at most MAX_OPEN_REQUESTS unanswered
 *    requests per requester, maxPartners on both sides counting accepts in flight, never the same
 *    pair twice), so a correct Worker answers every request with 2xx: any non-2xx is reported.
 * 3. wrangler dev is stopped and the database is counted: sign-ups, partnerships by status,
 *    declined pairs, audit rows per action, and each updated business's `needs` (the last update
 *    the generator saw succeed). Writes whose response never came (cut off at the end, or timed
 *    out) are "unknown": the database may or may not hold them, and the check allows exactly that.
 * 4. The report (JSON and a readable summary) is written to reports/ and printed.
 *
 * CLI: npm run load [-- --duration 60 --connections 64 --size 2000 --out reports/load --reseed
 *      --reads-only --stored-sets --json]
 * `--stored-sets` seeds its own database with every business's suggestions stored (a full
 * recompute run by the Worker, as the nightly cron leaves a deployment); by default a business's
 * first suggestions read computes its set.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { generateDemoRegistry } from "./demo/generate";
import {
  type AcOptions,
  type AcResult,
  autocannon,
  codeVersion,
  freshState,
  log,
  pct,
  prepareState,
  queryLocal,
  root,
  round,
  startDev,
  stateDirs,
  waitForHealth,
} from "./local/bench-harness";
import { demoBusinessKey, demoOfficerKey } from "./local/demo-keys";
import { toSeedBusiness } from "./local/demo-registry";

/** wrangler.toml's MAX_OPEN_REQUESTS. */
const MAX_OPEN_REQUESTS = 5;
/** Relative weights of the operations (see the header). */
const MIXED = { matches: 30, profile: 18, list: 10, update: 12, request: 12, answer: 10, signup: 8 };
type Op = keyof typeof MIXED;
/** `--reads-only`: the same reads, no writes (to see what the writes cost the reads). */
const READS_ONLY: Record<Op, number> = { ...MIXED, update: 0, request: 0, answer: 0, signup: 0 };

interface Options {
  durationS: number;
  connections: number;
  size: number;
  out: string;
  reseed: boolean;
  json: boolean;
  readsOnly: boolean;
  storedSets: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    durationS: 60,
    connections: 64,
    size: 2000,
    out: "reports/load",
    reseed: false,
    json: false,
    readsOnly: false,
    storedSets: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const int = () => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${arg} needs a positive integer`);
      return n;
    };
    if (arg === "--duration") o.durationS = int();
    else if (arg === "--connections") o.connections = int();
    else if (arg === "--size") o.size = int();
    else if (arg === "--out") o.out = argv[++i] ?? o.out;
    else if (arg === "--reseed") o.reseed = true;
    else if (arg === "--json") o.json = true;
    else if (arg === "--reads-only") o.readsOnly = true;
    else if (arg === "--stored-sets") o.storedSets = true;
    else if (arg === "--help" || arg === "-h") {
      process.stdout.write(
        "usage: npm run load [-- --duration S --connections C --size N --out PATH_PREFIX --reseed --json --reads-only --stored-sets]\n",
      );
      process.exit(0);
    } else throw new Error(`unknown argument: ${arg}`);
  }
  return o;
}

interface Biz {
  id: string;
  key: string;
  sector: "service" | "industry";
  maxPartners: number;
  needs: string;
}

/** What the generator knows and promises about the database while the run goes on. */
class Workload {
  private readonly services: Biz[];
  private readonly industries: Biz[];
  private readonly byId: Map<string, Biz>;
  /** Accepted (or being accepted) partnerships per business: never above maxPartners. */
  private readonly committed = new Map<string, number>();
  /** Unanswered requests per requester, counted until the answer's response came back. */
  private readonly openOut = new Map<string, number>();
  private readonly pairs = new Set<string>();
  private readonly busy = new Set<string>();
  private readonly cursor = new Map<string, number>();
  /** Requests created and not yet picked for an answer. */
  readonly toAnswer: Array<{ id: string; requesterId: string; partnerId: string }> = [];
  private seq = 0;
  private signups = 0;
  private readonly totalWeight: number;

  // Outcomes the count check compares with the database.
  readonly ok = { update: 0, request: 0, accept: 0, decline: 0, signup: 0 };
  readonly unknown = { update: 0, request: 0, accept: 0, decline: 0, signup: 0 };
  readonly signupIds: string[] = [];
  readonly requestIds: string[] = [];
  /** The `needs` of each business's last update that answered 200. */
  readonly lastNeeds = new Map<string, string>();
  /** Per op: latencies (ms) and statuses. */
  readonly latencies = new Map<Op, number[]>();
  readonly statuses = new Map<string, number>();
  readonly failures: string[] = [];
  /** Matches answers by their X-Suggestions-Source (stored, stale, computed). */
  readonly matchesSource: Record<string, number> = {};

  constructor(
    businesses: Biz[],
    private readonly officerKey: string,
    private readonly random: () => number,
    private readonly weights: Record<Op, number>,
  ) {
    this.totalWeight = Object.values(weights).reduce((a, b) => a + b, 0);
    this.services = businesses.filter((b) => b.sector === "service");
    this.industries = businesses.filter((b) => b.sector === "industry");
    this.byId = new Map(businesses.map((b) => [b.id, b]));
  }

  private pick<T>(xs: T[]): T {
    return xs[Math.floor(this.random() * xs.length)] as T;
  }

  private chooseOp(): Op {
    let r = this.random() * this.totalWeight;
    for (const [op, w] of Object.entries(this.weights) as Array<[Op, number]>) {
      r -= w;
      if (r < 0) return op;
    }
    return "matches";
  }

  private room(id: string): boolean {
    const b = this.byId.get(id);
    return b !== undefined && (this.committed.get(id) ?? 0) < b.maxPartners;
  }

  private add(map: Map<string, number>, id: string, d: number) {
    map.set(id, (map.get(id) ?? 0) + d);
  }

  /** The next request, as autocannon wants it, with what to do when its response comes. */
  build(): {
    req: { method: string; path: string; headers: Record<string, string>; body?: string };
    done: Done;
  } {
    const op = this.chooseOp();
    const json = (key: string | null) => ({
      "content-type": "application/json",
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    });
    const auth = (key: string) => ({ authorization: `Bearer ${key}` });
    const t0 = performance.now();
    const finish = (
      name: Op,
      status: number,
      text: string,
      okStatus: number,
      onOk?: () => void,
      onFail?: () => void,
    ) => {
      this.record(name, status, t0, text);
      if (status === okStatus) onOk?.();
      else onFail?.();
    };

    if (op === "update") {
      const b = this.freeFrom([...this.services, ...this.industries]);
      if (b) {
        this.busy.add(b.id);
        this.unknown.update += 1;
        const needs = `${b.needs} [load ${++this.seq}]`.slice(-4000);
        return {
          req: {
            method: "PATCH",
            path: `/v1/businesses/${b.id}`,
            headers: json(b.key),
            body: JSON.stringify({ needs }),
          },
          done: (status, text) => {
            this.busy.delete(b.id);
            this.unknown.update -= 1;
            finish("update", status, text, 200, () => {
              this.ok.update += 1;
              this.lastNeeds.set(b.id, needs);
            });
          },
        };
      }
    }
    if (op === "request") {
      const made = this.buildRequest(json);
      if (made) return made;
    }
    if (op === "answer") {
      const next = this.toAnswer.shift();
      if (next) {
        const partner = this.byId.get(next.partnerId) as Biz;
        // Most are accepted while both sides have room; some are declined ("tidak berminat").
        const accept = this.random() < 0.7 && this.room(next.partnerId) && this.room(next.requesterId);
        if (accept) {
          this.add(this.committed, next.partnerId, 1);
          this.add(this.committed, next.requesterId, 1);
        }
        const kind = accept ? "accept" : "decline";
        this.unknown[kind] += 1;
        return {
          req: { method: "POST", path: `/v1/partnerships/${next.id}/${kind}`, headers: auth(partner.key) },
          done: (status, text) => {
            this.unknown[kind] -= 1;
            finish(
              "answer",
              status,
              text,
              200,
              () => {
                this.ok[kind] += 1;
                this.add(this.openOut, next.requesterId, -1);
              },
              () => {
                if (accept) {
                  this.add(this.committed, next.partnerId, -1);
                  this.add(this.committed, next.requesterId, -1);
                }
              },
            );
          },
        };
      }
    }
    if (op === "signup") {
      const n = ++this.signups;
      this.unknown.signup += 1;
      const body = {
        name: `Warung Uji Beban ${n}`,
        sector: n % 2 ? "service" : "industry",
        kbli: [{ code: n % 2 ? "56101" : "10792", version: "2020" }],
        sizeClass: "mikro",
        location: { kelurahan: "Kranggan" },
        offers: "Nasi pecel dan jajanan pasar untuk acara kantor",
        needs: "Mencari pemasok kerupuk dan kue basah",
        email: `load-${n}@load.example`,
      };
      return {
        // Each sign-up is a different owner on a different connection: its own client address, so
        // the per-IP sign-up limit (10/min, a guard against one abuser) does not turn the city's
        // sign-ups into 429s. wrangler dev passes a client's CF-Connecting-IP through.
        req: {
          method: "POST",
          path: "/v1/signup",
          headers: {
            ...json(null),
            "CF-Connecting-IP": `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
          },
          body: JSON.stringify(body),
        },
        done: (status, text) => {
          this.unknown.signup -= 1;
          finish("signup", status, text, 201, () => {
            this.ok.signup += 1;
            const id = (JSON.parse(text) as { business?: { id?: string } }).business?.id;
            if (id) this.signupIds.push(id);
          });
        },
      };
    }
    if (op === "list") {
      const sector = this.random() < 0.5 ? "service" : "industry";
      return {
        req: {
          method: "GET",
          path: `/v1/businesses?limit=20&sector=${sector}`,
          headers: auth(this.officerKey),
        },
        done: (status, text) => finish("list", status, text, 200),
      };
    }
    const b = this.pick(this.random() < 0.5 ? this.services : this.industries);
    if (op === "matches") {
      return {
        req: { method: "GET", path: `/v1/businesses/${b.id}/matches?limit=10`, headers: auth(b.key) },
        done: (status, text, headers) => {
          finish("matches", status, text, 200);
          // Stored (one D1 statement) or computed (a stale set rescored first): what a read cost.
          const source = headerValue(headers, "x-suggestions-source") ?? "unknown";
          this.matchesSource[source] = (this.matchesSource[source] ?? 0) + 1;
        },
      };
    }
    return {
      req: { method: "GET", path: `/v1/businesses/${b.id}`, headers: auth(b.key) },
      done: (status, text) => finish("profile", status, text, 200),
    };
  }

  /** A business no other in-flight update or request holds (a few random tries). */
  private freeFrom(xs: Biz[]): Biz | undefined {
    for (let i = 0; i < 8; i++) {
      const b = this.pick(xs);
      if (!this.busy.has(b.id)) return b;
    }
    return undefined;
  }

  private buildRequest(json: (key: string | null) => Record<string, string>) {
    for (let attempt = 0; attempt < 8; attempt++) {
      const r = this.pick(this.services);
      if (this.busy.has(r.id) || (this.openOut.get(r.id) ?? 0) >= MAX_OPEN_REQUESTS || !this.room(r.id))
        continue;
      // Walk the industries from a per-requester cursor: each pair is asked at most once.
      let c = this.cursor.get(r.id) ?? Math.floor(this.random() * this.industries.length);
      for (let k = 0; k < 16; k++, c++) {
        const p = this.industries[c % this.industries.length] as Biz;
        const pair = `${r.id}:${p.id}`;
        if (this.pairs.has(pair) || !this.room(p.id)) continue;
        this.pairs.add(pair);
        this.cursor.set(r.id, c + 1);
        this.busy.add(r.id);
        this.add(this.openOut, r.id, 1);
        this.unknown.request += 1;
        const t0 = performance.now();
        const body = {
          partnerId: p.id,
          pattern: "rantai_pasok",
          message: "Kami tertarik bekerja sama (uji beban).",
        };
        return {
          req: { method: "POST", path: "/v1/partnerships", headers: json(r.key), body: JSON.stringify(body) },
          done: (status: number, text: string) => {
            this.busy.delete(r.id);
            this.unknown.request -= 1;
            this.record("request", status, t0, text);
            if (status === 201) {
              this.ok.request += 1;
              const id = (JSON.parse(text) as { id: string }).id;
              this.requestIds.push(id);
              this.toAnswer.push({ id, requesterId: r.id, partnerId: p.id });
            } else {
              this.add(this.openOut, r.id, -1);
            }
          },
        };
      }
    }
    return undefined;
  }

  /** Businesses with an update or request still in flight (its outcome unknown). */
  inFlight(): Set<string> {
    return new Set(this.busy);
  }

  private record(op: Op, status: number, t0: number, text: string) {
    const key = `${op} ${status}`;
    const seen = this.statuses.get(key) ?? 0;
    // The first three answers of each failing operation and status, so one kind cannot hide another.
    if ((status < 200 || status >= 300) && seen < 3) this.failures.push(`${key}: ${text.slice(0, 300)}`);
    const xs = this.latencies.get(op) ?? [];
    xs.push(performance.now() - t0);
    this.latencies.set(op, xs);
    this.statuses.set(key, seen + 1);
  }
}

/** mulberry32: a seeded generator, so two runs choose the same sequence of operations. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What to do with a request's answer: status, body and response headers (names as sent). */
type Done = (status: number, body: string, headers: Record<string, string | string[]>) => void;

function headerValue(headers: Record<string, string | string[]>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

function runAutocannon(
  base: string,
  opts: Options,
  w: Workload,
): Promise<AcResult & { statusCodeStats?: Record<string, { count: number }> }> {
  return new Promise((resolve, reject) => {
    const acOpts = {
      url: base,
      connections: opts.connections,
      duration: opts.durationS,
      timeout: 30,
      requests: [
        {
          setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
            const next = w.build();
            context.done = next.done;
            return { ...req, ...next.req };
          },
          onResponse: (
            status: number,
            body: string,
            context: Record<string, unknown>,
            headers?: Record<string, string | string[]>,
          ) => {
            const done = context.done as Done | undefined;
            context.done = undefined;
            done?.(status, body, headers ?? {});
          },
        },
      ],
    };
    const t0 = Date.now();
    const ticker = setInterval(() => {
      log(`  ${Math.round((Date.now() - t0) / 1000)}/${opts.durationS} s`);
    }, 10_000);
    autocannon(acOpts as unknown as AcOptions, (err, result) => {
      clearInterval(ticker);
      if (err) reject(err);
      else resolve(result);
    });
  });
}

interface OpStats {
  requests: number;
  p50Ms: number;
  p99Ms: number;
}

interface CountCheck {
  what: string;
  acknowledged: number;
  unknown: number;
  inDatabase: number;
  ok: boolean;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const registry = generateDemoRegistry({ count: opts.size }).map(toSeedBusiness);
  // `--stored-sets`: its own seeded database, with every set stored as the nightly run leaves a
  // deployment. Without them (the default, as in earlier reports) a business's first suggestions
  // read computes its set, in both runs.
  const DIRS = stateDirs(opts.storedSets ? "load-sets" : "load");
  const seed = await prepareState(
    DIRS,
    { size: opts.size, reseed: opts.reseed, chunk: 1000, storedSets: opts.storedSets },
    registry,
  );
  await freshState(DIRS);
  const officer = (await demoOfficerKey()).plaintext;
  const businesses: Biz[] = [];
  for (const b of registry) {
    if (!b.fields.active) continue;
    businesses.push({
      id: b.id,
      key: (await demoBusinessKey(b.id)).plaintext,
      sector: b.fields.sector,
      maxPartners: b.fields.maxPartners,
      needs: b.fields.needs,
    });
  }
  const weights = opts.readsOnly ? READS_ONLY : MIXED;
  const w = new Workload(businesses, officer, seeded(20261129), weights);

  const dev = await startDev(DIRS.state);
  const stopOnSignal = () => {
    void dev.stop().then(() => process.exit(130));
  };
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  let result: Awaited<ReturnType<typeof runAutocannon>>;
  let stray: number[];
  let loadAvgBefore: number;
  try {
    await waitForHealth(dev);
    log("- warm-up: building the matcher and one stored set");
    const first = businesses[0] as Biz;
    const warm = await fetch(`${dev.base}/v1/businesses/${first.id}/matches?limit=10`, {
      headers: { authorization: `Bearer ${first.key}` },
    });
    if (warm.status !== 200) throw new Error(`warm-up answered ${warm.status}: ${await warm.text()}`);
    loadAvgBefore = round(loadavg()[0] ?? 0, 2);
    log(
      `- autocannon: ${opts.connections} connections, ${opts.durationS} s, ${opts.readsOnly ? "reads only" : "mixed workload"}`,
    );
    result = await runAutocannon(dev.base, opts, w);
    // Let responses still on the way settle before stopping.
    await new Promise((r) => setTimeout(r, 1_000));
    log("- stopping wrangler dev, then counting");
    ({ stray } = await dev.stop());
  } catch (err) {
    await dev.stop();
    throw err;
  }

  const [db] = await queryLocal<Record<string, number>>(
    DIRS.state,
    `select
      (select count(*) from businesses where email like 'load-%@load.example') as signup,
      (select count(*) from partnerships) as request,
      (select count(*) from partnerships where status = 'accepted') as accept,
      (select count(*) from partnerships where status = 'declined') as decline,
      (select count(*) from partnerships where status = 'requested') as stillRequested,
      (select count(*) from declined_pairs) as declinedPairs,
      (select count(*) from audit_log where action = 'update') as auditUpdate,
      (select count(*) from audit_log where action = 'request') as auditRequest,
      (select count(*) from audit_log where action = 'accept') as auditAccept,
      (select count(*) from audit_log where action = 'decline') as auditDecline,
      (select count(*) from audit_log where action = 'sign_up') as auditSignup`,
  );
  if (!db) throw new Error("count query returned nothing");
  const signupIds = new Set(
    (
      await queryLocal<{ id: string }>(
        DIRS.state,
        "select id from businesses where email like 'load-%@load.example'",
      )
    ).map((r) => r.id),
  );
  const needsRows = await queryLocal<{ id: string; needs: string }>(
    DIRS.state,
    "select id, needs from businesses where needs like '%[load %'",
  );
  const inFlight = w.inFlight();
  const needsInDb = new Map(needsRows.map((r) => [r.id, r.needs]));
  const lostUpdates = [...w.lastNeeds].filter(
    ([id, needs]) => needsInDb.get(id) !== needs && !inFlight.has(id),
  );
  const strayUpdates = [...needsInDb.keys()].filter((id) => !w.lastNeeds.has(id) && !inFlight.has(id));

  const check = (what: string, acknowledged: number, unknown: number, inDatabase: number): CountCheck => ({
    what,
    acknowledged,
    unknown,
    inDatabase,
    ok: inDatabase >= acknowledged && inDatabase <= acknowledged + unknown,
  });
  const u = w.unknown;
  const checks: CountCheck[] = [
    check("sign-ups (businesses)", w.ok.signup, u.signup, db.signup ?? -1),
    check("sign-ups (audit rows)", w.ok.signup, u.signup, db.auditSignup ?? -1),
    check("partnership requests (rows)", w.ok.request, u.request, db.request ?? -1),
    check("partnership requests (audit rows)", w.ok.request, u.request, db.auditRequest ?? -1),
    check("accepts (status accepted)", w.ok.accept, u.accept, db.accept ?? -1),
    check("accepts (audit rows)", w.ok.accept, u.accept, db.auditAccept ?? -1),
    check("declines (status declined)", w.ok.decline, u.decline, db.decline ?? -1),
    check("declines (declined pairs)", w.ok.decline, u.decline, db.declinedPairs ?? -1),
    check("declines (audit rows)", w.ok.decline, u.decline, db.auditDecline ?? -1),
    check("business updates (audit rows)", w.ok.update, u.update, db.auditUpdate ?? -1),
    {
      what: "every acknowledged sign-up id is stored",
      acknowledged: w.signupIds.length,
      unknown: 0,
      inDatabase: w.signupIds.filter((id) => signupIds.has(id)).length,
      ok: w.signupIds.every((id) => signupIds.has(id)),
    },
    {
      what: "each updated business holds its last acknowledged update",
      acknowledged: w.lastNeeds.size,
      unknown: inFlight.size,
      inDatabase: w.lastNeeds.size - lostUpdates.length,
      ok: lostUpdates.length === 0 && strayUpdates.length === 0,
    },
  ];

  const perOp: Record<string, OpStats> = {};
  for (const [op, xs] of w.latencies) {
    const sorted = [...xs].sort((a, b) => a - b);
    perOp[op] = { requests: xs.length, p50Ms: round(pct(sorted, 50), 1), p99Ms: round(pct(sorted, 99), 1) };
  }
  const byStatus: Record<string, number> = {};
  for (const [k, n] of [...w.statuses].sort()) byStatus[k] = n;
  const non2xx = Object.entries(byStatus)
    .filter(([k]) => !/ 2\d\d$/.test(k))
    .reduce((a, [, n]) => a + n, 0);
  const report = {
    startedAt: new Date().toISOString(),
    registry: opts.size,
    workload: weights,
    connections: opts.connections,
    durationS: opts.durationS,
    requests: result.requests.total,
    rps: round(result.requests.total / result.duration, 1),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    errors: { non2xx, socketErrors: result.errors, timeouts: result.timeouts, byStatus },
    perOp,
    writesAcknowledged: w.ok,
    writesUnknown: w.unknown,
    countCheck: {
      ok: checks.every((c) => c.ok),
      checks,
      lostUpdates: lostUpdates.slice(0, 10),
      strayUpdates,
    },
    firstFailures: w.failures,
    diagnostics: {
      seed,
      loadAvgBefore: loadAvgBefore ?? 0,
      machine: `${cpus().length} cores, Node ${process.version}; load generator on the same machine`,
      code: codeVersion(),
      strayProcesses: stray ?? [],
      matchesSource: w.matchesSource,
      storedSets: opts.storedSets,
    },
  };

  const lines = [
    `Load test: bundled Worker under wrangler dev, ${report.registry} demo businesses, ${report.connections} connections, ${report.durationS} s, ${opts.readsOnly ? "reads only" : "mixed workload"} (weights ${JSON.stringify(weights)})`,
    `(${report.diagnostics.machine}; load average ${report.diagnostics.loadAvgBefore} before; code ${report.diagnostics.code.commit}${report.diagnostics.code.dirty ? " with uncommitted changes" : ""})`,
    "",
    `requests ${report.requests}, ${report.rps} req/s, latency p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms, max ${report.latencyMs.max} ms`,
    `non-2xx ${non2xx}, socket errors ${result.errors}, timeouts ${result.timeouts}`,
    "",
    "| operation | requests | p50 ms | p99 ms |",
    "|---|---:|---:|---:|",
    ...Object.entries(perOp).map(([op, s]) => `| ${op} | ${s.requests} | ${s.p50Ms} | ${s.p99Ms} |`),
    "",
    `statuses: ${Object.entries(byStatus)
      .map(([k, n]) => `${k}: ${n}`)
      .join(", ")}`,
    "",
    `count check (no lost writes, no extra rows): ${report.countCheck.ok ? "OK" : "FAILED"}`,
    ...checks.map(
      (c) =>
        `  ${c.ok ? "ok  " : "FAIL"} ${c.what}: acknowledged ${c.acknowledged}${c.unknown ? ` (+${c.unknown} unanswered)` : ""}, in the database ${c.inDatabase}`,
    ),
    ...(w.failures.length ? ["", "first failures:", ...w.failures.map((f) => `  ${f}`)] : []),
    "",
  ];
  const summary = lines.join("\n");
  const out = path.resolve(root, opts.out);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(`${out}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${out}.md`, `${summary}\n`);
  // What the Worker logged (warnings and errors: stack traces of any 5xx), next to the report.
  await writeFile(`${out}.wrangler.log`, dev.output());
  if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(`\n${summary}\nreport written to ${opts.out}.json and ${opts.out}.md\n`);
  if (!report.countCheck.ok || non2xx > 0 || result.errors > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  log(`load failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exitCode = 1;
});
