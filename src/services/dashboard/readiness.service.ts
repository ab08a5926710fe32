import { sql } from "drizzle-orm";
import { validationError } from "../../errors";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import type { ServiceDeps } from "../deps";
import { ONE_STEP, READINESS_ORDER, UMKM } from "./dashboard.service";

/** A UMKM one step from government procurement: it lacks exactly one of an NIB and a listing. */
export interface OneStepAway {
  id: string;
  name: string;
  kecamatan: string | null;
  kelurahan: string | null;
  nib: string | null;
  missing: "nib" | "ekatalog";
}

/** Most rows a laporan lists; the figures above it still count every business. */
export const LAPORAN_LIST_LIMIT = 10_000;

/**
 * The procurement-readiness follow-up list and its full size (`total`) (the dashboard's "one step away"), by kecamatan (outside
 * the city last), then name, then id; keyset-paginated: the cursor is the last row's id, and the
 * next page starts after that row's (kecamatan, name, id).
 *
 * @throws ApiError validation_failed for a cursor we did not issue.
 */
export async function listOneStepAway(
  deps: ServiceDeps,
  input: { cursor?: string | undefined; limit: number },
): Promise<{ items: OneStepAway[]; total: number; nextCursor: string | null }> {
  let after: string | null = null;
  if (input.cursor !== undefined && input.cursor !== "") {
    after = decodeCursor(input.cursor);
    if (after === null)
      throw validationError([{ path: "cursor", message: "Invalid cursor." }], "Invalid request query.");
  }
  const keyset =
    after === null
      ? sql`1`
      : sql`(coalesce(b.kecamatan, '~'), lower(b.name), b.id) > (select coalesce(c.kecamatan, '~'),
            lower(c.name), c.id from businesses c where c.id = ${after})`;
  const db = deps.db;
  // Two reads, not a batch: drizzle's D1 batch cannot bind the parameters of raw queries.
  const [rows, count] = await Promise.all([
    db.all<Omit<OneStepAway, "missing">>(sql`
      select b.id, b.name, b.kecamatan, b.kelurahan, b.nib from businesses b
      where ${UMKM} and ${ONE_STEP} and ${keyset}
      order by ${READINESS_ORDER} limit ${input.limit + 1}`),
    db.all<{ total: number }>(sql`select count(*) as total from businesses b where ${UMKM} and ${ONE_STEP}`),
  ]);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ ...r, missing: r.nib === null ? ("nib" as const) : ("ekatalog" as const) })),
    total: count[0]?.total ?? 0,
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.id) : null,
  };
}
