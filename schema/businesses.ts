import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { LANGUAGES } from "../src/domain/language";

/** One KBLI code as stored: the version travels with the code because 2020 and 2025 reuse numbers. */
export interface StoredKbli {
  code: string;
  version: "2020" | "2025";
}

/** Review states, in the order a self sign-up goes through them (see `status`). */
export const BUSINESS_STATUSES = ["unconfirmed", "pending_review", "published", "rejected"] as const;
export type BusinessStatus = (typeof BUSINESS_STATUSES)[number];

/**
 * The states in which a business holds its NIB (the unique index and the friendly 409 both use
 * this): confirmed by its address's owner and not rejected.
 */
export const NIB_HOLDING_STATUSES = [
  "pending_review",
  "published",
] as const satisfies readonly BusinessStatus[];

/**
 * The same states as an SQL list of literals. Queries that look a NIB up must say
 * `status in <this>` with literals, not bound parameters: SQLite uses the partial unique index only
 * when it can see that a query's condition is the index's own.
 */
export const NIB_HOLDING_LIST = `(${NIB_HOLDING_STATUSES.map((s) => `'${s}'`).join(", ")})`;

/** States whose owner proved the address (or an officer registered it): offered for sign-in. */
export const CONFIRMED_STATUSES = [
  "pending_review",
  "published",
  "rejected",
] as const satisfies readonly BusinessStatus[];

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
    /** Unique among the businesses that hold it (`NIB_HOLDING_STATUSES`): see the index below. */
    nib: text(),
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
    /** WhatsApp number in E.164 (`+628…`), optional; personal data like `email` (erased, exported). */
    whatsapp: text(),
    language: text({ enum: LANGUAGES }).notNull().default("id"),
    maxPartners: integer().notNull().default(3),
    ekatalogListed: integer({ mode: "boolean" }).notNull().default(false),
    ekatalogUrl: text(),
    active: integer({ mode: "boolean" }).notNull().default(true),
    /**
     * Review state. A self sign-up starts `unconfirmed` (anyone may type any address, so nothing
     * happens with it until that address's owner uses the emailed link), becomes `pending_review`
     * when confirmed, and an officer publishes or rejects it; only `published` (and active)
     * businesses are matched. Officer-created businesses start published.
     */
    status: text({ enum: BUSINESS_STATUSES }).notNull().default("published"),
    /** Why an officer rejected the sign-up (shown to the business); null otherwise. */
    rejectionReason: text(),
    /** When an officer published or rejected it, and who ("officer:<id>"). */
    reviewedAt: integer(),
    reviewedBy: text(),
    /**
     * Set when the business itself changed its name, offers or needs while published: officers
     * re-read those (they reviewed the profile once), and an officer's acknowledgement clears both.
     */
    changesFlaggedAt: integer(),
    /** Which of those fields changed since the last acknowledgement, sorted. */
    changedFields: text({ mode: "json" }).$type<Array<"name" | "offers" | "needs">>(),
    /** Opaque output of `analyzeProfile` (src/matching); null when not computed yet. */
    matchFeatures: text({ mode: "json" }).$type<unknown>(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
    /**
     * `updatedAt` of the last write that changed a matching input (texts, KBLI codes, place, size,
     * capacity, active, status): what a stored suggestion set is computed from. An email or
     * WhatsApp edit moves `updatedAt` but not this, so it leaves the stored sets fresh.
     */
    matchInputsAt: integer().notNull().default(0),
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
    // One holder per NIB among the businesses that hold one: an unconfirmed sign-up (anyone could
    // have typed the NIB) and a rejected one do not, so neither can keep the real owner out.
    uniqueIndex("businesses_nib_holder_idx")
      .on(t.nib)
      .where(sql.raw(`status in ${NIB_HOLDING_LIST}`)),
    index("businesses_changes_flagged_idx").on(t.changesFlaggedAt),
  ],
);

export type BusinessRow = typeof businesses.$inferSelect;
export type NewBusinessRow = typeof businesses.$inferInsert;
