/**
 * Deterministic synthetic registries for the benchmark: realistic *statistics*, not realistic
 * prose. Each text has 20-80 tokens: about 45% stopwords (as owners write: "yg", "utk", "tiap"),
 * 15% words of the business's topic (lexicon terms tied to its KBLI division, so needs and
 * offers overlap as in real registries) and 40% drawn with a Zipf-like spread from ~5,000
 * pseudo-stems. The mix was calibrated on the dev and check sets, whose texts map to about 4-6
 * lexicon concepts each: drawing lexicon terms at random from the whole vocabulary instead gives
 * three times as many concepts per text and index lists far denser than any real registry.
 * KBLI codes come from data/kbli/codes-common.json, places from the kelurahan table (by
 * population) and nearby towns. Generated on demand; never committed as data.
 */
import codes from "../../data/kbli/codes-common.json";
import lexicon from "../../data/lexicon.json";
import kelurahanData from "../../data/mojokerto-kelurahan.json";
import regionsData from "../../data/regions.json";
import stopwordData from "../../data/stopwords.json";
import type { MatchProfile, SizeClass } from "../../src/matching";
import { mulberry32 } from "../lib/random";

const SYLLABLES = [
  "ka",
  "ri",
  "mo",
  "ja",
  "su",
  "to",
  "la",
  "pe",
  "nu",
  "wa",
  "di",
  "gi",
  "ba",
  "ro",
  "se",
  "ya",
  "ku",
  "ne",
  "po",
  "ha",
];
const VOCAB_SIZE = 5000;
const NEARBY = ["35.16", "35.17", "35.15", "35.78", "35.25"];

/** Cumulative Zipf (s = 1.07) weights over n ranks, for sampling by binary search. */
function zipfTable(n: number, s = 1.07): Float64Array {
  const cum = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / (i + 1) ** s;
    cum[i] = total;
  }
  for (let i = 0; i < n; i++) cum[i] /= total;
  return cum;
}

function pick(cum: Float64Array, r: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where the i-th business of a registry is (the generator's random source passed in). */
export type Locate = (i: number, rnd: () => number) => MatchProfile["location"];

export function syntheticRegistry(n: number, seed = 7, locate?: Locate): MatchProfile[] {
  const rnd = mulberry32(seed);
  // Vocabulary: pseudo-stems only; lexicon terms enter through topics.
  const base = [...new Set([...lexicon.groups, ...lexicon.concepts].flatMap((c) => c.terms))];
  const words = new Set<string>();
  while (words.size < VOCAB_SIZE) {
    const len = 2 + Math.floor(rnd() * 3);
    let w = "";
    for (let i = 0; i < len; i++) w += SYLLABLES[Math.floor(rnd() * SYLLABLES.length)];
    words.add(w);
  }
  const vocab = [...words];
  const stopwords = stopwordData.id;
  const zipf = zipfTable(vocab.length);
  // Topic words per KBLI division: a few lexicon terms each, shared by makers and their buyers.
  const topics = new Map<string, string[]>();
  const topicOf = (division: string) => {
    let t = topics.get(division);
    if (!t) {
      t = Array.from({ length: 12 }, () => base[Math.floor(rnd() * base.length)]);
      topics.set(division, t);
    }
    return t;
  };
  const industryCodes = (codes as Array<{ code: string; sector: string }>).filter(
    (c) => c.sector === "industry",
  );
  const serviceCodes = (codes as Array<{ code: string; sector: string }>).filter(
    (c) => c.sector === "service",
  );
  const kel = kelurahanData.kelurahan;
  const kelCum = new Float64Array(kel.length);
  let pop = 0;
  kel.forEach((k, i) => {
    pop += k.population2023;
    kelCum[i] = pop;
  });
  const regions = regionsData.regions.filter((r) => NEARBY.includes(r.code));
  const sizes: SizeClass[] = ["mikro", "mikro", "mikro", "kecil", "kecil", "menengah", "besar"];
  const text = (count: number, topic: string[]) => {
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const r = rnd();
      if (r < 0.45) out.push(stopwords[Math.floor(rnd() * stopwords.length)]);
      else if (r < 0.6) out.push(topic[Math.floor(rnd() * topic.length)]);
      else out.push(vocab[pick(zipf, rnd())]);
    }
    return out.join(" ");
  };
  const cityPlace: Locate = (_i, rnd) => {
    if (rnd() < 0.8) {
      const k = kel[pick(kelCum.map((x) => x / pop) as Float64Array, rnd())];
      return {
        kelurahan: k.kelurahan,
        kecamatan: k.kecamatan,
        city: "Kota Mojokerto",
        lat: k.lat + (rnd() - 0.5) * 0.006,
        lng: k.lng + (rnd() - 0.5) * 0.006,
      };
    } else {
      const r = regions[Math.floor(rnd() * regions.length)];
      return {
        kelurahan: null,
        kecamatan: null,
        city: r.name,
        lat: r.lat + (rnd() - 0.5) * 0.1,
        lng: r.lng + (rnd() - 0.5) * 0.1,
      };
    }
  };
  const profiles: MatchProfile[] = [];
  for (let i = 0; i < n; i++) {
    const sector = rnd() < 0.45 ? "service" : "industry";
    const pool = sector === "service" ? serviceCodes : industryCodes;
    const code = pool[Math.floor(rnd() * pool.length)].code;
    // Buyers talk about what their suppliers make: a service's needs draw on an industry topic.
    const partner = industryCodes[Math.floor(rnd() * industryCodes.length)].code;
    const own = topicOf(code.slice(0, 2));
    const other = topicOf(
      (sector === "service" ? partner : serviceCodes[Math.floor(rnd() * serviceCodes.length)].code).slice(
        0,
        2,
      ),
    );
    const location = (locate ?? cityPlace)(i, rnd);
    profiles.push({
      id: `syn_${i.toString().padStart(7, "0")}`,
      name: `${vocab[pick(zipf, rnd())]} ${vocab[pick(zipf, rnd())]}`,
      sector,
      kbli: rnd() < 0.05 ? [] : [{ code, version: "2020" }],
      sizeClass: sizes[Math.floor(rnd() * sizes.length)],
      location,
      offers: text(20 + Math.floor(rnd() * 61), own),
      needs: text(20 + Math.floor(rnd() * 61), other),
      maxPartners: 1 + Math.floor(rnd() * 10),
    });
  }
  return profiles;
}

/** A province's registry, and the region (index into {@link provinceRegions}) of each business. */
export interface SyntheticProvince {
  profiles: MatchProfile[];
  regionOf: Int32Array;
}

/** Jawa Timur's 38 regencies and cities, as data/regions.json lists them (codes, centres, borders). */
export function provinceRegions(): typeof regionsData.regions {
  return regionsData.regions;
}

/**
 * A province of `n` businesses: the 38 regencies and cities of data/regions.json at an even n / 38
 * each (data/ holds no business counts by region, so no weighting is claimed), each business placed
 * around its region's centre (within ±0.15°, about ±16 km) with the region's name as its city, so
 * the location rules resolve its region. Texts, codes and sizes as {@link syntheticRegistry}.
 * With `only` (region indexes), just those regions' n / 38 each are generated: one shard's ring of
 * a province too large to generate whole (the bench's --simulate).
 */
export function syntheticProvince(n: number, seed = 7, only?: number[]): SyntheticProvince {
  const regions = provinceRegions();
  const drawn = only ?? regions.map((_, i) => i);
  const count = only ? Math.round(n / regions.length) * only.length : n;
  const regionOf = new Int32Array(count);
  const profiles = syntheticRegistry(count, seed, (i, rnd) => {
    const ri = drawn[i % drawn.length];
    const r = regions[ri];
    regionOf[i] = ri;
    return {
      kelurahan: null,
      kecamatan: null,
      city: r.name,
      lat: r.lat + (rnd() - 0.5) * 0.3,
      lng: r.lng + (rnd() - 0.5) * 0.3,
    };
  });
  return { profiles, regionOf };
}
