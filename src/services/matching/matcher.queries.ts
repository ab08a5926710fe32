import { and, gt, inArray, lte, sql } from "drizzle-orm";
import { businesses, matchingChanges, registryMeta } from "../../../schema";
import type { Database } from "../../db";
import { matchable } from "../businesses/businesses.queries";

/** What the matcher reads of a business: its analysis (or what to analyse), and its version. */
export const matcherColumns = {
  id: businesses.id,
  name: businesses.name,
  sector: businesses.sector,
  kbli: businesses.kbli,
  sizeClass: businesses.sizeClass,
  kelurahan: businesses.kelurahan,
  kecamatan: businesses.kecamatan,
  city: businesses.city,
  lat: businesses.lat,
  lng: businesses.lng,
  offers: businesses.offers,
  needs: businesses.needs,
  maxPartners: businesses.maxPartners,
  matchFeatures: businesses.matchFeatures,
  matchInputsAt: businesses.matchInputsAt,
};

/** Every matchable business: a full build. */
export function selectMatcherRows(db: Database) {
  return db.select(matcherColumns).from(businesses).where(matchable());
}

/**
 * Rows per read of a full build. A page's rows, with their parsed analyses, take ~11 KB a business
 * in the isolate's heap (against ~2 KB for what the matcher keeps of one), so a page of 500 holds
 * ~5.5 MB for a moment (1,000 held ~11 MB: the largest 100k shard's peak then sat 1 MB under its
 * 64 MB target); a shard of 26k is read in 53 queries (D1 allows 1,000 per invocation on the paid
 * plan).
 */
export const MATCHER_PAGE_ROWS = 500;

/**
 * One page of {@link selectMatcherRows}: the matchable businesses with an id after `after` (all
 * when null), in id order, at most `limit` of them. A full build reads page after page so that it
 * never holds the whole registry's rows at once.
 */
export function selectMatcherRowsPage(db: Database, after: string | null, limit: number) {
  return db
    .select(matcherColumns)
    .from(businesses)
    .where(after === null ? matchable() : and(matchable(), gt(businesses.id, after)))
    .orderBy(businesses.id)
    .limit(limit);
}

/** The businesses changed after `revision` (the change log's rows), distinct. */
export function selectChangedSince(db: Database, revision: number) {
  return db
    .selectDistinct({ businessId: matchingChanges.businessId })
    .from(matchingChanges)
    .where(gt(matchingChanges.revision, revision));
}

/**
 * The matchable ones among the businesses changed after `revision`, as they are now (a changed
 * business that is not returned has left the matchable set). With {@link selectChangedSince} in
 * one batch: the delta an isolate applies.
 */
export function selectChangedMatcherRows(db: Database, revision: number) {
  return db
    .select(matcherColumns)
    .from(businesses)
    .where(
      and(
        inArray(
          businesses.id,
          sql`(select ${matchingChanges.businessId} from ${matchingChanges} where ${matchingChanges.revision} > ${revision})`,
        ),
        matchable(),
      ),
    );
}

/**
 * A full rebuild's statements (the weekly `recompute-full` run): a new matcher generation, so every
 * isolate rebuilds in full with fresh corpus statistics (IDF), and the change log up to now is
 * dropped (no isolate of the new generation reads it).
 */
export function newGenerationStatements(db: Database) {
  return [
    db
      .insert(registryMeta)
      .values({ key: "generation", value: 1 })
      .onConflictDoUpdate({ target: registryMeta.key, set: { value: sql`${registryMeta.value} + 1` } }),
    db
      .delete(matchingChanges)
      .where(
        lte(
          matchingChanges.revision,
          sql`coalesce((select ${registryMeta.value} from ${registryMeta} where ${registryMeta.key} = 'revision'), 0)`,
        ),
      ),
  ] as const;
}
