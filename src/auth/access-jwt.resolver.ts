import { and, eq } from "drizzle-orm";
import {
  createRemoteJWKSet,
  type ExportedJWKSCache,
  errors,
  type JWTVerifyGetKey,
  jwksCache,
  jwtVerify,
} from "jose";
import { officers } from "../../schema";
import { createDb } from "../db";
import type { CredentialResolver } from "./principal";
import { fromOwnOrigin, SAFE_METHODS } from "./session.resolver";

/** The header Cloudflare Access adds to every request it lets through to the origin. */
export const ACCESS_JWT_HEADER = "Cf-Access-Jwt-Assertion";

/** Validated Access settings: the issuer is the team domain as an https origin. */
export interface AccessConfig {
  issuer: string;
  audience: string;
  certsUrl: URL;
}

/**
 * Reads `ACCESS_TEAM_DOMAIN` (`<team>.cloudflareaccess.com`, with or without `https://`) and
 * `ACCESS_AUD` (the application's AUD tag). Null unless both are set: then Access sign-in is off
 * and the header is ignored, so a client cannot forge it where Access does not sit in front.
 */
export function accessConfig(env: Pick<Env, "ACCESS_TEAM_DOMAIN" | "ACCESS_AUD">): AccessConfig | null {
  const domain = env.ACCESS_TEAM_DOMAIN?.trim();
  const audience = env.ACCESS_AUD?.trim();
  if (!domain || !audience) return null;
  const origin = new URL(/^https?:\/\//i.test(domain) ? domain : `https://${domain}`).origin;
  return { issuer: origin, audience, certsUrl: new URL("/cdn-cgi/access/certs", origin) };
}

export interface AccessResolverDeps {
  /** The team's signing keys. Tests pass `createLocalJWKSet`; production fetches and caches them. */
  keySet: (config: AccessConfig) => JWTVerifyGetKey;
}

/**
 * The team's keys, cached per certs URL per isolate as data (the key set and when it was fetched):
 * jose keeps them 10 min and refetches on an unknown `kid` (key rotation) at most every 30 s after
 * the last fetch. Each request makes its own resolver over that cache: a resolver holds its
 * in-flight fetch, and a promise of one request must not be awaited by another (workerd would run
 * the waiter on in the first request's context, or never once that request ended). Two cold
 * requests may therefore each fetch the keys once.
 */
const keyCaches = new Map<string, ExportedJWKSCache | Record<string, never>>();

function remoteKeySet(config: AccessConfig): JWTVerifyGetKey {
  const url = config.certsUrl.href;
  let cache = keyCaches.get(url);
  if (!cache) {
    cache = {};
    keyCaches.set(url, cache);
  }
  return createRemoteJWKSet(config.certsUrl, { [jwksCache]: cache });
}

/**
 * Officers signed in through Cloudflare Access. The token's signature (RS256, the team's keys),
 * issuer, audience and expiry are checked; its verified email must belong to an active officer in
 * `officers` (403 otherwise: Access let them in, but they are not an officer here). A token that
 * fails verification is a 401. A failure to fetch the keys is not the caller's fault: it is thrown
 * (500), never reported as a bad token.
 *
 * Access adds the assertion to every request its browser cookie reaches, including a form another
 * site makes the officer's browser post: like the session cookies, an unsafe request carrying it
 * must come from our own origin. Unlike them it is refused (403), not ignored, so the forgery never
 * runs even as an anonymous request.
 */
export function createAccessJwtResolver(
  deps: AccessResolverDeps = { keySet: remoteKeySet },
): CredentialResolver {
  return async (request, env) => {
    const config = accessConfig(env);
    if (!config) return { status: "none" };
    const token = request.headers.get(ACCESS_JWT_HEADER);
    if (!token) return { status: "none" };
    if (!SAFE_METHODS.has(request.method) && !fromOwnOrigin(request)) {
      return {
        status: "forbidden",
        reason:
          "A state-changing request signed in through Cloudflare Access must come from this site's own pages.",
      };
    }

    let email: unknown;
    try {
      const { payload } = await jwtVerify(token, deps.keySet(config), {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: ["RS256"],
        requiredClaims: ["exp"],
      });
      email = payload.email;
    } catch (err) {
      if (err instanceof errors.JWKSTimeout || !(err instanceof errors.JOSEError)) throw err;
      return { status: "invalid", reason: "The Cloudflare Access token is invalid or expired." };
    }
    if (typeof email !== "string" || email === "") {
      return { status: "forbidden", reason: "The Access token names no user email." };
    }
    const officer = await createDb(env.DB)
      .select({ id: officers.id, role: officers.role })
      .from(officers)
      .where(and(eq(officers.email, email.toLowerCase()), eq(officers.active, true)))
      .get();
    if (!officer) return { status: "forbidden", reason: "This account is not a registered officer." };
    return { status: "ok", principal: { kind: "officer", id: officer.id, role: officer.role } };
  };
}

/** The production resolver: keys fetched from the team's certs endpoint. */
export const accessJwtResolver: CredentialResolver = createAccessJwtResolver();
