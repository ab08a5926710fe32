import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { apiKeys, officerSessions, officers } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { forgetVerifiedKey, forgetVerifiedKeysOfOfficer } from "../../auth/verified-keys.cache";
import { ApiError, notFound } from "../../errors";
import { newId } from "../../lib/ids";
import { actorOf, auditInsert, auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";

import { type ApiKeyView, prepareApiKey, toApiKeyView } from "./api-keys.service";

/** Officers: list, create (with a first key) and deactivate (revoking their keys and sessions). */

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
