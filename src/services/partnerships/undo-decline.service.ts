import { and, desc, eq, sql } from "drizzle-orm";
import { businesses, declinedPairs } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { ApiError, notFound } from "../../errors";
import { actorOf, auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { neighbourNames } from "../matching/shard-serving.service";
import { mirrorToNeighbour } from "./declined-pair-write.service";
import { pairKey } from "./partnerships.queries";

/**
 * A business takes back its own "tidak berminat": the declined pair is reset, so the two may be
 * suggested and request each other again. Only the side that declined may undo it (the other side
 * asks an officer, who resets any pair with `resetDeclinedPair`). Audited as that reset, with the
 * business as the actor, in the same batch as the delete, so only the undo that deletes the row is
 * logged.
 *
 * @throws 403 for officers (they use the reset), 404 `not_found` when this business has not
 * declined the pair (never declined, already undone, or declined by the other side).
 */
export async function undoDeclinePair(
  deps: ServiceDeps,
  input: { actor: Principal; partnerId: string; now: number },
): Promise<{ businessIds: [string, string] }> {
  const { actor, partnerId, now } = input;
  if (actor.kind !== "business") {
    throw new ApiError("forbidden", "A business undoes its own decline; officers reset pairs.");
  }
  const self = actor.businessId;
  const k = pairKey(self, partnerId);
  const mine = and(
    eq(declinedPairs.lowId, k.lowId),
    eq(declinedPairs.highId, k.highId),
    eq(declinedPairs.declinedBy, self),
  );
  const [, deleted] = await deps.db.batch([
    auditInsertIf(
      deps.db,
      {
        at: now,
        actor: actorOf(actor),
        entityType: "declined_pair",
        entityId: `${k.lowId}:${k.highId}`,
        action: "reset",
        fromState: "declined",
        toState: null,
      },
      sql`exists (select 1 from ${declinedPairs} d where d.low_id = ${k.lowId} and d.high_id = ${k.highId} and d.declined_by = ${self})`,
    ),
    deps.db.delete(declinedPairs).where(mine).returning({ lowId: declinedPairs.lowId }),
  ]);
  // Across a shard border the pair is kept on both sides (`mirrorToNeighbour`): taken back there too.
  await mirrorToNeighbour(deps, [partnerId], (db) => db.delete(declinedPairs).where(mine));
  if (deleted.length === 0) throw notFound("Declined pair");
  return { businessIds: [k.lowId, k.highId] };
}

/**
 * The businesses this business itself marked "tidak berminat" (newest first, at most 50), with
 * their names: the pairs it may take back with `undoDeclinePair`. In one shard's deployment of a
 * province, a neighbour shard's business is named from its own database, with its shard.
 */
export async function listOwnDeclines(
  deps: ServiceDeps,
  input: { actor: Principal },
): Promise<Array<{ id: string; name: string; neighbourShard?: string }>> {
  const { actor } = input;
  if (actor.kind !== "business") throw new ApiError("forbidden", "A business's own declines only.");
  const self = actor.businessId;
  const other = sql<string>`case when ${declinedPairs.lowId} = ${self} then ${declinedPairs.highId} else ${declinedPairs.lowId} end`;
  const rows = await deps.db
    .select({ id: other, name: businesses.name, deletedAt: businesses.deletedAt })
    .from(declinedPairs)
    .leftJoin(businesses, eq(businesses.id, other))
    .where(eq(declinedPairs.declinedBy, self))
    .orderBy(desc(declinedPairs.at))
    .limit(50);
  const across = await neighbourNames(
    deps,
    rows.filter((r) => r.name === null).map((r) => r.id),
  );
  return rows.flatMap((r) => {
    if (r.name !== null) return r.deletedAt === null ? [{ id: r.id, name: r.name }] : [];
    const there = across.get(r.id);
    return there ? [{ id: r.id, name: there.name, neighbourShard: there.shard }] : [];
  });
}
