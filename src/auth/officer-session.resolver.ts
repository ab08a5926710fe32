import { createDb } from "../db";
import { findOfficerSession } from "../services/accounts/sign-in.service";
import type { CredentialResolver } from "./principal";
import { OFFICER_SESSION_COOKIE, readSecretCookie, secretHash } from "./session";
import { fromOwnOrigin, SAFE_METHODS } from "./session.resolver";

/**
 * Officers signed in to the console with the development key login (`__Host-kemitraan_officer`).
 * Like the business session: a stale cookie is anonymity, and the cookie is ignored on a
 * cross-origin unsafe request. A revoked officer key ends its sessions at once.
 */
export const officerSessionResolver: CredentialResolver = async (request, env) => {
  const sessionId = readSecretCookie(request.headers.get("Cookie"), OFFICER_SESSION_COOKIE);
  if (!sessionId) return { status: "none" };
  if (!SAFE_METHODS.has(request.method) && !fromOwnOrigin(request)) return { status: "none" };
  const officer = await findOfficerSession(
    { db: createDb(env.DB) },
    { idHash: await secretHash(sessionId), now: Date.now() },
  );
  return officer ? { status: "ok", principal: officer } : { status: "none" };
};
