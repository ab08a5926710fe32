import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { businesses } from "./businesses";

/**
 * Requests to erase a business's personal data (UU 27/2022): the business (or an officer on its
 * behalf) asks, an officer confirms. Confirmation is a conditional update on `status = 'pending'`
 * that rewrites `revision`; every erasing statement in the same batch is guarded by that revision,
 * so a second confirmation changes nothing (409). At most one pending request per business.
 */
export const deletionRequests = sqliteTable(
  "deletion_requests",
  {
    /** `del_` + ULID. */
    id: text().primaryKey(),
    businessId: text()
      .notNull()
      .references(() => businesses.id),
    status: text({ enum: ["pending", "confirmed", "cancelled"] }).notNull(),
    requestedAt: integer().notNull(),
    /** "business:<id>" or "officer:<id>". */
    requestedBy: text().notNull(),
    decidedAt: integer(),
    decidedBy: text(),
    /** Random token rewritten by every transition (see above). */
    revision: text().notNull(),
  },
  (t) => [
    uniqueIndex("deletion_requests_one_pending_idx").on(t.businessId).where(sql`status = 'pending'`),
    index("deletion_requests_status_id_idx").on(t.status, t.id),
  ],
);

export type DeletionRequestRow = typeof deletionRequests.$inferSelect;
