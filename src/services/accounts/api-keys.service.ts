import { and, asc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { type ApiKeyRow, apiKeys, businesses, officers } from "../../../schema";
import { generateApiKey } from "../../auth/api-keys";
import type { Principal } from "../../auth/principal";
import { forgetVerifiedKey } from "../../auth/verified-keys.cache";
import { type Database, prepareOnce } from "../../db";
import { ApiError, notFound } from "../../errors";
import { newId } from "../../lib/ids";
import { actorOf, auditInsert, auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";

export type ApiKeyKind = ApiKeyRow["kind"];

export interface CreateApiKeyInput {
  kind: ApiKeyKind;
  /** Officers: "officer" (default) or "admin". Ignored for business keys. */
  role?: "officer" | "admin";
  /** Required for business keys. */
  businessId?: string;
  /** Officer keys: the officer row they belong to (deactivating it revokes them). */
  officerId?: string;
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
    officerId: input.kind === "officer" ? (input.officerId ?? null) : null,
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
 * A key by its public prefix, with whether it may still act for its officer: `officerActive` is
 * null for a key of no officer (business keys, script-made officer keys), else the officer's flag.
 */
/** Every request with a key not verified lately runs this: prepared once per database. */
function prepareKeyForAuth(db: Database) {
  return db
    .select({ key: apiKeys, officerActive: officers.active })
    .from(apiKeys)
    .leftJoin(officers, eq(officers.id, apiKeys.officerId))
    .where(eq(apiKeys.prefix, sql.placeholder("prefix")))
    .prepare();
}

export async function findKeyForAuth(
  deps: ServiceDeps,
  prefix: string,
): Promise<{ key: ApiKeyRow; officerActive: boolean | null } | undefined> {
  const row = await prepareOnce(deps.db, prepareKeyForAuth).get({ prefix });
  return row
    ? { key: row.key, officerActive: row.key.officerId === null ? null : row.officerActive }
    : undefined;
}

/** True when a key (as `findKeyForAuth` returns it) authenticates: not revoked, officer active. */
export function keyIsLive(found: { key: ApiKeyRow; officerActive: boolean | null }): boolean {
  return found.key.revokedAt === null && found.officerActive !== false;
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

/** A key as listed: never its hash or plaintext. Times are ISO 8601. */
export interface ApiKeyView {
  id: string;
  prefix: string;
  label: string;
  kind: ApiKeyKind;
  role: "officer" | "admin" | null;
  businessId: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function toApiKeyView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    prefix: row.prefix,
    label: row.label,
    kind: row.kind,
    role: row.role,
    businessId: row.businessId,
    createdAt: new Date(row.createdAt).toISOString(),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
  };
}

async function assertBusinessExists(deps: ServiceDeps, businessId: string): Promise<void> {
  const row = await deps.db
    .select({ id: businesses.id })
    .from(businesses)
    .where(eq(businesses.id, businessId))
    .get();
  if (!row) throw notFound("Business");
}

/**
 * A new key for a business's integrations (rotation = create the new one, switch, revoke the old).
 * The caller has already been checked to be an officer or this business.
 *
 * @returns the key with its plaintext, shown once.
 */
export async function createBusinessKey(
  deps: ServiceDeps,
  input: { businessId: string; label: string; actor: Principal; now: number },
): Promise<ApiKeyView & { apiKey: string }> {
  await assertBusinessExists(deps, input.businessId);
  const erased = await deps.db
    .select({ deletedAt: businesses.deletedAt })
    .from(businesses)
    .where(eq(businesses.id, input.businessId))
    .get();
  if (erased?.deletedAt != null) {
    throw new ApiError("already_deleted", "This business's personal data was erased.");
  }
  const { created, statement } = await prepareApiKey(deps, {
    kind: "business",
    businessId: input.businessId,
    label: input.label,
    now: input.now,
  });
  const [[row]] = await deps.db.batch([
    statement.returning(),
    auditInsert(deps.db, {
      at: input.now,
      actor: actorOf(input.actor),
      entityType: "api_key",
      entityId: created.id,
      action: "create",
      fromState: null,
      toState: "active",
      details: { kind: "business", businessId: input.businessId, label: input.label, prefix: created.prefix },
    }),
  ]);
  if (!row) throw new Error("insert returned no row");
  return { ...toApiKeyView(row), apiKey: created.plaintext };
}

/** A business's keys, oldest first, revoked ones included. */
export async function listBusinessKeys(
  deps: ServiceDeps,
  input: { businessId: string },
): Promise<ApiKeyView[]> {
  await assertBusinessExists(deps, input.businessId);
  const rows = await deps.db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.businessId, input.businessId))
    .orderBy(asc(apiKeys.id));
  return rows.map(toApiKeyView);
}

/**
 * Revokes a key on behalf of `actor`: a business only its own keys (another's is a 404, so ids
 * cannot be probed); officers any business key; only admins officer keys. Idempotent: revoking a
 * revoked key returns it unchanged. The verified-key cache of this isolate forgets it at once.
 */
export async function revokeKeyAs(
  deps: ServiceDeps,
  input: { keyId: string; actor: Principal; now: number },
): Promise<ApiKeyView> {
  const key = await deps.db.select().from(apiKeys).where(eq(apiKeys.id, input.keyId)).get();
  const { actor } = input;
  if (!key || (actor.kind === "business" && key.businessId !== actor.businessId)) throw notFound("API key");
  if (key.kind === "officer" && !(actor.kind === "officer" && actor.role === "admin")) {
    throw new ApiError("forbidden", "Only an admin may revoke officer keys.");
  }
  if (key.revokedAt !== null) return toApiKeyView(key);
  // The update returns the row, so a revocation that committed is always answered as done; the
  // audit row is written only if this batch's update revoked the key (a concurrent revoke that won
  // has its own).
  const [[revoked]] = await deps.db.batch([
    deps.db
      .update(apiKeys)
      .set({ revokedAt: input.now })
      .where(and(eq(apiKeys.id, key.id), isNull(apiKeys.revokedAt)))
      .returning(),
    auditInsertIf(
      deps.db,
      {
        at: input.now,
        actor: actorOf(actor),
        entityType: "api_key",
        entityId: key.id,
        action: "revoke",
        fromState: "active",
        toState: "revoked",
        details: { kind: key.kind, businessId: key.businessId, prefix: key.prefix },
      },
      sql`changes() = 1`,
    ),
  ]);
  forgetVerifiedKey(key.id);
  if (revoked) return toApiKeyView(revoked);
  // A concurrent revocation won; report the key as it now is.
  const after = await deps.db.select().from(apiKeys).where(eq(apiKeys.id, key.id)).get();
  return toApiKeyView(after ?? key);
}

/** An officer as the API shows it. */
