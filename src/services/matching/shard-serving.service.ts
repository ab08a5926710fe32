import type { NeighbourShard } from "../../db-shards";
import type { ServiceDeps } from "../deps";
import {
  selectBusinessExists,
  selectBusinessNames,
  selectServableProfiles,
  selectStoredRowsOnly,
} from "./shard-serving.queries";
import type { selectStoredSuggestions } from "./suggestions.queries";

/** A stored row to serve, with its candidate's profile. */
export type ServedRow = Awaited<ReturnType<ReturnType<typeof selectStoredSuggestions>["all"]>>[number] & {
  /** The neighbour shard that holds the candidate, when not this one (see {@link withNeighbourCandidates}). */
  neighbourShard?: string;
};

/**
 * The served rows of a business in a sharded deployment, completed with its candidates from
 * neighbour shards. The serving query joins candidates in the business's own database, so a
 * cross-border candidate drops out there; this reads the stored rows alone and those candidates'
 * profiles from the neighbour shards (through read sessions: a replica may answer), under the
 * same rules (active, published, other sector, not declined), best first. A single-database
 * deployment (no neighbours) gets `served` back unchanged, with no further read.
 */
export async function withNeighbourCandidates(
  deps: ServiceDeps,
  input: { businessId: string; limit: number; minScore: number; sector: string },
  served: ServedRow[],
): Promise<ServedRow[]> {
  const neighbours = deps.shard?.neighbours ?? [];
  if (neighbours.length === 0) return served;
  const stored = await selectStoredRowsOnly(deps.db, input).all();
  const own = new Map(served.map((r) => [r.candidate.id, r.candidate]));
  const missing = stored.map((r) => r.candidateId).filter((id) => !own.has(id));
  if (missing.length === 0) return served;
  const across = await servableAcross(deps, missing, input.sector);
  const rows: ServedRow[] = [];
  for (const { candidateId, ...row } of stored) {
    const there = across.get(candidateId);
    const candidate = own.get(candidateId) ?? there?.profile;
    if (candidate) rows.push({ ...row, candidate, ...(there ? { neighbourShard: there.shard } : {}) });
    if (rows.length >= input.limit) break;
  }
  return rows;
}

/**
 * The public profiles of those of `ids` that neighbour shards hold and that may be served to a
 * business of `sector` (active, published, of the other sector), each with its shard; read
 * through sessions. Empty outside a province.
 */
export async function servableAcross(
  deps: ServiceDeps,
  ids: string[],
  sector: string,
): Promise<Map<string, { profile: ServedRow["candidate"]; shard: string }>> {
  const neighbours = deps.shard?.neighbours ?? [];
  if (neighbours.length === 0 || ids.length === 0) return new Map();
  const found = await Promise.all(
    neighbours.map((n) => selectServableProfiles(n.read(null).db, ids, sector).all()),
  );
  return new Map(
    found.flatMap((ps, i) =>
      ps.map((p) => [p.id, { profile: p, shard: neighbours[i]?.name ?? "" }] as const),
    ),
  );
}

/**
 * The neighbour shard that holds business `id` (one shard's deployment of a province: its
 * suggestions list neighbours' businesses, which its own database does not hold), or null: not a
 * province, or no neighbour knows the id. Read through sessions, like the candidates above.
 */
export async function neighbourShardOf(deps: ServiceDeps, id: string): Promise<string | null> {
  return (await neighbourHolding(deps, [id]))?.name ?? null;
}

/**
 * The neighbour shard that holds one of businesses `ids` ({@link neighbourShardOf}), to read or
 * write there: one read per neighbour, whatever the number of ids.
 */
export async function neighbourHolding(
  deps: ServiceDeps,
  ids: readonly string[],
): Promise<NeighbourShard | null> {
  const neighbours = deps.shard?.neighbours ?? [];
  const found = await Promise.all(
    neighbours.map(async (n) =>
      (await selectBusinessExists(n.read(null).db, ids).all()).length > 0 ? n : null,
    ),
  );
  return found.find((n) => n !== null) ?? null;
}

type NeighbourBusinessName = Awaited<ReturnType<ReturnType<typeof selectBusinessNames>["all"]>>[number];

/**
 * The names of those of `ids` that neighbour shards hold, with the shard (one shard's deployment
 * of a province: a list this database keeps, such as declined pairs, can name a neighbour's
 * business). Empty outside a province or when `ids` is.
 */
export async function neighbourNames(
  deps: ServiceDeps,
  ids: string[],
): Promise<Map<string, NeighbourBusinessName & { shard: string }>> {
  const neighbours = deps.shard?.neighbours ?? [];
  if (neighbours.length === 0 || ids.length === 0) return new Map();
  const found = await Promise.all(neighbours.map((n) => selectBusinessNames(n.read(null).db, ids).all()));
  return new Map(
    found.flatMap((rows, i) => rows.map((r) => [r.id, { ...r, shard: neighbours[i]?.name ?? "" }] as const)),
  );
}
