import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { businesses } from "./businesses";
import { officers } from "./officers";

/**
 * API keys. Only a SHA-256 of the full key is stored; the plaintext is shown once at creation.
 * `prefix` is public (it is part of the key) and is how a presented key is looked up.
 */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text().primaryKey(),
    prefix: text().notNull().unique(),
    hash: text().notNull(),
    kind: text({ enum: ["officer", "business"] }).notNull(),
    /** Officers only: "admin" may later manage other officers. */
    role: text({ enum: ["officer", "admin"] }),
    businessId: text().references(() => businesses.id),
    /**
     * Officer keys: the officer they were minted for, so deactivating the officer revokes them and
     * the resolver refuses them while the officer is inactive. Null for a business key, and for an
     * officer key made outside `createOfficer` (`npm run officer:create`, the demo seed): such a
     * key belongs to no officer row and is ended only by revoking it.
     */
    officerId: text().references(() => officers.id),
    label: text().notNull(),
    createdAt: integer().notNull(),
    lastUsedAt: integer(),
    revokedAt: integer(),
  },
  (t) => [
    index("api_keys_business_id_idx").on(t.businessId),
    index("api_keys_officer_id_idx").on(t.officerId),
  ],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
