import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { apiKeys } from "./api-keys";
import { businesses } from "./businesses";
import { officers } from "./officers";

/**
 * One-time links sent by email. Only SHA-256(token) is stored; a link works once (a conditional
 * update sets `usedAt`) and only until `expiresAt`. `sign_in` links sign the owner in as
 * `businessId`; a `confirm_sign_up` link also confirms that (unconfirmed) sign-up.
 */
export const signInTokens = sqliteTable(
  "sign_in_tokens",
  {
    /** Lowercase hex SHA-256 of the token in the link. */
    tokenHash: text().primaryKey(),
    purpose: text({ enum: ["sign_in", "confirm_sign_up"] })
      .notNull()
      .default("sign_in"),
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

/**
 * Officers' console sessions from the development key login (`/ui/login/officer`): the officer
 * pasted an officer API key, and the session lasts while that key is not revoked. Production
 * officers sign in through Cloudflare Access instead and have no row here. Only SHA-256 of the
 * random session id is stored.
 */
export const officerSessions = sqliteTable(
  "officer_sessions",
  {
    idHash: text().primaryKey(),
    apiKeyId: text()
      .notNull()
      .references(() => apiKeys.id),
    /** The key's officer (null for a key of no officer): deactivating them revokes the session. */
    officerId: text().references(() => officers.id),
    createdAt: integer().notNull(),
    expiresAt: integer().notNull(),
    revokedAt: integer(),
  },
  (t) => [
    index("officer_sessions_api_key_id_idx").on(t.apiKeyId),
    index("officer_sessions_officer_id_idx").on(t.officerId),
  ],
);

export type OfficerSessionRow = typeof officerSessions.$inferSelect;
