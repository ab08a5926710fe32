import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { EKATALOG_STAGES } from "../src/domain/ekatalog-pipeline";
import {
  PROCUREMENT_CHANNELS,
  PROCUREMENT_METHODS,
  PROCUREMENT_TYPES,
  SUPPLIER_QUALIFICATIONS,
} from "../src/domain/procurement";

/**
 * The city as a buyer (docs/PROCUREMENT.md): its offices (OPD) with a contact, the packages of
 * their general procurement plan (RUP, as SiRUP publishes it), the notices officers send to
 * matched UMKM, the realised spending, and the readiness checklist of UMKM one step away.
 * Amounts are whole rupiah; times are epoch milliseconds. Officers' data only, except the notices
 * a business received (its own opportunities) and its own checklist.
 */

export const procurementBuyers = sqliteTable(
  "procurement_buyers",
  {
    /** `opd_` + ULID. */
    id: text().primaryKey(),
    name: text().notNull(),
    /** The name lower-cased with spaces collapsed: how an import finds the OPD again. */
    nameKey: text().notNull(),
    contactName: text(),
    contactEmail: text(),
    contactPhone: text(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [uniqueIndex("procurement_buyers_name_key_idx").on(t.nameKey)],
);

export const procurementPackages = sqliteTable(
  "procurement_packages",
  {
    /** `pkt_` + ULID. */
    id: text().primaryKey(),
    /**
     * SiRUP's Kode RUP when the package came from SiRUP; for a hand-entered package or a file
     * without the code, `h:` + the OPD, year and name, so entering it again updates it.
     */
    rupKey: text().notNull(),
    buyerId: text()
      .notNull()
      .references(() => procurementBuyers.id),
    name: text().notNull(),
    pagu: integer().notNull(),
    method: text({ enum: PROCUREMENT_METHODS }).notNull(),
    type: text({ enum: PROCUREMENT_TYPES }).notNull(),
    fundingSource: text(),
    /** Planned selection month, "YYYY-MM". */
    plannedMonth: text().notNull(),
    source: text({ enum: ["import", "manual"] }).notNull(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [
    uniqueIndex("procurement_packages_rup_key_idx").on(t.rupKey),
    index("procurement_packages_buyer_idx").on(t.buyerId),
  ],
);

/** An officer told a matched business about a package (one row per pair; the outbox sends it). */
export const procurementNotices = sqliteTable(
  "procurement_notices",
  {
    /** `pnt_` + ULID. */
    id: text().primaryKey(),
    packageId: text()
      .notNull()
      .references(() => procurementPackages.id),
    businessId: text().notNull(),
    /** "officer:<id>". */
    notifiedBy: text().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [
    uniqueIndex("procurement_notices_pair_idx").on(t.packageId, t.businessId),
    index("procurement_notices_business_idx").on(t.businessId),
  ],
);

export const procurementRealisations = sqliteTable(
  "procurement_realisations",
  {
    /** `rls_` + ULID. */
    id: text().primaryKey(),
    /** The row's own identity (package, OPD, supplier, value, date, channel): re-importing is a no-op. */
    rowKey: text().notNull(),
    buyerId: text()
      .notNull()
      .references(() => procurementBuyers.id),
    packageName: text().notNull(),
    supplierName: text().notNull(),
    supplierNib: text(),
    /** What the file says of the supplier (kualifikasi usaha); null when it says nothing. */
    qualification: text({ enum: SUPPLIER_QUALIFICATIONS }),
    /** The registry business it was matched to (NIB first, then name); null when none. */
    businessId: text(),
    matchedBy: text({ enum: ["nib", "name"] }),
    value: integer().notNull(),
    /** "YYYY-MM-DD". */
    date: text().notNull(),
    channel: text({ enum: PROCUREMENT_CHANNELS }).notNull(),
    type: text({ enum: PROCUREMENT_TYPES }).notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [
    uniqueIndex("procurement_realisations_row_key_idx").on(t.rowKey),
    index("procurement_realisations_buyer_date_idx").on(t.buyerId, t.date),
  ],
);

/** A business's readiness checklist: which steps it says it has done, and when it finished. */
export const procurementReadiness = sqliteTable("procurement_readiness", {
  businessId: text().primaryKey(),
  /** Step ids of data/procurement/readiness-steps.json, sorted. */
  done: text({ mode: "json" }).$type<string[]>().notNull(),
  /** When every step was first ticked; null while some are open. */
  completedAt: integer(),
  updatedAt: integer().notNull(),
});

export type ProcurementPackageRow = typeof procurementPackages.$inferSelect;
export type ProcurementBuyerRow = typeof procurementBuyers.$inferSelect;
export type ProcurementRealisationRow = typeof procurementRealisations.$inferSelect;

/**
 * The assisted e-katalog registration, one row per business and stage an officer recorded
 * (src/domain/ekatalog-pipeline.ts); recording a stage again replaces its date and note.
 */
export const ekatalogRegistrationSteps = sqliteTable(
  "ekatalog_registration_steps",
  {
    id: text().primaryKey(),
    businessId: text().notNull(),
    stage: text({ enum: EKATALOG_STAGES }).notNull(),
    /** "YYYY-MM-DD": when the stage was reached (the officer's statement). */
    date: text().notNull(),
    note: text(),
    /** The officer who recorded it. */
    recordedBy: text().notNull(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [uniqueIndex("ekatalog_registration_steps_business_stage_idx").on(t.businessId, t.stage)],
);

export type EkatalogRegistrationStepRow = typeof ekatalogRegistrationSteps.$inferSelect;
