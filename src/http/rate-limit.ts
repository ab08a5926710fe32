import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { callerKey, clientIp } from "./caller";

/**
 * The window of every limiter in wrangler.toml (`simple.period`). The binding does not say when a
 * window ends, so Retry-After is the whole window: a client that waits that long is let through.
 */
export const RATE_LIMIT_PERIOD_S = 60;

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function rateLimited(): ApiError {
  return new ApiError(
    429,
    "rate_limited",
    "Too many requests",
    "Too many requests of this kind; retry after the time in Retry-After.",
    { headers: { "Retry-After": String(RATE_LIMIT_PERIOD_S) } },
  );
}

/**
 * Counts one request against `limiter` under `key`; a 429 when over the limit. A limiter that is
 * missing or fails lets the request through (logged): an outage of the counter must not take the
 * API down with it.
 */
export async function enforceRateLimit(
  limiter: RateLimit | undefined,
  key: string,
  requestId: string,
): Promise<void> {
  if (!limiter) return;
  let success = true;
  try {
    ({ success } = await limiter.limit({ key }));
  } catch (err) {
    console.error(JSON.stringify({ level: "warn", requestId, msg: "rate limiter failed", err: String(err) }));
  }
  if (!success) throw rateLimited();
}

/**
 * Per-IP limits on the anonymous entry points (sign-up, sign-in links) and a per-caller limit on
 * every write. Runs after authentication. Requests without CF-Connecting-IP did not come through
 * Cloudflare's edge (tests calling the Worker directly): per-IP limits do not apply to them.
 * The per-email limit on sign-in links needs the parsed body: auth.routes.ts applies it.
 */
export const rateLimits = createMiddleware<AppEnv>(async (c, next) => {
  if (!UNSAFE_METHODS.has(c.req.method)) return next();
  const requestId = c.get("requestId");
  const path = new URL(c.req.url).pathname;
  const ip = clientIp(c.req.raw);
  if (ip !== null && path === "/v1/signup") {
    await enforceRateLimit(c.env.SIGN_UP_LIMITER, `ip:${ip}`, requestId);
  }
  if (ip !== null && path === "/v1/auth/email-link") {
    await enforceRateLimit(c.env.SIGN_IN_IP_LIMITER, `ip:${ip}`, requestId);
  }
  const principal = c.get("principal");
  if (principal) await enforceRateLimit(c.env.WRITE_LIMITER, callerKey(principal, c.req.raw), requestId);
  await next();
});
