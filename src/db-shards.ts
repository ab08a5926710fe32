import { createDb, type Database } from "./db";
import {
  deploymentShard,
  neighbourShards,
  parseShardLayout,
  type ShardLayout,
  ShardLayoutError,
  type ShardSpec,
  shardForRegion,
} from "./domain/shards";

/**
 * The D1 side of shards (the layout itself is pure: src/domain/shards.ts): which binding holds a
 * shard, a drizzle database over it for writes, and read sessions (D1's Sessions API, so reads may
 * go to a replica) for the neighbour shards a matcher indexes.
 */

/**
 * What this module reads of the Worker's env: the primary `DB`, `SHARDS`, `SHARD` (set in one
 * shard's own deployment), and shard bindings by name.
 */
export interface ShardEnv {
  DB: D1Database;
  SHARDS?: string | undefined;
  SHARD?: string | undefined;
}

/**
 * A read-only view of one database through a D1 session. Queries of one session are sequentially
 * consistent; `bookmark()` after them, handed to the next session, keeps reads from going back in
 * time when the next session lands on another replica.
 */
export interface ReadSession {
  db: Database;
  bookmark(): string | null;
}

/**
 * A neighbour shard as a matcher sees it: read through sessions. Its primary (`db`) is written
 * only to mark stale the stored sets there that a change in this shard touches (staleness.service).
 */
export interface NeighbourShard {
  name: string;
  read(bookmark: string | null): ReadSession;
  db: Database;
}

/** The shard a service call works in: its name and the neighbour shards its matcher also indexes. */
export interface ShardContext {
  name: string;
  neighbours: NeighbourShard[];
}

let parsed: { text: string; layout: ShardLayout | null } | null = null;

/** The env's layout (parsed once per isolate and text), or null for a single-database deployment. */
export function shardLayoutOf(env: ShardEnv): ShardLayout | null {
  const text = env.SHARDS ?? "";
  if (parsed?.text !== text) parsed = { text, layout: parseShardLayout(text) };
  return parsed.layout;
}

/** This Worker's own shard when it is one shard's deployment (`SHARD`), else null. */
export function ownShardOf(env: ShardEnv): ShardSpec | null {
  return deploymentShard(shardLayoutOf(env), env.SHARD);
}

/**
 * The shards whose recompute runs this Worker starts, reads and consumes: its own in a shard's
 * deployment, every shard of the layout otherwise.
 */
export function shardsRunHere(env: ShardEnv, layout: ShardLayout): ShardSpec[] {
  const own = ownShardOf(env);
  return own ? [own] : layout.shards;
}

/**
 * A request's shard in one shard's deployment: its name and its neighbours, for the services'
 * `deps.shard` (the matcher reads the neighbours, writes mark their sets, serving completes their
 * candidates). Undefined in a city deployment or a Worker over every shard: requests there work on
 * `DB` alone.
 */
export function requestShard(env: ShardEnv): ShardContext | undefined {
  const own = ownShardOf(env);
  if (!own) return undefined;
  return openShard(env, shardLayoutOf(env) as ShardLayout, own).shard;
}

/**
 * Every shard of the env's layout with its database when this Worker binds it (a Worker over every
 * shard binds all; one shard's deployment, itself and its neighbours), else null; null without a
 * layout (a city deployment). For views over the whole province.
 */
export function layoutShards(
  env: ShardEnv,
): Array<{ name: string; binding: string; regions: string[]; db: Database | null }> | null {
  const layout = shardLayoutOf(env);
  if (!layout) return null;
  return layout.shards.map((spec) => {
    const d1 = boundD1(env, spec);
    return {
      name: spec.name,
      binding: spec.binding,
      regions: [...spec.regions],
      db: d1 ? createDb(d1) : null,
    };
  });
}

/** The D1 database this Worker binds for `spec`, or null when it binds none by that name. */
function boundD1(env: ShardEnv, spec: ShardSpec): D1Database | null {
  const d1 = (env as unknown as Record<string, unknown>)[spec.binding];
  return d1 && typeof (d1 as D1Database).prepare === "function" ? (d1 as D1Database) : null;
}

/** The D1 binding that holds `spec` (`DB` may be a shard too). */
export function shardBinding(env: ShardEnv, spec: ShardSpec): D1Database {
  const d1 = boundD1(env, spec);
  if (!d1) {
    throw new ShardLayoutError(
      `SHARDS: shard "${spec.name}" names the binding ${spec.binding}, which is not a D1 database of this Worker (wrangler.toml [[d1_databases]])`,
    );
  }
  return d1;
}

/**
 * A read session on `d1`: from `bookmark` when given, else "first-unconstrained" (any replica). A
 * binding without the Sessions API (an older runtime) is read directly.
 */
export function readSession(d1: D1Database, bookmark: string | null): ReadSession {
  if (typeof d1.withSession !== "function") return { db: createDb(d1), bookmark: () => bookmark };
  const session = d1.withSession(bookmark ?? "first-unconstrained");
  // drizzle's D1 driver needs prepare() and batch() only, both of which a session has.
  return { db: createDb(session as unknown as D1Database), bookmark: () => session.getBookmark() };
}

/** The shard's database for reads and writes (the primary instance), and its neighbours for reads. */
export function openShard(
  env: ShardEnv,
  layout: ShardLayout,
  spec: ShardSpec,
): { db: Database; shard: ShardContext } {
  return {
    db: createDb(shardBinding(env, spec)),
    shard: {
      name: spec.name,
      neighbours: neighbourShards(layout, spec.name).map((n) => ({
        name: n.name,
        read: (bookmark) => readSession(shardBinding(env, n), bookmark),
        db: createDb(shardBinding(env, n)),
      })),
    },
  };
}

/** The shard that holds (or will hold) a business of `regionCode`, opened. */
export function openShardForRegion(
  env: ShardEnv,
  layout: ShardLayout,
  regionCode: string | null | undefined,
) {
  return openShard(env, layout, shardForRegion(layout, regionCode));
}
