import { eq, inArray, or } from "drizzle-orm";
import { businesses, declinedPairs } from "../../../schema";
import type { ServiceDeps } from "../deps";
import { neighbourNames } from "../matching/shard-serving.service";

/** A business another one declined to pair with (either side declined). */
export interface DeclinedPartner {
  id: string;
  name: string;
  /** Who declined: this business, or the other one. */
  declinedBy: string;
  at: string;
}

/**
 * The declined pairs a business is part of, with the other side's name, for an officer who may
 * reset one (`resetDeclinedPair`). Newest first; at most 100.
 */
export async function listDeclinedPartners(
  deps: ServiceDeps,
  input: { businessId: string },
): Promise<DeclinedPartner[]> {
  const pairs = await deps.db
    .select()
    .from(declinedPairs)
    .where(or(eq(declinedPairs.lowId, input.businessId), eq(declinedPairs.highId, input.businessId)))
    .limit(100)
    .all();
  const others = pairs.map((p) => (p.lowId === input.businessId ? p.highId : p.lowId));
  if (others.length === 0) return [];
  const names = await deps.db
    .select({ id: businesses.id, name: businesses.name })
    .from(businesses)
    .where(inArray(businesses.id, others))
    .all();
  const nameOf = new Map(names.map((n) => [n.id, n.name]));
  // One shard's deployment of a province: a pair can join a neighbour shard's business.
  const across = await neighbourNames(
    deps,
    others.filter((id) => !nameOf.has(id)),
  );
  for (const [id, there] of across) nameOf.set(id, `${there.name} (${there.shard})`);
  return pairs
    .map((p, i) => ({
      id: others[i] ?? "",
      name: nameOf.get(others[i] ?? "") ?? "—",
      declinedBy: p.declinedBy,
      at: new Date(p.at).toISOString(),
    }))
    .sort((a, b) => (a.at < b.at ? 1 : -1));
}
