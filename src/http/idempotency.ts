import { z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { createDb } from "../db";
import type { AppEnv } from "../env";
import { ApiError, validationError } from "../errors";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  type IdempotencyDeps,
  releaseIdempotencyKey,
} from "../services/idempotency/idempotency.service";
import { callerKey } from "./caller";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
/** Set on a response that is a replay of the first response to the same key. */
export const REPLAYED_HEADER = "Idempotent-Replayed";

/**
 * Shortest key accepted. The key is half of what binds a stored response (which may show an API
 * key once) to its caller; a short one could be guessed. 16 characters admit a UUID (36) and any
 * random token a client library makes.
 */
export const MIN_IDEMPOTENCY_KEY_LENGTH = 16;

/** Printable ASCII without spaces, 16-255 characters (a random UUID is the usual choice). */
const KEY_PATTERN = /^[\x21-\x7e]{16,255}$/;

/** Response headers worth replaying; the rest (request id, security headers) are set afresh. */
const REPLAYED_RESPONSE_HEADERS = ["content-type", "location"];

/** The header as an OpenAPI parameter, registered once as `#/components/parameters/IdempotencyKey`. */
export const IdempotencyKeyParamSchema = z
  .string()
  .regex(KEY_PATTERN)
  .optional()
  .openapi("IdempotencyKey", {
    param: { name: IDEMPOTENCY_HEADER, in: "header" },
    description:
      "Makes a retry safe: a request repeated with the same key within 24 hours gets the first " +
      "success back (with `Idempotent-Replayed: true`) instead of creating a second resource; the " +
      "same key with a different request is a 422 `idempotency_key_reused`, and while the first " +
      "is still running a 409 `idempotency_key_in_flight`; once the first response named a business " +
      "whose data was erased, a 410 `idempotent_response_erased` (the request is not repeated). Keys " +
      "are scoped to the caller, and are 16-255 printable ASCII characters without spaces (shorter is " +
      "a 422). A failed request keeps nothing, so it can be retried with the same key.",
    example: "5f0c6a2e-8d3b-4c1f-9a7e-2b6d4e8f1a3c",
  });

/** Spread into `request.headers` of the routes that create things. */
export const IdempotencyHeadersSchema = z.object({ [IDEMPOTENCY_HEADER]: IdempotencyKeyParamSchema });

/**
 * Honours `Idempotency-Key` on POST requests (after authentication, so keys are scoped to the
 * caller). The claim is one D1 batch (see claimIdempotencyKey); only a 2xx response is stored:
 * anything else releases the claim, so a rejected or failed request leaves no row behind.
 */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header(IDEMPOTENCY_HEADER);
  if (c.req.method !== "POST" || key === undefined) return next();
  if (!KEY_PATTERN.test(key)) {
    const message =
      key.length < MIN_IDEMPOTENCY_KEY_LENGTH
        ? `Too short: use at least ${MIN_IDEMPOTENCY_KEY_LENGTH} characters, e.g. a random UUID.`
        : "Use 16-255 printable ASCII characters without spaces, e.g. a random UUID.";
    throw validationError([{ path: IDEMPOTENCY_HEADER, message }], "Invalid request header.");
  }
  // Without the server's secret a stored response would be readable from a copy of the database:
  // refuse to store one rather than store it weakly.
  const secret = c.env.IDEMPOTENCY_SECRET;
  if (!secret) {
    throw new ApiError(
      "not_configured",
      "Idempotent requests are unavailable: IDEMPOTENCY_SECRET is not set. Nothing was done.",
    );
  }
  const url = new URL(c.req.url);
  const deps = { db: createDb(c.env.DB), secret };
  const principal = callerKey(c.get("principal"), c.req.raw);
  const claim = await claimIdempotencyKey(deps, {
    principal,
    key,
    method: c.req.method,
    path: url.pathname + url.search,
    body: await c.req.text(),
    now: Date.now(),
  });
  switch (claim.outcome) {
    case "mismatch":
      throw new ApiError(
        "idempotency_key_reused",
        "This Idempotency-Key was used with a different request; use a new key for a new request.",
      );
    case "in_flight":
      throw new ApiError(
        "idempotency_key_in_flight",
        "A request with this Idempotency-Key is still running; retry after it finishes.",
        { headers: { "Retry-After": "1" } },
      );
    case "erased":
      throw new ApiError(
        "idempotent_response_erased",
        "The first response to this Idempotency-Key named a business whose data has since been erased, so it is no longer kept; the request was not repeated. Use a new key for a new request.",
      );
    case "unreadable":
      throw new ApiError(
        "idempotency_key_unreadable",
        "A request with this Idempotency-Key succeeded, but its response was stored under a server " +
          "secret that has since changed and cannot be replayed. Check its effect before retrying with a new key.",
      );
    case "replay": {
      const headers = new Headers(claim.response.headers);
      headers.set(REPLAYED_HEADER, "true");
      return new Response(claim.response.body, { status: claim.response.status, headers });
    }
    case "claimed":
      break;
  }
  const owner = { principal, key, claimToken: claim.claimToken };
  try {
    await next();
  } catch (err) {
    await releaseQuietly(deps, owner, c.get("requestId"));
    throw err;
  }
  const res = c.res;
  if (res.status < 200 || res.status > 299) {
    await releaseQuietly(deps, owner, c.get("requestId"));
    return;
  }
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_RESPONSE_HEADERS) {
    const value = res.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  try {
    const body = await res.clone().text();
    await completeIdempotencyKey(deps, {
      ...owner,
      response: { status: res.status, headers, body },
      now: Date.now(),
    });
  } catch (err) {
    // The write itself succeeded: answer it. The claim stays in flight until its lease ends, then
    // a retry runs again (the one case in which a retry may repeat the write).
    logWarning(c.get("requestId"), "idempotency completion failed", err);
  }
});

async function releaseQuietly(
  deps: IdempotencyDeps,
  owner: { principal: string; key: string; claimToken: string },
  requestId: string,
): Promise<void> {
  try {
    await releaseIdempotencyKey(deps, owner);
  } catch (err) {
    logWarning(requestId, "idempotency release failed", err);
  }
}

function logWarning(requestId: string, msg: string, err: unknown): void {
  console.error(JSON.stringify({ level: "warn", requestId, msg, err: String(err) }));
}
