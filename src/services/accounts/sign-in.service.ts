import { and, asc, eq, exists, gt, isNull, or, sql } from "drizzle-orm";
import {
  apiKeys,
  businesses,
  officerSessions,
  officers,
  type SessionRow,
  sessions,
  signInTokens,
} from "../../../schema";
import { digestsEqual, hashApiKey, parseApiKey } from "../../auth/api-keys";
import type { Principal } from "../../auth/principal";
import {
  OFFICER_SESSION_TTL_MS,
  randomSecret,
  SESSION_TTL_MS,
  SIGN_IN_TOKEN_TTL_MS,
  secretHash,
} from "../../auth/session";
import { insertIf } from "../../db";
import type { Mailer } from "../../email/mailer";
import { signInEmail } from "../../email/sign-in.template";
import { ApiError } from "../../errors";
import { auditInsertIf } from "../audit/audit.queries";
import { confirmed, isNibUniqueViolation, nibTaken } from "../businesses/businesses.queries";
import { type Business, toBusiness } from "../businesses/businesses.views";
import { runAfter, type ServiceDeps } from "../deps";
import { findKeyForAuth, keyIsLive } from "./api-keys.service";

export interface SignInDeps extends ServiceDeps {
  mailer: Mailer;
}

/** Tokens inserted per D1 batch when an address has many businesses. */
const TOKENS_PER_BATCH = 50;

/**
 * Sends one email to `email` (case-insensitive) with a one-time sign-in link for every business
 * registered under it that its owner confirmed (or an officer registered), each link named by its
 * business, so the owner chooses which to sign in as. Unconfirmed sign-ups are never offered: they
 * are anyone's text under anyone's address, so they can neither crowd a real business out nor put
 * their name in this email. Returns nothing either way, and the lookup and sending run after the
 * response when the caller can defer, so the answer does not reveal whether the address is
 * registered. Only the SHA-256 of each token is stored; a link works once, for 15 minutes.
 *
 * @param input.callbackUrl the absolute URL of the confirmation page; the token is appended.
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
      .where(and(eq(sql`lower(${businesses.email})`, email), confirmed()))
      .orderBy(asc(businesses.name), asc(businesses.id));
    if (found.length === 0) return;
    const choices = await Promise.all(
      found.map(async (business) => {
        const token = randomSecret();
        return { business, token, tokenHash: await secretHash(token) };
      }),
    );
    for (let i = 0; i < choices.length; i += TOKENS_PER_BATCH) {
      const [first, ...rest] = choices.slice(i, i + TOKENS_PER_BATCH).map((c) =>
        deps.db.insert(signInTokens).values({
          tokenHash: c.tokenHash,
          purpose: "sign_in",
          businessId: c.business.id,
          createdAt: input.now,
          expiresAt: input.now + SIGN_IN_TOKEN_TTL_MS,
        }),
      );
      if (first) await deps.db.batch([first, ...rest]);
    }
    // English only when every business under the address asked for it.
    const lang = found.every((b) => b.language === "en") ? "en" : "id";
    await deps.mailer.send({
      to: email,
      ...signInEmail(lang, {
        choices: choices.map((c) => ({
          businessName: c.business.name,
          link: `${input.callbackUrl}?token=${c.token}`,
        })),
        validMinutes: SIGN_IN_TOKEN_TTL_MS / 60_000,
      }),
    });
  });
}

function invalidLink(): ApiError {
  return new ApiError(
    "invalid_sign_in_link",
    "The link is unknown, expired or already used. Ask for a new one.",
  );
}

/** What an unused link would do, for the confirmation page that asks before it is used. */
export interface SignInLinkPreview {
  purpose: "sign_in" | "confirm_sign_up";
  /** The business it signs in as (and, for `confirm_sign_up`, confirms). */
  business: Business;
}

/**
 * Reads an unused, unexpired link without using it, so the confirmation page can name the business
 * it signs in as (a link forged into someone's browser shows whose it is) or, for a sign-up, show
 * what was registered before the owner confirms it.
 *
 * @throws 400 `invalid_sign_in_link` when the link is unknown, expired or used.
 */
export async function previewSignInLink(
  deps: ServiceDeps,
  input: { token: string; now: number },
): Promise<SignInLinkPreview> {
  const row = await deps.db
    .select({ purpose: signInTokens.purpose, business: businesses })
    .from(signInTokens)
    .innerJoin(businesses, eq(businesses.id, signInTokens.businessId))
    .where(
      and(
        eq(signInTokens.tokenHash, await secretHash(input.token)),
        isNull(signInTokens.usedAt),
        gt(signInTokens.expiresAt, input.now),
      ),
    )
    .get();
  if (!row) throw invalidLink();
  return { purpose: row.purpose, business: toBusiness(row.business) };
}

/**
 * Redeems a link for a new session, in one batch: the link is used (a conditional update: `usedAt`
 * still null and not expired), and only if this batch used it is the session stored, so two clicks
 * racing get one session between them and a failure leaves the link unused. A sign-up's
 * confirmation link also confirms the sign-up (`unconfirmed` -> `pending_review`, audited) in the
 * same batch: it then holds its NIB, and if another business took that NIB meanwhile the batch
 * fails as a whole (409 `nib_taken`).
 *
 * @returns the session id for the cookie (only its hash is stored) and its expiry (epoch ms).
 */
export async function redeemSignInToken(
  deps: ServiceDeps,
  input: { token: string; now: number },
): Promise<{ sessionId: string; businessId: string; expiresAt: number }> {
  const tokenHash = await secretHash(input.token);
  const link = await deps.db
    .select({ purpose: signInTokens.purpose, businessId: signInTokens.businessId, nib: businesses.nib })
    .from(signInTokens)
    .innerJoin(businesses, eq(businesses.id, signInTokens.businessId))
    .where(eq(signInTokens.tokenHash, tokenHash))
    .get();
  if (!link) throw invalidLink();
  const sessionId = randomSecret();
  const session: SessionRow = {
    idHash: await secretHash(sessionId),
    businessId: link.businessId,
    createdAt: input.now,
    expiresAt: input.now + SESSION_TTL_MS,
    revokedAt: null,
  };
  const use = deps.db
    .update(signInTokens)
    .set({ usedAt: input.now })
    .where(
      and(
        eq(signInTokens.tokenHash, tokenHash),
        isNull(signInTokens.usedAt),
        gt(signInTokens.expiresAt, input.now),
      ),
    )
    .returning({ businessId: signInTokens.businessId });
  // Right after the update: `changes() = 1` exactly when this batch used the link.
  const open = insertIf(deps.db, sessions, session, sql`changes() = 1`);
  let used: Array<{ businessId: string }>;
  try {
    [used] =
      link.purpose === "confirm_sign_up"
        ? await deps.db.batch([use, open, ...confirmSignUpStatements(deps, link.businessId, session)])
        : await deps.db.batch([use, open]);
  } catch (err) {
    if (link.nib !== null && isNibUniqueViolation(err)) throw nibTaken(link.nib);
    throw err;
  }
  if (!used[0]) throw invalidLink();
  return { sessionId, businessId: link.businessId, expiresAt: session.expiresAt };
}

/**
 * Confirms a sign-up in the batch that used its link: only when that batch opened `session` (so it
 * used the link) and the sign-up is still unconfirmed, and audited only then.
 */
function confirmSignUpStatements(deps: ServiceDeps, businessId: string, session: SessionRow) {
  return [
    deps.db
      .update(businesses)
      .set({ status: "pending_review", updatedAt: session.createdAt })
      .where(
        and(
          eq(businesses.id, businessId),
          eq(businesses.status, "unconfirmed"),
          exists(deps.db.select().from(sessions).where(eq(sessions.idHash, session.idHash))),
        ),
      ),
    auditInsertIf(
      deps.db,
      {
        at: session.createdAt,
        actor: { kind: "business", id: businessId },
        entityType: "business",
        entityId: businessId,
        action: "confirm_sign_up",
        fromState: "unconfirmed",
        toState: "pending_review",
      },
      sql`changes() = 1`,
    ),
  ] as const;
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
  return new ApiError("unauthorized", "The officer key is unknown or revoked.");
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
  const found = await findKeyForAuth(deps, parsed.prefix);
  if (!found || !digestsEqual(hash, found.key.hash) || !keyIsLive(found) || found.key.kind !== "officer") {
    throw invalidOfficerKey();
  }
  const { key } = found;
  const sessionId = randomSecret();
  const expiresAt = input.now + OFFICER_SESSION_TTL_MS;
  await deps.db.insert(officerSessions).values({
    idHash: await secretHash(sessionId),
    apiKeyId: key.id,
    officerId: key.officerId,
    createdAt: input.now,
    expiresAt,
  });
  return { sessionId, expiresAt };
}

/**
 * The officer behind a live console session whose key is still valid and whose officer (when the
 * key has one) is still active, for the resolver.
 */
export async function findOfficerSession(
  deps: ServiceDeps,
  input: { idHash: string; now: number },
): Promise<Extract<Principal, { kind: "officer" }> | undefined> {
  const row = await deps.db
    .select({ id: apiKeys.id, role: apiKeys.role })
    .from(officerSessions)
    .innerJoin(apiKeys, eq(apiKeys.id, officerSessions.apiKeyId))
    .leftJoin(officers, eq(officers.id, apiKeys.officerId))
    .where(
      and(
        eq(officerSessions.idHash, input.idHash),
        isNull(officerSessions.revokedAt),
        gt(officerSessions.expiresAt, input.now),
        isNull(apiKeys.revokedAt),
        eq(apiKeys.kind, "officer"),
        or(isNull(apiKeys.officerId), eq(officers.active, true)),
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
