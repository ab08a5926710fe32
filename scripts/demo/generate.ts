/**
 * Deterministic demo registry for Kemitraan: realistic service businesses and small industries in
 * Kota Mojokerto and nearby towns, built from the archetypes in data/demo/.
 *
 * Pure: the same options always give the same output (seeded mulberry32 PRNG; no Math.random, no
 * clock, no I/O besides the static JSON imports).
 *
 * CLI: npx tsx scripts/demo/generate.ts [--count N] [--seed S]   (prints the JSON array)
 */
import { pathToFileURL } from "node:url";
import archetypesJson from "../../data/demo/archetypes.json";
import namesJson from "../../data/demo/names.json";
import placesJson from "../../data/demo/places.json";
import codesJson from "../../data/kbli/codes-common.json";
import kelurahanJson from "../../data/mojokerto-kelurahan.json";
import type { Language } from "../../src/domain/language";
import { mulberry32 } from "../lib/random";

export type Sector = "service" | "industry";
export type SizeClass = "mikro" | "kecil" | "menengah" | "besar";

export interface DemoBusiness {
  id: string;
  name: string;
  sector: Sector;
  nib: string | null;
  kbli: { code: string; version: "2020" }[];
  sizeClass: SizeClass;
  location: { kelurahan: string | null; kecamatan: string | null; city: string; lat: number; lng: number };
  offers: string;
  needs: string;
  email: string;
  language: Language;
  maxPartners: number;
  ekatalog: { listed: boolean; url: string | null };
  active: boolean;
}

export interface GenerateOptions {
  seed?: number;
  count?: number;
}

export const DEFAULT_SEED = 3576;
export const DEFAULT_COUNT = 320;
/** Share of service businesses; the rest are small industries. */
export const SERVICE_SHARE = 0.45;

type Slots = string[][];
interface Archetype {
  id: string;
  label: string;
  sector: Sector;
  weight: number;
  kbliOptions: string[][];
  sizeClass: Partial<Record<SizeClass, number>>;
  maxPartners: [number, number];
  namePatterns: string[];
  places: {
    cluster: { kelurahan: Record<string, number>; share: number } | null;
    outsideShare: number;
    outsidePlaces: Record<string, number>;
  };
  offers: Slots;
  needs: Slots;
  extras: string | null;
  english?: { share: number; offers: Slots; needs: Slots };
  variants?: Variant[];
}
/** A variant ties name patterns, KBLI codes and the core sentence together within an archetype. */
interface Variant {
  weight: number;
  namePatterns: string[];
  kbliOptions: string[][];
  offers0: string[];
  needs0?: string[];
  englishOffers0?: string[];
  sizeClass?: Partial<Record<SizeClass, number>>;
}

/** The archetype with one of its variants (if any) applied. */
function resolveVariant(rng: () => number, a: Archetype): Archetype {
  if (!a.variants || a.variants.length === 0) return a;
  const weights: Record<string, number> = {};
  a.variants.forEach((v, i) => {
    weights[String(i)] = v.weight;
  });
  const v = a.variants[Number(weighted(rng, weights))] as Variant;
  const english = a.english
    ? {
        ...a.english,
        offers: v.englishOffers0 ? [v.englishOffers0, ...a.english.offers.slice(1)] : a.english.offers,
      }
    : undefined;
  return {
    ...a,
    namePatterns: v.namePatterns,
    kbliOptions: v.kbliOptions,
    sizeClass: v.sizeClass ?? a.sizeClass,
    offers: [v.offers0, ...a.offers.slice(1)],
    needs: v.needs0 ? [v.needs0, ...a.needs.slice(1)] : a.needs,
    english,
  };
}
interface Kelurahan {
  kelurahan: string;
  kecamatan: string;
  lat: number;
  lng: number;
  population2023: number;
}
interface OutsidePlace {
  name: string;
  city: string;
  lat: number;
  lng: number;
  jitterMeters: number;
}

const ARCHETYPES = archetypesJson.archetypes as unknown as Archetype[];
const EXTRAS = archetypesJson.extras as unknown as Record<string, { offers: string[]; needs: string[] }>;
const NAMES = namesJson as {
  male: string[];
  female: string[];
  maleTitles: string[];
  femaleTitles: string[];
  words: string[];
};
const EVERYDAY = placesJson.everyday as Record<string, string>;
const OUTSIDE = placesJson.outside as Record<string, OutsidePlace>;
const CITY_JITTER_M = placesJson.cityJitterMeters;
const KELURAHAN = kelurahanJson.kelurahan as Kelurahan[];
const KNOWN_CODES = new Set((codesJson as { code: string }[]).map((c) => c.code));

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error("pick from empty list");
  return items[Math.floor(rng() * items.length)] as T;
}
function weighted<K extends string>(rng: Rng, weights: Partial<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [k, w] of entries) {
    r -= w;
    if (r < 0) return k;
  }
  return (entries[entries.length - 1] as [K, number])[0];
}
function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
/** Largest-remainder apportionment of `total` over `weights` (ties go to the earlier index). */
function apportion(total: number, weights: number[], minEach = 0): number[] {
  const base = weights.map(() => minEach);
  const rest = total - minEach * weights.length;
  if (rest < 0) throw new Error("total too small for the minimum per item");
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (rest * w) / sum);
  const out = exact.map((x, i) => (base[i] as number) + Math.floor(x));
  let left = total - out.reduce((s, x) => s + x, 0);
  const order = exact
    .map((x, i) => ({ i, frac: x - Math.floor(x) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] = (out[i] as number) + 1;
    left--;
  }
  return out;
}

export function slugify(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " dan ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
}

function formatNumber(n: number, lang: Language): string {
  if (n < 1000) return String(n);
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, lang === "id" ? "." : ",");
}

function fill(rng: Rng, template: string, place: string, lang: Language): string {
  return template
    .replace(/\{n:(\d+)-(\d+)(?:\/(\d+))?\}/g, (_m, a: string, b: string, st?: string) => {
      const lo = Number(a);
      const hi = Number(b);
      const step = st ? Number(st) : 1;
      return formatNumber(lo + step * int(rng, 0, Math.floor((hi - lo) / step)), lang);
    })
    .replace(/\{place\}/g, place);
}

// Writing styles, so two businesses of one archetype don't read alike.
const CONTRACT: [RegExp, string][] = [
  [/\byang\b/g, "yg"],
  [/\buntuk\b/g, "utk"],
  [/\bdengan\b/g, "dgn"],
  [/\bsampai\b/g, "sampe"],
  [/\bkalau\b/g, "kalo"],
  [/\bbisa\b/g, "bs"],
];
const EXPAND: [RegExp, string][] = [
  [/\byg\b/g, "yang"],
  [/\butk\b/g, "untuk"],
  [/\bdgn\b/g, "dengan"],
  [/\bdlm\b/g, "dalam"],
  [/\brata2\b/g, "rata-rata"],
  [/\bsyukur2\b/g, "syukur-syukur"],
  [/\bkalo\b/g, "kalau"],
];
function applyStyle(rng: Rng, text: string): string {
  const r = rng();
  let out = text;
  if (r < 0.3) for (const [re, to] of CONTRACT) out = out.replace(re, to);
  else if (r < 0.55) for (const [re, to] of EXPAND) out = out.replace(re, to);
  if (rng() < 0.08) out = out.toLowerCase();
  return out;
}

function compose(
  rng: Rng,
  slots: Slots,
  extras: string[] | undefined,
  extraChance: number,
  place: string,
  lang: Language,
): string {
  const parts: string[] = [];
  slots.forEach((slot, i) => {
    if (i === 0 || rng() < 0.85) parts.push(fill(rng, pick(rng, slot), place, lang));
  });
  if (extras && extras.length > 0 && rng() < extraChance)
    parts.push(fill(rng, pick(rng, extras), place, lang));
  return parts.join(" ");
}

function ownerName(rng: Rng): string {
  return rng() < 0.5
    ? `${pick(rng, NAMES.maleTitles)} ${pick(rng, NAMES.male)}`
    : `${pick(rng, NAMES.femaleTitles)} ${pick(rng, NAMES.female)}`;
}

function makeName(rng: Rng, a: Archetype, place: string, taken: Set<string>): string {
  for (let attempt = 0; attempt < 30; attempt++) {
    const w1 = pick(rng, NAMES.words);
    let w2 = pick(rng, NAMES.words);
    while (w2 === w1) w2 = pick(rng, NAMES.words);
    let name = pick(rng, a.namePatterns)
      .replace("{Owner}", ownerName(rng))
      .replace("{word}", w1)
      .replace("{word2}", w2)
      .replace("{place}", place)
      .replace(/\s+/g, " ")
      .trim();
    if (attempt >= 20) name = `${name} ${place}`;
    if (!taken.has(name.toLowerCase())) {
      taken.add(name.toLowerCase());
      return name;
    }
  }
  for (let k = 2; ; k++) {
    const name = `${pick(rng, a.namePatterns).replace(/\{[^}]+\}/g, pick(rng, NAMES.words))} ${k}`;
    if (!taken.has(name.toLowerCase())) {
      taken.add(name.toLowerCase());
      return name;
    }
  }
}

function jitter(rng: Rng, lat: number, lng: number, meters: number): { lat: number; lng: number } {
  const r = meters * Math.sqrt(rng());
  const theta = 2 * Math.PI * rng();
  const dLat = (r * Math.cos(theta)) / 111_320;
  const dLng = (r * Math.sin(theta)) / (111_320 * Math.cos((lat * Math.PI) / 180));
  return { lat: Number((lat + dLat).toFixed(6)), lng: Number((lng + dLng).toFixed(6)) };
}

const NIB_CHANCE: Record<SizeClass, number> = { mikro: 0.62, kecil: 0.82, menengah: 0.95, besar: 1 };
const EKATALOG_CHANCE = 0.2;
const INACTIVE_CHANCE = 0.03;

type Placement =
  | { kind: "cluster"; kelurahan: string }
  | { kind: "outside"; key: string }
  | { kind: "general" };

export function generateDemoRegistry(options: GenerateOptions = {}): DemoBusiness[] {
  return generateDemoRegistryDetailed(options).map((d) => d.business);
}

/** Same businesses, each with the id of the archetype it was drawn from (for summaries and tests). */
export function generateDemoRegistryDetailed(
  options: GenerateOptions = {},
): { business: DemoBusiness; archetype: string }[] {
  const seed = options.seed ?? DEFAULT_SEED;
  const count = options.count ?? DEFAULT_COUNT;
  if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new RangeError(`bad count: ${count}`);
  if (!Number.isFinite(seed)) throw new RangeError(`bad seed: ${seed}`);
  const rng = mulberry32(seed);

  // 1. How many of each archetype: sector split first, then by weight within each sector.
  const nService = Math.round(count * SERVICE_SHARE);
  const plan: Archetype[] = [];
  for (const [sector, n] of [
    ["industry", count - nService],
    ["service", nService],
  ] as const) {
    const list = ARCHETYPES.filter((a) => a.sector === sector);
    apportion(
      n,
      list.map((a) => a.weight),
    ).forEach((k, i) => {
      for (let j = 0; j < k; j++) plan.push(list[i] as Archetype);
    });
  }
  shuffle(rng, plan);

  // 2. Where: a cluster kelurahan, a nearby town, or anywhere in the city.
  const placements: Placement[] = plan.map((a) => {
    if (rng() < a.places.outsideShare && Object.keys(a.places.outsidePlaces).length > 0)
      return { kind: "outside", key: weighted(rng, a.places.outsidePlaces) };
    if (a.places.cluster && rng() < a.places.cluster.share)
      return { kind: "cluster", kelurahan: weighted(rng, a.places.cluster.kelurahan) };
    return { kind: "general" };
  });
  // Businesses without a cluster are spread over all 18 kelurahan roughly by population, at least
  // one each when there are enough of them, so every kelurahan appears.
  const nGeneral = placements.filter((p) => p.kind === "general").length;
  const deck: string[] = [];
  apportion(
    nGeneral,
    KELURAHAN.map((k) => k.population2023),
    nGeneral >= KELURAHAN.length ? 1 : 0,
  ).forEach((k, i) => {
    for (let j = 0; j < k; j++) deck.push((KELURAHAN[i] as Kelurahan).kelurahan);
  });
  shuffle(rng, deck);
  const byName = new Map(KELURAHAN.map((k) => [k.kelurahan, k]));

  const takenNames = new Set<string>();
  const takenSlugs = new Set<string>();
  const takenNibs = new Set<string>();
  let deckIndex = 0;

  return plan.map((base, i) => {
    const a = resolveVariant(rng, base);
    const placement = placements[i] as Placement;
    let location: DemoBusiness["location"];
    let place: string;
    if (placement.kind === "outside") {
      const o = OUTSIDE[placement.key];
      if (!o) throw new Error(`unknown outside place ${placement.key} in archetype ${a.id}`);
      location = {
        kelurahan: null,
        kecamatan: null,
        city: o.city,
        ...jitter(rng, o.lat, o.lng, o.jitterMeters),
      };
      place = o.name;
    } else {
      const name = placement.kind === "cluster" ? placement.kelurahan : (deck[deckIndex++] as string);
      const k = byName.get(name);
      if (!k) throw new Error(`unknown kelurahan ${name} in archetype ${a.id}`);
      location = {
        kelurahan: k.kelurahan,
        kecamatan: k.kecamatan,
        city: "Kota Mojokerto",
        ...jitter(rng, k.lat, k.lng, CITY_JITTER_M),
      };
      place = EVERYDAY[k.kelurahan] ?? k.kelurahan;
    }

    const sizeClass = weighted(rng, a.sizeClass);
    const name = makeName(rng, a, place, takenNames);
    const codes = pick(rng, a.kbliOptions);
    for (const c of codes)
      if (!KNOWN_CODES.has(c)) throw new Error(`KBLI ${c} (${a.id}) not in codes-common.json`);

    const language: Language = a.english && rng() < a.english.share ? "en" : "id";
    let offers: string;
    let needs: string;
    if (language === "en" && a.english) {
      const ex = EXTRAS[a.sector === "industry" ? "enIndustry" : "enService"];
      offers = compose(rng, a.english.offers, ex?.offers, 0.4, place, "en");
      needs = compose(rng, a.english.needs, ex?.needs, 0.4, place, "en");
    } else {
      const ex = a.extras ? EXTRAS[a.extras] : undefined;
      offers = applyStyle(rng, compose(rng, a.offers, ex?.offers, 0.5, place, "id"));
      needs = applyStyle(rng, compose(rng, a.needs, ex?.needs, 0.4, place, "id"));
    }

    let nib: string | null = null;
    if (rng() < NIB_CHANCE[sizeClass]) {
      // "99" prefix marks demo numbers; 13 digits like a real OSS NIB.
      do nib = `99${String(int(rng, 0, 99_999_999_999)).padStart(11, "0")}`;
      while (takenNibs.has(nib));
      takenNibs.add(nib);
    }

    let slug = slugify(name) || "usaha";
    if (takenSlugs.has(slug)) {
      let k = 2;
      while (takenSlugs.has(`${slug}-${k}`)) k++;
      slug = `${slug}-${k}`;
    }
    takenSlugs.add(slug);

    const listed = nib !== null && sizeClass !== "besar" && rng() < EKATALOG_CHANCE;
    const [lo, hi] = a.maxPartners;
    const bump = sizeClass === "besar" ? 4 : sizeClass === "menengah" ? 2 : 0;
    const maxPartners = Math.min(50, Math.max(1, int(rng, lo, hi) + bump));

    const business: DemoBusiness = {
      id: `biz_demo_${String(i + 1).padStart(4, "0")}`,
      name,
      sector: a.sector,
      nib,
      kbli: codes.map((code) => ({ code, version: "2020" as const })),
      sizeClass,
      location,
      offers,
      needs,
      email: `${slug}@mitra.example`,
      language,
      maxPartners,
      ekatalog: { listed, url: listed ? `https://e-katalog.example/kota-mojokerto/${slug}` : null },
      active: rng() >= INACTIVE_CHANCE,
    };
    return { business, archetype: a.id };
  });
}

function parseArgs(argv: string[]): GenerateOptions {
  const opts: GenerateOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === "--count" || arg === "--seed") {
      const n = Number(value);
      if (value === undefined || !Number.isInteger(n)) throw new Error(`${arg} needs an integer`);
      if (arg === "--count") opts.count = n;
      else opts.seed = n;
      i++;
    } else if (arg === "--help" || arg === "-h") {
      process.stdout.write("usage: tsx scripts/demo/generate.ts [--count N] [--seed S]\n");
      process.exit(0);
    } else {
      throw new Error(`unknown argument: ${arg}`);
    }
  }
  return opts;
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  try {
    process.stdout.write(
      `${JSON.stringify(generateDemoRegistry(parseArgs(process.argv.slice(2))), null, 2)}\n`,
    );
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
