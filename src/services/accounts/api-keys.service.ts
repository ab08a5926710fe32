import { and, asc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type ApiKeyRow, apiKeys, businesses, officerSessions, officers } from "../../../schema";
import { generateApiKey } from "../../auth/api-keys";
import type { Principal } from "../../auth/principal";
import { forgetVerifiedKey, forgetVerifiedKeysOfOfficer } from "../../auth/verified-keys.cache";
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
export async function findKeyForAuth(
  deps: ServiceDeps,
  prefix: string,
): Promise<{ key: ApiKeyRow; officerActive: boolean | null } | undefined> {
  const row = await deps.db
    .select({ key: apiKeys, officerActive: officers.active })
    .from(apiKeys)
    .leftJoin(officers, eq(officers.id, apiKeys.officerId))
    .where(eq(apiKeys.prefix, prefix))
    .get();
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
export interface Officer {
  id: string;
  email: string;
  role: "officer" | "admin";
  active: boolean;
  createdAt: string;
}

function toOfficer(row: typeof officers.$inferSelect): Officer {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    active: row.active,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** Every officer registered for Access sign-in, oldest first. */
export async function listOfficers(deps: ServiceDeps): Promise<Officer[]> {
  const rows = await deps.db.select().from(officers).orderBy(asc(officers.id));
  return rows.map(toOfficer);
}

/**
 * Ends an officer's access: Access sign-in is refused from their next request, and in the same
 * batch every key minted for them and every console session opened with one is revoked (one audit
 * row per key). This isolate forgets their keys at once; other isolates stop trusting a cached key
 * within `VERIFIED_KEY_TTL_MS` (60 s). Idempotent: a second call revokes anything still live (a key
 * linked by hand, say) and records no second deactivation.
 */
export async function deactivateOfficer(
  deps: ServiceDeps,
  input: { id: string; actor: Principal; now: number },
): Promise<Officer> {
  const actor = actorOf(input.actor);
  const liveKeys = await deps.db
    .select({ id: apiKeys.id, prefix: apiKeys.prefix })
    .from(apiKeys)
    .where(and(eq(apiKeys.officerId, input.id), isNull(apiKeys.revokedAt)));
  const revokeKeys = liveKeys.flatMap((key) => [
    deps.db
      .update(apiKeys)
      .set({ revokedAt: input.now })
      .where(and(eq(apiKeys.id, key.id), isNull(apiKeys.revokedAt))),
    auditInsertIf(
      deps.db,
      {
        at: input.now,
        actor,
        entityType: "api_key",
        entityId: key.id,
        action: "revoke",
        fromState: "active",
        toState: "revoked",
        details: { kind: "officer", officerId: input.id, prefix: key.prefix, reason: "officer_deactivated" },
      },
      sql`changes() = 1`,
    ),
  ]);
  const statements: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]] = [
    deps.db
      .update(officers)
      .set({ active: false })
      .where(and(eq(officers.id, input.id), eq(officers.active, true))),
    auditInsertIf(
      deps.db,
      {
        at: input.now,
        actor,
        entityType: "officer",
        entityId: input.id,
        action: "deactivate",
        fromState: "active",
        toState: "inactive",
      },
      sql`changes() = 1`,
    ),
    ...revokeKeys,
    // Keys linked since the read above (none are minted for an existing officer today) end too.
    deps.db
      .update(apiKeys)
      .set({ revokedAt: input.now })
      .where(and(eq(apiKeys.officerId, input.id), isNull(apiKeys.revokedAt))),
    deps.db
      .update(officerSessions)
      .set({ revokedAt: input.now })
      .where(and(eq(officerSessions.officerId, input.id), isNull(officerSessions.revokedAt))),
    // The read-back is the batch's last statement: once the update commits, no later failure can
    // turn it into an error response.
    deps.db.select().from(officers).where(eq(officers.id, input.id)),
  ];
  const results = await deps.db.batch(statements);
  forgetVerifiedKeysOfOfficer(input.id);
  for (const key of liveKeys) forgetVerifiedKey(key.id);
  const row = (results.at(-1) as Array<typeof officers.$inferSelect>)[0];
  if (!row) throw notFound("Officer");
  return toOfficer(row);
}

/**
 * Registers an officer (admins only): the email may then sign in through Cloudflare Access, and an
 * officer API key is minted for the API and local development (shown once). One batch: both or
 * neither. 409 `officer_exists` when the email is already registered.
 */
export async function createOfficer(
  deps: ServiceDeps,
  input: {
    email: string;
    role: "officer" | "admin";
    label?: string | undefined;
    actor: Principal;
    now: number;
  },
): Promise<{ officer: Officer; key: ApiKeyView; apiKey: string }> {
  const email = input.email.trim().toLowerCase();
  const existing = await deps.db
    .select({ id: officers.id })
    .from(officers)
    .where(eq(officers.email, email))
    .get();
  if (existing) throw officerExists(email);
  const officerId = newId("ofc_", input.now);
  const { created, statement } = await prepareApiKey(deps, {
    kind: "officer",
    role: input.role,
    officerId,
    label: input.label ?? email,
    now: input.now,
  });
  const actor = actorOf(input.actor);
  try {
    const [officerRows, keyRows] = await deps.db.batch([
      deps.db
        .insert(officers)
        .values({ id: officerId, email, role: input.role, createdAt: input.now })
        .returning(),
      statement.returning(),
      auditInsert(deps.db, {
        at: input.now,
        actor,
        entityType: "officer",
        entityId: officerId,
        action: "create",
        fromState: null,
        toState: "active",
        details: { email, role: input.role },
      }),
      auditInsert(deps.db, {
        at: input.now,
        actor,
        entityType: "api_key",
        entityId: created.id,
        action: "create",
        fromState: null,
        toState: "active",
        details: { kind: "officer", officerId, role: input.role, prefix: created.prefix },
      }),
    ]);
    const officer = officerRows[0];
    const key = keyRows[0];
    if (!officer || !key) throw new Error("insert returned no row");
    return {
      officer: toOfficer(officer),
      key: toApiKeyView(key),
      apiKey: created.plaintext,
    };
  } catch (err) {
    if (
      err instanceof Error &&
      /UNIQUE constraint failed: officers\.email/.test(`${err.message} ${String(err.cause)}`)
    ) {
      throw officerExists(email);
    }
    throw err;
  }
}

function officerExists(email: string): ApiError {
  return new ApiError("officer_exists", `An officer with ${email} is already registered.`);
}
