import kelurahanData from "../../data/mojokerto-kelurahan.json";
import regionsData from "../../data/regions.json";

/**
 * Location rules, pure so that Node scripts (seeding, import) share them with the Worker.
 * Inside Kota Mojokerto a business is placed by kelurahan (official names are one word,
 * "Prajuritkulon"; everyday writing splits them, "Prajurit Kulon"; both are accepted).
 * Elsewhere it is placed by city/regency name plus coordinates.
 */

export const MOJOKERTO_CITY = kelurahanData.city;
export const MOJOKERTO_REGION_CODE = kelurahanData.cityCode;

/** Rough bounding box of Indonesia (WGS84 degrees): catches swapped or zero coordinates. */
export const INDONESIA_BOUNDS = { minLat: -11, maxLat: 6, minLng: 95, maxLng: 141 } as const;

export interface LocationInput {
  kelurahan?: string | undefined;
  kecamatan?: string | undefined;
  city?: string | undefined;
  lat?: number | undefined;
  lng?: number | undefined;
}

export interface NormalisedLocation {
  /** Official one-word kelurahan name inside Kota Mojokerto, else null. */
  kelurahan: string | null;
  /** Official kecamatan name inside Kota Mojokerto; as given (tidied) elsewhere; or null. */
  kecamatan: string | null;
  /** Canonical city/regency name when known ("Kabupaten Jombang"), else as given (tidied). */
  city: string;
  /** Kemendagri code ("35.76") when the city is known, else null. */
  regionCode: string | null;
  lat: number;
  lng: number;
}

/** A rule a location broke; `path` is relative to the location object. */
export interface LocationIssue {
  path: string;
  message: string;
}

export type LocationResult =
  | { ok: true; location: NormalisedLocation }
  | { ok: false; errors: LocationIssue[] };

interface KelurahanEntry {
  kelurahan: string;
  kecamatan: string;
  code: string;
  lat: number;
  lng: number;
}

/** Lowercase letters and digits only: "Prajurit  Kulon" and "prajuritkulon" share a key. */
function placeKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/^\s*(kelurahan|kel\.?|desa|kecamatan|kec\.?)\s+/, "")
    .replace(/[^a-z0-9]/g, "");
}

/** Lowercase, dots as spaces, single spaces: "Kab.  Jombang" -> "kab jombang". */
function cityKey(name: string): string {
  return name.toLowerCase().replace(/\./g, " ").replace(/\s+/g, " ").trim();
}

function tidy(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

const kelurahanByKey = new Map<string, KelurahanEntry>(
  kelurahanData.kelurahan.map((k) => [placeKey(k.kelurahan), k]),
);
const kecamatanByKey = new Map<string, string>(
  kelurahanData.kelurahan.map((k) => [placeKey(k.kecamatan), k.kecamatan]),
);

interface Region {
  code: string;
  name: string;
}
const regionByKey = new Map<string, Region>();
for (const r of regionsData.regions) {
  for (const alias of [r.name, ...r.aliases]) regionByKey.set(cityKey(alias), { code: r.code, name: r.name });
}

/** The official kelurahan record for a name in either spelling, or undefined. */
export function findKelurahan(name: string): KelurahanEntry | undefined {
  return kelurahanByKey.get(placeKey(name));
}

/** The official kecamatan name of Kota Mojokerto for a name in either spelling, or undefined. */
export function findKecamatan(name: string): string | undefined {
  return kecamatanByKey.get(placeKey(name));
}

/** The canonical region for a city/regency name or alias, or undefined when not in data/regions.json. */
export function findRegion(name: string): Region | undefined {
  return regionByKey.get(cityKey(name));
}

export function kelurahanNames(): string[] {
  return kelurahanData.kelurahan.map((k) => k.kelurahan);
}

/** Kota Mojokerto's kecamatan, sorted. */
export function kecamatanNames(): string[] {
  return [...new Set(kelurahanData.kelurahan.map((k) => k.kecamatan))].sort();
}

function checkCoordinates(lat: number | undefined, lng: number | undefined, errors: LocationIssue[]): void {
  const b = INDONESIA_BOUNDS;
  if (lat !== undefined && (lat < b.minLat || lat > b.maxLat)) {
    errors.push({ path: "lat", message: `Latitude must be within Indonesia (${b.minLat} to ${b.maxLat}).` });
  }
  if (lng !== undefined && (lng < b.minLng || lng > b.maxLng)) {
    errors.push({ path: "lng", message: `Longitude must be within Indonesia (${b.minLng} to ${b.maxLng}).` });
  }
}

/**
 * Validates and normalises a location.
 * - With `kelurahan`: must be one of Kota Mojokerto's 18 (either spelling, any case/spacing);
 *   `kecamatan`, if given, must be that kelurahan's; `city`, if given, must be Kota Mojokerto;
 *   lat/lng default to the kelurahan centroid.
 * - Without: `city`, `lat` and `lng` are required; a known city or alias is canonicalised with its
 *   code, an unknown one is kept as written with a null code. Kota Mojokerto needs a kelurahan.
 *
 * @example normaliseLocation({ kelurahan: "prajurit  kulon" })
 *   // => { ok: true, location: { kelurahan: "Prajuritkulon", kecamatan: "Prajuritkulon",
 *   //      city: "Kota Mojokerto", regionCode: "35.76", lat: -7.474444, lng: 112.423977 } }
 */
export function normaliseLocation(input: LocationInput): LocationResult {
  const errors: LocationIssue[] = [];
  checkCoordinates(input.lat, input.lng, errors);
  if ((input.lat === undefined) !== (input.lng === undefined)) {
    errors.push({
      path: input.lat === undefined ? "lat" : "lng",
      message: "Give both lat and lng, or neither.",
    });
  }

  if (input.kelurahan !== undefined && input.kelurahan.trim() !== "") {
    const kel = findKelurahan(input.kelurahan);
    if (!kel) {
      errors.push({
        path: "kelurahan",
        message: `Unknown kelurahan in ${MOJOKERTO_CITY}; expected one of: ${kelurahanNames().join(", ")}.`,
      });
      return { ok: false, errors };
    }
    if (input.kecamatan !== undefined && findKecamatan(input.kecamatan) !== kel.kecamatan) {
      errors.push({
        path: "kecamatan",
        message: `Kelurahan ${kel.kelurahan} is in kecamatan ${kel.kecamatan}.`,
      });
    }
    if (input.city !== undefined && findRegion(input.city)?.code !== MOJOKERTO_REGION_CODE) {
      errors.push({
        path: "city",
        message: `Kelurahan are only known for ${MOJOKERTO_CITY}; omit city or use it.`,
      });
    }
    if (errors.length > 0) return { ok: false, errors };
    return {
      ok: true,
      location: {
        kelurahan: kel.kelurahan,
        kecamatan: kel.kecamatan,
        city: MOJOKERTO_CITY,
        regionCode: MOJOKERTO_REGION_CODE,
        lat: input.lat ?? kel.lat,
        lng: input.lng ?? kel.lng,
      },
    };
  }

  const city = input.city === undefined ? "" : tidy(input.city);
  if (city === "") {
    errors.push({
      path: "city",
      message: `Give a kelurahan (inside ${MOJOKERTO_CITY}) or a city with lat and lng.`,
    });
  }
  const region = city === "" ? undefined : findRegion(city);
  if (region?.code === MOJOKERTO_REGION_CODE) {
    errors.push({ path: "kelurahan", message: `A kelurahan is required inside ${MOJOKERTO_CITY}.` });
  }
  if (input.lat === undefined && input.lng === undefined) {
    errors.push({ path: "lat", message: "lat and lng are required outside Kota Mojokerto." });
  }
  if (errors.length > 0 || input.lat === undefined || input.lng === undefined) return { ok: false, errors };
  const kecamatan = input.kecamatan === undefined ? "" : tidy(input.kecamatan);
  return {
    ok: true,
    location: {
      kelurahan: null,
      kecamatan: kecamatan === "" ? null : kecamatan,
      city: region?.name ?? city,
      regionCode: region?.code ?? null,
      lat: input.lat,
      lng: input.lng,
    },
  };
}

/** A regency or city outside Kota Mojokerto that a form offers, with its approximate centre. */
export interface RegionOption {
  code: string;
  name: string;
  lat: number;
  lng: number;
}

/**
 * The regencies and cities of data/regions.json other than Kota Mojokerto, by name: what the
 * sign-up form offers for "outside the city" (placed at the region's approximate centre).
 */
export function regionOptions(): RegionOption[] {
  return regionsData.regions
    .filter((r) => r.code !== MOJOKERTO_REGION_CODE)
    .map((r) => ({ code: r.code, name: r.name, lat: r.lat, lng: r.lng }))
    .sort((a, b) => a.name.localeCompare(b.name, "id"));
}
