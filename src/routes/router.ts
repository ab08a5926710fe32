import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createDb } from "../db";
import type { AppEnv } from "../env";
import { defaultHook } from "../errors";
import type { ServiceDeps } from "../services/deps";

/** Every router shares the validation hook, so all invalid input renders the same 422 problem. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook });
}

export function serviceDeps(c: Context<AppEnv>): ServiceDeps {
  return {
    db: createDb(c.env.DB),
    defer: (work) => c.executionCtx.waitUntil(work),
  };
}

/** Operation security for routes that need an API key (documented as bearer auth). */
export const bearerSecurity = [{ bearerAuth: [] }];
