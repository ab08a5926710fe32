import { hashApiKey } from "./api-keys";

/** The session cookie. `__Host-` makes browsers require Secure, Path=/ and no Domain. */
export const SESSION_COOKIE = "__Host-kemitraan_session";

/** Sessions last 30 days from sign-in (no sliding renewal: sign in again by link). */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** A sign-in link works for 15 minutes, once. */
export const SIGN_IN_TOKEN_TTL_MS = 15 * 60 * 1000;

/**
 * A sign-up's confirmation link works for 24 hours, once (mail can be slow, and the owner may read
 * it the next day); an unconfirmed sign-up is deleted after the same time.
 */
export const SIGN_UP_CONFIRM_TTL_MS = 24 * 60 * 60 * 1000;

/** 32 random bytes as base64url (43 chars): session ids and sign-in tokens. */
export function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** Only this digest is stored, for session ids and sign-in tokens alike. */
export function secretHash(secret: string): Promise<string> {
  return hashApiKey(secret);
}

export const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The session id from a Cookie header, when it is shaped like one of ours. */
export function readSessionCookie(cookieHeader: string | null): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return SECRET_PATTERN.test(value) ? value : null;
  }
  return null;
}

/** The officer console session from the development key login (`/ui/login/officer`). */
export const OFFICER_SESSION_COOKIE = "__Host-kemitraan_officer";

/** Officer key-login sessions are short: a working day. */
export const OFFICER_SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** The value of cookie `name` from a Cookie header, when it is shaped like one of our secrets. */
export function readSecretCookie(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return SECRET_PATTERN.test(value) ? value : null;
  }
  return null;
}
