import { createRoute, z } from "@hono/zod-openapi";
import { assertAdmin, requireBusinessOrOfficer, requirePrincipal } from "../auth/middleware";
import { BusinessIdParamsSchema } from "../contracts/businesses.schemas";
import { IdempotencyHeadersSchema } from "../http/idempotency";
import {
  bodyErrorResponses,
  commonErrorResponses,
  conflictResponse,
  notFoundResponse,
} from "../http/problem";
import { createBusinessKey, listBusinessKeys, revokeKeyAs } from "../services/accounts/api-keys.service";
import { createOfficer, deactivateOfficer, listOfficers } from "../services/accounts/officers.service";
import { bearerSecurity, createRouter, json, jsonBody, serviceDeps } from "./router";

/** API contracts for API keys and officers. A key's hash never leaves the database. */

const RoleSchema = z.enum(["officer", "admin"]).openapi("OfficerRole", {
  description: "`admin` also manages officers and officer keys.",
});

const ApiKeySchema = z
  .object({
    id: z.string().openapi({ example: "key_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" }),
    prefix: z.string().openapi({ example: "ab12cd34", description: "The public part: `kmt_<prefix>_...`." }),
    label: z.string(),
    kind: z.enum(["officer", "business"]),
    role: RoleSchema.nullable(),
    businessId: z.string().nullable(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso
      .datetime()
      .nullable()
      .openapi({ description: "Recorded with about an hour's precision." }),
    revokedAt: z.iso.datetime().nullable(),
  })
  .openapi("ApiKey");

const CreatedApiKeySchema = ApiKeySchema.extend({
  apiKey: z.string().openapi({
    example: "kmt_ab12cd34_...",
    description: "The key itself. Shown once; only its hash is stored.",
  }),
}).openapi("CreatedApiKey");

const CreateKeySchema = z
  .strictObject({
    label: z.string().trim().min(1).max(100).openapi({ example: "Kasir toko (POS)" }),
  })
  .openapi("CreateApiKey");

const KeyIdParamsSchema = z.strictObject({
  keyId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "keyId", in: "path" }, example: "key_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" }),
});

const CreateOfficerSchema = z
  .strictObject({
    email: z.email().max(254).openapi({ description: "The address Cloudflare Access verifies." }),
    role: RoleSchema.default("officer"),
    label: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "Key label; default the email." }),
  })
  .openapi("CreateOfficer");

const OfficerSchema = z
  .object({
    id: z.string().openapi({ example: "ofc_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" }),
    email: z.string(),
    role: RoleSchema,
    active: z.boolean().openapi({ description: "false: Access sign-in is refused (403)." }),
    createdAt: z.iso.datetime(),
  })
  .openapi("Officer");

const OfficerIdParamsSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "ofc_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" }),
});

const CreatedOfficerSchema = z
  .object({
    officer: OfficerSchema,
    key: ApiKeySchema,
    apiKey: z.string().openapi({ description: "The officer's API key. Shown once." }),
  })
  .openapi("CreatedOfficer");

export const createBusinessKeyRoute = createRoute({
  method: "post",
  path: "/businesses/{id}/keys",
  operationId: "createBusinessKey",
  summary: "Create an API key for a business's integration (officers, or the business itself)",
  description: "Rotate by creating a new key, switching the integration to it, then revoking the old one.",
  tags: ["Keys"],
  security: bearerSecurity,
  middleware: [requireBusinessOrOfficer] as const,
  request: {
    params: BusinessIdParamsSchema,
    headers: IdempotencyHeadersSchema,
    body: jsonBody(CreateKeySchema),
  },
  responses: {
    201: json(CreatedApiKeySchema, "Created; the key is shown once."),
    ...notFoundResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const listBusinessKeysRoute = createRoute({
  method: "get",
  path: "/businesses/{id}/keys",
  operationId: "listBusinessKeys",
  summary: "List a business's API keys (officers, or the business itself)",
  tags: ["Keys"],
  security: bearerSecurity,
  middleware: [requireBusinessOrOfficer] as const,
  request: { params: BusinessIdParamsSchema },
  responses: {
    200: json(z.object({ items: z.array(ApiKeySchema) }).openapi("ApiKeyList"), "Its keys, oldest first."),
    ...notFoundResponse,
    ...commonErrorResponses,
  },
});

export const revokeKeyRoute = createRoute({
  method: "post",
  path: "/keys/{keyId}/revoke",
  operationId: "revokeKey",
  summary: "Revoke an API key",
  description:
    "A business revokes its own keys; officers any business key; admins officer keys. Idempotent. " +
    "The key is refused at once by the Worker instance that revoked it and within 60 s by every other.",
  tags: ["Keys"],
  security: bearerSecurity,
  request: { params: KeyIdParamsSchema },
  responses: {
    200: json(ApiKeySchema, "The revoked key."),
    ...notFoundResponse,
    ...commonErrorResponses,
  },
});

export const createOfficerRoute = createRoute({
  method: "post",
  path: "/officers",
  operationId: "createOfficer",
  summary: "Register an officer (admins)",
  description:
    "The email may then sign in through Cloudflare Access; an officer API key is minted too (shown once).",
  tags: ["Keys"],
  security: bearerSecurity,
  request: { headers: IdempotencyHeadersSchema, body: jsonBody(CreateOfficerSchema) },
  responses: {
    201: json(CreatedOfficerSchema, "Created."),
    ...conflictResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const listOfficersRoute = createRoute({
  method: "get",
  path: "/officers",
  operationId: "listOfficers",
  summary: "List officers registered for Access sign-in (admins)",
  tags: ["Keys"],
  security: bearerSecurity,
  responses: {
    200: json(z.object({ items: z.array(OfficerSchema) }).openapi("OfficerList"), "Oldest first."),
    ...commonErrorResponses,
  },
});

export const deactivateOfficerRoute = createRoute({
  method: "post",
  path: "/officers/{id}/deactivate",
  operationId: "deactivateOfficer",
  summary: "Stop an officer signing in through Access (admins)",
  description: "Idempotent. Officer API keys are separate: revoke them with `POST /v1/keys/{keyId}/revoke`.",
  tags: ["Keys"],
  security: bearerSecurity,
  request: { params: OfficerIdParamsSchema },
  responses: { 200: json(OfficerSchema, "The officer."), ...notFoundResponse, ...commonErrorResponses },
});

export const keysRoutes = createRouter()
  .openapi(createBusinessKeyRoute, async (c) => {
    const key = await createBusinessKey(serviceDeps(c), {
      businessId: c.req.valid("param").id,
      label: c.req.valid("json").label,
      actor: requirePrincipal(c.get("principal")),
      now: Date.now(),
    });
    return c.json(key, 201);
  })
  .openapi(listBusinessKeysRoute, async (c) => {
    const items = await listBusinessKeys(serviceDeps(c), { businessId: c.req.valid("param").id });
    return c.json({ items }, 200);
  })
  .openapi(revokeKeyRoute, async (c) => {
    const key = await revokeKeyAs(serviceDeps(c), {
      keyId: c.req.valid("param").keyId,
      actor: requirePrincipal(c.get("principal")),
      now: Date.now(),
    });
    return c.json(key, 200);
  })
  .openapi(createOfficerRoute, async (c) => {
    assertAdmin(c.get("principal"));
    const { email, role, label } = c.req.valid("json");
    const actor = requirePrincipal(c.get("principal"));
    const created = await createOfficer(serviceDeps(c), { email, role, label, actor, now: Date.now() });
    return c.json(created, 201);
  })
  .openapi(listOfficersRoute, async (c) => {
    assertAdmin(c.get("principal"));
    return c.json({ items: await listOfficers(serviceDeps(c)) }, 200);
  })
  .openapi(deactivateOfficerRoute, async (c) => {
    assertAdmin(c.get("principal"));
    const actor = requirePrincipal(c.get("principal"));
    const officer = await deactivateOfficer(serviceDeps(c), {
      id: c.req.valid("param").id,
      actor,
      now: Date.now(),
    });
    return c.json(officer, 200);
  });
