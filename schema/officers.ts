import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Officers who sign in through Cloudflare Access: the Access token's verified email is looked up
 * here. An email Access lets through but that is not listed (or not active) gets a 403. Officer
 * API keys live in `api_keys`; this table is only who may use the Access sign-in, and as what.
 */
export const officers = sqliteTable("officers", {
  id: text().primaryKey(),
  /** Lowercased. */
  email: text().notNull().unique(),
  role: text({ enum: ["officer", "admin"] })
    .notNull()
    .default("officer"),
  active: integer({ mode: "boolean" }).notNull().default(true),
  createdAt: integer().notNull(),
});

export type OfficerRow = typeof officers.$inferSelect;
