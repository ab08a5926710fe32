import { accessJwtResolver } from "./access-jwt.resolver";
import { apiKeyResolver } from "./api-key.resolver";
import { officerSessionResolver } from "./officer-session.resolver";
import type { CredentialResolver } from "./principal";
import { sessionResolver } from "./session.resolver";

/**
 * How callers are identified, in order, for the API and the console alike; routes only ever see
 * the resulting `principal`. An explicit `Authorization` header wins over the Cloudflare Access
 * assertion that Access adds to every request behind it (inactive unless ACCESS_TEAM_DOMAIN and
 * ACCESS_AUD are set); the officer console's key-login cookie and a business owner's session
 * cookie come last.
 */
export const resolvers: readonly CredentialResolver[] = [
  apiKeyResolver,
  accessJwtResolver,
  officerSessionResolver,
  sessionResolver,
];
