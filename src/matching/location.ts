/**
 * Location signal. Kota Mojokerto is ~5.5 km across, so administrative tiers (same kelurahan,
 * kecamatan, city, neighbouring regency) say more than kilometres; distance only breaks ties
 * inside a tier and separates far towns.
 */
import regionsData from "../../data/regions.json";
import type { MatchLocation } from "./types";

export type LocationTier = "kelurahan" | "kecamatan" | "city" | "neighbour" | "province" | "far";

const TIER_SCORE: Record<LocationTier, number> = {
  kelurahan: 1,
  kecamatan: 0.85,
  city: 0.7,
  neighbour: 0.45,
  province: 0.2,
  far: 0.05,
};
/** Kilometres at which the distance part has fallen to 1/e. */
const DISTANCE_SCALE_KM = 15;
const TIER_SHARE = 0.75;

interface Region {
  code: string;
  name: string;
  aliases: string[];
  neighbours: string[];
}

const regions = regionsData.regions as Region[];
const byName = new Map<string, Region>();
for (const r of regions) {
  for (const n of [r.name, ...r.aliases]) byName.set(normalisePlace(n), r);
}

function normalisePlace(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, "");
}

/** Finds a known kabupaten/kota by name or alias ("Kab. Jombang"), else null. */
export function findRegion(city: string): Region | null {
  return byName.get(normalisePlace(city)) ?? null;
}

/** Great-circle distance in km, or null when either side has no coordinates. */
export function distanceKm(a: MatchLocation, b: MatchLocation): number | null {
  if (a.lat == null || a.lng == null || b.lat == null || b.lng == null) return null;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function locationTier(a: MatchLocation, b: MatchLocation): LocationTier {
  const ra = findRegion(a.city);
  const rb = findRegion(b.city);
  const sameCity = ra && rb ? ra.code === rb.code : normalisePlace(a.city) === normalisePlace(b.city);
  if (sameCity) {
    if (a.kelurahan && b.kelurahan && normalisePlace(a.kelurahan) === normalisePlace(b.kelurahan))
      return "kelurahan";
    if (a.kecamatan && b.kecamatan && normalisePlace(a.kecamatan) === normalisePlace(b.kecamatan))
      return "kecamatan";
    return "city";
  }
  if (ra && rb && (ra.neighbours.includes(rb.code) || rb.neighbours.includes(ra.code))) return "neighbour";
  if (ra && rb) return "province";
  const d = distanceKm(a, b);
  if (d != null && d <= 40) return "neighbour";
  if (d != null && d <= 250) return "province";
  return "far";
}

export interface LocationResult {
  /** In [0, 1]. */
  score: number;
  tier: LocationTier;
  km: number | null;
}

/**
 * Location closeness in [0, 1]: 75% from the tier, 25% from exp(-km / 15).
 * @example two warung in Miji -> tier "kelurahan", score ~0.99
 */
export function locationScore(a: MatchLocation, b: MatchLocation): LocationResult {
  const tier = locationTier(a, b);
  const km = distanceKm(a, b);
  const near = km == null ? TIER_SCORE[tier] : Math.exp(-km / DISTANCE_SCALE_KM);
  return { score: TIER_SHARE * TIER_SCORE[tier] + (1 - TIER_SHARE) * near, tier, km };
}
