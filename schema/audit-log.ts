import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Append-only log of changes: who, when, what, from which state to which. Each row is written in
 * the same D1 batch as the change it records. `id` increases with insertion, so it is the keyset
 * order for reading.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    at: integer().notNull(),
    actorKind: text({ enum: ["officer", "business", "system"] }).notNull(),
    actorId: text().notNull(),
    /** "partnership", "declined_pair", "business", ... */
    entityType: text().notNull(),
    entityId: text().notNull(),
    action: text().notNull(),
    fromState: text(),
    toState: text(),
    details: text({ mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [index("audit_log_entity_idx").on(t.entityType, t.entityId, t.id)],
);

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = typeof auditLog.$inferInsert;
