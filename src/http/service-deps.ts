import type { Context } from "hono";
import { createDb } from "../db";
import { requestShard } from "../db-shards";
import type { AppEnv } from "../env";
import type { ServiceDeps } from "../services/deps";

/**
 * The deps every service takes, built from a request: D1 through drizzle, and `waitUntil` for work
 * after the response; in one shard's deployment of a province (`SHARD`), the shard and its
 * neighbours too. Shared by the API routes and the console, so both call services alike.
 */
export function serviceDeps<E extends AppEnv>(c: Context<E>): ServiceDeps {
  return {
    db: createDb(c.env.DB),
    defer: (work) => c.executionCtx.waitUntil(work),
    shard: requestShard(c.env),
  };
}
