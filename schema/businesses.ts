import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { LANGUAGES } from "../src/domain/language";

/** One KBLI code as stored: the version travels with the code because 2020 and 2025 reuse numbers. */
export interface StoredKbli {
  code: string;
  version: "2020" | "2025";
}

/**
 * The registry. Columns are storage, not API: routes map rows to their own zod contracts.
 * Times are epoch milliseconds.
 */
export const businesses = sqliteTable(
  "businesses",
  {
    /** `biz_` + ULID: time-sortable, so keyset pagination on id follows creation order. */
    id: text().primaryKey(),
    name: text().notNull(),
    sector: text({ enum: ["service", "industry"] }).notNull(),
    nib: text().unique(),
    kbli: text({ mode: "json" }).$type<StoredKbli[]>().notNull(),
    sizeClass: text({ enum: ["mikro", "kecil", "menengah", "besar"] }).notNull(),
    kelurahan: text(),
    kecamatan: text(),
    city: text().notNull(),
    regionCode: text(),
    lat: real().notNull(),
    lng: real().notNull(),
    offers: text().notNull().default(""),
    needs: text().notNull().default(""),
    email: text().notNull(),
    language: text({ enum: LANGUAGES }).notNull().default("id"),
    maxPartners: integer().notNull().default(3),
    ekatalogListed: integer({ mode: "boolean" }).notNull().default(false),
    ekatalogUrl: text(),
    active: integer({ mode: "boolean" }).notNull().default(true),
    /**
     * Review state of a self sign-up: only `published` (and active) businesses are matched.
     * Officer-created businesses start published.
     */
    status: text({ enum: ["pending_review", "published", "rejected"] })
      .notNull()
      .default("published"),
    /** Why an officer rejected the sign-up (shown to the business); null otherwise. */
    rejectionReason: text(),
    /** When an officer published or rejected it, and who ("officer:<id>"). */
    reviewedAt: integer(),
    reviewedBy: text(),
    /** Opaque output of `analyzeProfile` (src/matching); null when not computed yet. */
    matchFeatures: text({ mode: "json" }).$type<unknown>(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
    /**
     * When its personal data was erased on a confirmed deletion request (the row stays, anonymised
     * and inactive, so partnerships keep their other side); null otherwise.
     */
    deletedAt: integer(),
  },
  (t) => [
    index("businesses_sector_id_idx").on(t.sector, t.id),
    index("businesses_kecamatan_idx").on(t.kecamatan),
    index("businesses_kelurahan_idx").on(t.kelurahan),
    index("businesses_active_id_idx").on(t.active, t.id),
    index("businesses_status_id_idx").on(t.status, t.id),
  ],
);

export type BusinessRow = typeof businesses.$inferSelect;
export type NewBusinessRow = typeof businesses.$inferInsert;
