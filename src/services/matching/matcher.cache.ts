import type { BusinessRow } from "../../../schema";
import {
  ANALYZER_VERSION,
  type AnalyzedProfile,
  createMatcher,
  type Matcher,
  type MatchProfile,
} from "../../matching";
import { selectActiveForMatching } from "../businesses/businesses.queries";
import { type PublicProfile, toPublicProfile } from "../businesses/businesses.views";
import {
  type RegistryVersion,
  selectRegistryVersion,
  toRegistryVersion,
} from "../businesses/registry.queries";
import type { ServiceDeps } from "../deps";

/** A matcher over one snapshot of the active registry, with what callers need beside it. */
export interface CachedMatcher {
  key: string;
  matcher: Matcher;
  profiles: Map<string, PublicProfile>;
  /** Each active business's `updatedAt` in this snapshot (what a stored set is computed from). */
  updatedAt: Map<string, number>;
}

/**
 * Isolate-level cache: one matcher per registry version. The registry is reloaded and re-analysed
 * only when a write has bumped the revision. Only plain values are shared across requests, never
 * promises (Workers forbid awaiting I/O started by another request).
 */
let cache: CachedMatcher | null = null;

function versionKey(v: RegistryVersion): string {
  return `${v.epoch}:${v.revision}`;
}

/** Stored features when they came from the current analyzer; otherwise the profile, re-analysed. */
export function matcherInput(row: BusinessRow): AnalyzedProfile | MatchProfile {
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

/**
 * The matcher for the registry as it is now: one tiny read of the version, and a full load only
 * when the version moved since this isolate last built one.
 */
export async function currentMatcher(deps: ServiceDeps): Promise<CachedMatcher> {
  const version = toRegistryVersion(await selectRegistryVersion(deps.db).all());
  const key = versionKey(version);
  if (cache?.key === key) return cache;
  // The version was read before this load, so the cache is never labelled newer than its data.
  const rows = await selectActiveForMatching(deps.db).all();
  const built: CachedMatcher = {
    key,
    matcher: createMatcher(rows.map(matcherInput)),
    profiles: new Map(rows.map((r) => [r.id, toPublicProfile(r)])),
    updatedAt: new Map(rows.map((r) => [r.id, r.updatedAt])),
  };
  cache = built;
  return built;
}

/** Test hook: forget the cached matcher. */
export function resetMatcherCache(): void {
  cache = null;
}
