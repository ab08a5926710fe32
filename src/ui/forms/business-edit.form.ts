import { UpdateBusinessSchema } from "../../contracts/businesses.schemas";
import type { FieldError } from "../../errors";
import type { BusinessPatch } from "../../services/businesses/business-columns";
import type { Business } from "../../services/businesses/businesses.views";

/**
 * The officer's profile edit form: its fields as text (what the form shows and sends back), read
 * into the API's `UpdateBusinessSchema` patch so the console and `PATCH /v1/businesses/{id}`
 * validate alike. Only fields that differ from the stored profile go into the patch, so the audit
 * row names what the officer changed.
 */
export const EDIT_FIELDS = [
  "name",
  "sector",
  "nib",
  "kbli",
  "sizeClass",
  "kelurahan",
  "offers",
  "needs",
  "email",
  "language",
  "maxPartners",
  "ekatalogListed",
  "ekatalogUrl",
] as const;
export type EditField = (typeof EDIT_FIELDS)[number];
export type EditValues = Record<EditField, string>;

/** The form's values for a stored profile. */
export function editValues(b: Business): EditValues {
  return {
    name: b.name,
    sector: b.sector,
    nib: b.nib ?? "",
    kbli: b.kbli.map((k) => k.code).join(", "),
    sizeClass: b.sizeClass,
    kelurahan: b.location.kelurahan ?? "",
    offers: b.offers,
    needs: b.needs,
    email: b.email,
    language: b.language,
    maxPartners: String(b.maxPartners),
    ekatalogListed: b.ekatalog.listed ? "on" : "",
    ekatalogUrl: b.ekatalog.url ?? "",
  };
}

/** Where a patch path's error shows on the form (`location.kelurahan` → `kelurahan`, `kbli.0.code` → `kbli`). */
export function fieldOfPath(path: string): EditField {
  const [head = ""] = path.split(".");
  if (head === "location") return "kelurahan";
  if (head === "ekatalog") return path.endsWith("url") ? "ekatalogUrl" : "ekatalogListed";
  return (EDIT_FIELDS as readonly string[]).includes(head) ? (head as EditField) : "name";
}

/**
 * The patch an edit asks for, or the field errors that stop it. Empty patch: nothing changed.
 * KBLI codes are read as KBLI 2020 unless the profile already lists the code in another version.
 */
export function editPatch(
  current: Business,
  values: EditValues,
): { ok: true; patch: BusinessPatch } | { ok: false; errors: FieldError[] } {
  const before = editValues(current);
  const raw: Record<string, unknown> = {};
  const changed = (f: EditField) => values[f] !== before[f];
  if (changed("name")) raw.name = values.name;
  if (changed("sector")) raw.sector = values.sector;
  if (changed("nib")) raw.nib = values.nib === "" ? null : values.nib;
  if (changed("kbli")) {
    const versionOf = new Map(current.kbli.map((k) => [k.code, k.version]));
    raw.kbli = values.kbli
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map((code) => ({ code, version: versionOf.get(code) ?? "2020" }));
  }
  if (changed("sizeClass")) raw.sizeClass = values.sizeClass;
  // Only a Kota Mojokerto business has a kelurahan to choose; one outside keeps its location.
  if (current.location.kelurahan !== null && changed("kelurahan"))
    raw.location = { kelurahan: values.kelurahan };
  if (changed("offers")) raw.offers = values.offers;
  if (changed("needs")) raw.needs = values.needs;
  if (changed("email")) raw.email = values.email;
  if (changed("language")) raw.language = values.language;
  if (changed("maxPartners")) {
    raw.maxPartners = /^\d{1,3}$/.test(values.maxPartners) ? Number(values.maxPartners) : values.maxPartners;
  }
  if (changed("ekatalogListed") || changed("ekatalogUrl")) {
    const listed = values.ekatalogListed === "on";
    raw.ekatalog = { listed, url: listed && values.ekatalogUrl !== "" ? values.ekatalogUrl : null };
  }
  if (Object.keys(raw).length === 0) return { ok: true, patch: {} };
  const parsed = UpdateBusinessSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    };
  }
  return { ok: true, patch: parsed.data };
}
