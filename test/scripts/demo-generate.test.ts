import { describe, expect, it } from "vitest";
import archetypesJson from "../../data/demo/archetypes.json";
import codesJson from "../../data/kbli/codes-common.json";
import divisions2020 from "../../data/kbli/divisions-2020.json";
import divisions2025 from "../../data/kbli/divisions-2025.json";
import kelurahanJson from "../../data/mojokerto-kelurahan.json";
import regionsJson from "../../data/regions.json";
import {
  DEFAULT_COUNT,
  generateDemoRegistry,
  generateDemoRegistryDetailed,
} from "../../scripts/demo/generate";
import { mulberry32 } from "../../scripts/lib/random";

const registry = generateDemoRegistry();
const kecamatanOf = new Map(kelurahanJson.kelurahan.map((k) => [k.kelurahan, k.kecamatan]));
const divisionCodes2020 = new Set(divisions2020.divisions.map((d) => d.code));

describe("KBLI division tables", () => {
  it("KBLI 2020 has sections A-U and the 88 ISIC Rev.4 divisions", () => {
    expect(divisions2020.version).toBe("2020");
    expect(divisions2020.sections.map((s) => s.code).join("")).toBe("ABCDEFGHIJKLMNOPQRSTU");
    expect(divisions2020.divisions).toHaveLength(88);
    expect(divisionCodes2020.size).toBe(88);
    const sections = new Set(divisions2020.sections.map((s) => s.code));
    for (const d of divisions2020.divisions) {
      expect(d.code).toMatch(/^\d{2}$/);
      expect(sections.has(d.section)).toBe(true);
      expect(d.nameId.length).toBeGreaterThan(3);
      expect(d.nameEn.length).toBeGreaterThan(3);
    }
    expect(divisions2020.divisions.find((d) => d.code === "15")?.section).toBe("C");
    expect(divisions2020.divisions.find((d) => d.code === "56")?.section).toBe("I");
    expect(divisions2020.divisions.find((d) => d.code === "99")?.section).toBe("U");
  });

  it("KBLI 2025 has sections A-V, no division 45, and the Rev.5 section shifts", () => {
    expect(divisions2025.version).toBe("2025");
    expect(divisions2025.sections.map((s) => s.code).join("")).toBe("ABCDEFGHIJKLMNOPQRSTUV");
    expect(divisions2025.divisions).toHaveLength(87);
    const section = new Map(divisions2025.divisions.map((d) => [d.code, d.section]));
    expect(section.has("45")).toBe(false);
    expect([section.get("46"), section.get("47")]).toEqual(["G", "G"]);
    expect([section.get("58"), section.get("60"), section.get("61"), section.get("63")]).toEqual([
      "J",
      "J",
      "K",
      "K",
    ]);
    expect([section.get("64"), section.get("68"), section.get("69"), section.get("77")]).toEqual([
      "L",
      "M",
      "N",
      "O",
    ]);
    expect([section.get("84"), section.get("85"), section.get("86"), section.get("90")]).toEqual([
      "P",
      "Q",
      "R",
      "S",
    ]);
    expect([section.get("94"), section.get("97"), section.get("99")]).toEqual(["T", "U", "V"]);
    expect(divisions2025.note).toMatch(/not verified/i);
  });

  it("common codes are unique 5-digit KBLI 2020 codes in known divisions", () => {
    const seen = new Set<string>();
    for (const c of codesJson) {
      expect(c.code).toMatch(/^\d{5}$/);
      expect(c.version).toBe("2020");
      expect(seen.has(c.code)).toBe(false);
      seen.add(c.code);
      expect(divisionCodes2020.has(c.code.slice(0, 2))).toBe(true);
      expect(["service", "industry"]).toContain(c.sector);
      const manufacturing = Number(c.code.slice(0, 2)) >= 10 && Number(c.code.slice(0, 2)) <= 33;
      expect(c.sector).toBe(manufacturing ? "industry" : "service");
    }
    expect(codesJson.length).toBeGreaterThanOrEqual(60);
    // tempe/tahu are 10391/10392 (10793 is other soybean foods).
    expect(codesJson.find((c) => c.code === "10391")?.nameId).toMatch(/tempe/i);
    expect(codesJson.find((c) => c.code === "10392")?.nameId).toMatch(/tahu/i);
  });
});

describe("demo registry generator", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    expect(generateDemoRegistry({ seed: 11 })).toEqual(generateDemoRegistry({ seed: 11 }));
    expect(JSON.stringify(generateDemoRegistry())).toBe(JSON.stringify(registry));
    expect(generateDemoRegistry({ seed: 12 })).not.toEqual(generateDemoRegistry({ seed: 11 }));
  });

  it("mulberry32 is a stable PRNG in [0, 1)", () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    for (let i = 0; i < 100; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it("makes at least 300 businesses by default and honours --count", () => {
    expect(DEFAULT_COUNT).toBeGreaterThanOrEqual(300);
    expect(registry.length).toBe(DEFAULT_COUNT);
    expect(generateDemoRegistry({ count: 500, seed: 5 })).toHaveLength(500);
    expect(generateDemoRegistry({ count: 3 })).toHaveLength(3);
    expect(() => generateDemoRegistry({ count: 0 })).toThrow();
  });

  it("has both sectors in sensible shares", () => {
    const service = registry.filter((b) => b.sector === "service").length / registry.length;
    expect(service).toBeGreaterThan(0.4);
    expect(service).toBeLessThan(0.5);
  });

  it("covers all 18 kelurahan with official names and the right kecamatan", () => {
    const inCity = registry.filter((b) => b.location.city === "Kota Mojokerto");
    const seen = new Set(inCity.map((b) => b.location.kelurahan));
    expect(seen.size).toBe(18);
    for (const b of inCity) {
      expect(b.location.kelurahan).not.toBeNull();
      const kel = b.location.kelurahan as string;
      expect(kecamatanOf.has(kel)).toBe(true);
      expect(b.location.kecamatan).toBe(kecamatanOf.get(kel));
      const centre = kelurahanJson.kelurahan.find((k) => k.kelurahan === kel);
      expect(centre).toBeDefined();
      // within ~450 m of the kelurahan centroid
      expect(Math.abs(b.location.lat - (centre?.lat ?? 0))).toBeLessThan(0.0041);
      expect(Math.abs(b.location.lng - (centre?.lng ?? 0))).toBeLessThan(0.0041);
    }
  });

  it("puts roughly 10-15% outside the city, in known regions", () => {
    const regionNames = new Set(regionsJson.regions.map((r) => r.name));
    const outside = registry.filter((b) => b.location.city !== "Kota Mojokerto");
    expect(outside.length / registry.length).toBeGreaterThanOrEqual(0.08);
    expect(outside.length / registry.length).toBeLessThanOrEqual(0.18);
    for (const b of outside) {
      expect(regionNames.has(b.location.city)).toBe(true);
      expect(b.location.kelurahan).toBeNull();
      expect(b.location.kecamatan).toBeNull();
      expect(b.location.lat).toBeGreaterThan(-7.7);
      expect(b.location.lat).toBeLessThan(-7.1);
      expect(b.location.lng).toBeGreaterThan(112.1);
      expect(b.location.lng).toBeLessThan(112.9);
    }
    // Trowulan brass casting is outside the city, in Kabupaten Mojokerto.
    const brass = generateDemoRegistryDetailed().filter((d) => d.archetype === "kuningan-trowulan");
    expect(brass.filter((d) => d.business.location.city === "Kabupaten Mojokerto").length).toBeGreaterThan(0);
  });

  it("places the footwear and batik clusters where they are", () => {
    const detailed = generateDemoRegistryDetailed();
    const footwear = detailed.filter((d) => d.archetype.startsWith("alas-kaki-"));
    const inCluster = footwear.filter((d) =>
      ["Miji", "Surodinawan"].includes(d.business.location.kelurahan ?? ""),
    );
    expect(inCluster.length / footwear.length).toBeGreaterThan(0.5);
    const batik = detailed.filter((d) => d.archetype === "batik");
    expect(batik.some((d) => d.business.location.kelurahan === "Gununggedangan")).toBe(true);
  });

  it("has unique ids, names, emails and NIBs; NIBs are 13 digits and ~70% present", () => {
    const ids = registry.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^biz_demo_\d{4}$/);
    expect(new Set(registry.map((b) => b.name.toLowerCase())).size).toBe(registry.length);
    expect(new Set(registry.map((b) => b.email)).size).toBe(registry.length);
    const nibs = registry.map((b) => b.nib).filter((n): n is string => n !== null);
    expect(new Set(nibs).size).toBe(nibs.length);
    for (const n of nibs) expect(n).toMatch(/^\d{13}$/);
    expect(nibs.length / registry.length).toBeGreaterThan(0.6);
    expect(nibs.length / registry.length).toBeLessThan(0.8);
  });

  it("gives 1-3 KBLI 2020 codes whose division exists and whose sector fits", () => {
    const known = new Set(codesJson.map((c) => c.code));
    for (const b of registry) {
      expect(b.kbli.length).toBeGreaterThanOrEqual(1);
      expect(b.kbli.length).toBeLessThanOrEqual(3);
      for (const k of b.kbli) {
        expect(k.version).toBe("2020");
        expect(k.code).toMatch(/^\d{5}$/);
        expect(divisionCodes2020.has(k.code.slice(0, 2))).toBe(true);
        expect(known.has(k.code)).toBe(true);
      }
      const manufacturing = b.kbli.some((k) => Number(k.code.slice(0, 2)) <= 33);
      expect(manufacturing).toBe(b.sector === "industry");
    }
  });

  it("keeps texts non-empty, within 4000 chars, varied, and mostly Indonesian", () => {
    for (const b of registry) {
      for (const t of [b.offers, b.needs]) {
        expect(t.trim().length).toBeGreaterThan(10);
        expect(t.length).toBeLessThanOrEqual(4000);
        expect(t).not.toMatch(/\{[^}]*\}/); // no unfilled placeholders
      }
    }
    expect(new Set(registry.map((b) => b.offers)).size / registry.length).toBeGreaterThan(0.9);
    const en = registry.filter((b) => b.language === "en").length / registry.length;
    expect(en).toBeGreaterThan(0.04);
    expect(en).toBeLessThan(0.2);
  });

  it("has valid languages, emails, capacities, e-katalog links and active flags", () => {
    for (const b of registry) {
      expect(["id", "en"]).toContain(b.language);
      expect(b.email).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*@mitra\.example$/);
      expect(Number.isInteger(b.maxPartners)).toBe(true);
      expect(b.maxPartners).toBeGreaterThanOrEqual(1);
      expect(b.maxPartners).toBeLessThanOrEqual(50);
      expect(["mikro", "kecil", "menengah", "besar"]).toContain(b.sizeClass);
      if (b.ekatalog.listed) {
        expect(b.nib).not.toBeNull();
        expect(b.ekatalog.url).toMatch(/^https:\/\/e-katalog\.example\//);
      } else {
        expect(b.ekatalog.url).toBeNull();
      }
    }
    const listed = registry.filter((b) => b.ekatalog.listed).length;
    const umkmWithNib = registry.filter((b) => b.nib && b.sizeClass !== "besar").length;
    expect(listed / umkmWithNib).toBeGreaterThan(0.1);
    expect(listed / umkmWithNib).toBeLessThan(0.3);
    const active = registry.filter((b) => b.active).length / registry.length;
    expect(active).toBeGreaterThan(0.93);
    expect(active).toBeLessThan(1);
  });

  it("uses every archetype and only KBLI codes listed for it", () => {
    const detailed = generateDemoRegistryDetailed();
    const used = new Set(detailed.map((d) => d.archetype));
    for (const a of archetypesJson.archetypes) expect(used.has(a.id)).toBe(true);
  });

  it("does not reuse the public evaluation set's business names", async () => {
    const fs = await import("node:fs");
    const path = new URL("../../data/eval/mojokerto-dev.json", import.meta.url);
    if (!fs.existsSync(path)) return;
    const dev = JSON.parse(fs.readFileSync(path, "utf8")) as {
      businesses: { name: string; offers: string }[];
    };
    const devNames = new Set(dev.businesses.map((b) => b.name.toLowerCase()));
    const devOffers = new Set(dev.businesses.map((b) => b.offers));
    for (const b of registry) {
      expect(devNames.has(b.name.toLowerCase())).toBe(false);
      expect(devOffers.has(b.offers)).toBe(false);
    }
  });
});
