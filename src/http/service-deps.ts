import type { Context } from "hono";
import { createDb } from "../db";
import type { AppEnv } from "../env";
import type { ServiceDeps } from "../services/deps";

/**
 * The deps every service takes, built from a request: D1 through drizzle, and `waitUntil` for work
 * after the response. Shared by the API routes and the console, so both call services alike.
 */
export function serviceDeps<E extends AppEnv>(c: Context<E>): ServiceDeps {
  return {
    db: createDb(c.env.DB),
    defer: (work) => c.executionCtx.waitUntil(work),
  };
}
