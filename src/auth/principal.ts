/** Who is calling. Routes and services see only this, never how it was established. */
export type Principal =
  | { kind: "officer"; id: string; role: "officer" | "admin" }
  | {
      kind: "business";
      businessId: string;
      /** The API key used; null when signed in by a session cookie. */
      keyId: string | null;
    };

/**
 * What one credential resolver concluded about a request:
 * - `none`: this kind of credential is absent; ask the next resolver;
 * - `ok`: authenticated;
 * - `invalid`: this kind of credential was presented but is wrong (stops the chain: 401);
 * - `forbidden`: the credential is genuine but names nobody allowed here, e.g. a Cloudflare Access
 *   user who is not a registered officer (stops the chain: 403).
 */
export type Resolution =
  | { status: "none" }
  | { status: "ok"; principal: Principal; onAuthenticated?: () => Promise<void> }
  | { status: "invalid"; reason: string }
  | { status: "forbidden"; reason: string };

/**
 * A resolver recognises one kind of credential (API key today; a session cookie or a Cloudflare
 * Access JWT later). New ones are added to the chain in app.ts; routes never change.
 */
export type CredentialResolver = (request: Request, env: Env) => Promise<Resolution>;

/** Runs resolvers in order; the first that is not `none` decides. */
export async function resolvePrincipal(
  resolvers: readonly CredentialResolver[],
  request: Request,
  env: Env,
): Promise<Resolution> {
  for (const resolve of resolvers) {
    const result = await resolve(request, env);
    if (result.status !== "none") return result;
  }
  return { status: "none" };
}
