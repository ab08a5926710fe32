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
