import {
  ANALYZER_VERSION,
  type AnalyzedProfile,
  createLiveMatcher,
  type LiveMatcher,
  type MatchProfile,
} from "../../matching";
import {
  type RegistryVersion,
  selectRegistryVersion,
  toRegistryVersion,
} from "../businesses/registry.queries";
import type { ServiceDeps } from "../deps";
import { selectChangedMatcherRows, selectChangedSince, selectMatcherRows } from "./matcher.queries";

/** A matcher over the active registry as of one version, with what callers need beside it. */
export interface CachedMatcher {
  key: string;
  matcher: LiveMatcher;
  /**
   * Each active business's `matchInputsAt` (the version of its matching inputs the matcher holds):
   * what a stored set is computed from.
   */
  updatedAt: Map<string, number>;
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

interface Entry extends CachedMatcher {
  version: RegistryVersion;
}

/**
 * Isolate-level cache: one live matcher, moved forward by the change log. When a write has moved
 * the revision, the isolate reads only the change-log rows after its revision and those
 * businesses' rows, and applies them to its matcher in place (src/matching/live.ts: corpus
 * statistics fixed until the next full build). It rebuilds in full only on its first use, when
 * the database is another (`epoch`) or a full rebuild started a new `generation`.
 *
 * Concurrent requests of one isolate share one build per version: the first starts it, the others
 * await the same promise. The build is handed to the starter's `defer` (waitUntil), so it runs to
 * its end even if that request finishes or is cancelled first: a request never waits on I/O whose
 * owner went away. Matching itself is synchronous, so a matcher is never changed while a request
 * is ranking with it; a request that loaded it earlier sees the newer state, which only ever moves
 * forward together with `updatedAt`.
 */
let cache: Entry | null = null;
let building: { key: string; promise: Promise<Entry> } | null = null;
let lastLoad: MatcherLoad = { kind: "cached", rowsRead: 0, businesses: 0 };
const counts = { full: 0, delta: 0 };

function versionKey(v: RegistryVersion): string {
  return `${v.epoch}:${v.generation}:${v.revision}`;
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

async function fullBuild(deps: ServiceDeps, version: RegistryVersion, versionRows: number): Promise<Entry> {
  const rows = await selectMatcherRows(deps.db).all();
  counts.full++;
  lastLoad = { kind: "full", rowsRead: versionRows + rows.length, businesses: rows.length };
  return {
    key: versionKey(version),
    version,
    matcher: createLiveMatcher(rows.map(matcherInput)),
    updatedAt: new Map(rows.map((r) => [r.id, r.matchInputsAt])),
  };
}

/** Applies the changes after `from`'s revision to its matcher, in place. */
async function deltaBuild(
  deps: ServiceDeps,
  from: Entry,
  version: RegistryVersion,
  versionRows: number,
): Promise<Entry> {
  const since = from.version.revision;
  const [changed, rows] = await deps.db.batch([
    selectChangedSince(deps.db, since),
    selectChangedMatcherRows(deps.db, since),
  ]);
  const present = new Set(rows.map((r) => r.id));
  const remove = changed.map((c) => c.businessId).filter((id) => !present.has(id));
  from.matcher.apply({ upsert: rows.map(matcherInput), remove });
  for (const id of remove) from.updatedAt.delete(id);
  for (const r of rows) from.updatedAt.set(r.id, r.matchInputsAt);
  counts.delta++;
  lastLoad = {
    kind: "delta",
    rowsRead: versionRows + changed.length + rows.length,
    businesses: changed.length,
  };
  // Labelled with the version read before the delta, never newer than its data: changes that
  // landed meanwhile are read (and applied, idempotently) again next time.
  return { ...from, key: versionKey(version), version };
}

/** Whether `a` is a later version of the same database than `b`. */
function isNewer(a: RegistryVersion, b: RegistryVersion): boolean {
  if (a.epoch !== b.epoch) return false;
  return a.generation > b.generation || (a.generation === b.generation && a.revision > b.revision);
}

function canCatchUp(from: Entry | null, to: RegistryVersion): from is Entry {
  return (
    from !== null &&
    from.version.epoch === to.epoch &&
    from.version.generation === to.generation &&
    from.version.revision <= to.revision
  );
}

/**
 * The matcher for the registry as it is now: one tiny read of the version, then the change log
 * since this isolate's version when it moved (or a full load the first time).
 */
export async function currentMatcher(deps: ServiceDeps): Promise<CachedMatcher> {
  const versionRows = await selectRegistryVersion(deps.db).all();
  const version = toRegistryVersion(versionRows);
  const key = versionKey(version);
  if (cache?.key === key) {
    lastLoad = { kind: "cached", rowsRead: versionRows.length, businesses: 0 };
    return cache;
  }
  if (building?.key === key) {
    lastLoad = { kind: "joined", rowsRead: versionRows.length, businesses: 0 };
    return building.promise;
  }
  const from = cache;
  const promise = (
    canCatchUp(from, version)
      ? deltaBuild(deps, from, version, versionRows.length)
      : fullBuild(deps, version, versionRows.length)
  ).then(
    (built) => {
      // A newer build may have finished first (two versions in flight): keep the newest.
      if (!cache || !isNewer(cache.version, built.version)) cache = built;
      if (building?.key === key) building = null;
      return built;
    },
    (err: unknown) => {
      if (building?.key === key) building = null;
      throw err;
    },
  );
  building = { key, promise };
  deps.defer?.(promise.catch(() => undefined));
  return promise;
}

/** How the last {@link currentMatcher} call got its matcher (tests, the bench). */
export function lastMatcherLoad(): MatcherLoad {
  return lastLoad;
}

/** Full and delta builds since the cache was last reset (tests). */
export function matcherBuildCounts(): { full: number; delta: number } {
  return { ...counts };
}

/** Test hook: forget the cached matcher. */
export function resetMatcherCache(): void {
  cache = null;
  building = null;
  counts.full = 0;
  counts.delta = 0;
}
