import { and, eq, sql } from "drizzle-orm";
import { businesses } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { ApiError, notFound } from "../../errors";
import { auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import type { BusinessPatch } from "./business-columns";
import { isNibUniqueViolation, nibTaken, selectBusinessById, selectNibHolder } from "./businesses.queries";
import { type Business, toBusiness } from "./businesses.views";
import { updateBusiness } from "./update.service";

/**
 * A rejected sign-up, fixed by its owner, goes back to the officers: `rejected` -> `pending_review`,
 * the officer's reason cleared (it stays in the audit row of the rejection and is copied into this
 * one), audited as `resubmit`. With `patch`, the owner's changes are saved first through the same
 * update as the API's PATCH (same rules, same audit), so a form can fix and resubmit in one go.
 * The status change is conditional on `rejected` and on the row just read, so a double submit
 * resubmits once (the second gets 409 `not_rejected`). Back in review it holds its NIB again: a
 * NIB another business took meanwhile is a 409 `nib_taken` and nothing changes status.
 */
export async function resubmitBusiness(
  deps: ServiceDeps,
  input: { actor: Extract<Principal, { kind: "business" }>; patch?: BusinessPatch | undefined; now: number },
): Promise<Business> {
  const id = input.actor.businessId;
  let row = await selectBusinessById(deps.db, id).get();
  if (!row) throw notFound("Business");
  if (row.deletedAt !== null)
    throw new ApiError("already_deleted", "This business's personal data was erased.");
  if (row.status !== "rejected") throw notRejected(row.status);
  if (input.patch && Object.values(input.patch).some((v) => v !== undefined)) {
    await updateBusiness(deps, {
      id,
      patch: input.patch,
      actor: input.actor,
      now: input.now,
    });
    row = await selectBusinessById(deps.db, id).get();
    if (!row) throw notFound("Business");
  }
  if (row.nib !== null && (await selectNibHolder(deps.db, row.nib, id).get())) throw nibTaken(row.nib);
  const current = row;
  try {
    const [updated] = await deps.db.batch([
      deps.db
        .update(businesses)
        .set({
          status: "pending_review",
          rejectionReason: null,
          updatedAt: Math.max(input.now, current.updatedAt + 1),
        })
        .where(
          and(
            eq(businesses.id, id),
            eq(businesses.status, "rejected"),
            eq(businesses.updatedAt, current.updatedAt),
          ),
        )
        .returning(),
      auditInsertIf(
        deps.db,
        {
          at: input.now,
          actor: { kind: "business", id },
          entityType: "business",
          entityId: id,
          action: "resubmit",
          fromState: "rejected",
          toState: "pending_review",
          details: { rejectionReason: current.rejectionReason },
        },
        // Only when the update above changed the row (a double submit audits once).
        sql`changes() = 1`,
      ),
    ]);
    const next = updated[0];
    if (!next) throw notRejected(null);
    return toBusiness(next);
  } catch (err) {
    if (current.nib !== null && isNibUniqueViolation(err)) throw nibTaken(current.nib);
    throw err;
  }
}

function notRejected(status: string | null): ApiError {
  return new ApiError(
    "not_rejected",
    status ? `The business is ${status}, not rejected.` : "The business changed meanwhile; reload it.",
  );
}
