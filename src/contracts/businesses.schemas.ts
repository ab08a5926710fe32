import { z } from "@hono/zod-openapi";
import { LANGUAGES } from "../domain/language";
import { INDONESIA_BOUNDS } from "../domain/location";
import { DecisionReasonSchema } from "../domain/texts";
import { isWhatsAppNumber, WHATSAPP_FORMAT_MESSAGE } from "../domain/whatsapp";
import { PARTNERSHIP_PATTERNS } from "../matching";
import { pageQueryFields } from "./page.schemas";

/**
 * API contracts for businesses. Written for the API, not derived from the tables. They live below
 * routes/ because the console and the CSV import validate the same input (`CreateBusinessSchema`).
 */

export const SectorSchema = z.enum(["service", "industry"]).openapi("Sector", {
  description:
    "`service`: service businesses (hotels, catering, retail, ...); `industry`: small industries (IKM).",
});
export const SizeClassSchema = z
  .enum(["mikro", "kecil", "menengah", "besar"])
  .openapi("SizeClass", { description: "PP 7/2021 art. 35 size class." });
export const LanguageSchema = z
  .enum(LANGUAGES)
  .openapi("Language", { description: "Bahasa Indonesia or English." });

export const KbliCodeSchema = z
  .strictObject({
    code: z
      .string()
      .regex(/^\d{5}$/, "Must be exactly 5 digits.")
      .openapi({ example: "10792" }),
    version: z.enum(["2020", "2025"]).openapi({ example: "2020" }),
  })
  .openapi("KbliCode", {
    description: "A 5-digit KBLI code with its version; its 2-digit division must exist in that version.",
  });

const lat = z.number().min(INDONESIA_BOUNDS.minLat).max(INDONESIA_BOUNDS.maxLat);
const lng = z.number().min(INDONESIA_BOUNDS.minLng).max(INDONESIA_BOUNDS.maxLng);

export const LocationInputSchema = z
  .strictObject({
    kelurahan: z.string().min(1).max(100).optional().openapi({ example: "Prajurit Kulon" }),
    kecamatan: z.string().min(1).max(100).optional(),
    city: z.string().min(1).max(100).optional().openapi({ example: "Kab. Jombang" }),
    lat: lat.optional(),
    lng: lng.optional(),
  })
  .openapi("LocationInput", {
    description:
      "Inside Kota Mojokerto give `kelurahan` (official one-word or split spelling, any case), optionally its " +
      "`kecamatan`; lat/lng default to the kelurahan centre. Elsewhere give `city` (regency/city; known names " +
      "and aliases such as `Kab. Jombang` are canonicalised) with `lat` and `lng`.",
  });

export const LocationSchema = z
  .object({
    kelurahan: z.string().nullable().openapi({ example: "Prajuritkulon" }),
    kecamatan: z.string().nullable().openapi({ example: "Prajuritkulon" }),
    city: z.string().openapi({ example: "Kota Mojokerto" }),
    regionCode: z
      .string()
      .nullable()
      .openapi({ example: "35.76", description: "Kemendagri code when known." }),
    lat: z.number(),
    lng: z.number(),
  })
  .openapi("Location");

const https = z.url({ protocol: /^https$/, error: "Must be an https URL." }).max(500);

export const EkatalogInputSchema = z
  .strictObject({
    listed: z.boolean(),
    url: https.nullable().optional().openapi({ description: "Listing link; required when `listed`." }),
  })
  .openapi("EkatalogInput", { description: "Listing in the local LKPP e-katalog." });

export const EkatalogSchema = z
  .object({ listed: z.boolean(), url: z.string().nullable() })
  .openapi("Ekatalog", { description: "Listing in the local LKPP e-katalog." });

const nib = z
  .string()
  .regex(/^\d{13}$/, "NIB must be exactly 13 digits.")
  .openapi({ example: "9120001234567", description: "OSS business identification number (NIB)." });
const text = z.string().max(4000);
const whatsapp = z
  .string()
  .max(32)
  .refine(isWhatsAppNumber, WHATSAPP_FORMAT_MESSAGE)
  .openapi({
    example: "0812-3456-7890",
    description:
      "Indonesian mobile number for WhatsApp (`08…`, `+628…` or `628…`, spaces and dashes allowed); " +
      "stored and returned as E.164 (`+628…`). Shown to a partner only once both sides accepted.",
  });

const fields = {
  name: z.string().trim().min(1).max(200).openapi({ example: "UD Sepatu Miji Jaya" }),
  sector: SectorSchema,
  nib: nib.nullable(),
  kbli: z.array(KbliCodeSchema).min(1).max(5),
  sizeClass: SizeClassSchema,
  location: LocationInputSchema,
  offers: text.openapi({ description: "What it sells or can do (Indonesian, English or mixed)." }),
  needs: text.openapi({ description: "What it is looking for." }),
  email: z.email().max(254),
  language: LanguageSchema,
  maxPartners: z.number().int().min(1).max(50),
  ekatalog: EkatalogInputSchema,
  active: z.boolean(),
  whatsapp: whatsapp.nullable(),
};

export const CreateBusinessSchema = z
  .strictObject({
    ...fields,
    nib: fields.nib.default(null),
    offers: fields.offers.default(""),
    needs: fields.needs.default(""),
    language: fields.language.default("id"),
    maxPartners: fields.maxPartners.default(3),
    ekatalog: fields.ekatalog.default({ listed: false }),
    active: fields.active.default(true),
    whatsapp: fields.whatsapp.default(null),
  })
  .openapi("CreateBusiness");

export const UpdateBusinessSchema = z
  .strictObject({
    name: fields.name.optional(),
    sector: fields.sector.optional(),
    nib: fields.nib.optional().openapi({ description: "null removes the NIB." }),
    kbli: fields.kbli.optional(),
    sizeClass: fields.sizeClass.optional(),
    location: fields.location.optional().openapi({ description: "Replaces the whole location." }),
    offers: fields.offers.optional(),
    needs: fields.needs.optional(),
    email: fields.email.optional(),
    language: fields.language.optional(),
    maxPartners: fields.maxPartners.optional(),
    ekatalog: fields.ekatalog.optional(),
    active: fields.active.optional().openapi({ description: "Officers only." }),
    whatsapp: fields.whatsapp.optional().openapi({ description: "null removes the number." }),
  })
  .refine((o) => Object.values(o).some((v) => v !== undefined), {
    message: "Give at least one field to change.",
  })
  .openapi("UpdateBusiness", { description: "Partial update: absent fields are kept." });

const profileFields = {
  id: z.string().openapi({ example: "biz_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" }),
  name: z.string(),
  sector: SectorSchema,
  nib: z.string().nullable(),
  kbli: z.array(KbliCodeSchema),
  sizeClass: SizeClassSchema,
  location: LocationSchema,
  offers: z.string(),
  needs: z.string(),
  ekatalog: EkatalogSchema,
};

export const PublicProfileSchema = z
  .object(profileFields)
  .openapi("PublicProfile", { description: "What other businesses see: no email, capacity or status." });

export const BusinessStatusSchema = z
  .enum(["unconfirmed", "pending_review", "published", "rejected"])
  .openapi("BusinessStatus", {
    description:
      "A self sign-up is `unconfirmed` until someone uses the link emailed to its address (deleted " +
      "after 24 hours otherwise), then `pending_review` until an officer publishes or rejects it; " +
      "officer-created businesses are `published`. Only published, active businesses are matched.",
  });

const ChangesToReviewSchema = z
  .object({
    since: z.iso.datetime(),
    fields: z.array(z.enum(["name", "offers", "needs"])),
  })
  .nullable()
  .openapi("ChangesToReview", {
    description:
      "Set while the business's own edits of these fields, made while published, wait for an " +
      "officer's acknowledgement (`POST /v1/businesses/{id}/acknowledge-changes`).",
  });

export const BusinessSchema = z
  .object({
    ...profileFields,
    email: z.string(),
    whatsapp: z.string().nullable().openapi({ example: "+6281234567890", description: "E.164, or null." }),
    language: LanguageSchema,
    maxPartners: z.number().int(),
    active: z.boolean(),
    status: BusinessStatusSchema,
    rejectionReason: z.string().nullable().openapi({ description: "Set when `status` is `rejected`." }),
    changesToReview: ChangesToReviewSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("Business");

export const CreatedBusinessSchema = z
  .object({
    business: BusinessSchema,
    apiKey: z.string().openapi({
      example: "kmt_ab12cd34_...",
      description: "The business's API key. Shown once; only its hash is stored.",
    }),
  })
  .openapi("CreatedBusiness");

export const SignUpSchema = CreateBusinessSchema.omit({ active: true }).openapi("SignUp", {
  description: "The same profile as an officer's create; `active` is not the applicant's to set.",
});

export const SignedUpSchema = z
  .object({
    business: BusinessSchema,
    next: z.string().openapi({
      description: "What happens next, in the applicant's language.",
      example:
        "Sign-up received. Open the link we sent to your email within 24 hours to confirm it; an officer then reviews it and we email you the decision.",
    }),
  })
  .openapi("SignedUp");

export const ReleaseNibSchema = z
  .strictObject({
    reason: DecisionReasonSchema.describe("Recorded in the audit log with the released NIB."),
  })
  .openapi("ReleaseNib");

export const RejectBusinessSchema = z
  .strictObject({
    reason: DecisionReasonSchema.describe("Shown to the applicant."),
  })
  .openapi("RejectBusiness");

export const BusinessIdParamsSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "biz_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" }),
});

export const ListBusinessesQuerySchema = z.strictObject({
  sector: SectorSchema.optional(),
  kecamatan: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: "Either spelling inside Kota Mojokerto." }),
  kelurahan: z.string().min(1).max(100).optional().openapi({ description: "A Kota Mojokerto kelurahan." }),
  kbliDivision: z
    .string()
    .regex(/^\d{2}$/, "Must be 2 digits.")
    .optional()
    .openapi({ example: "15", description: "Any KBLI code in this division." }),
  q: z.string().min(1).max(200).optional().openapi({ description: "Text in name, offers or needs." }),
  active: z.enum(["true", "false"]).optional().openapi({ description: "Omit to list both." }),
  status: BusinessStatusSchema.optional(),
  changesToReview: z.enum(["true", "false"]).optional().openapi({
    description: "`true`: only businesses whose own changes wait for an officer's acknowledgement.",
  }),
  ...pageQueryFields,
});

export const BusinessPageSchema = z
  .object({
    items: z.array(BusinessSchema),
    nextCursor: z.string().nullable().openapi({ description: "null on the last page." }),
  })
  .openapi("BusinessPage");

export const MatchesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(50).default(10),
  minScore: z.coerce.number().min(0).max(1).default(0),
  lang: LanguageSchema.optional().openapi({
    description:
      "Language of the reasons. Default: the business's own preference (for a business caller), " +
      "else Accept-Language, else `id`.",
  }),
});

export const MatchSchema = z
  .object({
    business: PublicProfileSchema,
    score: z.number().min(0).max(1).openapi({ description: "Reciprocal score in [0, 1]." }),
    components: z
      .object({ category: z.number(), location: z.number(), text: z.number() })
      .openapi("MatchComponents", { description: "Each signal in [0, 1]." }),
    reasons: z.array(z.string()).openapi({ description: "1-3 short reasons in the requested language." }),
    pattern: z
      .enum(PARTNERSHIP_PATTERNS)
      .openapi("PartnershipPattern", { description: "Suggested PP 7/2021 partnership pattern." }),
    neighbourShard: z
      .string()
      .optional()
      .openapi({
        description:
          "Only in one shard's deployment of a province: the neighbouring shard that holds this business. It is " +
          "suggested across the border, but a request to it is refused with 409 `partner_in_other_region`.",
        example: "jombang",
      }),
  })
  .openapi("Match");

export const MatchListSchema = z.object({ items: z.array(MatchSchema) }).openapi("MatchList");
