import { createDb } from "../db";
import { findKeyForAuth, keyIsLive, touchKey } from "../services/accounts/api-keys.service";
import { digestsEqual, hashApiKey, parseApiKey } from "./api-keys";
import type { CredentialResolver, Principal } from "./principal";
import { getVerifiedKey, rememberVerifiedKey, verifiedKeyGeneration } from "./verified-keys.cache";

/** Recording every use would cost a write per request; an hour's precision is enough. */
const LAST_USED_PRECISION_MS = 60 * 60 * 1000;

const UNKNOWN_OR_REVOKED = "The API key is unknown or revoked.";

/**
 * `Authorization: Bearer kmt_...` API keys (officers and businesses).
 *
 * A key verified against D1 is trusted by this isolate for `VERIFIED_KEY_TTL_MS` (60 s), looked up
 * by the SHA-256 of the presented key, so a warm request costs no D1 query for auth. The trade-off:
 * a revoked key stops working at once on the isolate that revoked it (`revokeApiKey` evicts it)
 * and within 60 s everywhere else; so does the key of a deactivated officer (`deactivateOfficer`
 * revokes it and evicts it by officer). The map lookup needs no constant-time comparison: it is keyed
 * by a digest of the secret, and a miss falls through to the D1 path, which compares in constant
 * time as before.
 */
export const apiKeyResolver: CredentialResolver = async (request, env) => {
  const header = request.headers.get("Authorization");
  if (!header) return { status: "none" };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return { status: "invalid", reason: "Use `Authorization: Bearer <api key>`." };
  const presented = match[1];
  const parsed = parseApiKey(presented);
  if (!parsed) return { status: "invalid", reason: "The API key is malformed." };

  // Hashed before any lookup, so an unknown prefix and a wrong secret take about the same time.
  const hash = await hashApiKey(presented);
  const now = Date.now();
  const touchIfDue = (keyId: string, lastUsedAt: number | null) =>
    lastUsedAt === null || lastUsedAt < now - LAST_USED_PRECISION_MS
      ? () => touchKey({ db: createDb(env.DB) }, { keyId, now })
      : undefined;

  const cached = getVerifiedKey(hash, now);
  if (cached) {
    const onAuthenticated = touchIfDue(cached.keyId, cached.lastUsedAt);
    // Other requests on this isolate then see the use as recorded and do not touch again.
    if (onAuthenticated) cached.lastUsedAt = now;
    return { status: "ok", principal: cached.principal, onAuthenticated };
  }

  const generation = verifiedKeyGeneration();
  const found = await findKeyForAuth({ db: createDb(env.DB) }, parsed.prefix);
  // A key of a deactivated officer is refused even if it was never revoked itself.
  if (!found || !digestsEqual(hash, found.key.hash) || !keyIsLive(found)) {
    return { status: "invalid", reason: UNKNOWN_OR_REVOKED };
  }
  const { key } = found;
  let principal: Principal;
  if (key.kind === "officer") {
    principal = { kind: "officer", id: key.id, role: key.role ?? "officer" };
  } else if (key.businessId) {
    principal = { kind: "business", businessId: key.businessId, keyId: key.id };
  } else {
    return { status: "invalid", reason: UNKNOWN_OR_REVOKED };
  }
  const onAuthenticated = touchIfDue(key.id, key.lastUsedAt);
  rememberVerifiedKey(
    hash,
    {
      principal,
      keyId: key.id,
      officerId: key.officerId,
      verifiedAt: now,
      lastUsedAt: onAuthenticated ? now : key.lastUsedAt,
    },
    generation,
  );
  return { status: "ok", principal, onAuthenticated };
};
