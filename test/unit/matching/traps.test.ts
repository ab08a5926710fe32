/**
 * Word-sense traps, typos and mixed-language texts that real owner-written profiles hit. Each
 * case names what went wrong before: a function word read as a product, a misspelling that
 * missed its concept, an English word mangled by the Indonesian stemmer.
 */
import { describe, expect, it } from "vitest";
import { analyzeProfile } from "../../../src/matching/analyze";
import { correctSpelling, extractFeatures } from "../../../src/matching/lexicon";
import { stem } from "../../../src/matching/text";
import type { MatchProfile } from "../../../src/matching/types";

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
