/**
 * Word-sense traps, typos and mixed-language texts that real owner-written profiles hit. Each
 * case names what went wrong before: a function word read as a product, a misspelling that
 * missed its concept, an English word mangled by the Indonesian stemmer.
 */
import { describe, expect, it } from "vitest";
import { createMatcher, DEFAULT_WEIGHTS } from "../../../src/matching";
import { analyzeProfile } from "../../../src/matching/analyze";
import { correctSpelling, extractFeatures } from "../../../src/matching/lexicon";
import { activityPerishability } from "../../../src/matching/perishable";
import { pairScore } from "../../../src/matching/score";
import { stem } from "../../../src/matching/text";
import type { MatchProfile } from "../../../src/matching/types";
import { profile } from "./fixtures";

const has = (text: string, key: string) => extractFeatures(text).has(key);

describe("function words are not products", () => {
  it.each([
    ["belum tahu mau kerja sama dengan siapa", "c:tahu"],
    ["kami gak tahu harus mulai dari mana", "c:tahu"],
    ["produk diproduksi oleh ibu-ibu PKK", "c:oleh_oleh"],
    ["usaha rumahan kue kering", "c:kontraktor"],
    ["gelas plastik sekali pakai", "c:sandal_hotel"],
    ["kayu lapis untuk lemari", "c:kue_basah"],
    ["jejaring antar UMKM di Mojokerto", "g:logistik"],
    ["butuh bantuan memasarkan produk", "c:pasar_tradisional"],
    ["gula pasir 50 kg per minggu", "c:bahan_bangunan"],
  ])("%s is not %s", (text, key) => {
    expect(has(text, key)).toBe(false);
  });

  it("keeps the product sense where it is meant", () => {
    expect(has("tahu putih tiap pagi", "c:tahu")).toBe(true);
    expect(has("oleh2 khas Mojokerto", "c:oleh_oleh")).toBe(true);
    expect(has("bisa antar jemput barang", "g:logistik")).toBe(true);
    expect(has("pedagang pasar tradisional", "c:pasar_tradisional")).toBe(true);
    expect(has("kayu lapis dan triplek", "c:bahan_bangunan")).toBe(true);
    expect(has("kue lapis legit", "c:kue_basah")).toBe(true);
    expect(has("pasir dan batu bata", "c:bahan_bangunan")).toBe(true);
  });

  it("drops the function phrase from the exact-word view too", () => {
    const p: MatchProfile = {
      id: "x",
      sector: "service",
      kbli: [],
      sizeClass: "mikro",
      location: { kelurahan: null, kecamatan: null, city: "Kota Mojokerto", lat: null, lng: null },
      offers: "Warung kopi",
      needs: "Belum tahu butuh apa",
      maxPartners: 1,
    };
    expect(analyzeProfile(p).words.map(([w]) => w)).not.toContain("tahu");
  });
});

describe("typos and informal spellings meet their concept", () => {
  it.each([
    ["katring nasi kotak", "c:katering"],
    ["loundry kiloan", "c:laundry"],
    ["konfeksi kaos", "g:tekstil_busana"],
    ["snak kiloan", "g:camilan"],
    ["mebeul jati", "g:mebel"],
    ["catering pernikahan", "c:katering"],
  ])("%s -> %s", (text, key) => {
    expect(has(text, key)).toBe(true);
  });

  it("never corrects a dictionary word into another concept", () => {
    expect(correctSpelling("tahun")).toBeNull();
    expect(has("tahun ini buka cabang", "c:tahu")).toBe(false);
    expect(correctSpelling("makan")).toBeNull();
  });
});

describe("English words skip the Indonesian stemmer", () => {
  it.each([
    ["dining", "dine"],
    ["sewing", "sew"],
    ["business", "business"],
    ["bakeries", "bakeri"],
    ["bakery", "bakeri"],
    ["packaging", "packag"],
    ["package", "packag"],
  ])("%s -> %s", (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it("still strips Indonesian affixes", () => {
    expect(stem("pengiriman")).toBe("kirim");
    expect(stem("diproduksi")).toBe("produksi");
    expect(stem("menjahit")).toBe("jahit");
  });

  it("reads a mixed-language text onto the same concepts as the Indonesian one", () => {
    const en = extractFeatures("We supply bakeries and cafes with packaging boxes");
    const id = extractFeatures("Kami suplai toko roti dan kafe dengan kardus kemasan");
    for (const k of ["c:roti", "g:kemasan"]) {
      expect(en.has(k)).toBe(true);
      expect(id.has(k)).toBe(true);
    }
  });
});

describe("a packaging noun followed by a product names packaging for it", () => {
  it.each([
    ["butuh kardus sepatu 500 pcs", "c:sepatu"],
    ["kemasan keripik tempe", "c:keripik"],
    ["box kue ulang tahun", "g:kue_roti"],
  ])("%s is not %s", (text, key) => {
    expect(has(text, key)).toBe(false);
  });

  it("keeps the packaging, and the product where no packaging noun heads it", () => {
    expect(has("butuh kardus sepatu 500 pcs", "c:dus_karton")).toBe(true);
    expect(has("kemasan plastik untuk keripik", "c:plastik")).toBe(true);
    expect(has("sepatu kulit dan kardus", "c:sepatu")).toBe(true);
    expect(has("keripik tempe dalam kemasan", "c:keripik")).toBe(true);
  });
});

describe("reasons are true: a business never 'offers' what it only is, has or is coded as", () => {
  const OFFER = "They offer what you need: ";
  const offerLine = (query: MatchProfile, candidate: MatchProfile) => {
    const m = createMatcher([query, candidate]);
    const s = m.rank(query.id, { limit: 1, lang: "en" })[0];
    expect(s?.id).toBe(candidate.id);
    return s.reasons.find((r) => r.startsWith(OFFER)) ?? "";
  };

  it("names no product that only the candidate's KBLI code implies (a tailor coded 13921, a plaque maker coded 25999)", () => {
    const hotel = profile({
      id: "s-hotel",
      sector: "service",
      kbli: [{ code: "55110", version: "2020" }],
      offers: "Hotel 40 kamar",
      needs: "Tas kain untuk amenities tamu, sprei dan sarung bantal",
    });
    const tailor = profile({
      id: "i-tailor",
      name: "Penjahit Sri",
      sector: "industry",
      kbli: [
        { code: "14120", version: "2020" },
        { code: "13921", version: "2020" },
      ],
      offers: "Jahit sprei dan sarung bantal sesuai ukuran",
    });
    const line = offerLine(hotel, tailor);
    expect(line).toContain("sheets");
    expect(line).not.toMatch(/bag/i);
    const printer = profile({
      id: "s-print",
      sector: "service",
      offers: "Percetakan",
      needs: "Plakat dan medali untuk lomba, panci stainless untuk dapur",
    });
    const plaques = profile({
      id: "i-plakat",
      sector: "industry",
      kbli: [{ code: "25999", version: "2020" }],
      offers: "Plakat akrilik dan medali lari",
    });
    expect(offerLine(printer, plaques)).not.toMatch(/cook|stainless/i);
  });

  it("says what a code implies as the registered activity, not as offered", () => {
    const hotel = profile({
      id: "s-hotel",
      sector: "service",
      offers: "Hotel 40 kamar",
      needs: "Tas kain untuk tamu",
    });
    const tailor = profile({
      id: "i-tailor",
      sector: "industry",
      kbli: [{ code: "13921", version: "2020" }],
      offers: "Terima pesanan dalam jumlah besar",
    });
    const m = createMatcher([hotel, tailor]);
    const reasons = m.rank(hotel.id, { limit: 1, lang: "en" })[0]?.reasons ?? [];
    expect(reasons.some((r) => r.startsWith(OFFER))).toBe(false);
    expect(reasons.some((r) => r.startsWith("Their registered activity (KBLI) covers what you need"))).toBe(
      true,
    );
  });

  it.each([
    [
      "a bakso stall to a government office",
      "Bakso dan mie ayam, bisa pesan untuk instansi & lembaga",
      "instansi",
    ],
    ["a kue maker with a PIRT licence", "Kue basah onde-onde, sudah izin PIRT dan halal", "PIRT"],
    ["a warung with branches", "Warung makan, kami punya cabang di tiga kecamatan", "branch"],
  ])("%s", (_, offers, word) => {
    const query = profile({
      id: "i-q",
      sector: "industry",
      offers: "Produsen kitchen set dan alat masak",
      needs: `Pelanggan ${offers.toLowerCase()}`,
    });
    const candidate = profile({ id: "s-c", sector: "service", offers });
    expect(offerLine(query, candidate).toLowerCase()).not.toContain(word.toLowerCase());
  });
});

describe("perishable goods lose more on distance; scale gaps are said", () => {
  it("reads perishability from the supplier's KBLI group, not from words", () => {
    expect(activityPerishability(["10792"])).toBe(1); // kue basah
    expect(activityPerishability(["56210"])).toBe(1); // event catering
    expect(activityPerishability(["10710"])).toBe(0.5); // bread and cakes, with dry biscuits
    expect(activityPerishability(["17021"])).toBe(0); // paper packaging
    expect(activityPerishability(["18110"])).toBe(0); // printing
  });

  it("a far kue basah maker loses more than a far packaging maker; near, neither loses", () => {
    const args = (location: number, perishCandidate: number) =>
      pairScore(0.5, 0.3, 0.4, 0.2, 0, 0, 0.8, location, 1, DEFAULT_WEIGHTS, true, 0, perishCandidate);
    expect(args(0.1, 1)).toBeLessThan(args(0.1, 0));
    expect(args(1, 1)).toBe(args(1, 0));
  });

  it("says a gap of two size classes and scores it a little lower", () => {
    const coop = profile({
      id: "s-coop",
      sector: "service",
      sizeClass: "besar",
      offers: "Koperasi pegawai 3.500 anggota",
      needs: "Keripik tempe untuk toko koperasi",
    });
    const maker = (sizeClass: "mikro" | "menengah") =>
      profile({ id: "i-maker", sector: "industry", sizeClass, offers: "Keripik tempe renyah" });
    const small = createMatcher([coop, maker("mikro")]).rank(coop.id, { limit: 1, lang: "en" })[0];
    const mid = createMatcher([coop, maker("menengah")]).rank(coop.id, { limit: 1, lang: "en" })[0];
    expect(small.score).toBeLessThan(mid.score);
    expect(small.reasons).toContain("Different scale: you are large, they are micro (scored a little lower)");
    expect(mid.reasons.some((r) => r.startsWith("Different scale"))).toBe(false);
  });
});
