/**
 * The city as a buyer: a procurement package (a RUP line such as "Belanja makan minum rapat")
 * ranked against the registry with the same engine. The package is a buyer whose needs are its
 * name (and type), so the analysis reads its words into lexicon concepts and infers the KBLI
 * activities it asks for (analyze.ts); the engine then scores each supplier on what it offers,
 * what it is and where it is, in the buyer's direction only (a buyer offers the supplier nothing
 * to match). Service and industry suppliers are searched separately (the engine pairs opposite
 * sectors) and merged.
 *
 * The procurement ranking adds readiness (docs/PROCUREMENT.md):
 *   relevance = engine score (0-1) + KBLI_BONUS when a supplier's code is one the package's
 *               words describe (same class 1, same group 0.6), capped at 1;
 *   readiness = (NIB + e-katalog listing + size fit for the package's scale) / 3;
 *   score     = RELEVANCE_WEIGHT * relevance + (1 - RELEVANCE_WEIGHT) * readiness.
 * Size fit: packages up to the reserved ceiling (Rp15 bn, Perpres 12/2021 Pasal 65) go to micro
 * and small businesses (1), a medium one only by partnering (0.4), a large one not (0); above it
 * the larger classes fit. Rules come from data/procurement/rules.json via the caller.
 */
import packageTerms from "../../data/procurement/package-terms.json";
import type { Language } from "../domain/language";
import { inferActivities, kbliTitle } from "./activity";
import type { LiveMatcher } from "./live";
import type { MatchProfile, Sector, SizeClass } from "./types";

/** A package as the ranking reads it. */
export interface PackageQuery {
  name: string;
  /** "barang", "jasa_lainnya", ... (a hint for the words only). */
  type: string;
  pagu: number;
}

/** What readiness counts of a supplier. */
export interface SupplierFacts {
  hasNib: boolean;
  ekatalog: boolean;
  sizeClass: SizeClass;
}

export interface ProcurementScale {
  /** Packages up to this ceiling are reserved for micro/small businesses and cooperatives. */
  reservedUpTo: number;
}

export interface SupplierMatch {
  id: string;
  /** Final score in [0, 1] (4 decimals). */
  score: number;
  relevance: number;
  readiness: number;
  /** What the supplier lacks to be procurement-ready. */
  lacks: Array<"nib" | "ekatalog">;
  reasons: string[];
}

export const RELEVANCE_WEIGHT = 0.75;
export const KBLI_BONUS = 0.15;
/** A supplier must reach this engine score or have a matching code to be listed at all. */
export const MIN_RELEVANCE = 0.12;
const POOL = 80;

const QUERY_ID = "__package__";

const TEXT = {
  id: {
    kbli: (code: string, title: string) => `KBLI ${code} sesuai paket (${title})`,
    nib: "Punya NIB",
    ekatalog: "Tayang di e-katalog lokal",
    sizeReserved: (size: string) => `Usaha ${size}: paket ini dicadangkan untuk usaha kecil dan koperasi`,
    sizePartner: (size: string) => `Usaha ${size}: hanya lewat kemitraan dengan usaha kecil`,
    sizeLarge: (size: string) => `Usaha ${size} sesuai skala paket`,
  },
  en: {
    kbli: (code: string, title: string) => `KBLI ${code} fits the package (${title})`,
    nib: "Holds an NIB",
    ekatalog: "Listed in the local e-katalog",
    sizeReserved: (size: string) =>
      `A ${size} business: this package is reserved for small businesses and cooperatives`,
    sizePartner: (size: string) => `A ${size} business: only by partnering with small ones`,
    sizeLarge: (size: string) => `A ${size} business fits the package's scale`,
  },
} as const;

/** How well a supplier's size class fits a package's ceiling, in [0, 1] (see the file comment). */
export function sizeFitForPackage(size: SizeClass, pagu: number, scale: ProcurementScale): number {
  if (pagu <= scale.reservedUpTo)
    return size === "mikro" || size === "kecil" ? 1 : size === "menengah" ? 0.4 : 0;
  return size === "menengah" || size === "besar" ? 1 : size === "kecil" ? 0.5 : 0.3;
}

const TERMS = packageTerms.terms.map((t) => ({
  pattern: new RegExp(`(^|[^a-z])${t.term.replace(/ /g, "\\s+")}([^a-z]|$)`, "i"),
  adds: t.adds,
}));

/**
 * A package's words with the everyday words for its budget wording added
 * (data/procurement/package-terms.json: "meubelair" -> "mebel furniture", "konsumsi" -> "makanan
 * minuman ...").
 * @example packageText("Pengadaan meubelair kantor") // "Pengadaan meubelair kantor mebel furniture"
 */
export function packageText(name: string): string {
  const adds = TERMS.filter((t) => t.pattern.test(name)).map((t) => t.adds);
  return adds.length ? `${name} ${adds.join(" ")}` : name;
}

/** The KBLI 2020 codes a package's words ask for, strongest first (at most three). */
export function packageActivities(pkg: PackageQuery): string[] {
  return inferActivities(packageText(pkg.name), undefined).map(([c]) => c);
}

function kbliFit(wanted: string[], codes: string[]): { fit: number; code: string | null } {
  let best = { fit: 0, code: null as string | null };
  for (const w of wanted)
    for (const raw of codes) {
      const c = raw.replace("~", "");
      const fit = c === w ? 1 : c.slice(0, 4) === w.slice(0, 4) ? 0.6 : 0;
      if (fit > best.fit) best = { fit, code: w };
    }
  return best;
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/**
 * A package as the engine's query for one sector of suppliers: a buyer whose needs are the
 * package's words, and the weights that count only the buyer's direction (a service query's side
 * is `serviceSide`, an industry query's the other one).
 */
export function packageQuery(
  pkg: PackageQuery,
  sector: Sector,
): { profile: MatchProfile; weights: { fusion: "mean"; serviceSide: number; sizeGap: number } } {
  return {
    profile: {
      id: QUERY_ID,
      name: "",
      sector,
      kbli: [],
      sizeClass: "besar",
      location: { kelurahan: null, kecamatan: null, city: "Kota Mojokerto", lat: null, lng: null },
      offers: "",
      needs: packageText(pkg.name),
      maxPartners: 1,
    },
    weights: { fusion: "mean", serviceSide: sector === "service" ? 1 : 0, sizeGap: 0 },
  };
}

/** What the ranking asks of the engine: the isolate's live matcher (or one built for a test). */
export type SupplierIndex = Pick<LiveMatcher, "rankExternal" | "codes">;

/** A package's candidate suppliers before readiness: engine score, reasons and KBLI codes. */
export interface SupplierCandidates {
  activities: string[];
  found: Map<string, { engine: number; reasons: string[]; codes: string[] }>;
}

/**
 * The suppliers the engine finds for a package (text, category, location; buyer's direction
 * only) plus those whose code is one the package's words ask for. A query on `index`, no build.
 */
export function supplierCandidates(
  index: SupplierIndex,
  pkg: PackageQuery,
  lang: Language,
): SupplierCandidates {
  const wanted = packageActivities(pkg);
  const found = new Map<string, { engine: number; reasons: string[]; codes: string[] }>();
  for (const sector of ["service", "industry"] as Sector[]) {
    const { profile, weights } = packageQuery(pkg, sector);
    for (const s of index.rankExternal(profile, { limit: POOL, lang, weights })) {
      if (s.components.text <= 0) continue;
      const prev = found.get(s.id);
      if (!prev || prev.engine < s.score)
        found.set(s.id, { engine: s.score, reasons: s.reasons.slice(0, 2), codes: [] });
    }
  }
  for (const [id, codes] of index.codes()) {
    const f = found.get(id);
    if (f) f.codes = codes;
    // Suppliers the text missed but whose code is one the package asks for.
    else if (id !== QUERY_ID && kbliFit(wanted, codes).fit === 1)
      found.set(id, { engine: 0, reasons: [], codes });
  }
  return { activities: wanted, found };
}

/**
 * Candidates ranked with readiness, best first: the procurement-ready (NIB and e-katalog) and the
 * rest, each with what it lacks and its reasons. Candidates without facts are skipped (not active
 * UMKM of the registry, or large).
 */
export function rankCandidates(
  candidates: SupplierCandidates,
  facts: ReadonlyMap<string, SupplierFacts>,
  pkg: PackageQuery,
  scale: ProcurementScale,
  lang: Language,
  limit: number,
): { activities: string[]; ready: SupplierMatch[]; oneStep: SupplierMatch[] } {
  const t = TEXT[lang];
  const wanted = candidates.activities;
  const ready: SupplierMatch[] = [];
  const oneStep: SupplierMatch[] = [];
  for (const [id, f] of candidates.found) {
    const fact = facts.get(id);
    if (!fact) continue;
    const k = kbliFit(wanted, f.codes);
    const relevance = Math.min(1, f.engine + KBLI_BONUS * k.fit);
    if (relevance < MIN_RELEVANCE) continue;
    const size = sizeFitForPackage(fact.sizeClass, pkg.pagu, scale);
    const readiness = ((fact.hasNib ? 1 : 0) + (fact.ekatalog ? 1 : 0) + size) / 3;
    const reasons = [...f.reasons];
    if (k.code) reasons.push(t.kbli(k.code, kbliTitle(k.code) ?? ""));
    if (fact.hasNib) reasons.push(t.nib);
    if (fact.ekatalog) reasons.push(t.ekatalog);
    const sizeName = fact.sizeClass;
    reasons.push(
      size === 1 && pkg.pagu <= scale.reservedUpTo
        ? t.sizeReserved(sizeName)
        : size === 1
          ? t.sizeLarge(sizeName)
          : t.sizePartner(sizeName),
    );
    const lacks: SupplierMatch["lacks"] = [];
    if (!fact.hasNib) lacks.push("nib");
    if (!fact.ekatalog) lacks.push("ekatalog");
    const match: SupplierMatch = {
      id,
      score: round(RELEVANCE_WEIGHT * relevance + (1 - RELEVANCE_WEIGHT) * readiness),
      relevance: round(relevance),
      readiness: round(readiness),
      lacks,
      reasons,
    };
    (lacks.length === 0 ? ready : oneStep).push(match);
  }
  const order = (a: SupplierMatch, b: SupplierMatch) => b.score - a.score || (a.id < b.id ? -1 : 1);
  return {
    activities: wanted,
    ready: ready.sort(order).slice(0, limit),
    oneStep: oneStep.sort(order).slice(0, limit),
  };
}

/**
 * Suppliers for one package from `index`, best first (see {@link rankCandidates}).
 * @example rankSuppliers(createLiveMatcher(profiles), facts,
 *   { name: "Belanja makan minum rapat", type: "barang", pagu: 45e6 }, { reservedUpTo: 15e9 }, "id", 10)
 *   .ready[0].reasons
 * // ["Mereka menawarkan yang Anda butuhkan: nasi kotak dan snack", "Punya NIB", ...]
 */
export function rankSuppliers(
  index: SupplierIndex,
  facts: ReadonlyMap<string, SupplierFacts>,
  pkg: PackageQuery,
  scale: ProcurementScale,
  lang: Language,
  limit: number,
): { activities: string[]; ready: SupplierMatch[]; oneStep: SupplierMatch[] } {
  return rankCandidates(supplierCandidates(index, pkg, lang), facts, pkg, scale, lang, limit);
}
