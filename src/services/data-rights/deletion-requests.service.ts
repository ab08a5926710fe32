import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import { businesses, type DeletionRequestRow, deletionRequests } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { type AuditActor, actorRef, parseActorRef } from "../../domain/party";
import { ApiError, notFound } from "../../errors";
import { newId, randomToken } from "../../lib/ids";
import { actorOf, auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { assertMayAct, iso } from "./access";

/** Deletion requests: a business asks, an officer or the business cancels; the erasure confirms. */

export interface DeletionRequest {
  id: string;
  businessId: string;
  status: DeletionRequestRow["status"];
  requestedAt: string;
  requestedBy: AuditActor | null;
  decidedAt: string | null;
  decidedBy: AuditActor | null;
}

/** Who ends, discards and audits on a confirmed erasure's behalf. */
export const DELETION_ACTOR: AuditActor = { kind: "system", id: "data-deletion" };

export function toDeletionRequest(row: DeletionRequestRow): DeletionRequest {
  return {
    id: row.id,
    businessId: row.businessId,
    status: row.status,
    requestedAt: new Date(row.requestedAt).toISOString(),
    requestedBy: parseActorRef(row.requestedBy),
    decidedAt: iso(row.decidedAt),
    decidedBy: parseActorRef(row.decidedBy),
  };
}

/**
 * The business (or an officer on its behalf) asks for its personal data to be erased. Nothing is
 * erased yet: an officer confirms (`confirmDeletion`). One pending request per business (a unique
 * index, so two at once give one 201 and one 409); audited (`deletion_requested`). The business
 * may ask for itself only; another business gets 404 (ids cannot be probed).
 *
 * @throws 404 unknown business (or another business's), 409 `deletion_pending`, `already_deleted`.
 */
export async function requestDeletion(
  deps: ServiceDeps,
  input: { businessId: string; actor: Principal; now: number },
): Promise<DeletionRequest> {
  const id = input.businessId;
  assertMayAct(input.actor, id);
  const row = await deps.db
    .select({ deletedAt: businesses.deletedAt })
    .from(businesses)
    .where(eq(businesses.id, id))
    .get();
  if (!row) throw notFound("Business");
  if (row.deletedAt !== null) throw alreadyDeleted();
  const requestId = newId("del_", input.now);
  const revision = randomToken(16);
  const actor = actorOf(input.actor);
  try {
    await deps.db.batch([
      deps.db.insert(deletionRequests).values({
        id: requestId,
        businessId: id,
        status: "pending",
        requestedAt: input.now,
        requestedBy: actorRef(actor),
        revision,
      }),
      auditInsertIf(
        deps.db,
        {
          at: input.now,
          actor,
          entityType: "business",
          entityId: id,
          action: "deletion_requested",
          fromState: null,
          toState: "deletion_pending",
          details: { requestId },
        },
        sql`1`,
      ),
    ]);
  } catch (err) {
    if (isPendingUniqueViolation(err)) throw deletionPending();
    throw err;
  }
  return getDeletionRequest(deps, { id: requestId });
}

export function isPendingUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (/UNIQUE constraint failed: deletion_requests\.business_id/.test(e.message)) return true;
  }
  return false;
}

export function deletionPending(): ApiError {
  return new ApiError("deletion_pending", "A deletion request is already pending.");
}

export function alreadyDeleted(): ApiError {
  return new ApiError("already_deleted", "This business's personal data was already erased.");
}

export async function getDeletionRequest(deps: ServiceDeps, input: { id: string }): Promise<DeletionRequest> {
  const row = await deps.db.select().from(deletionRequests).where(eq(deletionRequests.id, input.id)).get();
  if (!row) throw notFound("Deletion request");
  return toDeletionRequest(row);
}

/** Deletion requests, newest first, optionally by status (officers). */
export async function listDeletionRequests(
  deps: ServiceDeps,
  input: { status?: DeletionRequestRow["status"] | undefined; limit: number },
): Promise<DeletionRequest[]> {
  const rows = await deps.db
    .select()
    .from(deletionRequests)
    .where(input.status ? eq(deletionRequests.status, input.status) : undefined)
    .orderBy(desc(deletionRequests.id))
    .limit(input.limit);
  return rows.map(toDeletionRequest);
}

/**
 * The business or an officer withdraws a pending request. Conditional on `pending`: 409
 * `invalid_state` once it was confirmed or cancelled. Audited (`deletion_cancelled`).
 */
export async function cancelDeletion(
  deps: ServiceDeps,
  input: { id: string; actor: Principal; now: number },
): Promise<DeletionRequest> {
  const current = await loadRequest(deps, input.id, input.actor);
  const revision = randomToken(16);
  const [updated] = await deps.db.batch([
    deps.db
      .update(deletionRequests)
      .set({ status: "cancelled", decidedAt: input.now, decidedBy: actorRef(actorOf(input.actor)), revision })
      .where(and(eq(deletionRequests.id, current.id), eq(deletionRequests.status, "pending")))
      .returning(),
    auditInsertIf(
      deps.db,
      {
        at: input.now,
        actor: actorOf(input.actor),
        entityType: "business",
        entityId: current.businessId,
        action: "deletion_cancelled",
        fromState: "deletion_pending",
        toState: null,
        details: { requestId: current.id },
      },
      requestWon(current.id, revision),
    ),
  ]);
  const row = updated[0];
  if (!row) throw invalidState(current.status);
  return toDeletionRequest(row);
}

export async function loadRequest(
  deps: ServiceDeps,
  id: string,
  actor: Principal,
): Promise<DeletionRequestRow> {
  const row = await deps.db.select().from(deletionRequests).where(eq(deletionRequests.id, id)).get();
  if (!row || (actor.kind === "business" && row.businessId !== actor.businessId)) {
    throw notFound("Deletion request");
  }
  return row;
}

export function invalidState(status: string): ApiError {
  return new ApiError("invalid_state", `The deletion request is ${status}; nothing was changed.`);
}

/** SQL: this batch's conditional update of the request won (its revision is ours). */
export function requestWon(id: string, revision: string): SQL {
  return sql`exists (select 1 from ${deletionRequests} where ${deletionRequests.id} = ${id} and ${deletionRequests.revision} = ${revision})`;
}

/** Name an erased business shows (partners' histories still name the other side). */
