import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { defaultHook } from "../http/problem";
import { serviceDeps } from "../http/service-deps";
import {
  parseChunkSize,
  type RecomputeDeps,
  type RecomputeMessage,
} from "../services/matching/recompute.service";

// Route files take serviceDeps from here with createRouter; its home is http/ (the console uses it too).
export { serviceDeps };

/** Every router shares the validation hook, so all invalid input renders the same 422 problem. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook });
}

/** Service deps plus the recompute queue, for routes that start runs. */
export function recomputeDeps(c: Context<AppEnv>): RecomputeDeps {
  return {
    ...serviceDeps(c),
    queue: c.env.RECOMPUTE_QUEUE as Queue<RecomputeMessage>,
    chunkSize: parseChunkSize(c.env.RECOMPUTE_CHUNK_SIZE),
  };
}

/**
 * Operation security for routes that need a caller: an API key, a business owner's session cookie,
 * or (officers) the Cloudflare Access assertion. Any one of them; the route's own rules decide
 * which roles it admits.
 */
export const bearerSecurity: Array<Record<string, string[]>> = [
  { bearerAuth: [] },
  { sessionCookie: [] },
  { cloudflareAccess: [] },
];

/** A required JSON request body with this schema. */
export const jsonBody = <T>(schema: T) =>
  ({ required: true, content: { "application/json": { schema } } }) as const;

/** A JSON response with this schema. */
export const json = <T>(schema: T, description: string) =>
  ({ description, content: { "application/json": { schema } } }) as const;
