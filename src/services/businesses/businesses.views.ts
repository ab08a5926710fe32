import type { BusinessRow } from "../../../schema";
import type { KbliCode, ReviewedField, Sector, SizeClass } from "../../domain/business";
import type { Language } from "../../domain/language";
import type { NormalisedLocation } from "../../domain/location";

/*
 * How a stored business is shown: to officers and itself (`Business`) and to other businesses
 * (`PublicProfile`). Kept apart from the business services so the matcher cache and the other services
 * can render rows without importing the business use cases (which import them back).
 */

/** A business as the API shows it to officers and to itself. Times are ISO 8601. */
export interface Business {
  id: string;
  name: string;
  sector: Sector;
  nib: string | null;
  kbli: KbliCode[];
  sizeClass: SizeClass;
  location: NormalisedLocation;
  offers: string;
  needs: string;
  email: string;
  /** E.164 WhatsApp number, or null. */
  whatsapp: string | null;
  language: Language;
  maxPartners: number;
  ekatalog: { listed: boolean; url: string | null };
  active: boolean;
  status: BusinessStatus;
  /** Set when `status` is `rejected`. */
  rejectionReason: string | null;
  /**
   * Set while the business's own edits of its name, offers or needs (made while published) wait
   * for an officer's acknowledgement: since when, and which fields.
   */
  changesToReview: { since: string; fields: ReviewedField[] } | null;
  createdAt: string;
  updatedAt: string;
}

export type BusinessStatus = BusinessRow["status"];

/** What other businesses may see (in suggestions): no contact email, capacity or internal state. */
export type PublicProfile = Pick<
  Business,
  "id" | "name" | "sector" | "nib" | "kbli" | "sizeClass" | "location" | "offers" | "needs" | "ekatalog"
>;

/** What {@link toBusiness} reads: a row without the stored analysis (a full row will do). */
export type BusinessViewRow = Omit<BusinessRow, "matchFeatures">;

export function toBusiness(row: BusinessViewRow): Business {
  return {
    ...toPublicProfile(row),
    email: row.email,
    whatsapp: row.whatsapp,
    language: row.language,
    maxPartners: row.maxPartners,
    active: row.active,
    status: row.status,
    rejectionReason: row.rejectionReason,
    changesToReview:
      row.changesFlaggedAt === null
        ? null
        : { since: new Date(row.changesFlaggedAt).toISOString(), fields: row.changedFields ?? [] },
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** The columns a public profile is made of (a full row, or just these from a join). */
export type PublicProfileRow = Pick<
  BusinessRow,
  | "id"
  | "name"
  | "sector"
  | "nib"
  | "kbli"
  | "sizeClass"
  | "kelurahan"
  | "kecamatan"
  | "city"
  | "regionCode"
  | "lat"
  | "lng"
  | "offers"
  | "needs"
  | "ekatalogListed"
  | "ekatalogUrl"
>;

export function toPublicProfile(row: PublicProfileRow): PublicProfile {
  return {
    id: row.id,
    name: row.name,
    sector: row.sector,
    nib: row.nib,
    kbli: row.kbli,
    sizeClass: row.sizeClass,
    location: {
      kelurahan: row.kelurahan,
      kecamatan: row.kecamatan,
      city: row.city,
      regionCode: row.regionCode,
      lat: row.lat,
      lng: row.lng,
    },
    offers: row.offers,
    needs: row.needs,
    ekatalog: { listed: row.ekatalogListed, url: row.ekatalogUrl },
  };
}
