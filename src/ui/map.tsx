import centroids from "../../data/mojokerto-kelurahan.json";
import shapes from "../../data/mojokerto-kelurahan-shapes.json";
import type { Language } from "../domain/language";
import type { KelurahanActivity } from "../services/dashboard/dashboard.service";
import { fill, t } from "./i18n";

/**
 * The 18 kelurahan of Kota Mojokerto as inline SVG (data/mojokerto-kelurahan-shapes.json, from
 * cahyadsn/wilayah_boundaries, MIT). Projection: equirectangular with the longitude scaled by
 * cos(mean latitude), which at 7.5°S and 5 km across is indistinguishable from a local
 * transverse Mercator. Projected once per isolate.
 */

interface Shape {
  code: string;
  kelurahan: string;
  polygons: number[][][][];
}

const WIDTH = 600;
const PAD = 8;

export interface ProjectedKelurahan {
  code: string;
  kelurahan: string;
  /** SVG path data in the viewBox. */
  d: string;
  /** Label anchor: the kelurahan's centroid (data/mojokerto-kelurahan.json), projected. */
  label: [number, number];
}

/**
 * Projects lon/lat rings into a `WIDTH`-wide viewBox with north up; returns paths and the height.
 * Labels sit on the given centroids (by kelurahan name), else on the mean of the outer ring.
 */
export function projectKelurahan(
  items: readonly Shape[],
  centres: ReadonlyMap<string, { lat: number; lng: number }> = new Map(),
): { height: number; items: ProjectedKelurahan[] } {
  let minLng = Infinity;
  let maxLng = -Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (const k of items)
    for (const poly of k.polygons)
      for (const ring of poly)
        for (const [lng, lat] of ring as [number, number][]) {
          minLng = Math.min(minLng, lng);
          maxLng = Math.max(maxLng, lng);
          minLat = Math.min(minLat, lat);
          maxLat = Math.max(maxLat, lat);
        }
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const scale = (WIDTH - 2 * PAD) / ((maxLng - minLng) * kx);
  const height = Math.ceil((maxLat - minLat) * scale + 2 * PAD);
  const x = (lng: number) => PAD + (lng - minLng) * kx * scale;
  const y = (lat: number) => PAD + (maxLat - lat) * scale;
  const r = (v: number) => Math.round(v * 10) / 10;
  return {
    height,
    items: items.map((k) => {
      const d = k.polygons
        .flatMap((poly) =>
          poly.map(
            (ring) =>
              `M${(ring as [number, number][]).map(([lng, lat]) => `${r(x(lng))},${r(y(lat))}`).join("L")}Z`,
          ),
        )
        .join("");
      const outer = (k.polygons[0]?.[0] ?? []) as [number, number][];
      const centre = centres.get(k.kelurahan);
      const cx = centre ? x(centre.lng) : outer.reduce((s, p) => s + x(p[0]), 0) / Math.max(1, outer.length);
      const cy = centre ? y(centre.lat) : outer.reduce((s, p) => s + y(p[1]), 0) / Math.max(1, outer.length);
      return { code: k.code, kelurahan: k.kelurahan, d, label: [r(cx), r(cy)] };
    }),
  };
}

let projected: ReturnType<typeof projectKelurahan> | undefined;

/** Five classes: none, then quartile-ish steps of the busiest kelurahan's count. */
export function activityClass(count: number, max: number): 0 | 1 | 2 | 3 | 4 {
  if (count <= 0 || max <= 0) return 0;
  return Math.min(4, Math.max(1, Math.ceil((count / max) * 4))) as 1 | 2 | 3 | 4;
}

export function KelurahanMap(props: { lang: Language; activity: KelurahanActivity[] }) {
  const s = t(props.lang);
  projected ??= projectKelurahan(
    (shapes as { kelurahan: Shape[] }).kelurahan,
    new Map(centroids.kelurahan.map((k) => [k.kelurahan, { lat: k.lat, lng: k.lng }])),
  );
  const byName = new Map(props.activity.map((a) => [a.kelurahan, a]));
  const max = Math.max(0, ...props.activity.map((a) => a.partnerships));
  // Class i holds counts in ((i-1)/4 max, i/4 max]; classes that no whole count falls in are left out.
  const classes = [1, 2, 3, 4]
    .map((i) => ({ i, lo: Math.floor(((i - 1) * max) / 4) + 1, hi: Math.floor((i * max) / 4) }))
    .filter((k) => k.lo <= k.hi);
  return (
    <figure>
      <svg
        class="map"
        viewBox={`0 0 ${WIDTH} ${projected.height}`}
        role="img"
        aria-labelledby="map-title"
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id="map-title">{s.map}</title>
        {projected.items.map((k) => {
          const a = byName.get(k.kelurahan);
          const text = fill(s.mapLabel, {
            k: k.kelurahan,
            b: a?.businesses ?? 0,
            p: a?.partnerships ?? 0,
            a: a?.active ?? 0,
          });
          return (
            <path d={k.d} class={`c${activityClass(a?.partnerships ?? 0, max)}`} data-kelurahan={k.kelurahan}>
              <title>{text}</title>
            </path>
          );
        })}
        {/* Labels after every shape, so no neighbour paints over one. */}
        <g class="labels">
          {projected.items.map((k) => (
            <text x={k.label[0]} y={k.label[1]} text-anchor="middle">
              {k.kelurahan}
            </text>
          ))}
        </g>
      </svg>
      <figcaption class="muted">{s.mapHelp}</figcaption>
      <ul class="legend" aria-label={s.legend}>
        <li>
          <span class="swatch sw0" /> 0
        </li>
        {classes.map((k) => (
          <li>
            <span class={`swatch sw${k.i}`} /> {k.lo === k.hi ? `${k.lo}` : `${k.lo}–${k.hi}`}
          </li>
        ))}
      </ul>
      <details>
        <summary>{s.kelurahan}</summary>
        <div class="table-wrap">
          <table>
            <tbody>
              {projected.items.map((k) => {
                const a = byName.get(k.kelurahan);
                return (
                  <tr>
                    <td>
                      {fill(s.mapLabel, {
                        k: k.kelurahan,
                        b: a?.businesses ?? 0,
                        p: a?.partnerships ?? 0,
                        a: a?.active ?? 0,
                      })}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
