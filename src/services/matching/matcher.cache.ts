import type { Database } from "../../db";
import {
  ANALYZER_VERSION,
  type AnalyzedProfile,
  type LiveMatcher,
  liveMatcherBuilder,
  type MatchProfile,
} from "../../matching";
import {
  type RegistryVersion,
  registryVersionQuery,
  toRegistryVersion,
} from "../businesses/registry.queries";
import type { ServiceDeps } from "../deps";
import {
  MATCHER_PAGE_ROWS,
  selectChangedMatcherRows,
  selectChangedSince,
  type selectMatcherRows,
  selectMatcherRowsPage,
} from "./matcher.queries";

/** A matcher over the active registry as of one version, with what callers need beside it. */
export interface CachedMatcher {
  key: string;
  matcher: LiveMatcher;
  /**
   * Each active business's `matchInputsAt` (the version of its matching inputs the matcher holds):
   * what a stored set is computed from.
   */
  updatedAt: Map<string, number>;
  /**
   * The own database's registry revision this matcher is labelled with (its data is at least that
   * recent): a set it computes is kept stale by a mark of a later revision (`staleRevision`).
   */
  revision: number;
  /**
   * The registry revision of each neighbour shard this matcher holds, by shard name (empty in a
   * single-database deployment): a set it computes is kept stale by a neighbour's mark of a later
   * revision of that shard (`staleSources`).
   */
  sourceRevisions: Record<string, number>;
}

/** How the last {@link currentMatcher} call got its matcher, and how many rows it read from D1. */
export interface MatcherLoad {
  kind: "cached" | "joined" | "full" | "delta";
  /** Rows returned by D1: the version rows, plus the change-log and business rows it loaded. */
  rowsRead: number;
  /** Businesses reloaded (delta: the changed ones; full: all). */
  businesses: number;
}

type MatcherRow = Awaited<ReturnType<ReturnType<typeof selectMatcherRows>["all"]>>[number];

/**
 * Where a matcher's businesses come from: one database in a single-database deployment; in a
 * sharded one, the shard's own database and each neighbour shard's (read through a D1 session, so
 * possibly a replica). Each source has its own registry version and change log.
 */
interface Source {
  name: string;
  db: Database;
  /** The session's bookmark after this build's reads (neighbour shards), else null. */
  bookmark(): string | null;
}

interface SourceState {
  version: RegistryVersion;
  bookmark: string | null;
}

interface Entry extends CachedMatcher {
  sources: Map<string, SourceState>;
  /** Epoch ms when this entry was built or last found current (see `changesSinceHeld`). */
  checkedAt: number;
}

/**
 * Isolate-level cache: one live matcher per shard (one in all for a single-database deployment),
 * moved forward by the change log. When a write has moved a source's revision, the isolate reads
 * only that source's change-log rows after its revision and those businesses' rows, and applies
 * them to its matcher in place (src/matching/live.ts: corpus statistics fixed until the next full
 * build). It rebuilds in full only on its first use, when a database is another (`epoch`), a full
 * rebuild started a new `generation`, or the shard's neighbours changed.
 *
 * Concurrent requests of one isolate share one build per version: the first starts it, the others
 * wait for its result (`waitForBuild`). They never await the starter's promise: workerd runs the
 * continuation of a promise in the context of the request that settled it, so a waiter would go on
 * in the starter's request (its own response's I/O then fails: "Cannot perform I/O on behalf of a
 * different request"), or never, once the starter's request has ended ("code had hung"). Both
 * happened under `npm run load`. The build is handed to the starter's `defer` (waitUntil), so it
 * runs to its end even if that request finishes first. Matching itself is synchronous, so a
 * matcher is never changed while a request is ranking with it; a request that loaded it earlier
 * sees the newer state, which only ever moves forward together with `updatedAt`.
 */
const caches = new Map<string, Entry>();
interface Build {
  key: string;
  startedAt: number;
}
const building = new Map<string, Build>();
/**
 * How long a request waits for another's build of the same version before building itself (a
 * build whose request was cancelled never finishes). A full build of a large shard takes seconds.
 */
const JOIN_WAIT_MS = 30_000;
/** Longest pause between two looks at another request's build. */
const JOIN_POLL_MAX_MS = 16;
let lastLoad: MatcherLoad = { kind: "cached", rowsRead: 0, businesses: 0 };
const counts = { full: 0, delta: 0 };

function versionKey(v: RegistryVersion): string {
  return `${v.epoch}:${v.generation}:${v.revision}`;
}

function sourcesKey(versions: Map<string, RegistryVersion>): string {
  return [...versions]
    .map(([name, v]) => (name === "" ? versionKey(v) : `${name}=${versionKey(v)}`))
    .join("|");
}

/** Stored features when they came from the current analyzer; otherwise the profile, re-analysed. */
export function matcherInput(row: MatcherRow): AnalyzedProfile | MatchProfile {
  const features = row.matchFeatures as { v?: unknown } | null;
  if (features && typeof features === "object" && features.v === ANALYZER_VERSION)
    return features as AnalyzedProfile;
  return {
    id: row.id,
    name: row.name,
    sector: row.sector,
    kbli: row.kbli,
    sizeClass: row.sizeClass,
    location: {
      kelurahan: row.kelurahan,
      kecamatan: row.kecamatan,
      city: row.city,
      lat: row.lat,
      lng: row.lng,
    },
    offers: row.offers,
    needs: row.needs,
    maxPartners: row.maxPartners,
  };
}

function stateOf(sources: Source[], versions: Map<string, RegistryVersion>): Map<string, SourceState> {
  return new Map(
    sources.map((s) => [
      s.name,
      { version: versions.get(s.name) as RegistryVersion, bookmark: s.bookmark() },
    ]),
  );
}

/** Rows per page of a full build (a test sets it small to read several pages). */
let pageRows = MATCHER_PAGE_ROWS;

async function fullBuild(
  sources: Source[],
  versions: Map<string, RegistryVersion>,
  versionRows: number,
): Promise<Entry> {
  const builder = liveMatcherBuilder();
  const updatedAt = new Map<string, number>();
  let read = 0;
  // Source after source, page after page: each page is added to the matcher and dropped.
  for (const source of sources) {
    let after: string | null = null;
    for (;;) {
      const rows: MatcherRow[] = await selectMatcherRowsPage(source.db, after, pageRows).all();
      builder.add(rows.map(matcherInput));
      for (const r of rows) updatedAt.set(r.id, r.matchInputsAt);
      read += rows.length;
      if (rows.length < pageRows) break;
      after = rows[rows.length - 1].id;
    }
  }
  counts.full++;
  lastLoad = { kind: "full", rowsRead: versionRows + read, businesses: read };
  return {
    key: sourcesKey(versions),
    sources: stateOf(sources, versions),
    matcher: builder.finish(),
    updatedAt,
    revision: ownRevision(sources, versions),
    sourceRevisions: neighbourRevisions(sources, versions),
    checkedAt: Date.now(),
  };
}

/**
 * Applies each moved source's changes after `from`'s revision of it to its matcher, in place. The
 * own source's (the first) come from `held` when the caller read them after that same revision.
 */
async function deltaBuild(
  sources: Source[],
  from: Entry,
  versions: Map<string, RegistryVersion>,
  versionRows: number,
  held: HeldChanges | undefined,
): Promise<Entry> {
  const moved = sources.filter(
    (s) => from.sources.get(s.name)?.version.revision !== versions.get(s.name)?.revision,
  );
  const deltas = await Promise.all(
    moved.map(async (s): Promise<[HeldChanges["changed"], MatcherRow[]]> => {
      const since = (from.sources.get(s.name) as SourceState).version.revision;
      if (s === sources[0] && held?.since === since) return [held.changed, held.rows];
      return s.db.batch([selectChangedSince(s.db, since), selectChangedMatcherRows(s.db, since)]);
    }),
  );
  let read = 0;
  let changedCount = 0;
  for (const [changed, rows] of deltas) {
    const present = new Set(rows.map((r) => r.id));
    const remove = changed.map((c) => c.businessId).filter((id) => !present.has(id));
    from.matcher.apply({ upsert: rows.map(matcherInput), remove });
    for (const id of remove) from.updatedAt.delete(id);
    for (const r of rows) from.updatedAt.set(r.id, r.matchInputsAt);
    read += changed.length + rows.length;
    changedCount += changed.length;
  }
  counts.delta++;
  lastLoad = { kind: "delta", rowsRead: versionRows + read, businesses: changedCount };
  // Labelled with the versions read before the delta, never newer than its data: changes that
  // landed meanwhile are read (and applied, idempotently) again next time.
  return {
    ...from,
    key: sourcesKey(versions),
    sources: stateOf(sources, versions),
    revision: ownRevision(sources, versions),
    sourceRevisions: neighbourRevisions(sources, versions),
    checkedAt: Date.now(),
  };
}

/** The neighbour sources' (all but the first) revisions in `versions`, by name. */
function neighbourRevisions(
  sources: Source[],
  versions: Map<string, RegistryVersion>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of sources.slice(1)) out[s.name] = versions.get(s.name)?.revision ?? 0;
  return out;
}

/** The own database's (the first source's) revision in `versions`. */
function ownRevision(sources: Source[], versions: Map<string, RegistryVersion>): number {
  return versions.get(sources[0]?.name ?? "")?.revision ?? 0;
}

/** Whether `a` is a later version of the same databases than `b`. */
function isNewer(a: Map<string, SourceState>, b: Map<string, SourceState>): boolean {
  let later = false;
  for (const [name, { version: va }] of a) {
    const vb = b.get(name)?.version;
    if (!vb || va.epoch !== vb.epoch) return false;
    if (va.generation < vb.generation || (va.generation === vb.generation && va.revision < vb.revision))
      return false;
    if (va.generation > vb.generation || va.revision > vb.revision) later = true;
  }
  return later && a.size === b.size;
}

function canCatchUp(from: Entry | undefined, to: Map<string, RegistryVersion>): from is Entry {
  if (from === undefined || from.sources.size !== to.size) return false;
  for (const [name, v] of to) {
    const have = from.sources.get(name)?.version;
    if (!have || have.epoch !== v.epoch || have.generation !== v.generation || have.revision > v.revision)
      return false;
  }
  return true;
}

/** The shard's own database, then its neighbours' read sessions (from the bookmarks last seen). */
function sourcesOf(deps: ServiceDeps, cached: Entry | undefined): Source[] {
  const own: Source = { name: deps.shard?.name ?? "", db: deps.db, bookmark: () => null };
  const neighbours = (deps.shard?.neighbours ?? []).map((n): Source => {
    const session = n.read(cached?.sources.get(n.name)?.bookmark ?? null);
    return { name: n.name, db: session.db, bookmark: () => session.bookmark() };
  });
  return [own, ...neighbours];
}

/**
 * What the caller already read of its own database's registry version (`deps.db`), in a statement
 * of its own request that ran after the time its results are stamped with (a serving read, a
 * write's batch): the matcher need not read it again. A stored set is stamped with the request's
 * `now`, and a stale mark made at or after that survives its write, so a matcher as of a version
 * read after `now` (or any later one) is as good as one read just before ranking.
 */
export interface KnownVersion {
  version: RegistryVersion;
  /**
   * The own database's change log after `since`, read in the same statement batch as `version`
   * (`changesSinceHeld`): when this isolate's matcher is at `since`, it catches up from these rows
   * without reading them again.
   */
  changes?: HeldChanges | undefined;
}

/** The change-log rows after `since` and the rows of those businesses, read together. */
export interface HeldChanges {
  since: number;
  changed: Array<{ businessId: string }>;
  rows: MatcherRow[];
}

/**
 * The matcher for the registry as it is now: one tiny read of the version (per source; the own
 * database's is skipped when the caller `known` it), then the change log since this isolate's
 * version when it moved (or a full load the first time). In a sharded deployment it holds the
 * shard's own businesses and its neighbour shards'. An isolate whose matcher is already later than
 * the version read (another request caught up meanwhile) uses it as it is.
 */
export async function currentMatcher(deps: ServiceDeps, known?: KnownVersion): Promise<CachedMatcher> {
  const shard = deps.shard?.name ?? "";
  const cache = caches.get(shard);
  const sources = sourcesOf(deps, cache);
  const versionRowSets = await Promise.all(
    sources.map((s, i) => (i === 0 && known ? null : registryVersionQuery(s.db).all())),
  );
  const versions = new Map(
    sources.map((s, i) => [
      s.name,
      i === 0 && known ? known.version : toRegistryVersion(versionRowSets[i] ?? []),
    ]),
  );
  const versionRows = versionRowSets.reduce((n, rows) => n + (rows?.length ?? 0), 0);
  const key = sourcesKey(versions);
  if (cache?.key === key) {
    cache.checkedAt = Date.now();
    lastLoad = { kind: "cached", rowsRead: versionRows, businesses: 0 };
    return cache;
  }
  // The caller's version is older than the matcher: another request caught up since it was read,
  // or the database went back in time (a restore). Only a read of the version now tells which.
  if (known && cache && isNewer(cache.sources, stateOf(sources, versions))) return currentMatcher(deps);
  const inFlight = building.get(shard);
  if (inFlight?.key === key) {
    const built = await waitForBuild(shard, inFlight, stateOf(sources, versions));
    if (built) {
      lastLoad = { kind: "joined", rowsRead: versionRows, businesses: 0 };
      return built;
    }
    // Its build failed or was abandoned: build here, from whatever the isolate holds now.
    return currentMatcher(deps, known);
  }
  const from = caches.get(shard);
  const mine: Build = { key, startedAt: Date.now() };
  const promise = (
    canCatchUp(from, versions)
      ? deltaBuild(sources, from, versions, versionRows, known?.changes)
      : fullBuild(sources, versions, versionRows)
  ).then(
    (built) => {
      // A newer build may have finished first (two versions in flight): keep the newest.
      const current = caches.get(shard);
      if (!current || !isNewer(current.sources, built.sources)) caches.set(shard, built);
      if (building.get(shard) === mine) building.delete(shard);
      return built;
    },
    (err: unknown) => {
      if (building.get(shard) === mine) building.delete(shard);
      throw err;
    },
  );
  building.set(shard, mine);
  deps.defer?.(promise.catch(() => undefined));
  return promise;
}

/**
 * Waits, on this request's own timers, until another request's build of `wanted` is in the
 * cache (or a newer one is). Undefined when that build failed, was replaced, or ran past
 * {@link JOIN_WAIT_MS}.
 */
async function waitForBuild(
  shard: string,
  build: Build,
  wanted: Map<string, SourceState>,
): Promise<Entry | undefined> {
  for (let pause = 1; ; pause = Math.min(pause * 2, JOIN_POLL_MAX_MS)) {
    await new Promise((resolve) => setTimeout(resolve, pause));
    const cached = caches.get(shard);
    if (cached && (cached.key === build.key || isNewer(cached.sources, wanted))) return cached;
    if (building.get(shard) !== build || Date.now() - build.startedAt > JOIN_WAIT_MS) {
      if (building.get(shard) === build) building.delete(shard);
      return undefined;
    }
  }
}

/**
 * How recently an isolate's matcher must have been current for a write to read the change log
 * since it in its own batch: the rows since then are few (a write's batch must stay small: it is
 * the owner's request). An older matcher catches up in the refresh, by its own read, as before.
 */
const HELD_MAX_AGE_MS = 10_000;

/**
 * The change-log reads a write adds to its own batch, after its revision bump, so that the refresh
 * that follows it catches this isolate's matcher up without another round trip (pass what they
 * return as `KnownVersion.changes`, `since` included). Null when this isolate holds no matcher of
 * the database, or none current in the last {@link HELD_MAX_AGE_MS}.
 */
export function changesSinceHeld(deps: ServiceDeps, now = Date.now()) {
  const shard = deps.shard?.name ?? "";
  const entry = caches.get(shard);
  const held = entry?.sources.get(shard);
  if (!entry || !held || now - entry.checkedAt > HELD_MAX_AGE_MS) return null;
  const since = held.version.revision;
  return {
    since,
    statements: [selectChangedSince(deps.db, since), selectChangedMatcherRows(deps.db, since)] as const,
  };
}

/** How the last {@link currentMatcher} call got its matcher (tests, the bench). */
export function lastMatcherLoad(): MatcherLoad {
  return lastLoad;
}

/** Full and delta builds since the cache was last reset (tests). */
export function matcherBuildCounts(): { full: number; delta: number } {
  return { ...counts };
}

/** Test hook: read full builds in pages of `rows` (default {@link MATCHER_PAGE_ROWS}). */
export function setMatcherPageRows(rows = MATCHER_PAGE_ROWS): void {
  pageRows = rows;
}

/** Test hook: forget the cached matchers. */
export function resetMatcherCache(): void {
  caches.clear();
  building.clear();
  counts.full = 0;
  counts.delta = 0;
}
