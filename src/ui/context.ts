import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { digestsEqual, hashApiKey } from "../auth/api-keys";
import { OFFICER_SESSION_COOKIE, randomSecret, SECRET_PATTERN, SESSION_COOKIE } from "../auth/session";
import { isLanguage, type Language } from "../domain/language";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

/** The app's environment plus what every console page needs. */
export interface ConsoleEnv {
  Bindings: AppEnv["Bindings"];
  Variables: AppEnv["Variables"] & {
    lang: Language;
    /** The CSRF token every form on the page carries in `_csrf`. */
    csrfToken: string;
  };
}

export type ConsoleContext = Context<ConsoleEnv>;

/** Browser-bound CSRF secret (double-submit): `__Host-` so no sibling subdomain can plant one. */
export const CSRF_COOKIE = "__Host-kemitraan_csrf";
export const LANG_COOKIE = "kemitraan_lang";
export const CSRF_FIELD = "_csrf";

/**
 * The strict policy of every console page: nothing but our own stylesheet and images (the map is
 * inline SVG, which needs no source), forms posting only to ourselves, never framed. No scripts.
 */
export const CONSOLE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The form token: SHA-256 of the browser's CSRF secret and its session cookies, so a token minted
 * before sign-in (or in another session) does not validate after it. Officers coming through
 * Cloudflare Access have no session cookie: their token rests on the secret alone, which a
 * cross-site page can neither read nor set (`__Host-`, HttpOnly).
 */
async function csrfTokenFor(secret: string, sessions: string): Promise<string> {
  return hashApiKey(`csrf|${secret}|${sessions}`);
}

function csrfFailed(): ApiError {
  return new ApiError("csrf_failed", "Missing or invalid form token.");
}

/**
 * The browser says where a form came from: `Sec-Fetch-Site: same-origin` (every current browser),
 * else an `Origin` equal to ours. Neither header (old clients, scripts) is refused.
 */
function sameOrigin(request: Request): boolean {
  const site = request.headers.get("Sec-Fetch-Site");
  if (site) return site === "same-origin";
  const origin = request.headers.get("Origin");
  return origin !== null && origin === new URL(request.url).origin;
}

export function pickLang(c: Context<ConsoleEnv>): Language {
  const asked = c.req.query("lang");
  if (isLanguage(asked)) {
    setCookie(c, LANG_COOKIE, asked, { path: "/", sameSite: "Lax", secure: true, maxAge: 365 * 24 * 3600 });
    return asked;
  }
  return getCookie(c, LANG_COOKIE) === "en" ? "en" : "id";
}

/**
 * Per request: the language (`?lang=` sets a cookie; default Bahasa Indonesia), the CSRF secret
 * cookie (created on first visit) and the page's form token; every POST must come from our own
 * origin and carry the token. Responses get the CSP and `no-store` (pages show personal data).
 */
export const consoleContext = createMiddleware<ConsoleEnv>(async (c, next) => {
  c.set("lang", pickLang(c));
  let secret = getCookie(c, CSRF_COOKIE);
  if (!secret || !SECRET_PATTERN.test(secret)) {
    secret = randomSecret();
    setCookie(c, CSRF_COOKIE, secret, { path: "/", secure: true, httpOnly: true, sameSite: "Strict" });
  }
  const sessions = [getCookie(c, SESSION_COOKIE) ?? "", getCookie(c, OFFICER_SESSION_COOKIE) ?? ""].join("|");
  const expected = await csrfTokenFor(secret, sessions);
  c.set("csrfToken", expected);
  if (c.req.method === "POST") {
    if (!sameOrigin(c.req.raw)) throw csrfFailed();
    const body = await readForm(c);
    const sent = body[CSRF_FIELD];
    if (typeof sent !== "string" || !digestsEqual(sent, expected)) throw csrfFailed();
  }
  await next();
  c.header("Content-Security-Policy", CONSOLE_CSP);
  c.header("Cache-Control", "no-store");
});

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/**
 * The posted form: 415 unless the body is one a browser's form sends, 400 when it does not parse
 * (a multipart body without its boundary, say). Parsed once per request (Hono caches it).
 */
async function readForm(c: Context<ConsoleEnv>): Promise<Record<string, string | File | (string | File)[]>> {
  const type = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  // No body at all: an empty form (its missing token is the CSRF check's to refuse).
  if (type === "" && !c.req.raw.body) return {};
  if (!FORM_TYPES.includes(type)) {
    throw new ApiError("unsupported_media_type", "Send the form as a browser does.");
  }
  try {
    return await c.req.parseBody();
  } catch {
    throw new ApiError("malformed_form", "The form body could not be read.");
  }
}

/** Reads one text field of the posted form ("" when absent or a file). */
export async function formField(c: Context<ConsoleEnv>, name: string): Promise<string> {
  const value = (await readForm(c))[name];
  return typeof value === "string" ? value.trim() : "";
}

/** One text field of the posted form, trimmed; null when the form does not carry it at all. */
export async function formFieldOrNull(c: Context<ConsoleEnv>, name: string): Promise<string | null> {
  const value = (await readForm(c))[name];
  return typeof value === "string" ? value.trim() : null;
}

/** Every value of a repeated text field of the posted form (checkboxes), trimmed, empty ones dropped. */
export async function formValues(c: Context<ConsoleEnv>, name: string): Promise<string[]> {
  await readForm(c); // the same checks and errors as any form read
  const value = (await c.req.parseBody({ all: true }))[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list
    .filter((v): v is string => typeof v === "string")
    .map((v) => v.trim())
    .filter(Boolean);
}
