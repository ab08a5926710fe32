import { and, eq, sql } from "drizzle-orm";
import { declinedPairs } from "../../../schema";
import type { Principal } from "../../auth/principal";
import type { Database } from "../../db";
import { ApiError, notFound, validationError } from "../../errors";
import { actorOf, auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { neighbourHolding } from "../matching/shard-serving.service";
import { pairDeclined, pairKey, pairOpen, selectParties } from "./partnerships.queries";
import { forbidden } from "./partnerships.shared";
import { onlyOfficer } from "./partnerships.transition";

/**
 * An officer resets a declined pair (either side asked): it may be suggested and requested again.
 * @throws 404 when the pair is not declined.
 */
export async function resetDeclinedPair(
  deps: ServiceDeps,
  input: { businessIds: [string, string]; actor: Principal; now: number },
): Promise<{ businessIds: [string, string] }> {
  onlyOfficer(input.actor);
  const [a, b] = input.businessIds;
  const k = pairKey(a, b);
  const match = and(eq(declinedPairs.lowId, k.lowId), eq(declinedPairs.highId, k.highId));
  const [, deleted] = await deps.db.batch([
    // Before the delete, and conditional on the row, so only the reset that deletes it is logged.
    auditInsertIf(
      deps.db,
      {
        at: input.now,
        actor: actorOf(input.actor),
        entityType: "declined_pair",
        entityId: `${k.lowId}:${k.highId}`,
        action: "reset",
        fromState: "declined",
        toState: null,
      },
      sql`${pairDeclined(a, b)}`,
    ),
    deps.db.delete(declinedPairs).where(match).returning({ lowId: declinedPairs.lowId }),
  ]);
  // Across a shard border the pair is kept on both sides: reset there too (whichever side it is).
  await mirrorToNeighbour(deps, [a, b], (db) => db.delete(declinedPairs).where(match));
  if (deleted.length === 0) throw notFound("Declined pair");
  return { businessIds: [k.lowId, k.highId] };
}

/**
 * In one shard's deployment of a province a declined pair can join a business of a neighbour
 * shard. Each deployment serves its own businesses' suggestions and leaves out the pairs declined
 * in its own database, so the pair is written to (or deleted from) the neighbour's database as
 * well: otherwise the neighbour would go on suggesting the business that declined to the one it
 * declined. `ids` are the pair's businesses (or the one that may live across the border); nothing
 * happens when no neighbour holds one (or outside a province). Runs after this database's batch (two databases
 * share no transaction); the write is idempotent, and the calls run it whatever their own batch
 * changed, so a retry after a failure here completes it. The audit row stays on this side.
 */
export async function mirrorToNeighbour(
  deps: ServiceDeps,
  ids: readonly string[],
  write: (db: Database) => { run(): Promise<unknown> },
): Promise<void> {
  if ((deps.shard?.neighbours.length ?? 0) === 0) return;
  const neighbour = await neighbourHolding(deps, ids);
  if (neighbour) await write(neighbour.db).run();
}

/**
 * A business marks a suggested partner "tidak berminat" without any request between them: the pair
 * is recorded as declined (never suggested or requestable again, either way, until an officer
 * resets it). Idempotent: declining a declined pair changes nothing and writes no audit row.
 *
 * @throws 403 for officers (they reset pairs, they do not decline them), 404 unknown business,
 * 422 `validation_failed` for itself, 409 `partnership_exists` while a request or partnership is
 * open between them (answer or end that instead).
 */
export async function declinePair(
  deps: ServiceDeps,
  input: { actor: Principal; partnerId: string; now: number },
): Promise<{ businessIds: [string, string] }> {
  const { actor, partnerId, now } = input;
  if (actor.kind !== "business") throw forbidden("A business declines its own suggestions.");
  const self = actor.businessId;
  if (partnerId === self) {
    throw validationError([{ path: "partnerId", message: "A business cannot decline itself." }]);
  }
  const [parties, [state]] = await deps.db.batch([
    selectParties(deps.db, [self, partnerId]),
    deps.db.select({ open: sql<number>`${pairOpen(self, partnerId)}`.as("open") }).from(sql`(select 1)`),
  ]);
  // In one shard's deployment of a province a suggestion may be a neighbour shard's business: its
  // decline is kept here and there (`mirrorToNeighbour`), so neither side suggests the pair.
  const across = parties.some((p) => p.id === partnerId) ? null : await neighbourHolding(deps, [partnerId]);
  if (!parties.some((p) => p.id === partnerId) && across === null) throw notFound("Partner");
  if (state?.open) {
    throw new ApiError(
      "partnership_exists",
      "A request or partnership is open between the two; decline, cancel or end it instead.",
    );
  }
  const k = pairKey(self, partnerId);
  const row = { lowId: k.lowId, highId: k.highId, declinedBy: self, partnershipId: null, at: now };
  await deps.db.batch([
    // Before the insert, and only when the pair is not declined yet, so a repeat is not logged.
    auditInsertIf(
      deps.db,
      {
        at: now,
        actor: actorOf(actor),
        entityType: "declined_pair",
        entityId: `${k.lowId}:${k.highId}`,
        action: "decline",
        fromState: null,
        toState: "declined",
      },
      sql`not ${pairDeclined(self, partnerId)}`,
    ),
    deps.db.insert(declinedPairs).values(row).onConflictDoNothing(),
  ]);
  if (across) await across.db.insert(declinedPairs).values(row).onConflictDoNothing().run();
  return { businessIds: [k.lowId, k.highId] };
}
