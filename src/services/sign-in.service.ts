import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { apiKeys, businesses, officerSessions, sessions, signInTokens } from "../../schema";
import { digestsEqual, hashApiKey, parseApiKey } from "../auth/api-keys";
import type { Principal } from "../auth/principal";
import {
  OFFICER_SESSION_TTL_MS,
  randomSecret,
  SESSION_TTL_MS,
  SIGN_IN_TOKEN_TTL_MS,
  secretHash,
} from "../auth/session";
import { type Mailer, withMailSession } from "../email/mailer";
import { signInEmail } from "../email/sign-in.template";
import { ApiError } from "../errors";
import { runAfter, type ServiceDeps } from "./deps";

export interface SignInDeps extends ServiceDeps {
  mailer: Mailer;
}

/** At most this many businesses registered under one email get a link per request. */
const MAX_LINKS_PER_REQUEST = 5;

/**
 * Sends a one-time sign-in link to each business registered under `email` (case-insensitive).
 * Returns nothing either way, and the lookup and sending run after the response when the caller
 * can defer, so the answer does not reveal whether the address is registered. Only the SHA-256 of
 * each token is stored; a link works once, for 15 minutes.
 *
 * @param input.callbackUrl the absolute URL of `GET /v1/auth/callback`; the token is appended.
 */
export async function requestSignInLink(
  deps: SignInDeps,
  input: { email: string; callbackUrl: string; now: number },
): Promise<void> {
  const email = input.email.trim().toLowerCase();
  await runAfter(deps, "send sign-in link", async () => {
    const found = await deps.db
      .select({ id: businesses.id, name: businesses.name, language: businesses.language })
      .from(businesses)
      .where(eq(sql`lower(${businesses.email})`, email))
      .orderBy(desc(businesses.id))
      .limit(MAX_LINKS_PER_REQUEST);
    // One connection for all of them when the provider has connections (SMTP).
    await withMailSession(deps.mailer, async (mailer) => {
      for (const business of found) {
        const token = randomSecret();
        await deps.db.insert(signInTokens).values({
          tokenHash: await secretHash(token),
          businessId: business.id,
          createdAt: input.now,
          expiresAt: input.now + SIGN_IN_TOKEN_TTL_MS,
        });
        const link = `${input.callbackUrl}?token=${token}`;
        await mailer.send({
          to: email,
          ...signInEmail(business.language, {
            businessName: business.name,
            link,
            validMinutes: SIGN_IN_TOKEN_TTL_MS / 60_000,
          }),
        });
      }
    });
  });
}

function invalidLink(): ApiError {
  return new ApiError(
    400,
    "invalid_sign_in_link",
    "Invalid sign-in link",
    "The link is unknown, expired or already used. Ask for a new one.",
  );
}

/**
 * Redeems a sign-in token for a new session. Single use is a conditional update (`usedAt` still
 * null and not expired), so two clicks racing get one session between them.
 *
 * @returns the session id for the cookie (only its hash is stored) and its expiry (epoch ms).
 */
export async function redeemSignInToken(
  deps: ServiceDeps,
  input: { token: string; now: number },
): Promise<{ sessionId: string; businessId: string; expiresAt: number }> {
  const used = await deps.db
    .update(signInTokens)
    .set({ usedAt: input.now })
    .where(
      and(
        eq(signInTokens.tokenHash, await secretHash(input.token)),
        isNull(signInTokens.usedAt),
        gt(signInTokens.expiresAt, input.now),
      ),
    )
    .returning({ businessId: signInTokens.businessId });
  const businessId = used[0]?.businessId;
  if (!businessId) throw invalidLink();
  const sessionId = randomSecret();
  const expiresAt = input.now + SESSION_TTL_MS;
  await deps.db.insert(sessions).values({
    idHash: await secretHash(sessionId),
    businessId,
    createdAt: input.now,
    expiresAt,
  });
  return { sessionId, businessId, expiresAt };
}

/** A live session (not revoked, not expired), for the session resolver. */
export async function findSession(
  deps: ServiceDeps,
  input: { idHash: string; now: number },
): Promise<{ businessId: string } | undefined> {
  return deps.db
    .select({ businessId: sessions.businessId })
    .from(sessions)
    .where(
      and(eq(sessions.idHash, input.idHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, input.now)),
    )
    .get();
}

/** Ends a session (logout). Idempotent; unknown ids are ignored. */
export async function revokeSession(
  deps: ServiceDeps,
  input: { sessionId: string; now: number },
): Promise<void> {
  await deps.db
    .update(sessions)
    .set({ revokedAt: input.now })
    .where(and(eq(sessions.idHash, await secretHash(input.sessionId)), isNull(sessions.revokedAt)));
}

function invalidOfficerKey(): ApiError {
  return new ApiError(
    401,
    "unauthorized",
    "Authentication required",
    "The officer key is unknown or revoked.",
  );
}

/**
 * Development sign-in for the officer console: an officer pastes an officer API key and gets a
 * console session (12 hours, ended early when the key is revoked). The route decides whether this
 * sign-in is allowed at all (local requests or an explicit setting); here only the key is checked,
 * in constant time as the API key resolver does.
 *
 * @throws 401 when the key is malformed, unknown, revoked or not an officer key.
 */
export async function signInOfficerWithKey(
  deps: ServiceDeps,
  input: { key: string; now: number },
): Promise<{ sessionId: string; expiresAt: number }> {
  const parsed = parseApiKey(input.key.trim());
  const hash = await hashApiKey(input.key.trim());
  if (!parsed) throw invalidOfficerKey();
  const key = await deps.db.select().from(apiKeys).where(eq(apiKeys.prefix, parsed.prefix)).get();
  if (!key || !digestsEqual(hash, key.hash) || key.revokedAt !== null || key.kind !== "officer") {
    throw invalidOfficerKey();
  }
  const sessionId = randomSecret();
  const expiresAt = input.now + OFFICER_SESSION_TTL_MS;
  await deps.db.insert(officerSessions).values({
    idHash: await secretHash(sessionId),
    apiKeyId: key.id,
    createdAt: input.now,
    expiresAt,
  });
  return { sessionId, expiresAt };
}

/** The officer behind a live console session whose key is still valid, for the resolver. */
export async function findOfficerSession(
  deps: ServiceDeps,
  input: { idHash: string; now: number },
): Promise<Extract<Principal, { kind: "officer" }> | undefined> {
  const row = await deps.db
    .select({ id: apiKeys.id, role: apiKeys.role })
    .from(officerSessions)
    .innerJoin(apiKeys, eq(apiKeys.id, officerSessions.apiKeyId))
    .where(
      and(
        eq(officerSessions.idHash, input.idHash),
        isNull(officerSessions.revokedAt),
        gt(officerSessions.expiresAt, input.now),
        isNull(apiKeys.revokedAt),
        eq(apiKeys.kind, "officer"),
      ),
    )
    .get();
  return row ? { kind: "officer", id: row.id, role: row.role ?? "officer" } : undefined;
}

/** Ends an officer console session (logout). Idempotent. */
export async function revokeOfficerSession(
  deps: ServiceDeps,
  input: { sessionId: string; now: number },
): Promise<void> {
  await deps.db
    .update(officerSessions)
    .set({ revokedAt: input.now })
    .where(
      and(eq(officerSessions.idHash, await secretHash(input.sessionId)), isNull(officerSessions.revokedAt)),
    );
}
