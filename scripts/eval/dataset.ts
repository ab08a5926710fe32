/** Loads an evaluation dataset (shared/eval/FORMAT.md) into the engine's plain types. */
import { readFileSync } from "node:fs";
import type { Language } from "../../src/domain/language";
import type { KbliVersion, MatchProfile, SizeClass } from "../../src/matching/types";
import type { Grades } from "./metrics";

export interface DatasetBusiness {
  ref: string;
  name: string;
  sector: "service" | "industry";
  kbli: string[];
  sizeClass: SizeClass;
  kelurahan: string | null;
  kecamatan: string | null;
  city: string;
  lat: number | null;
  lng: number | null;
  offers: string;
  needs: string;
  language: Language;
  maxPartners: number;
}

export interface Dataset {
  name: string;
  kbliVersion: KbliVersion;
  businesses: DatasetBusiness[];
  judgments: Array<{ service: string; industry: string; grade: number }>;
}

export function loadDataset(file: string): Dataset {
  const d = JSON.parse(readFileSync(file, "utf8")) as Dataset;
  if (!Array.isArray(d.businesses) || !Array.isArray(d.judgments)) {
    throw new Error(`${file}: not an evaluation dataset (needs "businesses" and "judgments")`);
  }
  return d;
}

export function toProfile(b: DatasetBusiness, version: KbliVersion): MatchProfile {
  return {
    id: b.ref,
    name: b.name,
    sector: b.sector,
    kbli: b.kbli.map((code) => ({ code, version })),
    sizeClass: b.sizeClass,
    location: { kelurahan: b.kelurahan, kecamatan: b.kecamatan, city: b.city, lat: b.lat, lng: b.lng },
    offers: b.offers,
    needs: b.needs,
    maxPartners: b.maxPartners,
  };
}

/** Judgments per query business, from both sides: query ref -> (candidate ref -> grade). */
export function judgmentsByQuery(d: Dataset): Map<string, Grades> {
  const out = new Map<string, Grades>();
  const put = (q: string, c: string, g: number) => {
    const m = out.get(q) ?? new Map<string, number>();
    m.set(c, g);
    out.set(q, m);
  };
  for (const j of d.judgments) {
    put(j.service, j.industry, j.grade);
    put(j.industry, j.service, j.grade);
  }
  return out;
}
