import { createRoute } from "@hono/zod-openapi";
import {
  assertBusinessOrOfficer,
  assertOfficer,
  requireBusinessOrOfficer,
  requireOfficer,
  requirePrincipal,
} from "../auth/middleware";
import type { Principal } from "../auth/principal";
import {
  BusinessIdParamsSchema,
  BusinessPageSchema,
  BusinessSchema,
  CreateBusinessSchema,
  CreatedBusinessSchema,
  ListBusinessesQuerySchema,
  RejectBusinessSchema,
  ReleaseNibSchema,
  SignedUpSchema,
  SignUpSchema,
  UpdateBusinessSchema,
} from "../contracts/businesses.schemas";
import { CONFIRM_PATH } from "../contracts/sign-in";
import { mailerFor } from "../email/mailer";
import { ApiError } from "../errors";
import { IdempotencyHeadersSchema } from "../http/idempotency";
import {
  bodyErrorResponses,
  commonErrorResponses,
  conflictResponse,
  notFoundResponse,
} from "../http/problem";
import { enforceRateLimit } from "../http/rate-limit";
import { actorOf } from "../services/audit/audit.queries";
import { deactivateBusiness, reactivateBusiness } from "../services/businesses/activation.service";
import { createBusiness } from "../services/businesses/create.service";
import { getBusiness, listBusinesses } from "../services/businesses/read.service";
import { releaseNib } from "../services/businesses/release-nib.service";
import { resubmitBusiness } from "../services/businesses/resubmit.service";
import { acknowledgeChanges, reviewBusiness } from "../services/businesses/review.service";
import { signUpBusiness } from "../services/businesses/sign-up.service";
import { updateBusiness } from "../services/businesses/update.service";
import { bearerSecurity, createRouter, json, jsonBody, serviceDeps } from "./router";

/** The audit actor of an authenticated route (the middleware guarantees a principal). */
function actorOfPrincipal(principal: Principal | null) {
  return principal ? actorOf(principal) : undefined;
}

const tags = ["Businesses"];

export const createBusinessRoute = createRoute({
  method: "post",
  path: "/businesses",
  operationId: "createBusiness",
  summary: "Register a business (officers)",
  description: "Creates the business and its API key; the key is in the response once and never again.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { headers: IdempotencyHeadersSchema, body: jsonBody(CreateBusinessSchema) },
  responses: {
    201: json(CreatedBusinessSchema, "Created."),
    ...conflictResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const getBusinessRoute = createRoute({
  method: "get",
  path: "/businesses/{id}",
  operationId: "getBusiness",
  summary: "Get a business (officers, or the business itself)",
  tags,
  security: bearerSecurity,
  middleware: [requireBusinessOrOfficer] as const,
  request: { params: BusinessIdParamsSchema },
  responses: { 200: json(BusinessSchema, "The business."), ...notFoundResponse, ...commonErrorResponses },
});

export const updateBusinessRoute = createRoute({
  method: "patch",
  path: "/businesses/{id}",
  operationId: "updateBusiness",
  summary: "Update a business partially (officers, or the business itself)",
  description: "A business may not change its own `active` flag (403).",
  tags,
  security: bearerSecurity,
  middleware: [requireBusinessOrOfficer] as const,
  request: { params: BusinessIdParamsSchema, body: jsonBody(UpdateBusinessSchema) },
  responses: {
    200: json(BusinessSchema, "The updated business."),
    ...notFoundResponse,
    ...conflictResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const deactivateBusinessRoute = createRoute({
  method: "post",
  path: "/businesses/{id}/deactivate",
  operationId: "deactivateBusiness",
  summary: "Deactivate a business (officers)",
  description:
    "Takes the business out of matching. Idempotent. Its key still reads its profile; reactivate with PATCH `active`.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: BusinessIdParamsSchema },
  responses: {
    200: json(BusinessSchema, "The deactivated business."),
    ...notFoundResponse,
    ...commonErrorResponses,
  },
});

export const reactivateBusinessRoute = createRoute({
  method: "post",
  path: "/businesses/{id}/reactivate",
  operationId: "reactivateBusiness",
  summary: "Reactivate a business (officers)",
  description: "Puts a deactivated business back into matching. Idempotent; audited as `reactivate`.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: BusinessIdParamsSchema },
  responses: {
    200: json(BusinessSchema, "The reactivated business."),
    ...notFoundResponse,
    ...commonErrorResponses,
  },
});

export const listBusinessesRoute = createRoute({
  method: "get",
  path: "/businesses",
  operationId: "listBusinesses",
  summary: "List businesses (officers)",
  description:
    "Filters combine with AND. Keyset pagination in creation order: pass `nextCursor` as `cursor`.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { query: ListBusinessesQuerySchema },
  responses: { 200: json(BusinessPageSchema, "One page."), ...commonErrorResponses },
});

export const signUpRoute = createRoute({
  method: "post",
  path: "/signup",
  operationId: "signUp",
  summary: "Sign a business up (anyone)",
  description:
    "Same profile and rules as an officer's create. The business lands `unconfirmed`, and a link is " +
    "emailed to the profile's address (an email that says only that someone registered a business " +
    "with it). Using the link within 24 hours confirms the sign-up (`pending_review`, reviewed by an " +
    "officer) and signs the owner in; otherwise the sign-up is deleted. Until confirmed it holds no " +
    "NIB and is never offered for sign-in. No API key is returned.",
  tags,
  security: [],
  request: { headers: IdempotencyHeadersSchema, body: jsonBody(SignUpSchema) },
  responses: {
    201: json(SignedUpSchema, "Signed up, pending review."),
    ...conflictResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const publishBusinessRoute = createRoute({
  method: "post",
  path: "/businesses/{id}/publish",
  operationId: "publishBusiness",
  summary: "Publish a pending sign-up (officers)",
  description: "Makes it matchable. 409 `already_reviewed` when it was already published or rejected.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: BusinessIdParamsSchema },
  responses: {
    200: json(BusinessSchema, "The published business."),
    ...notFoundResponse,
    ...conflictResponse,
    ...commonErrorResponses,
  },
});

export const rejectBusinessRoute = createRoute({
  method: "post",
  path: "/businesses/{id}/reject",
  operationId: "rejectBusiness",
  summary: "Reject a pending sign-up with a reason (officers)",
  description: "409 `already_reviewed` when it was already published or rejected.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: BusinessIdParamsSchema, body: jsonBody(RejectBusinessSchema) },
  responses: {
    200: json(BusinessSchema, "The rejected business."),
    ...notFoundResponse,
    ...conflictResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const releaseNibRoute = createRoute({
  method: "post",
  path: "/businesses/{id}/release-nib",
  operationId: "releaseNib",
  summary: "Release a business's NIB (officers)",
  description:
    "Clears the NIB so its rightful holder can register it: for a sign-up that holds someone else's " +
    "NIB. The NIB and the reason are recorded in the audit log. Idempotent.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: BusinessIdParamsSchema, body: jsonBody(ReleaseNibSchema) },
  responses: {
    200: json(BusinessSchema, "The business, without a NIB."),
    ...notFoundResponse,
    ...conflictResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const acknowledgeChangesRoute = createRoute({
  method: "post",
  path: "/businesses/{id}/acknowledge-changes",
  operationId: "acknowledgeChanges",
  summary: "Acknowledge a published business's own changes (officers)",
  description:
    "Clears `changesToReview` (list them with `GET /v1/businesses?changesToReview=true`), audited. " +
    "409 `concurrent_update` when the business changed meanwhile. Idempotent.",
  tags,
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: { params: BusinessIdParamsSchema },
  responses: {
    200: json(BusinessSchema, "The business."),
    ...notFoundResponse,
    ...conflictResponse,
    ...commonErrorResponses,
  },
});

const NEXT_STEPS = {
  id: "Pendaftaran diterima. Buka tautan yang kami kirim ke email Anda dalam 24 jam untuk mengonfirmasinya; setelah itu petugas memeriksanya dan kami mengabarkan hasilnya lewat email.",
  en: "Sign-up received. Open the link we sent to your email within 24 hours to confirm it; an officer then reviews it and we email you the decision.",
} as const;

export const resubmitRoute = createRoute({
  method: "post",
  path: "/me/resubmit",
  operationId: "resubmitSignUp",
  summary: "Resubmit my rejected sign-up for review (the business itself)",
  description:
    "A business an officer rejected fixes its profile (`PATCH /v1/businesses/{id}`, reading " +
    "`rejectionReason`) and sends it back: `rejected` -> `pending_review`, the reason cleared, " +
    "audited as `resubmit`. 409 `not_rejected` for any other status; 409 `nib_taken` when another " +
    "business now holds its NIB. Officers have nothing to resubmit (403).",
  tags,
  security: bearerSecurity,
  responses: {
    200: json(BusinessSchema, "The business, back in review."),
    ...conflictResponse,
    ...commonErrorResponses,
  },
});

export const businessesRoutes = createRouter()
  .openapi(resubmitRoute, async (c) => {
    const actor = requirePrincipal(c.get("principal"));
    if (actor.kind !== "business") throw new ApiError("forbidden", "Only a business resubmits its sign-up.");
    const business = await resubmitBusiness(serviceDeps(c), { actor, now: Date.now() });
    return c.json(business, 200);
  })
  .openapi(signUpRoute, async (c) => {
    const fields = c.req.valid("json");
    // A sign-up emails its address: counted per address (its own key), so many IPs cannot flood
    // one inbox with confirmation emails.
    await enforceRateLimit(
      c.env.SIGN_IN_EMAIL_LIMITER,
      `signup-email:${fields.email.trim().toLowerCase()}`,
      c.get("requestId"),
    );
    const business = await signUpBusiness(
      { ...serviceDeps(c), mailer: mailerFor(c.env) },
      { fields, confirmUrl: new URL(CONFIRM_PATH, c.req.url).href, now: Date.now() },
    );
    return c.json({ business, next: NEXT_STEPS[business.language] }, 201);
  })
  .openapi(releaseNibRoute, async (c) => {
    const officer = assertOfficer(c.get("principal"));
    const business = await releaseNib(serviceDeps(c), {
      id: c.req.valid("param").id,
      reason: c.req.valid("json").reason,
      officerId: officer.id,
      now: Date.now(),
    });
    return c.json(business, 200);
  })
  .openapi(acknowledgeChangesRoute, async (c) => {
    const officer = assertOfficer(c.get("principal"));
    const business = await acknowledgeChanges(serviceDeps(c), {
      id: c.req.valid("param").id,
      officerId: officer.id,
      now: Date.now(),
    });
    return c.json(business, 200);
  })
  .openapi(publishBusinessRoute, async (c) => {
    const officer = assertOfficer(c.get("principal"));
    const business = await reviewBusiness(serviceDeps(c), {
      id: c.req.valid("param").id,
      decision: "publish",
      officerId: officer.id,
      now: Date.now(),
    });
    return c.json(business, 200);
  })
  .openapi(rejectBusinessRoute, async (c) => {
    const officer = assertOfficer(c.get("principal"));
    const business = await reviewBusiness(serviceDeps(c), {
      id: c.req.valid("param").id,
      decision: "reject",
      reason: c.req.valid("json").reason,
      officerId: officer.id,
      now: Date.now(),
    });
    return c.json(business, 200);
  })
  .openapi(createBusinessRoute, async (c) => {
    const result = await createBusiness(serviceDeps(c), {
      fields: c.req.valid("json"),
      now: Date.now(),
      actor: actorOfPrincipal(c.get("principal")),
    });
    return c.json(result, 201);
  })
  .openapi(getBusinessRoute, async (c) => {
    const business = await getBusiness(serviceDeps(c), { id: c.req.valid("param").id });
    return c.json(business, 200);
  })
  .openapi(updateBusinessRoute, async (c) => {
    const { id } = c.req.valid("param");
    const actor = assertBusinessOrOfficer(c.get("principal"), id);
    const business = await updateBusiness(serviceDeps(c), {
      id,
      patch: c.req.valid("json"),
      actor,
      now: Date.now(),
    });
    return c.json(business, 200);
  })
  .openapi(deactivateBusinessRoute, async (c) => {
    const business = await deactivateBusiness(serviceDeps(c), {
      id: c.req.valid("param").id,
      now: Date.now(),
      actor: actorOfPrincipal(c.get("principal")),
    });
    return c.json(business, 200);
  })
  .openapi(reactivateBusinessRoute, async (c) => {
    const officer = assertOfficer(c.get("principal"));
    const business = await reactivateBusiness(serviceDeps(c), {
      id: c.req.valid("param").id,
      now: Date.now(),
      actor: { kind: "officer", id: officer.id },
    });
    return c.json(business, 200);
  })
  .openapi(listBusinessesRoute, async (c) => {
    const { limit, cursor, active, changesToReview, ...rest } = c.req.valid("query");
    const page = await listBusinesses(serviceDeps(c), {
      filters: {
        ...rest,
        active: active === undefined ? undefined : active === "true",
        changesToReview: changesToReview === undefined ? undefined : changesToReview === "true",
      },
      limit,
      cursor,
    });
    return c.json(page, 200);
  });
