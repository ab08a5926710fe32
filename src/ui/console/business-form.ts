import type { z } from "zod";
import type { Language } from "../../domain/language";
import { kelurahanNames, regionOptions } from "../../domain/location";
import { ApiError } from "../../errors";
import { toApiError } from "../../http/problem";
import type { Business } from "../../services/businesses/businesses.views";
import { kbliFromDescription } from "../../services/businesses/kbli-picker.service";
import { type ConsoleContext, formField, formValues } from "../context";
import { t } from "../i18n";
import { type BusinessFormValues, type FormErrors, OUTSIDE_CITY } from "../pages/business-form";

/**
 * Reading the business form (sign-up and profile) and turning it into the API's body, so the
 * API's own zod contracts validate it: the console defines no rule of its own.
 */

export async function readBusinessForm(c: ConsoleContext): Promise<BusinessFormValues> {
  const f = (name: string) => formField(c, name);
  return {
    name: await f("name"),
    email: await f("email"),
    sector: await f("sector"),
    nib: await f("nib"),
    kbli: [...new Set((await formValues(c, "kbli")).filter(Boolean))].slice(0, 20),
    kbliUnsure: (await f("kbli_unsure")) === "1",
    kbliQuery: (await f("kbli_q")).slice(0, 100),
    kelurahan: await f("kelurahan"),
    region: await f("region"),
    sizeClass: await f("sizeClass"),
    offers: await f("offers"),
    needs: await f("needs"),
    whatsapp: await f("whatsapp"),
    language: await f("language"),
  };
}

/** The form's values for a stored business (the profile page's starting point). */
export function valuesOf(b: Business): BusinessFormValues {
  return {
    name: b.name,
    email: b.email,
    sector: b.sector,
    nib: b.nib ?? "",
    kbli: b.kbli.map((k) => `${k.version}:${k.code}`),
    kbliUnsure: false,
    kbliQuery: "",
    kelurahan: b.location.kelurahan ?? OUTSIDE_CITY,
    region: b.location.kelurahan ? "" : (b.location.regionCode ?? ""),
    sizeClass: b.sizeClass,
    offers: b.offers,
    needs: b.needs,
    whatsapp: b.whatsapp ?? "",
    language: b.language,
  };
}

function locationOf(v: BusinessFormValues): Record<string, unknown> {
  if (kelurahanNames().includes(v.kelurahan)) return { kelurahan: v.kelurahan };
  const region = v.kelurahan === OUTSIDE_CITY ? regionOptions().find((r) => r.code === v.region) : undefined;
  // Nothing usable: an empty city, which the contract refuses at `location.city` together with any
  // other field (an empty object passed the contract and was refused by the service only after the
  // owner had fixed every other field: two rounds for one form).
  return region ? { city: region.name, lat: region.lat, lng: region.lng } : { city: "" };
}

function kbliOf(v: BusinessFormValues): Array<{ code: string; version: string }> {
  const chosen = v.kbli.map((value) => {
    const [version = "", code = ""] = value.split(":");
    return { code, version };
  });
  if (chosen.length > 0 || !v.kbliUnsure) return chosen;
  const sector = v.sector === "industry" ? "industry" : "service";
  return kbliFromDescription({ name: v.name, offers: v.offers, sector }).map((code) => ({
    code,
    version: "2020",
  }));
}

/** The whole profile as the API's sign-up body (strings left as typed; the schema judges them). */
export function toBody(v: BusinessFormValues): Record<string, unknown> {
  return {
    name: v.name,
    email: v.email,
    sector: v.sector,
    nib: v.nib === "" ? null : v.nib,
    kbli: kbliOf(v),
    sizeClass: v.sizeClass,
    location: locationOf(v),
    offers: v.offers,
    needs: v.needs,
    whatsapp: v.whatsapp === "" ? null : v.whatsapp,
    language: v.language === "en" ? "en" : "id",
  };
}

/**
 * The fields the owner changed on the profile form, as a PATCH body: location and KBLI only when
 * their choice changed (so an officer's precise coordinates or KBLI 2025 codes are not rewritten
 * by an unchanged form).
 */
export function changedFields(
  before: BusinessFormValues,
  after: BusinessFormValues,
): Record<string, unknown> {
  const body = toBody(after);
  const patch: Record<string, unknown> = {};
  for (const k of [
    "name",
    "email",
    "sector",
    "nib",
    "sizeClass",
    "offers",
    "needs",
    "whatsapp",
    "language",
  ] as const) {
    if (before[k] !== after[k]) patch[k] = body[k];
  }
  if (
    before.kelurahan !== after.kelurahan ||
    (after.kelurahan === OUTSIDE_CITY && before.region !== after.region)
  ) {
    patch.location = body.location;
  }
  const sameKbli =
    before.kbli.length === after.kbli.length && before.kbli.every((k) => after.kbli.includes(k));
  if (!sameKbli || (after.kbli.length === 0 && after.kbliUnsure)) patch.kbli = body.kbli;
  return patch;
}

/** A message per form field from zod issues or the service's field errors, in the page's language. */
export function fieldErrors(lang: Language, paths: Array<ReadonlyArray<PropertyKey> | string>): FormErrors {
  const s = t(lang);
  const out: FormErrors = {};
  for (const p of paths) {
    const first = String((typeof p === "string" ? p.split(".") : p)[0] ?? "");
    const field = ["lat", "lng", "kelurahan", "kecamatan", "city"].includes(first) ? "location" : first;
    out[field] = s.fieldErrors[field] ?? s.formHasErrors;
  }
  return out;
}

export function zodErrors(lang: Language, error: z.ZodError): FormErrors {
  return fieldErrors(
    lang,
    error.issues.map((i) => i.path),
  );
}

/**
 * The form errors a service's refusal stands for (its field errors, a taken NIB), or rethrows
 * anything else for the error page.
 */
export function serviceErrors(lang: Language, err: unknown): FormErrors {
  const e = toApiError(err);
  if (e.code === "validation_failed")
    return fieldErrors(
      lang,
      (e.extra?.errors ?? []).map((x) => x.path),
    );
  if (e.code === "nib_taken") return { nib: t(lang).fieldErrors.nibTaken };
  if (err instanceof ApiError || err instanceof Error) throw err;
  throw e;
}
