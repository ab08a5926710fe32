import type { Principal } from "../auth/principal";
import { partyRef } from "../domain/party";

/**
 * The client's address as Cloudflare's edge saw it. Cloudflare sets `CF-Connecting-IP` on every
 * request it forwards (and a client cannot override it); `wrangler dev` sets it too. Null only for
 * requests that did not come through the edge: tests calling the Worker directly.
 */
export function clientIp(request: Request): string | null {
  return request.headers.get("CF-Connecting-IP");
}

/** A stable name for who is calling, for idempotency scopes and rate-limit keys. */
export function callerKey(principal: Principal | null, request: Request): string {
  if (principal?.kind === "officer") return partyRef("officer", principal.id);
  if (principal?.kind === "business") return partyRef("business", principal.businessId);
  return `anonymous:${clientIp(request) ?? "unknown"}`;
}
