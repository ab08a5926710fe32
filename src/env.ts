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

declare global {
  namespace Cloudflare {
    interface Env {
      /**
       * Secret HMAC key of digest unsubscribe links (`wrangler secret put DIGEST_SIGNING_KEY`;
       * .dev.vars locally). Declared by hand because `wrangler types` only sees secrets through a
       * local .dev.vars, which a clean checkout or CI does not have. Unset: digests are not sent.
       */
      DIGEST_SIGNING_KEY?: string;
    }
  }
}
