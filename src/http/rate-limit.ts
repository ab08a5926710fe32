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
    "rate_limited",
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

/** Limiters keyed by the client's address, by the entry point they guard. */
type IpLimiter = "SIGN_UP_LIMITER" | "SIGN_IN_IP_LIMITER";

/**
 * Every door into a rate-limited service, API and console alike, and the per-IP limiter it counts
 * against. One service reached through two doors shares one binding and one key, so a client gets
 * the same allowance whichever it uses (and not one allowance per door).
 */
export const IP_LIMITED_ENTRY_POINTS: Readonly<Record<string, IpLimiter>> = {
  "/v1/signup": "SIGN_UP_LIMITER",
  "/v1/auth/email-link": "SIGN_IN_IP_LIMITER",
  // The console's sign-in form: the same requestSignInLink as the API's email-link route.
  "/ui/login/email": "SIGN_IN_IP_LIMITER",
  // The console's sign-up form: the same signUpBusiness as POST /v1/signup.
  "/ui/daftar": "SIGN_UP_LIMITER",
};

/**
 * Per-IP limits on the anonymous entry points (sign-up, sign-in links) and a per-caller limit on
 * every write, for the API (/v1) and the console's forms (/ui) alike: mounted right after each
 * one's authentication. Requests without CF-Connecting-IP did not come through Cloudflare's edge
 * (tests calling the Worker directly): per-IP limits do not apply to them. The per-email limit on
 * sign-in links needs the parsed address: both sign-in routes call `enforceSignInEmailLimit`.
 */
export const rateLimits = createMiddleware<AppEnv>(async (c, next) => {
  if (!UNSAFE_METHODS.has(c.req.method)) return next();
  const requestId = c.get("requestId");
  const ip = clientIp(c.req.raw);
  const ipLimiter = IP_LIMITED_ENTRY_POINTS[new URL(c.req.url).pathname];
  if (ip !== null && ipLimiter) await enforceRateLimit(c.env[ipLimiter], `ip:${ip}`, requestId);
  const principal = c.get("principal");
  if (principal) await enforceRateLimit(c.env.WRITE_LIMITER, callerKey(principal, c.req.raw), requestId);
  await next();
});

/**
 * Sign-in links per address, whichever door asked (the API's email-link route, the console's form),
 * so one inbox cannot be flooded with links from many IPs.
 */
export async function enforceSignInEmailLimit(
  env: Pick<Env, "SIGN_IN_EMAIL_LIMITER">,
  email: string,
  requestId: string,
): Promise<void> {
  await enforceRateLimit(env.SIGN_IN_EMAIL_LIMITER, `email:${email.trim().toLowerCase()}`, requestId);
}
