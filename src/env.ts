import type { Principal } from "./auth/principal";

/** The one Hono environment type. `Env` comes from `wrangler types` (worker-configuration.d.ts). */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** Per-request id, echoed as `X-Request-Id` and written into every problem and log line. */
    requestId: string;
    /** Who is calling; null when no credentials were presented. Set by `authenticate()`. */
    principal: Principal | null;
  };
}

/**
 * The Worker's secrets (`wrangler secret put NAME`; .dev.vars locally). Declared by hand because
 * `wrangler types` only sees secrets through a local .dev.vars, which a clean checkout or CI does
 * not have. `npm run deploy` refuses to deploy without them (scripts/deploy-preflight.ts).
 */
interface WorkerSecrets {
  /** HMAC key of digest unsubscribe links. Unset: digests are not sent. */
  DIGEST_SIGNING_KEY?: string;
  /**
   * Secret from which the keys of stored idempotent responses are derived (HKDF), so a copy of the
   * database cannot decrypt them. Unset: requests with an Idempotency-Key are refused (503), never
   * stored weakly.
   */
  IDEMPOTENCY_SECRET?: string;
}

declare global {
  namespace Cloudflare {
    interface Env extends WorkerSecrets {}
  }
  interface Env extends WorkerSecrets {}
}
