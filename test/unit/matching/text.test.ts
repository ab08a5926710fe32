import { describe, expect, it } from "vitest";
import { extractFeatures } from "../../../src/matching/lexicon";
import { isStopword, stem, tokenize } from "../../../src/matching/text";

describe("tokenize", () => {
  it("keeps capitalised words whole (natural's Indonesian tokenizer alone drops capitals)", () => {
    expect(tokenize("Produksi Sepatu")).toEqual(["produksi", "sepatu"]);
  });

  it("drops quantities and folds informal reduplication", () => {
    expect(tokenize("onde2 200 potong, kue-kue 5kg")).toEqual(["onde", "potong", "kue"]);
  });

  it("splits words joined by slashes and ampersands", () => {
    expect(tokenize("tahu/tempe & krupuk")).toEqual(["tahu", "tempe", "krupuk"]);
  });
});

describe("stem", () => {
  it("strips Indonesian affixes to a dictionary root", () => {
    expect(stem("pengiriman")).toBe("kirim");
    expect(stem("kemasan")).toBe("kemas");
    expect(stem("penjualan")).toBe("jual");
  });

  it("leaves roots alone and stems English words with the light English stemmer", () => {
    expect(stem("sepatu")).toBe("sepatu");
    expect(stem("deliveries")).toBe("deliveri");
  });
});

describe("stopwords", () => {
  it("treats Indonesian chat spellings and English filler as stopwords, not products", () => {
    for (const w of ["yg", "utk", "dgn", "kalo", "looking", "the"]) expect(isStopword(w)).toBe(true);
    for (const w of ["tahu", "sepatu", "hotel"]) expect(isStopword(w)).toBe(false);
  });
});

describe("lexicon features", () => {
  it("maps words from both languages onto one concept", () => {
    const id = extractFeatures("butuh sepatu dan sandal");
    const en = extractFeatures("we need footwear");
    expect(id.has("g:alas_kaki")).toBe(true);
    expect(en.has("g:alas_kaki")).toBe(true);
  });

  it("matches multi-word terms before single words (kardus sepatu is packaging, not shoes)", () => {
    const f = extractFeatures("kardus sepatu ukuran standar");
    expect(f.has("c:dus_karton")).toBe(true);
    expect(f.has("c:sepatu")).toBe(false);
  });

  it("adds the broader family at half weight so generic needs meet specific offers", () => {
    const f = extractFeatures("onde-onde");
    expect(f.get("c:kue_basah")).toBe(1);
    expect(f.get("g:kue_roti")).toBe(0.5);
  });

  it("keeps unknown content words as stems at a discount", () => {
    const f = extractFeatures("gamelan");
    expect(f.get("w:gamelan")).toBe(0.5);
  });
});
