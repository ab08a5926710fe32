import { and, asc, eq, gt, ne, type SQL, sql } from "drizzle-orm";
import { type BusinessRow, businesses } from "../../schema";
import type { Database } from "../db";

export function selectBusinessById(db: Database, id: string) {
  return db.select().from(businesses).where(eq(businesses.id, id));
}

/** Another business holding this NIB (for a friendly 409 before the unique index fires). */
export function selectNibHolder(db: Database, nib: string, exceptId?: string) {
  const cond = exceptId ? and(eq(businesses.nib, nib), ne(businesses.id, exceptId)) : eq(businesses.nib, nib);
  return db.select({ id: businesses.id }).from(businesses).where(cond).limit(1);
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
}

/** Escapes LIKE wildcards so user text matches literally (used with `ESCAPE '\'`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** Keyset page: rows with id > `after`, in id order, one extra to know whether more follow. */
export function selectBusinessPage(db: Database, filters: ListFilters, after: string | null, limit: number) {
  const conds: SQL[] = [];
  if (filters.sector) conds.push(eq(businesses.sector, filters.sector));
  if (filters.kecamatan) conds.push(eq(businesses.kecamatan, filters.kecamatan));
  if (filters.kelurahan) conds.push(eq(businesses.kelurahan, filters.kelurahan));
  if (filters.active !== undefined) conds.push(eq(businesses.active, filters.active));
  if (filters.status) conds.push(eq(businesses.status, filters.status));
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
  if (after !== null) conds.push(gt(businesses.id, after));
  return db
    .select()
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
