import { createRoute, z } from "@hono/zod-openapi";
import { getCookie } from "hono/cookie";
import { SECRET_PATTERN, SESSION_COOKIE } from "../auth/session";
import { clearSessionCookie, setSessionCookie } from "../auth/session-cookie";
import { CONFIRM_PATH } from "../contracts/sign-in";
import { mailerFor } from "../email/mailer";
import { bodyErrorResponses, commonErrorResponses, conflictResponse } from "../http/problem";
import { enforceSignInEmailLimit } from "../http/rate-limit";
import { redeemSignInToken, requestSignInLink, revokeSession } from "../services/accounts/sign-in.service";
import { createRouter, serviceDeps } from "./router";

/** Business owners sign in with a one-time link sent by email; no passwords. */

const tags = ["Sign-in"];

const EmailLinkSchema = z
  .strictObject({ email: z.email().max(254).openapi({ example: "pemilik@example.id" }) })
  .openapi("EmailLinkRequest");

const CallbackQuerySchema = z.strictObject({
  token: z
    .string()
    .regex(SECRET_PATTERN, "Not a sign-in token.")
    .openapi({ description: "From the emailed link." }),
});

export const requestEmailLinkRoute = createRoute({
  method: "post",
  path: "/auth/email-link",
  operationId: "requestEmailLink",
  summary: "Email a one-time sign-in link (anyone)",
  description:
    "Always 202, whether or not the address is registered (no account enumeration). The address gets " +
    "one email naming every business registered under it (never a sign-up nobody has confirmed), " +
    "each with its own link that works once, for 15 minutes.",
  tags,
  security: [],
  request: { body: { required: true, content: { "application/json": { schema: EmailLinkSchema } } } },
  responses: { 202: { description: "Accepted." }, ...bodyErrorResponses, ...commonErrorResponses },
});

export const signInCallbackRoute = createRoute({
  method: "get",
  path: "/auth/callback",
  operationId: "signInCallback",
  summary: "Open a sign-in link: redirects to the confirmation page, never consumes the token",
  description:
    "Mail scanners and link previews fetch links before the owner does, so a GET must not sign " +
    "anyone in. This redirects (303) to the console's confirmation page, whose button POSTs the " +
    "token; API clients POST it to `/v1/auth/callback` themselves.",
  tags,
  security: [],
  request: { query: CallbackQuerySchema },
  responses: {
    303: { description: "To the confirmation page.", headers: z.object({ Location: z.string() }) },
    ...commonErrorResponses,
  },
});

const RedeemSchema = z
  .strictObject({
    token: z
      .string()
      .regex(SECRET_PATTERN, "Not a sign-in token.")
      .openapi({ description: "From the emailed link." }),
  })
  .openapi("RedeemSignInLinkRequest");

export const redeemSignInLinkRoute = createRoute({
  method: "post",
  path: "/auth/callback",
  operationId: "redeemSignInLink",
  summary: "Redeem a sign-in link: sets the session cookie",
  description:
    "Sets `__Host-kemitraan_session` (HttpOnly, Secure, SameSite=Lax, Path=/, 30 days). A sign-up's " +
    "confirmation link also confirms the sign-up (`pending_review`); 409 `nib_taken` when another " +
    "business took its NIB meanwhile (the link stays unused). A used, expired or unknown token is a " +
    "400 `invalid_sign_in_link`.",
  tags,
  security: [],
  request: { body: { required: true, content: { "application/json": { schema: RedeemSchema } } } },
  responses: {
    204: { description: "Signed in.", headers: z.object({ "Set-Cookie": z.string() }) },
    ...conflictResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const logoutRoute = createRoute({
  method: "post",
  path: "/auth/logout",
  operationId: "logout",
  summary: "End the browser session",
  description: "Revokes the session and clears its cookie. Idempotent; anonymous callers get 204 too.",
  tags,
  security: [],
  responses: { 204: { description: "Signed out." }, ...commonErrorResponses },
});

export const authRoutes = createRouter()
  .openapi(requestEmailLinkRoute, async (c) => {
    const { email } = c.req.valid("json");
    await enforceSignInEmailLimit(c.env, email, c.get("requestId"));
    await requestSignInLink(
      { ...serviceDeps(c), mailer: mailerFor(c.env) },
      {
        email,
        callbackUrl: new URL(CONFIRM_PATH, c.req.url).href,
        now: Date.now(),
      },
    );
    return c.body(null, 202);
  })
  .openapi(signInCallbackRoute, (c) => {
    const target = `${CONFIRM_PATH}?token=${encodeURIComponent(c.req.valid("query").token)}`;
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    return c.redirect(target, 303);
  })
  .openapi(redeemSignInLinkRoute, async (c) => {
    const now = Date.now();
    const session = await redeemSignInToken(serviceDeps(c), { token: c.req.valid("json").token, now });
    setSessionCookie(c, "business", session, now);
    c.header("Cache-Control", "no-store");
    return c.body(null, 204);
  })
  .openapi(logoutRoute, async (c) => {
    const sessionId = getCookie(c, SESSION_COOKIE);
    if (sessionId && SECRET_PATTERN.test(sessionId))
      await revokeSession(serviceDeps(c), { sessionId, now: Date.now() });
    clearSessionCookie(c, "business");
    return c.body(null, 204);
  });
