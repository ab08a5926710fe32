import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { OFFICER_SESSION_COOKIE, SESSION_COOKIE } from "./session";

/**
 * Session cookies for the API callback and the console alike: `__Host-` (Secure, Path=/, no
 * Domain), HttpOnly, SameSite=Lax so a link opened from an email still arrives signed in.
 */
export function setSessionCookie(
  c: Context,
  kind: "business" | "officer",
  session: { sessionId: string; expiresAt: number },
  now: number,
): void {
  setCookie(c, kind === "business" ? SESSION_COOKIE : OFFICER_SESSION_COOKIE, session.sessionId, {
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
    path: "/",
    maxAge: Math.floor((session.expiresAt - now) / 1000),
  });
}

export function clearSessionCookie(c: Context, kind: "business" | "officer"): void {
  deleteCookie(c, kind === "business" ? SESSION_COOKIE : OFFICER_SESSION_COOKIE, { path: "/", secure: true });
}
