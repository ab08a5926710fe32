import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { type CredentialResolver, type Principal, resolvePrincipal } from "./principal";

const REALM = 'Bearer realm="kemitraan"';

function unauthorized(detail: string, invalid: boolean): ApiError {
  return new ApiError("unauthorized", detail, {
    headers: { "WWW-Authenticate": invalid ? `${REALM}, error="invalid_token"` : REALM },
  });
}

/**
 * Resolves the caller through the resolver chain and stores it as `principal` (null when no
 * credentials were presented). Wrong credentials are a 401 even on routes that allow anonymity.
 */
export function authenticate<E extends AppEnv = AppEnv>(resolvers: readonly CredentialResolver[]) {
  return createMiddleware<E>(async (c, next) => {
    const result = await resolvePrincipal(resolvers, c.req.raw, c.env);
    if (result.status === "invalid") throw unauthorized(result.reason, true);
    if (result.status === "forbidden") throw new ApiError("forbidden", result.reason);
    c.set("principal", result.status === "ok" ? result.principal : null);
    if (result.status === "ok" && result.onAuthenticated) {
      c.executionCtx.waitUntil(
        result.onAuthenticated().catch((err: unknown) => {
          console.error(
            JSON.stringify({
              level: "warn",
              requestId: c.get("requestId"),
              msg: "touch key",
              err: String(err),
            }),
          );
        }),
      );
    }
    await next();
  });
}

/** The authenticated caller, or a 401. */
export function requirePrincipal(principal: Principal | null | undefined): Principal {
  if (!principal) throw unauthorized("Send `Authorization: Bearer <api key>`.", false);
  return principal;
}

/** Officers (any role) only. */
export function assertOfficer(
  principal: Principal | null | undefined,
): Extract<Principal, { kind: "officer" }> {
  const p = requirePrincipal(principal);
  if (p.kind !== "officer") throw new ApiError("forbidden", "Officers only.");
  return p;
}

/** Admin officers only (they manage officers and officer keys). */
export function assertAdmin(
  principal: Principal | null | undefined,
): Extract<Principal, { kind: "officer" }> {
  const p = assertOfficer(principal);
  if (p.role !== "admin") throw new ApiError("forbidden", "Admins only.");
  return p;
}

/**
 * Officers, or the business itself. Another business gets a 404, not a 403, so a business key
 * cannot probe which ids exist.
 */
export function assertBusinessOrOfficer(
  principal: Principal | null | undefined,
  businessId: string,
): Principal {
  const p = requirePrincipal(principal);
  if (p.kind === "business" && p.businessId !== businessId) {
    throw new ApiError("not_found", "Business not found.");
  }
  return p;
}

/** Route middleware: officers only. */
export const requireOfficer = createMiddleware<AppEnv>(async (c, next) => {
  assertOfficer(c.get("principal"));
  await next();
});

/** Route middleware: officers or the business named by the `{id}` path parameter. */
export const requireBusinessOrOfficer = createMiddleware<AppEnv>(async (c, next) => {
  assertBusinessOrOfficer(c.get("principal"), c.req.param("id") ?? "");
  await next();
});
