import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type BusinessRow, businesses, type NewBusinessRow } from "../../../schema";
import {
  type BusinessFields,
  type NormalisedBusinessFields,
  normaliseBusinessFields,
} from "../../domain/business";
import type { AuditActor } from "../../domain/party";
import { ApiError, notFound, validationError } from "../../errors";
import { auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { changesSinceHeld, type HeldChanges, type KnownVersion } from "../matching/matcher.cache";
import { changesMatchingInputs } from "../matching/matching-inputs";
import { markSetsContainingStale } from "../matching/suggestions.queries";
import { refreshAfterWrite } from "../matching/suggestions.service";
import { newBusinessRow } from "./business-columns";
import { businessRowById, isNibUniqueViolation, nibTaken, selectNibHolder } from "./businesses.queries";
import { type Business, type BusinessStatus, toBusiness } from "./businesses.views";
import { bumpRevisionStatements, selectRegistryVersion, toRegistryVersion } from "./registry.queries";

export function normaliseOrThrow(fields: BusinessFields): NormalisedBusinessFields {
  const result = normaliseBusinessFields(fields);
  if (!result.ok) throw validationError(result.errors);
  return result.value;
}

export async function assertNibFree(deps: ServiceDeps, nib: string | null, exceptId?: string): Promise<void> {
  if (nib === null) return;
  const holder = await selectNibHolder(deps.db, nib, exceptId).get();
  if (holder) throw nibTaken(nib);
}

export async function insertBusiness(
  deps: ServiceDeps,
  input: {
    id: string;
    fields: NormalisedBusinessFields;
    status: BusinessStatus;
    now: number;
    actor: AuditActor;
    action: string;
    alsoWrite: BatchItem<"sqlite">[];
  },
): Promise<Business> {
  const { id, fields } = input;
  const audit = auditInsertIf(
    deps.db,
    {
      at: input.now,
      actor: input.actor,
      entityType: "business",
      entityId: id,
      action: input.action,
      fromState: null,
      toState: input.status,
    },
    sql`1`,
  );
  const row = newBusinessRow({ id, fields, status: input.status, now: input.now });
  try {
    const [inserted] = await deps.db.batch([
      deps.db.insert(businesses).values(row).returning(),
      audit,
      ...input.alsoWrite,
    ]);
    const business = inserted[0];
    if (!business) throw new Error("insert returned no row");
    return toBusiness(business);
  } catch (err) {
    if (fields.nib !== null && isNibUniqueViolation(err)) throw nibTaken(fields.nib);
    throw err;
  }
}

export async function loadRow(deps: ServiceDeps, id: string): Promise<BusinessRow> {
  const row = await businessRowById(deps.db).get({ id });
  if (!row) throw notFound("Business");
  return row;
}

/** A business whose personal data was erased stays as an anonymised record: it is not edited. */
export async function loadWritableRow(deps: ServiceDeps, id: string): Promise<BusinessRow> {
  const row = await loadRow(deps, id);
  if (row.deletedAt !== null) {
    throw new ApiError("already_deleted", "This business's personal data was erased.");
  }
  return row;
}

export async function writeUpdate(
  deps: ServiceDeps,
  current: BusinessRow,
  set: Partial<NewBusinessRow>,
  now: number,
  audit: { actor: AuditActor; action: string; details?: Record<string, unknown> },
): Promise<Business> {
  // Strictly increasing, so the optimistic check below can tell two writes in the same ms apart.
  const updatedAt = Math.max(now, current.updatedAt + 1);
  const state = (active: boolean | undefined, fallback: boolean) =>
    (active ?? fallback) ? "active" : "inactive";
  // Only a matching input moves the revision and touches stored sets (matching-inputs.ts).
  const matching = changesMatchingInputs(current, set);
  // A refresh run at once (no `defer`) starts from the version and the change log since this
  // isolate's matcher, read after the bump in the write's own batch: it needs no read of its own.
  // A deferred one runs later, with other writes (`refreshLater`), and reads what it needs then.
  const inline = matching && !deps.defer;
  const held = inline ? changesSinceHeld(deps) : null;
  try {
    const results = await deps.db.batch([
      deps.db
        .update(businesses)
        .set({ ...set, updatedAt, ...(matching ? { matchInputsAt: updatedAt } : {}) })
        .where(and(eq(businesses.id, current.id), eq(businesses.updatedAt, current.updatedAt)))
        .returning(),
      auditInsertIf(
        deps.db,
        {
          at: now,
          actor: audit.actor,
          entityType: "business",
          entityId: current.id,
          action: audit.action,
          fromState: state(current.active, current.active),
          toState: state(set.active, current.active),
          details: audit.details ?? null,
        },
        wroteAt(),
      ),
      // Sets that list this business now show an outdated row (or an inactive one): recompute
      // them on their next read or run. Harmless if the conditional update above lost the race.
      ...(matching
        ? [
            ...bumpRevisionStatements(deps.db, [current.id]),
            markSetsContainingStale(deps.db, current.id, now),
            // Read after the bump, in the same transaction: the matcher need not read them again.
            ...(inline ? [...(held?.statements ?? []), selectRegistryVersion(deps.db)] : []),
          ]
        : []),
    ]);
    const row = results[0][0];
    if (!row) throw concurrentUpdate();
    if (matching) {
      const known = inline ? knownAfter(results, held) : undefined;
      await refreshAfterWrite(deps, { businessId: row.id, now, known });
    }
    return toBusiness(row);
  } catch (err) {
    if (typeof set.nib === "string" && isNibUniqueViolation(err)) throw nibTaken(set.nib);
    throw err;
  }
}

/**
 * What a write batch that ends with `held`'s change-log reads (if any) and the registry version
 * read tells the matcher (`KnownVersion`).
 */
function knownAfter(results: readonly unknown[], held: ReturnType<typeof changesSinceHeld>): KnownVersion {
  const version = toRegistryVersion(results[results.length - 1] as Parameters<typeof toRegistryVersion>[0]);
  if (!held) return { version };
  const [changed, rows] = results.slice(-3, -1) as [HeldChanges["changed"], HeldChanges["rows"]];
  return { version, changes: { since: held.since, changed, rows } };
}

export function concurrentUpdate(): ApiError {
  return new ApiError("concurrent_update", "The business changed meanwhile; retry.");
}

/** Who a change is attributed to when a caller (a script, a test) names nobody. */
export const REGISTRY_ACTOR: AuditActor = { kind: "system", id: "registry" };

/**
 * True in a batch exactly when the statement just before it changed a row: the audit insert goes
 * right after the conditional business write it records, so a write that lost its race (two
 * edits can compute the same updatedAt) leaves no audit row.
 */
export function wroteAt() {
  return sql`changes() = 1`;
}
