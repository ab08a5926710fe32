import { and, eq, isNull, lt, or } from "drizzle-orm";
import { type ApiKeyRow, apiKeys } from "../../schema";
import { generateApiKey } from "../auth/api-keys";
import { forgetVerifiedKey } from "../auth/verified-keys.cache";
import { newId } from "../lib/ids";
import type { ServiceDeps } from "./deps";

export type ApiKeyKind = ApiKeyRow["kind"];

export interface CreateApiKeyInput {
  kind: ApiKeyKind;
  /** Officers: "officer" (default) or "admin". Ignored for business keys. */
  role?: "officer" | "admin";
  /** Required for business keys. */
  businessId?: string;
  label: string;
  now: number;
}

export interface CreatedApiKey {
  id: string;
  prefix: string;
  /** Shown once; only its hash is stored. */
  plaintext: string;
}

/**
 * Mints a key and returns the insert statement alongside, so a caller can put it in the same
 * `db.batch` as other writes (creating a business and its key is all-or-nothing).
 */
export async function prepareApiKey(deps: ServiceDeps, input: CreateApiKeyInput) {
  if (input.kind === "business" && !input.businessId) throw new Error("business keys need a businessId");
  const key = await generateApiKey();
  const id = newId("key_", input.now);
  const statement = deps.db.insert(apiKeys).values({
    id,
    prefix: key.prefix,
    hash: key.hash,
    kind: input.kind,
    role: input.kind === "officer" ? (input.role ?? "officer") : null,
    businessId: input.kind === "business" ? (input.businessId ?? null) : null,
    label: input.label,
    createdAt: input.now,
  });
  const created: CreatedApiKey = { id, prefix: key.prefix, plaintext: key.plaintext };
  return { created, statement };
}

/** Creates an API key and returns its plaintext (once). */
export async function createApiKey(deps: ServiceDeps, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  const { created, statement } = await prepareApiKey(deps, input);
  await statement;
  return created;
}

export async function findKeyByPrefix(deps: ServiceDeps, prefix: string): Promise<ApiKeyRow | undefined> {
  return deps.db.select().from(apiKeys).where(eq(apiKeys.prefix, prefix)).get();
}

/**
 * Revokes a key; a revoked key authenticates nothing. Idempotent. This isolate forgets the key at
 * once; other isolates keep trusting it until their cached verification expires (at most
 * `VERIFIED_KEY_TTL_MS`, 60 s: see `src/auth/verified-keys.cache.ts`).
 */
export async function revokeApiKey(deps: ServiceDeps, input: { keyId: string; now: number }): Promise<void> {
  await deps.db
    .update(apiKeys)
    .set({ revokedAt: input.now })
    .where(and(eq(apiKeys.id, input.keyId), isNull(apiKeys.revokedAt)));
  forgetVerifiedKey(input.keyId);
}

/** Records use; conditional so concurrent requests do not fight over the row. */
export async function touchKey(deps: ServiceDeps, input: { keyId: string; now: number }): Promise<void> {
  await deps.db
    .update(apiKeys)
    .set({ lastUsedAt: input.now })
    .where(
      and(eq(apiKeys.id, input.keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, input.now))),
    );
}
