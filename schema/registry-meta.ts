import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Small counters about the registry as a whole. `revision` is bumped in the same batch as every
 * business write, so an isolate can tell with one tiny read whether its cached matcher is stale.
 */
export const registryMeta = sqliteTable("registry_meta", {
  key: text().primaryKey(),
  value: integer().notNull(),
});
