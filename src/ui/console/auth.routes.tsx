import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { z } from "zod";
import { accessConfig } from "../../auth/access-jwt.resolver";
import { OFFICER_SESSION_COOKIE, SECRET_PATTERN, SESSION_COOKIE } from "../../auth/session";
import { clearSessionCookie, setSessionCookie } from "../../auth/session-cookie";
import { CONFIRM_PATH } from "../../contracts/sign-in";
import { mailerFor } from "../../email/mailer";
import { ApiError, validationError } from "../../errors";
import { enforceSignInEmailLimit } from "../../http/rate-limit";
import {
  previewSignInLink,
  redeemSignInToken,
  requestSignInLink,
  revokeOfficerSession,
  revokeSession,
  signInOfficerWithKey,
} from "../../services/accounts/sign-in.service";
import { type ConsoleContext, type ConsoleEnv, formField } from "../context";
import { t } from "../i18n";
import { ConfirmPage, LinkSentPage, LoginPage } from "../pages/auth";
import { deps, page } from "../render";

/** Sign-in and sign-out: the owner's email link, the officer's key (development) or Access. */
export const authRoutes = new Hono<ConsoleEnv>();

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The development key login is refused unless the request is addressed to this machine (wrangler
 * dev, tests) or `CONSOLE_KEY_LOGIN = "true"` enables it explicitly (a staging Worker without
 * Access). Production officers sign in through Cloudflare Access.
 */
export function keyLoginAllowed(url: string, env: Env): boolean {
  return LOCAL_HOSTS.has(new URL(url).hostname) || env.CONSOLE_KEY_LOGIN === "true";
}

authRoutes.get("/login", (c) => {
  const s = t(c.get("lang"));
  return page(
    c,
    s.loginTitle,
    <LoginPage
      lang={c.get("lang")}
      csrfToken={c.get("csrfToken")}
      accessEnabled={accessConfig(c.env) !== null}
      keyLoginEnabled={keyLoginAllowed(c.req.url, c.env)}
    />,
  );
});

authRoutes.post("/login/email", async (c) => {
  const email = z
    .email()
    .max(254)
    .safeParse(await formField(c, "email"));
  if (!email.success) throw validationError([{ path: "email", message: "Enter a valid email address." }]);
  await enforceSignInEmailLimit(c.env, email.data, c.get("requestId"));
  await requestSignInLink(
    { ...deps(c), mailer: mailerFor(c.env) },
    { email: email.data, callbackUrl: new URL(CONFIRM_PATH, c.req.url).href, now: Date.now() },
  );
  return page(c, t(c.get("lang")).linkSentTitle, <LinkSentPage lang={c.get("lang")} />);
});

authRoutes.get("/login/confirm", async (c) => {
  const token = c.req.query("token") ?? "";
  c.header("Referrer-Policy", "no-referrer");
  if (!SECRET_PATTERN.test(token)) throw new ApiError("invalid_sign_in_link");
  const preview = await previewSignInLink(deps(c), { token, now: Date.now() });
  const s = t(c.get("lang"));
  return page(
    c,
    preview.purpose === "confirm_sign_up" ? s.confirmSignUpTitle : s.confirmTitle,
    <ConfirmPage lang={c.get("lang")} csrfToken={c.get("csrfToken")} token={token} preview={preview} />,
  );
});

authRoutes.post("/login/confirm", async (c) => {
  const token = await formField(c, "token");
  if (!SECRET_PATTERN.test(token)) throw new ApiError("invalid_sign_in_link");
  const now = Date.now();
  const session = await redeemSignInToken(deps(c), { token, now });
  await endSessions(c, now);
  setSessionCookie(c, "business", session, now);
  return c.redirect("/ui/me", 303);
});

authRoutes.post("/login/officer", async (c) => {
  if (!keyLoginAllowed(c.req.url, c.env)) {
    throw new ApiError("key_login_disabled", t(c.get("lang")).keyLoginDisabled);
  }
  const now = Date.now();
  const session = await signInOfficerWithKey(deps(c), { key: await formField(c, "key"), now });
  await endSessions(c, now);
  setSessionCookie(c, "officer", session, now);
  return c.redirect("/ui/queue", 303);
});

/** Revokes whichever console sessions the browser holds and clears their cookies; true if any. */
async function endSessions(c: ConsoleContext, now: number): Promise<boolean> {
  const business = getCookie(c, SESSION_COOKIE);
  if (business && SECRET_PATTERN.test(business)) await revokeSession(deps(c), { sessionId: business, now });
  const officer = getCookie(c, OFFICER_SESSION_COOKIE);
  if (officer && SECRET_PATTERN.test(officer))
    await revokeOfficerSession(deps(c), { sessionId: officer, now });
  if (business) clearSessionCookie(c, "business");
  if (officer) clearSessionCookie(c, "officer");
  return Boolean(business || officer);
}

authRoutes.post("/logout", async (c) => {
  const hadSession = await endSessions(c, Date.now());
  // No console cookie behind Access: the officer's sign-in is Access's own session; end that.
  const viaAccess = !hadSession && accessConfig(c.env) !== null;
  return c.redirect(viaAccess ? "/cdn-cgi/access/logout" : "/ui/login", 303);
});
