import { describe, expect, it } from "vitest";
import centroids from "../../../data/mojokerto-kelurahan.json";
import shapes from "../../../data/mojokerto-kelurahan-shapes.json";
import { activityClass, projectKelurahan } from "../../../src/ui/map";

type Shape = Parameters<typeof projectKelurahan>[0][number];
const items = (shapes as { kelurahan: Shape[] }).kelurahan;
const centres = new Map(centroids.kelurahan.map((k) => [k.kelurahan, { lat: k.lat, lng: k.lng }]));

describe("projectKelurahan", () => {
  const projected = projectKelurahan(items, centres);

  it("draws the 18 kelurahan of the official list, each a closed path inside the viewBox", () => {
    expect(projected.items.map((k) => k.kelurahan).sort()).toEqual(
      centroids.kelurahan.map((k) => k.kelurahan).sort(),
    );
    for (const k of projected.items) {
      expect(k.d).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+Z/);
      for (const m of k.d.matchAll(/([\d.]+),([\d.]+)/g)) {
        const [x, y] = [Number(m[1]), Number(m[2])];
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(600);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(projected.height);
      }
    }
  });

  it("keeps north up and east right, with the city's true proportions", () => {
    const at = (name: string) => projected.items.find((k) => k.kelurahan === name)?.label ?? [0, 0];
    const north = centroids.kelurahan.reduce((a, b) => (b.lat > a.lat ? b : a));
    const south = centroids.kelurahan.reduce((a, b) => (b.lat < a.lat ? b : a));
    const east = centroids.kelurahan.reduce((a, b) => (b.lng > a.lng ? b : a));
    const west = centroids.kelurahan.reduce((a, b) => (b.lng < a.lng ? b : a));
    expect(at(north.kelurahan)[1]).toBeLessThan(at(south.kelurahan)[1]);
    expect(at(east.kelurahan)[0]).toBeGreaterThan(at(west.kelurahan)[0]);
    // Label spacing matches ground distances: x and y scales agree within 1%.
    const kx = Math.cos((-7.47 * Math.PI) / 180);
    const dxPerKm = (at(east.kelurahan)[0] - at(west.kelurahan)[0]) / ((east.lng - west.lng) * kx * 111.32);
    const dyPerKm = (at(south.kelurahan)[1] - at(north.kelurahan)[1]) / ((north.lat - south.lat) * 111.32);
    expect(dxPerKm / dyPerKm).toBeGreaterThan(0.99);
    expect(dxPerKm / dyPerKm).toBeLessThan(1.01);
  });
});

describe("activityClass", () => {
  it("puts zero in class 0 and splits the rest into four steps of the maximum", () => {
    expect([0, 1, 2, 3, 4, 5, 8].map((n) => activityClass(n, 8))).toEqual([0, 1, 1, 2, 2, 3, 4]);
    expect(activityClass(1, 1)).toBe(4);
    expect(activityClass(0, 0)).toBe(0);
  });
});
