import type { MatchProfile } from "../matching";
import { checkKbliDivisions, type KbliVersion } from "./kbli";
import type { Language } from "./language";
import { type LocationInput, type NormalisedLocation, normaliseLocation } from "./location";
import { normaliseWhatsApp, WHATSAPP_FORMAT_MESSAGE } from "./whatsapp";

/**
 * Business rules that need no storage: pure, so the Worker's services and Node scripts (seeding)
 * apply the same checks and normalisation.
 */

export type Sector = "service" | "industry";
export type SizeClass = "mikro" | "kecil" | "menengah" | "besar";

export interface KbliCode {
  code: string;
  version: KbliVersion;
}

/** A complete set of editable fields, as the API accepts them (shape already checked). */
export interface BusinessFields {
  name: string;
  sector: Sector;
  nib: string | null;
  kbli: KbliCode[];
  sizeClass: SizeClass;
  location: LocationInput;
  offers: string;
  needs: string;
  email: string;
  language: Language;
  maxPartners: number;
  ekatalog: { listed: boolean; url?: string | null | undefined };
  active: boolean;
  /** WhatsApp number as typed (see src/domain/whatsapp.ts); absent or null for none. */
  whatsapp?: string | null | undefined;
}

/** Fields after the domain rules: location resolved, text tidied, e-katalog consistent. */
export interface NormalisedBusinessFields extends Omit<BusinessFields, "location" | "ekatalog" | "whatsapp"> {
  location: NormalisedLocation;
  ekatalog: { listed: boolean; url: string | null };
  /** E.164 (`+628…`) or null. */
  whatsapp: string | null;
}

export interface FieldIssue {
  /** Dotted path from the body root, e.g. `location.kelurahan`, `kbli.1.code`. */
  path: string;
  message: string;
}

export type FieldsResult =
  | { ok: true; value: NormalisedBusinessFields }
  | { ok: false; errors: FieldIssue[] };

/**
 * Applies the rules the schema cannot express: the KBLI division exists in its version, no code
 * twice, the location resolves (see `normaliseLocation`), an e-katalog listing has its link.
 */
export function normaliseBusinessFields(fields: BusinessFields): FieldsResult {
  const errors: FieldIssue[] = [];

  for (const issue of checkKbliDivisions(fields.kbli)) {
    errors.push({ path: `kbli.${issue.index}.code`, message: issue.message });
  }
  const seen = new Set<string>();
  fields.kbli.forEach((k, i) => {
    const key = `${k.version}:${k.code}`;
    if (seen.has(key)) errors.push({ path: `kbli.${i}`, message: "Duplicate KBLI code." });
    seen.add(key);
  });

  const location = normaliseLocation(fields.location);
  if (!location.ok) {
    for (const e of location.errors) errors.push({ path: `location.${e.path}`, message: e.message });
  }

  const url = fields.ekatalog.url ?? null;
  if (fields.ekatalog.listed && !url) {
    errors.push({ path: "ekatalog.url", message: "The e-katalog listing link is required when listed." });
  }

  const typedWhatsApp = fields.whatsapp?.trim() ? fields.whatsapp : null;
  const whatsapp = typedWhatsApp === null ? null : normaliseWhatsApp(typedWhatsApp);
  if (typedWhatsApp !== null && whatsapp === null) {
    errors.push({ path: "whatsapp", message: WHATSAPP_FORMAT_MESSAGE });
  }

  if (errors.length > 0 || !location.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ...fields,
      name: fields.name.replace(/\s+/g, " ").trim(),
      email: fields.email.trim().toLowerCase(),
      offers: fields.offers.trim(),
      needs: fields.needs.trim(),
      location: location.location,
      ekatalog: { listed: fields.ekatalog.listed, url },
      whatsapp,
    },
  };
}

/** The plain data the matching engine works on. */
export function toMatchProfile(id: string, f: Omit<NormalisedBusinessFields, "ekatalog">): MatchProfile {
  return {
    id,
    name: f.name,
    sector: f.sector,
    kbli: f.kbli,
    sizeClass: f.sizeClass,
    location: {
      kelurahan: f.location.kelurahan,
      kecamatan: f.location.kecamatan,
      city: f.location.city,
      lat: f.location.lat,
      lng: f.location.lng,
    },
    offers: f.offers,
    needs: f.needs,
    maxPartners: f.maxPartners,
  };
}

/**
 * What an officer read when publishing and what other businesses are shown: a published business
 * changing one of these itself is flagged until an officer acknowledges it.
 */
export const REVIEWED_FIELDS = ["name", "offers", "needs"] as const;
export type ReviewedField = (typeof REVIEWED_FIELDS)[number];
