import { describe, expect, it } from "vitest";
import { findKecamatan, findKelurahan, findRegion, normaliseLocation } from "../../../src/domain/location";

describe("normaliseLocation inside Kota Mojokerto", () => {
  it.each([
    ["Prajuritkulon", "Prajuritkulon"],
    ["Prajurit Kulon", "Prajuritkulon"],
    ["  prajurit   KULON ", "Prajuritkulon"],
    ["Kel. Prajurit Kulon", "Prajuritkulon"],
    ["Gununggedangan", "Gununggedangan"],
    ["Gunung Gedangan", "Gununggedangan"],
    ["gunung-gedangan", "Gununggedangan"],
    ["MIJI", "Miji"],
  ])("reads kelurahan %j as %s", (given, official) => {
    const result = normaliseLocation({ kelurahan: given });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.location.kelurahan).toBe(official);
      expect(result.location.city).toBe("Kota Mojokerto");
      expect(result.location.regionCode).toBe("35.76");
    }
  });

  it("defaults the coordinates to the kelurahan centroid and keeps given ones", () => {
    const centroid = normaliseLocation({ kelurahan: "Miji" });
    const given = normaliseLocation({ kelurahan: "Miji", lat: -7.48, lng: 112.44 });
    expect(centroid.ok && given.ok).toBe(true);
    if (centroid.ok && given.ok) {
      expect(centroid.location.lat).toBe(findKelurahan("Miji")?.lat);
      expect(centroid.location.lng).toBe(findKelurahan("Miji")?.lng);
      expect(given.location).toMatchObject({ lat: -7.48, lng: 112.44 });
    }
  });

  it("accepts the kecamatan in either spelling when it contains the kelurahan", () => {
    const result = normaliseLocation({ kelurahan: "Surodinawan", kecamatan: "Prajurit Kulon" });
    expect(result).toMatchObject({ ok: true, location: { kecamatan: "Prajuritkulon" } });
  });

  it("rejects a kecamatan that does not contain the kelurahan", () => {
    expect(normaliseLocation({ kelurahan: "Miji", kecamatan: "Magersari" })).toEqual({
      ok: false,
      errors: [{ path: "kecamatan", message: expect.stringContaining("Kranggan") }],
    });
  });

  it("rejects a kelurahan that is not in the city, listing the valid ones", () => {
    const result = normaliseLocation({ kelurahan: "Trowulan" });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors[0]?.path).toBe("kelurahan");
      expect(result.errors[0]?.message).toContain("Gununggedangan");
    }
  });

  it("rejects a kelurahan paired with another city", () => {
    const result = normaliseLocation({ kelurahan: "Miji", city: "Jombang" });
    expect(result).toMatchObject({ ok: false, errors: [{ path: "city" }] });
  });
});

describe("normaliseLocation elsewhere", () => {
  it("canonicalises a known alias with its code", () => {
    expect(normaliseLocation({ city: "Kab. Jombang", lat: -7.55, lng: 112.23 })).toMatchObject({
      ok: true,
      location: { city: "Kabupaten Jombang", regionCode: "35.17", kelurahan: null, kecamatan: null },
    });
    expect(findRegion("kab   mojokerto")?.code).toBe("35.16");
    // Every regency and city of Jawa Timur is known since data/regions.json comes from idn-area-data.
    expect(findRegion("Kota Madiun")).toEqual({ code: "35.77", name: "Kota Madiun" });
    expect(findRegion("Kab. Sumenep")?.code).toBe("35.29");
  });

  it("keeps an unknown city as written (tidied) with a null code", () => {
    expect(
      normaliseLocation({ city: "  Kota   Surakarta ", lat: -7.57, lng: 110.82, kecamatan: " Laweyan " }),
    ).toMatchObject({
      ok: true,
      location: { city: "Kota Surakarta", regionCode: null, kecamatan: "Laweyan" },
    });
  });

  it("requires coordinates, both of them, inside Indonesia", () => {
    expect(normaliseLocation({ city: "Jombang" })).toMatchObject({ ok: false, errors: [{ path: "lat" }] });
    expect(normaliseLocation({ city: "Jombang", lat: -7.5 })).toMatchObject({
      ok: false,
      errors: [{ path: "lng" }],
    });
    const swapped = normaliseLocation({ city: "Jombang", lat: 112.23, lng: -7.55 });
    expect(swapped.ok).toBe(false);
    if (!swapped.ok) expect(swapped.errors.map((e) => e.path).sort()).toEqual(["lat", "lng"]);
  });

  it("requires a kelurahan for Kota Mojokerto itself", () => {
    expect(normaliseLocation({ city: "Mojokerto Kota", lat: -7.47, lng: 112.43 })).toMatchObject({
      ok: false,
      errors: [{ path: "kelurahan" }],
    });
  });

  it("requires a city when no kelurahan is given", () => {
    expect(normaliseLocation({ lat: -7.47, lng: 112.43 })).toMatchObject({
      ok: false,
      errors: [{ path: "city" }],
    });
  });
});

describe("lookups", () => {
  it("finds every kecamatan in either spelling", () => {
    expect(findKecamatan("Prajurit Kulon")).toBe("Prajuritkulon");
    expect(findKecamatan("magersari")).toBe("Magersari");
    expect(findKecamatan("Kec. Kranggan")).toBe("Kranggan");
    expect(findKecamatan("Trowulan")).toBeUndefined();
  });
});
