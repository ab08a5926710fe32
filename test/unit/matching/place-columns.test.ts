/**
 * The search reads places from columns (placeColumns / placeScoreAt) instead of Place objects:
 * it must give the same location score, bit for bit, or the index search would drift from
 * exhaustive scoring and from the explanations. `placeCeilingAt` bounds it from the tier alone.
 */
import { describe, expect, it } from "vitest";
import { generateDemoRegistry } from "../../../scripts/demo/generate";
import {
  type Place,
  placeCeilingAt,
  placeColumns,
  placeScoreAt,
  placeScoreValue,
  toPlace,
} from "../../../src/matching/location";

describe("place columns", () => {
  it("score every pair exactly as placeScoreValue does, with and without coordinates", () => {
    const demo = generateDemoRegistry().filter((_, i) => i % 4 === 0);
    const places: Place[] = [
      ...demo.map((b) => toPlace(b.location)),
      // No coordinates, unknown city, a lone latitude: every branch of the distance and tiers.
      toPlace({ kelurahan: "Miji", kecamatan: "Kranggan", city: "Kota Mojokerto", lat: null, lng: null }),
      toPlace({ kelurahan: null, kecamatan: null, city: "Jakarta Pusat", lat: -6.1865, lng: 106.8342 }),
      toPlace({ kelurahan: null, kecamatan: null, city: "Nowhere Town", lat: -7.3, lng: null }),
      toPlace({ kelurahan: null, kecamatan: "Genteng", city: "Kota Surabaya", lat: -7.2575, lng: 112.7521 }),
    ];
    const columns = placeColumns(places);
    let differing = 0;
    let overCeiling = 0;
    let atCeiling = 0;
    const distinct = new Set<number>();
    for (const a of places) {
      for (let j = 0; j < places.length; j++) {
        const expected = placeScoreValue(a, places[j]);
        distinct.add(expected);
        if (!Object.is(placeScoreAt(a, columns, j), expected)) differing++;
        // The search's bound from the tier alone: never below the score, and reached (no
        // coordinates, or the same point).
        const ceiling = placeCeilingAt(a, columns, j);
        if (expected > ceiling) overCeiling++;
        if (expected === ceiling) atCeiling++;
      }
    }
    expect(differing).toBe(0);
    expect(overCeiling).toBe(0);
    expect(atCeiling).toBeGreaterThan(0);
    // The pairs cover many tiers and distances, not one repeated value.
    expect(distinct.size).toBeGreaterThan(100);
  });
});
