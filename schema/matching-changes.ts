import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The matching change log: which businesses a write changed the matching inputs of, keyed by the
 * registry revision that write moved to (written in the same D1 batch as the write and the bump).
 * An isolate whose matcher is at revision r reads the rows after r and reloads only those
 * businesses (src/services/matching/matcher.cache.ts). The primary key serves that range read.
 * Rows at or below `registry_meta.changes_floor` have been pruned: an isolate older than the floor
 * rebuilds in full.
 */
export const matchingChanges = sqliteTable(
  "matching_changes",
  {
    revision: integer().notNull(),
    businessId: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.revision, t.businessId] })],
);
