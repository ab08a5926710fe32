import {
  Column,
  fillPlaceholders,
  getTableColumns,
  type InferInsertModel,
  is,
  type Query,
  SQL,
  sql,
} from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import * as schema from "../schema";

/** `$client`: the D1 binding (or read session) it wraps, as drizzle exposes it. */
export type Database = DrizzleD1Database<typeof schema> & { $client: D1Database };

/**
 * One drizzle instance per D1 binding (or read session) per isolate: building one walks the whole
 * schema (its relational config), about as much CPU as a warm stored read's own query, so it is not
 * repeated on every request. The instance holds no request state, only the binding it wraps.
 */
const databases = new WeakMap<D1Database, Database>();

/** Drizzle over the D1 binding; camelCase fields map to snake_case columns. */
export function createDb(d1: D1Database): Database {
  let db = databases.get(d1);
  if (!db) {
    db = drizzle(d1, { schema, casing: "snake_case" });
    databases.set(d1, db);
  }
  return db;
}

/** A query prepared once (`.prepare()`, with `sql.placeholder` for what varies per call). */
export interface PreparedSelect<R> {
  getQuery(): Query;
  mapResult(response: unknown, isFromBatch?: boolean): unknown;
  all(values?: Record<string, unknown>): Promise<R>;
}

const preparedByDb = new WeakMap<Database, Map<(db: Database) => unknown, unknown>>();

/**
 * `build(db)` once per database and isolate, then the same object: for queries prepared with
 * `.prepare()` (placeholders for what varies), so a hot query's SQL is not built on every request.
 * `build` must be a module-level function: it is the cache key.
 */
export function prepareOnce<P>(db: Database, build: (db: Database) => P): P {
  let byBuild = preparedByDb.get(db);
  if (!byBuild) {
    byBuild = new Map();
    preparedByDb.set(db, byBuild);
  }
  if (!byBuild.has(build)) byBuild.set(build, build(db));
  return byBuild.get(build) as P;
}

/** One prepared select and the values of its placeholders. */
export type PreparedCall<R> = readonly [PreparedSelect<R>, Record<string, unknown>];

type BatchResults<T extends readonly PreparedCall<unknown>[]> = {
  -readonly [K in keyof T]: T[K] extends PreparedCall<infer R> ? R : never;
};

/**
 * Runs prepared selects in one D1 batch (one round trip, one consistent snapshot), each mapped as
 * drizzle maps its own results. `db.batch` takes query builders and builds their SQL on every call;
 * a hot read prepared once per isolate skips that. drizzle's own batch does not fill placeholders,
 * hence this.
 */
export async function batchPrepared<const T extends readonly PreparedCall<unknown>[]>(
  db: Database,
  calls: T,
): Promise<BatchResults<T>> {
  return (await batchEntries(db, calls)) as BatchResults<T>;
}

/** A statement of a mixed batch: a prepared one with its values, or a query builder. */
export type BatchEntry = PreparedCall<unknown> | BatchItem<"sqlite">;

/**
 * {@link batchPrepared} for prepared statements and query builders together, in order: a builder's
 * SQL is built now, as `db.batch` would build it, and its results mapped as `db.batch` maps them.
 */
export async function batchEntries(db: Database, entries: readonly BatchEntry[]): Promise<unknown[]> {
  const d1 = db.$client;
  const prepared = entries.map(
    (entry): PreparedCall<unknown> =>
      Array.isArray(entry)
        ? (entry as PreparedCall<unknown>)
        : // What drizzle's own batch does with each builder (drizzle-orm/d1 session `batch`).
          [(entry as unknown as { _prepare(): PreparedSelect<unknown> })._prepare(), {}],
  );
  const statements = prepared.map(([p, values]) => {
    const query = p.getQuery();
    return d1.prepare(query.sql).bind(...fillPlaceholders(query.params, values));
  });
  const results = await d1.batch(statements);
  return results.map((result, i) => (prepared[i] as PreparedCall<unknown>)[0].mapResult(result, true));
}

/**
 * A selection of columns, flat or nested one level (`{ a: col, b: { c: col } }`); a field may also
 * be an SQL expression, whose value comes back as D1 gives it.
 */
export type ColumnSelection = Record<string, Column | SQL | Record<string, Column | SQL>>;

/**
 * A prepared select run on D1's array rows and decoded by a list built once from its selection,
 * for a hot read that returns many columns: each value goes through its column's own decoder
 * (`mapFromDriverValue`: JSON, booleans), exactly as drizzle's, without drizzle's generic per-row
 * walk (about a tenth of a warm suggestions read's CPU). A nested object whose values are all null
 * (a left join that found nothing) is null, as in drizzle. `selection` must be the object the
 * query selects: drizzle lays its columns out in that order.
 */
export function arraySelect<R>(
  db: Database,
  prepared: PreparedSelect<R[]>,
  selection: ColumnSelection,
): { all(values: Record<string, unknown>): Promise<R[]> } {
  const { sql: text, params } = prepared.getQuery();
  // One decoder per selected value, chosen once: a column's own (`mapFromDriverValue`), or the
  // value as D1 gives it for an SQL expression. A field is a column or a nested object of them.
  const decoderOf = (column: Column | SQL): ((value: unknown) => unknown) =>
    is(column, Column)
      ? (value) => (value === null || value === undefined ? null : column.mapFromDriverValue(value))
      : (value) => (value === undefined ? null : value);
  const layout = Object.entries(selection).map(([key, field]) =>
    is(field, Column) || is(field, SQL)
      ? { key, decode: decoderOf(field as Column | SQL), nested: null }
      : {
          key,
          decode: null,
          nested: Object.entries(field as Record<string, Column | SQL>).map(([inner, column]) => ({
            key: inner,
            decode: decoderOf(column),
          })),
        },
  );
  return {
    async all(values) {
      const rows = await db.$client
        .prepare(text)
        .bind(...fillPlaceholders(params, values))
        .raw();
      return rows.map((row) => {
        const out: Record<string, unknown> = {};
        let i = 0;
        for (const field of layout) {
          if (field.nested === null) {
            out[field.key] = field.decode(row[i++]);
            continue;
          }
          const inner: Record<string, unknown> = {};
          let found = false;
          for (const { key, decode } of field.nested) {
            const value = decode(row[i++]);
            if (value !== null) found = true;
            inner[key] = value;
          }
          out[field.key] = found ? inner : null;
        }
        return out as R;
      });
    },
  };
}

/** A row to insert by `insertSelect`, by field name: each value plain (bound) or an SQL expression. */
export type SelectedRow<T extends SQLiteTable> = {
  [K in keyof InferInsertModel<T>]: InferInsertModel<T>[K] | SQL;
};

/**
 * `insert into <table> select <row> <rest>`: the row is given by field name and laid out here in
 * the table's own column order, which is the column list drizzle writes for `insert ... select`,
 * so no caller counts positions and a column added later cannot shift the others. A field left out
 * gets the column's default (`.default`, `$defaultFn`) or null; plain values are bound and encoded
 * as the column says (JSON, booleans); SQL values are written as they are, so `rest` can supply
 * rows (`from json_each(?) j join ...`) for them to read.
 */
export function insertSelect<T extends SQLiteTable>(db: Database, table: T, row: SelectedRow<T>, rest: SQL) {
  const values = row as Record<string, unknown>;
  const selected = Object.entries(getTableColumns(table))
    // drizzle leaves generated (virtual or stored) columns out of the column list; so must the select.
    .filter(([, column]) => column.generated === undefined || column.generated.type === "byDefault")
    .map(([key, column]) => {
      const value = values[key];
      if (is(value, SQL)) return value;
      if (value !== undefined) return sql.param(value, column);
      if (column.default !== undefined && column.default !== null) {
        return is(column.default, SQL) ? column.default : sql.param(column.default, column);
      }
      if (column.defaultFn) {
        const made = column.defaultFn();
        return is(made, SQL) ? made : sql.param(made, column);
      }
      return sql`null`;
    });
  return db.insert(table).select(sql`select ${sql.join(selected, sql`, `)} ${rest}`);
}

/**
 * `insert into <table> select <row> where <condition>`: one row, written only when `condition` (an
 * SQL boolean) holds as the statement runs. Put it in a `db.batch` with the conditional write it
 * depends on (a limit, a state, a revision that says the write won), so a concurrent writer cannot
 * slip between a check and the insert, and a lost race leaves no row.
 */
export function insertIf<T extends SQLiteTable>(db: Database, table: T, row: SelectedRow<T>, condition: SQL) {
  return insertSelect(db, table, row, sql`where ${condition}`);
}
