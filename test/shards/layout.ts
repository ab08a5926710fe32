import { env } from "cloudflare:workers";
import { openShard, openShardForRegion, shardLayoutOf } from "../../src/db-shards";
import type { ShardLayout } from "../../src/domain/shards";
import { shardForLocation } from "../../src/domain/shards";
import { createBusiness } from "../../src/services/businesses/create.service";
import type { ServiceDeps } from "../../src/services/deps";
import { businessFields } from "../integration/helpers";

/** The shard databases vitest.config.ts binds for this project, by shard name. */
export function shardDatabases(): Record<"mojokerto" | "jombang" | "surabaya", D1Database> {
  const bound = env as unknown as Record<string, D1Database>;
  return { mojokerto: bound.DB_MOJOKERTO, jombang: bound.DB_JOMBANG, surabaya: bound.DB_SURABAYA } as Record<
    "mojokerto" | "jombang" | "surabaya",
    D1Database
  >;
}

export function layout(): ShardLayout {
  const parsed = shardLayoutOf(env);
  if (!parsed) throw new Error("the shards project sets SHARDS");
  return parsed;
}

/** A shard's service deps, as the Worker builds them: its database and its neighbours' sessions. */
export function shardDeps(name: string): ServiceDeps {
  const spec = layout().byName.get(name);
  if (!spec) throw new Error(`no shard ${name}`);
  return openShard(env, layout(), spec);
}

export function depsForRegion(regionCode: string | null): ServiceDeps {
  return openShardForRegion(env, layout(), regionCode);
}

/** How many businesses a database holds with this id (0 or 1). */
export async function hasBusiness(d1: D1Database, id: string): Promise<boolean> {
  const row = await d1
    .prepare("select count(*) as n from businesses where id = ?")
    .bind(id)
    .first<{ n: number }>();
  return (row?.n ?? 0) === 1;
}

/** The candidate ids of a business's stored set, best first, read from one database. */
export async function storedCandidates(d1: D1Database, businessId: string): Promise<string[]> {
  const { results } = await d1
    .prepare(
      "select candidate_id as id from suggestions where business_id = ? order by score desc, candidate_id",
    )
    .bind(businessId)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/**
 * Creates a business the way a sharded deployment writes one: in the shard of its location, at
 * `now`. Tests create theirs before the reads and rescores they check: a write marks stale (at its
 * own time) the sets it can enter, in its shard and the neighbour shards, and a rescore at that
 * same instant keeps such a mark (suggestions.queries.ts).
 */
export async function createInShard(body: Record<string, unknown>, now: number): Promise<string> {
  const f = businessFields(body);
  const deps = openShard(env, layout(), shardForLocation(layout(), f.location));
  const { business } = await createBusiness(deps, { fields: f, now });
  return business.id;
}
