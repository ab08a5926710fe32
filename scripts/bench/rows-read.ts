/**
 * `rowsReadPerWrite` for `npm run bench`: D1's own count of rows read (`meta.rows_read`) for the
 * delta read of one business edit, measured on a local D1 (miniflare, in memory).
 *
 * The database gets the migrations in schema/migrations and the size's synthetic businesses (up to
 * {@link ROWS_READ_CAP}: above that a registry of that many, and the report says so in
 * `rowsReadRegistryN`). One edit is written as the Worker writes it (the business row and
 * bumpRevisionStatements in one batch); then the queries an isolate runs to catch up are run on
 * D1 with their own SQL: the version read (selectRegistryVersion), the change log since the
 * isolate's revision (selectChangedSince) and the changed businesses' rows
 * (selectChangedMatcherRows), as src/services/matching/matcher.cache.ts runs them. Their
 * `rows_read` is summed. `rowsReadFullLoad` is the same count for a full load (selectMatcherRows).
 */
import { readdirSync, readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { Miniflare } from "miniflare";
import { businesses } from "../../schema";
import { createDb } from "../../src/db";
import type { MatchProfile } from "../../src/matching";
import {
  bumpRevisionStatements,
  selectRegistryVersion,
} from "../../src/services/businesses/registry.queries";
import {
  selectChangedMatcherRows,
  selectChangedSince,
  selectMatcherRows,
} from "../../src/services/matching/matcher.queries";

/** Businesses inserted into the local D1 at most (inserting 100k through miniflare is slow). */
export const ROWS_READ_CAP = 20_000;

export interface RowsReadFigures {
  rowsReadPerWrite: number;
  rowsReadFullLoad: number;
  /** Businesses in the local D1 the rows were counted on (the size, or the cap). */
  rowsReadRegistryN: number;
}

const MIGRATIONS = new URL("../../schema/migrations/", import.meta.url);

type D1 = Parameters<typeof createDb>[0];

async function applyMigrations(d1: D1): Promise<void> {
  const files = readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  for (const file of files) {
    const statements = readFileSync(new URL(file, MIGRATIONS), "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    await d1.batch(statements.map((s) => d1.prepare(s)));
  }
}

function businessRow(p: MatchProfile, now: number): typeof businesses.$inferInsert {
  return {
    id: p.id,
    name: p.name ?? p.id,
    sector: p.sector,
    kbli: p.kbli.map((k) => ({ code: k.code, version: k.version })),
    sizeClass: p.sizeClass,
    kelurahan: p.location.kelurahan ?? null,
    kecamatan: p.location.kecamatan ?? null,
    city: p.location.city ?? "Kota Mojokerto",
    lat: p.location.lat ?? -7.47,
    lng: p.location.lng ?? 112.43,
    offers: p.offers,
    needs: p.needs,
    email: `${p.id}@example.id`,
    maxPartners: p.maxPartners ?? 3,
    createdAt: now,
    updatedAt: now,
    matchInputsAt: now,
  };
}

/** D1's rows_read for a drizzle query, run with its own SQL on the binding. */
async function rowsRead(d1: D1, query: { toSQL(): { sql: string; params: unknown[] } }): Promise<number> {
  const { sql, params } = query.toSQL();
  const res = await d1
    .prepare(sql)
    .bind(...params)
    .all();
  return res.meta.rows_read;
}

export async function measureRowsRead(
  profiles: MatchProfile[],
  progress: (msg: string) => void,
): Promise<RowsReadFigures> {
  // A Worker that only carries the D1 binding (miniflare's config form: bindings under `env`).
  const mf = new Miniflare({
    workers: [
      {
        config: {
          name: "bench-rows-read",
          compatibilityDate: "2026-11-01",
          env: { DB: { type: "d1" } },
          manifest: {
            mainModule: "index.mjs",
            modules: {
              "index.mjs": {
                type: "esm",
                contents: "export default { fetch() { return new Response(null, { status: 204 }); } };",
              },
            },
          },
        },
      },
    ],
  });
  try {
    const d1 = (await mf.getD1Database("DB")) as unknown as D1;
    const db = createDb(d1);
    await applyMigrations(d1);
    const rows = profiles.slice(0, ROWS_READ_CAP);
    progress(`rows read: inserting ${rows.length} businesses into a local D1 (miniflare)`);
    const now = Date.now();
    // 3 rows of ~25 bound values per statement stay under D1's limit of 100 bound parameters.
    const statements = [];
    for (let i = 0; i < rows.length; i += 3) {
      statements.push(db.insert(businesses).values(rows.slice(i, i + 3).map((p) => businessRow(p, now))));
    }
    for (let i = 0; i < statements.length; i += 200) {
      const chunk = statements.slice(i, i + 200);
      await db.batch(chunk as [(typeof chunk)[number], ...typeof chunk]);
    }
    // The registry as an isolate last saw it: epoch and revision set, nothing in the change log.
    await db.batch(bumpRevisionStatements(db, []));
    const before = Number(
      (await selectRegistryVersion(db).all()).find((r) => r.key === "revision")?.value ?? 0,
    );

    // One edit of a business's texts, as the Worker writes it.
    const edited = rows[Math.floor(rows.length / 2)];
    await db.batch([
      db
        .update(businesses)
        .set({ offers: `${edited.offers} grosir`, updatedAt: now + 1, matchInputsAt: now + 1 })
        .where(eq(businesses.id, edited.id)),
      ...bumpRevisionStatements(db, [edited.id]),
    ]);

    const rowsReadPerWrite =
      (await rowsRead(d1, selectRegistryVersion(db))) +
      (await rowsRead(d1, selectChangedSince(db, before))) +
      (await rowsRead(d1, selectChangedMatcherRows(db, before)));
    const rowsReadFullLoad = await rowsRead(d1, selectMatcherRows(db));
    return { rowsReadPerWrite, rowsReadFullLoad, rowsReadRegistryN: rows.length };
  } finally {
    await mf.dispose();
  }
}
