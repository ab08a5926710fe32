import { createDb } from "../db";
import { findSession } from "../services/accounts/sign-in.service";
import type { CredentialResolver } from "./principal";
import { readSessionCookie, secretHash } from "./session";

export const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A state-changing request carries the cookie only when it comes from our own pages: the browser
 * says so with `Sec-Fetch-Site: same-origin` or an `Origin` equal to ours. SameSite=Lax already
 * keeps the cookie off cross-site POSTs; this also covers sibling subdomains (same site).
 */
export function fromOwnOrigin(request: Request): boolean {
  const site = request.headers.get("Sec-Fetch-Site");
  if (site) return site === "same-origin";
  const origin = request.headers.get("Origin");
  return origin !== null && origin === new URL(request.url).origin;
}

/**
 * Business owners' browser sessions (`__Host-kemitraan_session`, set by the sign-in link).
 * A missing, unknown, expired or revoked session is anonymity, not a 401: stale cookies are common
 * and must not break public routes (sign-up, sign-in) or logout. A cookie on a cross-origin unsafe
 * request is ignored.
 */
export const sessionResolver: CredentialResolver = async (request, env) => {
  const sessionId = readSessionCookie(request.headers.get("Cookie"));
  if (!sessionId) return { status: "none" };
  if (!SAFE_METHODS.has(request.method) && !fromOwnOrigin(request)) return { status: "none" };
  const session = await findSession(
    { db: createDb(env.DB) },
    { idHash: await secretHash(sessionId), now: Date.now() },
  );
  if (!session) return { status: "none" };
  return { status: "ok", principal: { kind: "business", businessId: session.businessId, keyId: null } };
};
