import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * `Idempotency-Key` claims and the first successful response to each (src/http/idempotency.ts).
 * A row is claimed `in_flight` by a conditional insert (so two concurrent requests cannot both own
 * it), completed with the response, or deleted when the request did not succeed. Rows older than
 * 24 hours are purged by later claims.
 *
 * The client's key is stored only as SHA-256 and the response body only encrypted with a key
 * derived from it: a copy of this table reveals neither the keys nor the API keys some create
 * responses show once. It does name, by id, the businesses each response was about (as the audit
 * log does), so that erasing one reaches every stored response that quotes it.
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    /** Who sent it: `officer:<id>`, `business:<id>` or `anonymous:<ip>`. */
    principal: text().notNull(),
    /** Lowercase hex SHA-256 of the Idempotency-Key header. */
    keyHash: text().notNull(),
    /** SHA-256 of method, path with query, and body: the same key with another request is a 422. */
    requestHash: text().notNull(),
    /** `erased`: the response named a business whose data was since erased; the body is gone. */
    state: text({ enum: ["in_flight", "complete", "erased"] }).notNull(),
    /** Random per claim: only the request that claimed the row completes or releases it. */
    claimToken: text().notNull(),
    status: integer(),
    /** JSON object of the response headers worth replaying (content type, location). */
    headers: text(),
    /** base64 AES-GCM ciphertext of the response body; the IV is stored beside it. */
    body: text(),
    bodyIv: text(),
    /**
     * Business ids the stored response names, so an erasure finds every response that may quote
     * the business, whoever's key it is stored under. Null for rows stored before this was kept.
     */
    businessIds: text({ mode: "json" }).$type<string[]>(),
    createdAt: integer().notNull(),
    completedAt: integer(),
  },
  (t) => [
    primaryKey({ columns: [t.principal, t.keyHash] }),
    index("idempotency_keys_created_at_idx").on(t.createdAt),
  ],
);

export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;
