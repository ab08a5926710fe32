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

export interface Region {
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

/**
 * A location prepared once for fast comparisons: names normalised, region resolved, coordinates
 * in radians. The matcher keeps one per business.
 */
export interface Place {
  /** Region code when known, else the normalised city name: equal keys = same city. */
  cityKey: string;
  region: Region | null;
  kelurahan: string | null;
  kecamatan: string | null;
  lat: number | null;
  lng: number | null;
  cosLat: number;
  /** Interned ids of the keys above (-1 = none), so the hot path compares integers. */
  cityId: number;
  kelurahanId: number;
  kecamatanId: number;
  regionIndex: number;
}

const placeIds = new Map<string, number>();
function placeId(key: string | null): number {
  if (key === null) return -1;
  let id = placeIds.get(key);
  if (id === undefined) {
    id = placeIds.size;
    placeIds.set(key, id);
  }
  return id;
}

const regionIndex = new Map(regions.map((r, i) => [r.code, i]));
/** neighbours[a * R + b] = 1 when regions a and b share a border (either list says so). */
const neighbourMatrix = new Uint8Array(regions.length * regions.length);
regions.forEach((r, i) => {
  for (const code of r.neighbours) {
    const j = regionIndex.get(code);
    if (j === undefined) continue;
    neighbourMatrix[i * regions.length + j] = 1;
    neighbourMatrix[j * regions.length + i] = 1;
  }
});

/** Prepares a location for {@link placeScore}: normalised names, resolved region, interned ids. */
export function toPlace(loc: MatchLocation): Place {
  const region = findRegion(loc.city);
  const lat = loc.lat ?? null;
  const lng = loc.lng ?? null;
  const cityKey = region ? region.code : normalisePlace(loc.city);
  const kelurahan = loc.kelurahan ? normalisePlace(loc.kelurahan) : null;
  const kecamatan = loc.kecamatan ? normalisePlace(loc.kecamatan) : null;
  return {
    cityKey,
    region,
    kelurahan,
    kecamatan,
    lat,
    lng,
    cosLat: lat == null ? 1 : Math.cos((lat * Math.PI) / 180),
    cityId: placeId(`city:${cityKey}`),
    kelurahanId: placeId(kelurahan === null ? null : `kel:${kelurahan}`),
    kecamatanId: placeId(kecamatan === null ? null : `kec:${kecamatan}`),
    regionIndex: region ? (regionIndex.get(region.code) ?? -1) : -1,
  };
}

const KM_PER_DEGREE = (2 * Math.PI * 6371) / 360;

/**
 * Distance in km by the equirectangular approximation (error well under 1% below a few hundred
 * km, which is all the tiers care about), or null when either side has no coordinates.
 */
export function placeDistanceKm(a: Place, b: Place): number | null {
  if (a.lat == null || a.lng == null || b.lat == null || b.lng == null) return null;
  return kmBetween(a.lat, a.lng, a.cosLat, b.lat, b.lng, b.cosLat);
}

/** {@link placeDistanceKm} of two known points (the one formula both place shapes use). */
function kmBetween(
  latA: number,
  lngA: number,
  cosA: number,
  latB: number,
  lngB: number,
  cosB: number,
): number {
  const x = (lngB - lngA) * ((cosA + cosB) / 2);
  const y = latB - latA;
  return KM_PER_DEGREE * Math.sqrt(x * x + y * y);
}

/** The administrative tier two locations share, from "kelurahan" (closest) to "far". */
export function locationTier(a: MatchLocation, b: MatchLocation): LocationTier {
  return placeScore(toPlace(a), toPlace(b)).tier;
}

export interface LocationResult {
  /** In [0, 1]. */
  score: number;
  tier: LocationTier;
  km: number | null;
}

const TIER_VALUE_BY_INDEX: readonly number[] = [
  TIER_SCORE.kelurahan,
  TIER_SCORE.kecamatan,
  TIER_SCORE.city,
  TIER_SCORE.neighbour,
  TIER_SCORE.province,
  TIER_SCORE.far,
];
const TIER_NAMES: readonly LocationTier[] = [
  "kelurahan",
  "kecamatan",
  "city",
  "neighbour",
  "province",
  "far",
];

/** Tier as an index into TIER_NAMES, without allocating: the matcher's hot path. */
function placeTierIndex(a: Place, b: Place, km: number | null): number {
  return tierIndexOf(a, b.cityId, b.kelurahanId, b.kecamatanId, b.regionIndex, km);
}

/** {@link placeTierIndex} with the second place's interned ids given one by one. */
function tierIndexOf(
  a: Place,
  city: number,
  kelurahan: number,
  kecamatan: number,
  region: number,
  km: number | null,
) {
  if (a.cityId === city) {
    if (a.kelurahanId !== -1 && a.kelurahanId === kelurahan) return 0;
    if (a.kecamatanId !== -1 && a.kecamatanId === kecamatan) return 1;
    return 2;
  }
  if (a.regionIndex !== -1 && region !== -1) {
    return neighbourMatrix[a.regionIndex * regions.length + region] === 1 ? 3 : 4;
  }
  if (km != null && km <= 40) return 3;
  if (km != null && km <= 250) return 4;
  return 5;
}

/** The location score alone (same value as {@link placeScore}), allocation-free. */
export function placeScoreValue(a: Place, b: Place): number {
  const km = placeDistanceKm(a, b);
  return scoreOf(placeTierIndex(a, b, km), km);
}

/**
 * Many places as columns of typed arrays (one row per business), so that the search reads a
 * candidate's place without following a pointer per candidate. Rows without coordinates have
 * `hasPoint` 0.
 */
export interface PlaceColumns {
  cityId: Int32Array;
  kelurahanId: Int32Array;
  kecamatanId: Int32Array;
  regionIndex: Int32Array;
  hasPoint: Uint8Array;
  lat: Float64Array;
  lng: Float64Array;
  cosLat: Float64Array;
}

/** The columns of a list of places, in order. */
export function placeColumns(places: readonly Place[]): PlaceColumns {
  const n = places.length;
  const c: PlaceColumns = {
    cityId: new Int32Array(n),
    kelurahanId: new Int32Array(n),
    kecamatanId: new Int32Array(n),
    regionIndex: new Int32Array(n),
    hasPoint: new Uint8Array(n),
    lat: new Float64Array(n),
    lng: new Float64Array(n),
    cosLat: new Float64Array(n),
  };
  places.forEach((p, i) => {
    c.cityId[i] = p.cityId;
    c.kelurahanId[i] = p.kelurahanId;
    c.kecamatanId[i] = p.kecamatanId;
    c.regionIndex[i] = p.regionIndex;
    if (p.lat != null && p.lng != null) {
      c.hasPoint[i] = 1;
      c.lat[i] = p.lat;
      c.lng[i] = p.lng;
    }
    c.cosLat[i] = p.cosLat;
  });
  return c;
}

/** {@link placeScoreValue} of `a` and row `j` of `columns`: the same value, bit for bit. */
export function placeScoreAt(a: Place, columns: PlaceColumns, j: number): number {
  const km =
    a.lat == null || a.lng == null || columns.hasPoint[j] === 0
      ? null
      : kmBetween(a.lat, a.lng, a.cosLat, columns.lat[j], columns.lng[j], columns.cosLat[j]);
  const tier = tierIndexOf(
    a,
    columns.cityId[j],
    columns.kelurahanId[j],
    columns.kecamatanId[j],
    columns.regionIndex[j],
    km,
  );
  return scoreOf(tier, km);
}

/**
 * The most {@link placeScoreAt} of `a` and row `j` can be, from the tier alone (no distance, so no
 * square root or exponential): the tier part as scored, the distance part at its most (1, or the
 * tier itself when there are no coordinates). When the regions are unknown and the cities differ,
 * the tier depends on the distance: the best of those ("neighbour") is taken. The search bounds a
 * candidate's score with it before scoring it exactly.
 */
export function placeCeilingAt(a: Place, columns: PlaceColumns, j: number): number {
  let tier = 3;
  if (a.cityId === columns.cityId[j]) {
    if (a.kelurahanId !== -1 && a.kelurahanId === columns.kelurahanId[j]) tier = 0;
    else if (a.kecamatanId !== -1 && a.kecamatanId === columns.kecamatanId[j]) tier = 1;
    else tier = 2;
  } else if (a.regionIndex !== -1 && columns.regionIndex[j] !== -1) {
    tier = neighbourMatrix[a.regionIndex * regions.length + columns.regionIndex[j]] === 1 ? 3 : 4;
  }
  return TIER_CEILING[tier];
}

/** Each tier's score with the distance part at its most: TIER_SHARE * tier + (1 - TIER_SHARE). */
const TIER_CEILING: readonly number[] = TIER_VALUE_BY_INDEX.map((t) => TIER_SHARE * t + (1 - TIER_SHARE));

function scoreOf(tierIndex: number, km: number | null): number {
  const tier = TIER_VALUE_BY_INDEX[tierIndex];
  const near = km == null ? tier : Math.exp(-km / DISTANCE_SCALE_KM);
  return TIER_SHARE * tier + (1 - TIER_SHARE) * near;
}

/** {@link locationScore} with its tier and distance, for explanations. */
export function placeScore(a: Place, b: Place): LocationResult {
  const km = placeDistanceKm(a, b);
  const index = placeTierIndex(a, b, km);
  return { score: scoreOf(index, km), tier: TIER_NAMES[index], km };
}

/**
 * Location closeness in [0, 1]: 75% from the tier, 25% from exp(-km / 15).
 * @example two warung in Miji -> tier "kelurahan", score ~0.99
 */
export function locationScore(a: MatchLocation, b: MatchLocation): LocationResult {
  return placeScore(toPlace(a), toPlace(b));
}
