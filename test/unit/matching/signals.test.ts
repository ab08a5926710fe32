import { describe, expect, it } from "vitest";
import { categoryScore } from "../../../src/matching/category";
import { locationScore, locationTier } from "../../../src/matching/location";

describe("category", () => {
  it("scores a warung buying from a food maker high and names the pattern", () => {
    const r = categoryScore(["56102"], ["10392"]);
    expect(r.score).toBeGreaterThanOrEqual(0.9);
    expect(r.pattern).toBe("rantai_pasok");
    expect(r.fallback).toBe(false);
  });

  it("prefers the most specific row: shoe shops and footwear beat retail in general", () => {
    expect(categoryScore(["47712"], ["15201"]).score).toBeGreaterThan(
      categoryScore(["47111"], ["15201"]).score,
    );
  });

  it("takes the strongest pair when a business has several codes", () => {
    expect(categoryScore(["47111", "56101"], ["10710"]).score).toBe(
      Math.max(categoryScore(["47111"], ["10710"]).score, categoryScore(["56101"], ["10710"]).score),
    );
  });

  it("falls back to a neutral score, not zero, when a KBLI code is missing", () => {
    const r = categoryScore([], ["10392"]);
    expect(r.fallback).toBe(true);
    expect(r.score).toBeCloseTo(0.3);
  });

  it("treats a code from the wrong side (a cafe filed under bread making) as missing, not as a weak match", () => {
    const r = categoryScore(["10710"], ["10761"]);
    expect(r.fallback).toBe(true);
    expect(r.score).toBeCloseTo(0.3);
  });

  it("gives unrelated activities the low default", () => {
    expect(categoryScore(["64191"], ["15201"]).score).toBeLessThan(0.2);
  });
});

describe("location", () => {
  const miji = {
    kelurahan: "Miji",
    kecamatan: "Kranggan",
    city: "Kota Mojokerto",
    lat: -7.4757,
    lng: 112.4345,
  };
  const meri = {
    kelurahan: "Meri",
    kecamatan: "Kranggan",
    city: "Kota Mojokerto",
    lat: -7.4811,
    lng: 112.4475,
  };
  const wates = {
    kelurahan: "Wates",
    kecamatan: "Magersari",
    city: "Kota Mojokerto",
    lat: -7.4551,
    lng: 112.4499,
  };
  const trowulan = {
    kelurahan: null,
    kecamatan: "Trowulan",
    city: "Kab. Mojokerto",
    lat: -7.5606,
    lng: 112.3819,
  };
  const surabaya = {
    kelurahan: null,
    kecamatan: "Genteng",
    city: "Kota Surabaya",
    lat: -7.2575,
    lng: 112.7521,
  };
  const jakarta = { kelurahan: null, kecamatan: null, city: "Jakarta Pusat", lat: -6.1865, lng: 106.8342 };

  it("orders the tiers kelurahan > kecamatan > city > neighbouring regency > province > far", () => {
    expect(locationTier(miji, miji)).toBe("kelurahan");
    expect(locationTier(miji, meri)).toBe("kecamatan");
    expect(locationTier(miji, wates)).toBe("city");
    expect(locationTier(miji, trowulan)).toBe("neighbour");
    expect(locationTier(miji, surabaya)).toBe("province");
    expect(locationTier(miji, jakarta)).toBe("far");
    const scores = [miji, meri, wates, trowulan, surabaya, jakarta].map((b) => locationScore(miji, b).score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("recognises regency aliases such as 'Kab. Mojokerto'", () => {
    expect(locationTier(trowulan, { ...trowulan, city: "Kabupaten Mojokerto" })).not.toBe("neighbour");
  });

  it("keeps scores in [0, 1] and works without coordinates", () => {
    const r = locationScore({ ...miji, lat: null, lng: null }, wates);
    expect(r.km).toBeNull();
    expect(r.score).toBeGreaterThan(0);
    expect(r.score).toBeLessThanOrEqual(1);
  });
});
