import {
  and,
  asc,
  count,
  eq,
  getTableColumns,
  gt,
  inArray,
  isNotNull,
  isNull,
  ne,
  type Placeholder,
  type SQL,
  sql,
} from "drizzle-orm";
import { type BusinessRow, businesses, CONFIRMED_STATUSES, NIB_HOLDING_LIST } from "../../../schema";
import { type Database, prepareOnce } from "../../db";
import { ApiError } from "../../errors";

export function selectBusinessById(db: Database, id: string | Placeholder) {
  return db.select().from(businesses).where(eq(businesses.id, id));
}

/** {@link selectBusinessById} prepared once per database (every edit loads its row): placeholder `id`. */
export function businessRowById(db: Database) {
  return prepareOnce(db, prepareBusinessRowById);
}

function prepareBusinessRowById(db: Database) {
  return selectBusinessById(db, sql.placeholder("id")).prepare();
}

/**
 * Every column but `matchFeatures`: what a business's own view (`toBusiness`) is made of. The
 * stored analysis is most of a row's bytes (about 0.9 KB of 1.4 KB in the demo registry) and only
 * the matcher reads it; reads that show businesses leave it in the database.
 */
const { matchFeatures: _analysis, ...businessViewColumns } = getTableColumns(businesses);

/** One business as its own view needs it ({@link businessViewColumns}), prepared once per database. */
export function businessViewById(db: Database) {
  return prepareOnce(db, prepareBusinessViewById);
}

function prepareBusinessViewById(db: Database) {
  return db
    .select(businessViewColumns)
    .from(businesses)
    .where(eq(businesses.id, sql.placeholder("id")))
    .prepare();
}

/**
 * Businesses that hold their NIB: the unique index's own condition (schema/businesses.ts), in
 * literals so that a lookup by NIB uses that index.
 */
export const holdsNib = () => sql`${businesses.status} in ${sql.raw(NIB_HOLDING_LIST)}`;

/** Businesses whose address's owner confirmed them (or an officer registered them), not erased. */
export const confirmed = () =>
  and(inArray(businesses.status, CONFIRMED_STATUSES), isNull(businesses.deletedAt));

/** Another business holding this NIB (for a friendly 409 before the unique index fires). */
export function selectNibHolder(db: Database, nib: string, exceptId?: string) {
  const cond = exceptId ? and(eq(businesses.nib, nib), ne(businesses.id, exceptId)) : eq(businesses.nib, nib);
  return db.select({ id: businesses.id }).from(businesses).where(and(cond, holdsNib())).limit(1);
}

export function nibTaken(nib: string): ApiError {
  return new ApiError("nib_taken", `Another business already has NIB ${nib}.`);
}

/** D1 reports unique violations only in the message text. */
export function isNibUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (/UNIQUE constraint failed: businesses\.nib/.test(e.message)) return true;
  }
  return false;
}

export interface ListFilters {
  sector?: BusinessRow["sector"] | undefined;
  kecamatan?: string | undefined;
  kelurahan?: string | undefined;
  /** Two digits: matches any stored code starting with it. */
  kbliDivision?: string | undefined;
  /** Substring of name, offers or needs (case-insensitive for ASCII). */
  q?: string | undefined;
  active?: boolean | undefined;
  status?: BusinessRow["status"] | undefined;
  /** true: only businesses whose own edits wait for an officer's acknowledgement; false: none. */
  changesToReview?: boolean | undefined;
}

/** Escapes LIKE wildcards so user text matches literally (used with `ESCAPE '\'`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

function businessConditions(filters: ListFilters): SQL[] {
  const conds: SQL[] = [];
  if (filters.sector) conds.push(eq(businesses.sector, filters.sector));
  if (filters.kecamatan) conds.push(eq(businesses.kecamatan, filters.kecamatan));
  if (filters.kelurahan) conds.push(eq(businesses.kelurahan, filters.kelurahan));
  if (filters.active !== undefined) conds.push(eq(businesses.active, filters.active));
  if (filters.status) conds.push(eq(businesses.status, filters.status));
  if (filters.changesToReview !== undefined) {
    conds.push(
      filters.changesToReview ? isNotNull(businesses.changesFlaggedAt) : isNull(businesses.changesFlaggedAt),
    );
  }
  if (filters.kbliDivision) {
    conds.push(
      sql`exists (select 1 from json_each(${businesses.kbli}) where substr(json_extract(value, '$.code'), 1, 2) = ${filters.kbliDivision})`,
    );
  }
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q)}%`;
    conds.push(
      sql`(${businesses.name} like ${pattern} escape '\\' or ${businesses.offers} like ${pattern} escape '\\' or ${businesses.needs} like ${pattern} escape '\\')`,
    );
  }
  return conds;
}

/** Keyset page: rows with id > `after`, in id order, one extra to know whether more follow. */
export function selectBusinessPage(db: Database, filters: ListFilters, after: string | null, limit: number) {
  const conds = businessConditions(filters);
  if (after !== null) conds.push(gt(businesses.id, after));
  return db
    .select(businessViewColumns)
    .from(businesses)
    .where(conds.length > 0 ? and(...conds) : undefined)
    .orderBy(asc(businesses.id))
    .limit(limit + 1);
}

/** Matched businesses: published (not pending review or rejected) and active. */
export const matchable = () => and(eq(businesses.active, true), eq(businesses.status, "published"));

/** Everything the matcher needs for every matchable business, in one query. */
export function selectActiveForMatching(db: Database) {
  return db.select().from(businesses).where(matchable());
}

/** How many businesses match `filters` (every page). */
export function countBusinessRows(db: Database, filters: ListFilters) {
  const conds = businessConditions(filters);
  return db
    .select({ n: count() })
    .from(businesses)
    .where(conds.length > 0 ? and(...conds) : undefined);
}
