import type { NewBusinessRow } from "../../../schema";
import { type BusinessFields, type NormalisedBusinessFields, toMatchProfile } from "../../domain/business";
import { ANALYZER_VERSION, analyzeProfile } from "../../matching";
import type { BusinessStatus } from "./businesses.views";

/** Fields a create accepts; defaults are applied by the API schema (language id, maxPartners 3, ...). */
export type CreateBusinessInput = BusinessFields;

/** A partial update: absent fields are kept; `location`, `kbli` and `ekatalog` are replaced whole. */
export type BusinessPatch = Partial<BusinessFields>;

/** Storage columns for normalised fields (shared with the demo seed so its rows match the API's). */
export function fieldsToColumns(f: NormalisedBusinessFields) {
  return {
    name: f.name,
    sector: f.sector,
    nib: f.nib,
    kbli: f.kbli,
    sizeClass: f.sizeClass,
    kelurahan: f.location.kelurahan,
    kecamatan: f.location.kecamatan,
    city: f.location.city,
    regionCode: f.location.regionCode,
    lat: f.location.lat,
    lng: f.location.lng,
    offers: f.offers,
    needs: f.needs,
    email: f.email,
    whatsapp: f.whatsapp,
    language: f.language,
    maxPartners: f.maxPartners,
    ekatalogListed: f.ekatalog.listed,
    ekatalogUrl: f.ekatalog.url,
    active: f.active,
  } satisfies Partial<NewBusinessRow>;
}

/**
 * The matcher's precomputed features. A failing analyzer must not block a registry write: the
 * matcher falls back to analysing the profile itself when `matchFeatures` is null.
 */
export function computeFeatures(id: string, f: NormalisedBusinessFields): unknown {
  try {
    return analyzeProfile(toMatchProfile(id, f));
  } catch (err) {
    console.error(
      JSON.stringify({
        level: "error",
        msg: "analyzeProfile failed",
        businessId: id,
        analyzer: ANALYZER_VERSION,
        err: String(err),
      }),
    );
    return null;
  }
}

/**
 * The row a new business is stored as (columns, review state, match features, times): shared by
 * create, sign-up and the CSV import so every path stores the same thing.
 */
export function newBusinessRow(input: {
  id: string;
  fields: NormalisedBusinessFields;
  status: BusinessStatus;
  now: number;
}): NewBusinessRow {
  return {
    id: input.id,
    ...fieldsToColumns(input.fields),
    status: input.status,
    matchFeatures: computeFeatures(input.id, input.fields),
    createdAt: input.now,
    updatedAt: input.now,
    matchInputsAt: input.now,
  };
}
