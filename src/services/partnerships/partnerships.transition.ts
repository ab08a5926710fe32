import { and, eq, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type PartnershipRow, partnerships } from "../../../schema";
import type { Principal } from "../../auth/principal";
import type { NotificationKind } from "../../domain/notifications";
import { actorRef, partyRef } from "../../domain/party";
import { ApiError, notFound } from "../../errors";
import { randomToken } from "../../lib/ids";
import { actorOf, auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { notifyIf } from "../notifications/enqueue";
import { hasRevision, hasRoom, type PartnershipStatus } from "./partnerships.queries";
import {
  capacityReached,
  forbidden,
  loadVisible,
  type Partnership,
  toPartnership,
} from "./partnerships.shared";

type Action = "accept" | "decline" | "approve" | "reject" | "cancel" | "end";

interface TransitionSpec {
  action: Action;
  from: readonly PartnershipStatus[];
  to: PartnershipStatus;
  /** Who may do it, given the loaded row; throws 403 otherwise. */
  authorize: (actor: Principal, row: PartnershipRow) => void;
  /** Extra columns to set. */
  set: (ctx: { now: number; by: string }) => Partial<PartnershipRow>;
  /** Capacity both sides must still have when the update runs. */
  needsRoom?: readonly PartnershipStatus[];
  /** The email it sends (an outbox row per side named), in the same batch. */
  notify?: { kind: NotificationKind; to: readonly ("requester" | "partner")[] };
  /** Extra statements for the same batch; `won` is true in SQL when the update won. */
  also?: (ctx: { row: PartnershipRow; actor: Principal; now: number; won: SQL }) => BatchItem<"sqlite">[];
}

export function onlyPartner(actor: Principal, row: PartnershipRow) {
  if (actor.kind !== "business" || actor.businessId !== row.partnerId) {
    throw forbidden("Only the requested partner answers a request.");
  }
}

export function onlyRequester(actor: Principal, row: PartnershipRow) {
  if (actor.kind !== "business" || actor.businessId !== row.requesterId) {
    throw forbidden("Only the requester cancels a request.");
  }
}

export function onlyOfficer(actor: Principal) {
  if (actor.kind !== "officer") throw forbidden("Officers only.");
}

/**
 * Applies one transition: load the row (404 when the caller may not see it), authorize (403),
 * check the state (409 `invalid_state`), then one batch: the update conditional on the status and
 * revision it was loaded with (and on capacity where needed), its audit row, and any extra
 * statements, each guarded by "the update won". Of two racing transitions exactly one wins; the
 * other gets 409 `state_changed` (or `capacity_reached` when room ran out).
 */
export async function transition(
  deps: ServiceDeps,
  spec: TransitionSpec,
  input: { id: string; actor: Principal; now: number; details?: Record<string, unknown> },
): Promise<Partnership> {
  const { actor, now } = input;
  const loaded = await loadVisible(deps, input.id, actor);
  const row = loaded.row;
  spec.authorize(actor, row);
  if (!spec.from.includes(row.status)) {
    throw new ApiError(
      "invalid_state",
      `The partnership is ${row.status}; it cannot be ${spec.action === "end" ? "ended" : `${spec.action}ed`} now.`,
    );
  }
  const revision = randomToken(16);
  const by = actorRef(actorOf(actor));
  const conds: SQL[] = [
    eq(partnerships.id, row.id),
    eq(partnerships.status, row.status),
    eq(partnerships.revision, row.revision),
  ];
  if (spec.needsRoom) {
    conds.push(hasRoom(row.requesterId, spec.needsRoom), hasRoom(row.partnerId, spec.needsRoom));
  }
  const won = hasRevision(row.id, revision);
  const extra = spec.also?.({ row, actor, now, won }) ?? [];
  // The read-back is the batch's last statement, so a committed change is always answered.
  const results = await deps.db.batch([
    deps.db
      .update(partnerships)
      .set({ ...spec.set({ now, by }), status: spec.to, revision, updatedAt: Math.max(now, row.updatedAt) })
      .where(and(...conds))
      .returning({ id: partnerships.id }),
    auditInsertIf(
      deps.db,
      {
        at: now,
        actor: actorOf(actor),
        entityType: "partnership",
        entityId: row.id,
        action: spec.action,
        fromState: row.status,
        toState: spec.to,
        details: input.details ?? null,
      },
      won,
    ),
    ...(spec.notify
      ? notifyIf(
          deps.db,
          {
            kind: spec.notify.kind,
            recipients: spec.notify.to.map((side) =>
              partyRef("business", side === "requester" ? row.requesterId : row.partnerId),
            ),
            subjectId: row.id,
            audit: { entityType: "partnership", entityId: row.id, action: spec.action },
            now,
          },
          won,
        )
      : []),
    ...extra,
    // A single-table read: drizzle maps a joined select inside a D1 batch by position, which
    // breaks on the sides' duplicate column names. The parties were loaded above and do not change.
    deps.db.select().from(partnerships).where(eq(partnerships.id, row.id)),
  ]);
  const updated = results[0];
  const current = results.at(-1)?.[0] as PartnershipRow | undefined;
  if (updated.length === 0) {
    if (current && current.revision === row.revision) throw capacityReached("either");
    throw new ApiError("state_changed", "The partnership changed meanwhile; reload it.");
  }
  if (!current) throw notFound("Partnership");
  return toPartnership({ ...loaded, row: current }, actor);
}
