/**
 * Plain data the matching core works on. Nothing here knows about HTTP, D1 or Workers:
 * services map stored rows to these shapes, and scripts (eval, bench) build them from files.
 */

export type Sector = "service" | "industry";
export type SizeClass = "mikro" | "kecil" | "menengah" | "besar";
export type KbliVersion = "2020" | "2025";

export interface KbliCode {
  /** 5-digit kelompok code, e.g. "10792". */
  code: string;
  version: KbliVersion;
}

export interface MatchLocation {
  /** Official one-word kelurahan name for Kota Mojokerto ("Prajuritkulon"), else null. */
  kelurahan: string | null;
  /** Kecamatan name (official spelling inside Kota Mojokerto), or null when unknown. */
  kecamatan: string | null;
  /** City or regency, e.g. "Kota Mojokerto", "Kabupaten Jombang". */
  city: string;
  /** WGS84 degrees; null when unknown (then only the tiers count). */
  lat: number | null;
  lng: number | null;
}

/** What the engine needs to know about one business. */
export interface MatchProfile {
  id: string;
  /** Trading name; its words count as part of what the business offers ("Katering Sekar Arum"). */
  name?: string;
  sector: Sector;
  kbli: KbliCode[];
  sizeClass: SizeClass;
  location: MatchLocation;
  /** Free text, Indonesian, English or mixed. */
  offers: string;
  needs: string;
  maxPartners: number;
}

export interface MatchComponents {
  /** Each in [0, 1]. */
  category: number;
  location: number;
  text: number;
}

/** PP 7/2021 partnership patterns (pola kemitraan), for the engine and for API contracts. */
export const PARTNERSHIP_PATTERNS = [
  "rantai_pasok",
  "subkontrak",
  "distribusi_keagenan",
  "perdagangan_umum",
  "waralaba",
  "inti_plasma",
  "bagi_hasil",
  "kerja_sama_operasional",
  "usaha_patungan",
  "penyumberluaran",
] as const;

export type PartnershipPattern = (typeof PARTNERSHIP_PATTERNS)[number];

export interface Suggestion {
  /** The candidate's id (always of the other sector, never the query itself). */
  id: string;
  /** Fused reciprocal score in [0, 1]. */
  score: number;
  components: MatchComponents;
  /** 1-3 short reasons in the requested language. */
  reasons: string[];
  pattern: PartnershipPattern;
}
