import { and, eq, gte, inArray, isNull, ne, sql } from "drizzle-orm";
import { businesses, declinedPairs, suggestions } from "../../../schema";
import type { Database } from "../../db";
import { publicProfileColumns, SUGGESTIONS_PER_BUSINESS, storedOrder } from "./suggestions.queries";

/**
 * A business's stored rows without the candidates' profiles (a province deployment: some
 * candidates live in a neighbour shard's database, which no join here can reach). Declined pairs
 * are left out as in the serving query.
 */
export function selectStoredRowsOnly(db: Database, input: { businessId: string; minScore: number }) {
  return db
    .select({
      candidateId: suggestions.candidateId,
      score: suggestions.score,
      components: suggestions.components,
      reasons: suggestions.reasons,
      pattern: suggestions.pattern,
    })
    .from(suggestions)
    .where(
      and(
        eq(suggestions.businessId, input.businessId),
        gte(suggestions.score, input.minScore),
        sql`not exists (select 1 from ${declinedPairs} d where d.low_id = min(${suggestions.businessId},
          ${suggestions.candidateId}) and d.high_id = max(${suggestions.businessId}, ${suggestions.candidateId}))`,
      ),
    )
    .orderBy(...storedOrder)
    .limit(SUGGESTIONS_PER_BUSINESS);
}

/** The servable ones among `ids` in one database: active, published, of the other sector. */
export function selectServableProfiles(db: Database, ids: string[], ownSector: string) {
  return db
    .select(publicProfileColumns)
    .from(businesses)
    .where(
      and(
        inArray(businesses.id, ids),
        eq(businesses.active, true),
        eq(businesses.status, "published"),
        ne(businesses.sector, ownSector as "industry" | "service"),
      ),
    );
}

/** The names (and what a digest shows) of those of `ids` one database holds, erased ones left out. */
export function selectBusinessNames(db: Database, ids: string[]) {
  return db
    .select({
      id: businesses.id,
      name: businesses.name,
      sector: businesses.sector,
      kelurahan: businesses.kelurahan,
    })
    .from(businesses)
    .where(and(inArray(businesses.id, ids), isNull(businesses.deletedAt)));
}

/** Whether one database holds a business with one of these ids (any state). */
export function selectBusinessExists(db: Database, ids: readonly string[]) {
  return db
    .select({ id: businesses.id })
    .from(businesses)
    .where(inArray(businesses.id, [...ids]))
    .limit(1);
}
