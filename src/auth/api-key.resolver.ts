import { createDb } from "../db";
import { findKeyByPrefix, touchKey } from "../services/api-keys.service";
import { digestsEqual, hashApiKey, parseApiKey } from "./api-keys";
import type { CredentialResolver } from "./principal";

/** Recording every use would cost a write per request; an hour's precision is enough. */
const LAST_USED_PRECISION_MS = 60 * 60 * 1000;

/** `Authorization: Bearer kmt_...` API keys (officers and businesses). */
export const apiKeyResolver: CredentialResolver = async (request, env) => {
  const header = request.headers.get("Authorization");
  if (!header) return { status: "none" };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return { status: "invalid", reason: "Use `Authorization: Bearer <api key>`." };
  const presented = match[1];
  const parsed = parseApiKey(presented);
  if (!parsed) return { status: "invalid", reason: "The API key is malformed." };

  const db = createDb(env.DB);
  const key = await findKeyByPrefix({ db }, parsed.prefix);
  // Hash even when the prefix is unknown, so both failures take about the same time.
  const hash = await hashApiKey(presented);
  if (!key || !digestsEqual(hash, key.hash) || key.revokedAt !== null) {
    return { status: "invalid", reason: "The API key is unknown or revoked." };
  }
  const now = Date.now();
  const onAuthenticated =
    key.lastUsedAt === null || key.lastUsedAt < now - LAST_USED_PRECISION_MS
      ? () => touchKey({ db }, { keyId: key.id, now })
      : undefined;
  if (key.kind === "officer") {
    return {
      status: "ok",
      principal: { kind: "officer", id: key.id, role: key.role ?? "officer" },
      onAuthenticated,
    };
  }
  if (!key.businessId) return { status: "invalid", reason: "The API key is unknown or revoked." };
  return {
    status: "ok",
    principal: { kind: "business", businessId: key.businessId, keyId: key.id },
    onAuthenticated,
  };
};
