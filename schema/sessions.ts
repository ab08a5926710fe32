import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { businesses } from "./businesses";

/**
 * One-time sign-in links sent by email. Only SHA-256(token) is stored; a link works once (a
 * conditional update sets `usedAt`) and only until `expiresAt`.
 */
export const signInTokens = sqliteTable(
  "sign_in_tokens",
  {
    /** Lowercase hex SHA-256 of the token in the link. */
    tokenHash: text().primaryKey(),
    businessId: text()
      .notNull()
      .references(() => businesses.id),
    createdAt: integer().notNull(),
    expiresAt: integer().notNull(),
    usedAt: integer(),
  },
  (t) => [index("sign_in_tokens_business_id_idx").on(t.businessId)],
);

/**
 * Business owners' browser sessions (the `__Host-kemitraan_session` cookie). Only SHA-256 of the
 * random session id is stored, so a leaked table does not leak usable cookies.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    idHash: text().primaryKey(),
    businessId: text()
      .notNull()
      .references(() => businesses.id),
    createdAt: integer().notNull(),
    expiresAt: integer().notNull(),
    revokedAt: integer(),
  },
  (t) => [index("sessions_business_id_idx").on(t.businessId)],
);

export type SignInTokenRow = typeof signInTokens.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
