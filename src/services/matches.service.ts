import type { BusinessRow } from "../../schema";
import type { Language } from "../domain/business";
import { ApiError, notFound } from "../errors";
import {
  ANALYZER_VERSION,
  type AnalyzedProfile,
  createMatcher,
  type MatchComponents,
  type Matcher,
  type MatchProfile,
  type PartnershipPattern,
} from "../matching";
import { selectActiveForMatching, selectBusinessById } from "./businesses.queries";
import { type PublicProfile, toPublicProfile } from "./businesses.service";
import type { ServiceDeps } from "./deps";
import { type RegistryVersion, selectRegistryVersion, toRegistryVersion } from "./registry.queries";

export interface MatchItem {
  business: PublicProfile;
  /** Fused reciprocal score in [0, 1]. */
  score: number;
  components: MatchComponents;
  reasons: string[];
  pattern: PartnershipPattern;
}

interface CachedMatcher {
  key: string;
  matcher: Matcher;
  profiles: Map<string, PublicProfile>;
}

/**
 * Isolate-level cache: one matcher per registry version. Every request pays one tiny read (the
 * version, batched with the caller's own row); the registry is reloaded and re-analysed only when
 * a write has bumped the revision. Only plain values are shared across requests, never promises
 * (Workers forbid awaiting I/O started by another request).
 */
let cache: CachedMatcher | null = null;

function versionKey(v: RegistryVersion): string {
  return `${v.epoch}:${v.revision}`;
}

/** Stored features when they came from the current analyzer; otherwise the profile, re-analysed. */
function matcherInput(row: BusinessRow): AnalyzedProfile | MatchProfile {
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

async function matcherFor(deps: ServiceDeps, version: RegistryVersion): Promise<CachedMatcher> {
  const key = versionKey(version);
  if (cache?.key === key) return cache;
  // The version was read before this load, so the cache is never labelled newer than its data.
  const rows = await selectActiveForMatching(deps.db).all();
  const built: CachedMatcher = {
    key,
    matcher: createMatcher(rows.map(matcherInput)),
    profiles: new Map(rows.map((r) => [r.id, toPublicProfile(r)])),
  };
  cache = built;
  return built;
}

/** Test hook: forget the cached matcher. */
export function resetMatcherCache(): void {
  cache = null;
}

export interface SuggestInput {
  businessId: string;
  limit: number;
  minScore: number;
  /** Explicit language; else the business's own preference. */
  lang?: Language | undefined;
}

/**
 * Ranked partner suggestions for one active business: only active businesses of the other
 * sector, never itself, best first (ties by id, inside the matcher).
 *
 * @throws 404 when the business does not exist, 409 `business_inactive` when it is deactivated.
 */
export async function suggestPartners(
  deps: ServiceDeps,
  input: SuggestInput,
): Promise<{ items: MatchItem[] }> {
  const [versionRows, selfRows] = await deps.db.batch([
    selectRegistryVersion(deps.db),
    selectBusinessById(deps.db, input.businessId),
  ]);
  const self = selfRows[0];
  if (!self) throw notFound("Business");
  if (!self.active) {
    throw new ApiError(
      409,
      "business_inactive",
      "Business inactive",
      "An inactive business gets no suggestions.",
    );
  }
  const { matcher, profiles } = await matcherFor(deps, toRegistryVersion(versionRows));
  const suggestions = matcher.rank(self.id, {
    limit: input.limit,
    minScore: input.minScore,
    lang: input.lang ?? self.language,
  });
  const items: MatchItem[] = [];
  for (const s of suggestions) {
    const business = profiles.get(s.id);
    if (!business || s.id === self.id || s.score < input.minScore) continue;
    items.push({
      business,
      score: s.score,
      components: s.components,
      reasons: s.reasons,
      pattern: s.pattern,
    });
  }
  return { items };
}
