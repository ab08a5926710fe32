import { findKecamatan, findKelurahan } from "../../domain/location";
import { notFound, validationError } from "../../errors";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import type { ServiceDeps } from "../deps";
import {
  businessViewById,
  countBusinessRows,
  type ListFilters,
  selectBusinessPage,
} from "./businesses.queries";
import { type Business, toBusiness } from "./businesses.views";

export async function getBusiness(deps: ServiceDeps, input: { id: string }): Promise<Business> {
  const row = await businessViewById(deps.db).get({ id: input.id });
  if (!row) throw notFound("Business");
  return toBusiness(row);
}

export interface ListBusinessesInput {
  filters: ListFilters;
  limit: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | undefined;
}

/**
 * Place filters as stored: a Kota Mojokerto kelurahan or kecamatan in either spelling ("Prajurit
 * Kulon", "prajuritkulon") becomes its official name; a kecamatan elsewhere is taken as given.
 *
 * @throws 422 for a kelurahan that is not one of Kota Mojokerto's.
 */
function placeFilters(filters: ListFilters): ListFilters {
  const out = { ...filters };
  if (filters.kelurahan !== undefined) {
    out.kelurahan = findKelurahan(filters.kelurahan)?.kelurahan;
    if (!out.kelurahan) {
      throw validationError([{ path: "kelurahan", message: "Unknown kelurahan." }], "Invalid request query.");
    }
  }
  if (filters.kecamatan !== undefined) {
    out.kecamatan = findKecamatan(filters.kecamatan) ?? filters.kecamatan.trim();
  }
  return out;
}

/** How many businesses match `filters` (every page; places as in `listBusinesses`). */
export async function countBusinesses(deps: ServiceDeps, input: { filters: ListFilters }): Promise<number> {
  const [row] = await countBusinessRows(deps.db, placeFilters(input.filters));
  return row?.n ?? 0;
}

/**
 * Keyset-paginated list in id (= creation) order. Kelurahan and kecamatan filters take either
 * spelling (see `placeFilters`).
 */
export async function listBusinesses(
  deps: ServiceDeps,
  input: ListBusinessesInput,
): Promise<{ items: Business[]; nextCursor: string | null }> {
  let after: string | null = null;
  if (input.cursor !== undefined) {
    after = decodeCursor(input.cursor);
    if (after === null)
      throw validationError([{ path: "cursor", message: "Invalid cursor." }], "Invalid request query.");
  }
  const filters = placeFilters(input.filters);
  const rows = await selectBusinessPage(deps.db, filters, after, input.limit).all();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toBusiness),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.id) : null,
  };
}
