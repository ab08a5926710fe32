import { and, eq } from "drizzle-orm";
import { businesses } from "../../../schema";
import { partyRef } from "../../domain/party";
import { ApiError } from "../../errors";
import { auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { refreshAfterWrite } from "../matching/suggestions.service";
import { notifyIf } from "../notifications/enqueue";
import { concurrentUpdate, loadWritableRow, wroteAt } from "./businesses.shared";
import { type Business, type BusinessStatus, toBusiness } from "./businesses.views";
import { bumpRevisionStatements } from "./registry.queries";

/**
 * An officer's decision on a confirmed, pending sign-up: `publish` makes it matchable (the registry revision
 * is bumped and its suggestions computed, as for a create); `reject` records the reason. The update
 * is conditional on `status = 'pending_review'`, so of two officers deciding at once one wins and
 * the other gets 409 `already_reviewed`.
 */
export async function reviewBusiness(
  deps: ServiceDeps,
  input: { id: string; decision: "publish" | "reject"; reason?: string; officerId: string; now: number },
): Promise<Business> {
  const current = await loadWritableRow(deps, input.id);
  if (current.status === "unconfirmed") {
    throw new ApiError(
      "not_confirmed",
      "Nobody has confirmed this sign-up from its email address yet; it is reviewed once they do.",
    );
  }
  if (current.status !== "pending_review") throw alreadyReviewed(current.status);
  const publish = input.decision === "publish";
  const update = deps.db
    .update(businesses)
    .set({
      status: publish ? "published" : "rejected",
      rejectionReason: publish ? null : (input.reason ?? null),
      reviewedAt: input.now,
      reviewedBy: partyRef("officer", input.officerId),
      updatedAt: Math.max(input.now, current.updatedAt + 1),
      matchInputsAt: Math.max(input.now, current.updatedAt + 1),
    })
    .where(and(eq(businesses.id, input.id), eq(businesses.status, "pending_review")))
    .returning();
  const audit = auditInsertIf(
    deps.db,
    {
      at: input.now,
      actor: { kind: "officer", id: input.officerId },
      entityType: "business",
      entityId: input.id,
      action: input.decision,
      fromState: "pending_review",
      toState: publish ? "published" : "rejected",
      details: publish ? null : { reason: input.reason ?? null },
    },
    wroteAt(),
  );
  // The owner is emailed the decision (the outbox row is conditional on the audit row: `changes()`).
  const notify = notifyIf(
    deps.db,
    {
      kind: publish ? "sign_up_published" : "sign_up_rejected",
      recipients: [partyRef("business", input.id)],
      subjectId: input.id,
      audit: { entityType: "business", entityId: input.id, action: input.decision },
      now: input.now,
    },
    wroteAt(),
  );
  const [updated] = publish
    ? await deps.db.batch([update, audit, ...notify, ...bumpRevisionStatements(deps.db, [input.id])])
    : await deps.db.batch([update, audit, ...notify]);
  const row = updated[0];
  if (!row) throw alreadyReviewed(null);
  if (publish) await refreshAfterWrite(deps, { businessId: row.id, now: input.now });
  return toBusiness(row);
}

function alreadyReviewed(status: BusinessStatus | null): ApiError {
  return new ApiError(
    "already_reviewed",
    status ? `The business is already ${status}.` : "Another officer decided meanwhile.",
  );
}

/**
 * An officer has looked at a published business's own changes (`changesToReview`): clears the
 * flag, audited with the fields acknowledged. Conditional on the row the officer's request read,
 * so a change made meanwhile is not acknowledged unseen (409 `concurrent_update`). Idempotent: a
 * business with nothing to acknowledge is returned unchanged.
 */
export async function acknowledgeChanges(
  deps: ServiceDeps,
  input: { id: string; officerId: string; now: number },
): Promise<Business> {
  const current = await loadWritableRow(deps, input.id);
  if (current.changesFlaggedAt === null) return toBusiness(current);
  const [updated] = await deps.db.batch([
    deps.db
      .update(businesses)
      .set({
        changesFlaggedAt: null,
        changedFields: null,
        updatedAt: Math.max(input.now, current.updatedAt + 1),
      })
      .where(and(eq(businesses.id, current.id), eq(businesses.updatedAt, current.updatedAt)))
      .returning(),
    auditInsertIf(
      deps.db,
      {
        at: input.now,
        actor: { kind: "officer", id: input.officerId },
        entityType: "business",
        entityId: current.id,
        action: "acknowledge_changes",
        fromState: current.status,
        toState: current.status,
        details: { fields: current.changedFields ?? [] },
      },
      wroteAt(),
    ),
  ]);
  const row = updated[0];
  if (!row) throw concurrentUpdate();
  return toBusiness(row);
}
