import type { Context } from "hono";
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { authenticate } from "../auth/middleware";
import { resolvers } from "../auth/resolvers";
import type { Language } from "../domain/language";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { toApiError } from "../http/problem";
import { rateLimits } from "../http/rate-limit";
import { authRoutes } from "./console/auth.routes";
import { dashboardRoutes } from "./console/dashboard.routes";
import { directoryRoutes } from "./console/directory.routes";
import { forumDayRoutes } from "./console/forum-day.routes";
import { forumOwnerRoutes } from "./console/forum-owner.routes";
import { forumRoutes } from "./console/forums.routes";
import { notificationRoutes } from "./console/notifications.routes";
import { ownerRoutes } from "./console/owner.routes";
import { partnershipRoutes } from "./console/partnerships.routes";
import { procurementRoutes } from "./console/procurement.routes";
import { queueRoutes } from "./console/queue.routes";
import { signupRoutes } from "./console/signup.routes";
import { type ConsoleContext, type ConsoleEnv, consoleContext, LANG_COOKIE, pickLang } from "./context";
import { t } from "./i18n";
import { Layout } from "./layout";
import { LandingPage } from "./pages/landing";
import { html } from "./render";
import { APP_CSS } from "./styles";

/**
 * The console: server-rendered pages for officers (review queue, directory, dashboard) and for
 * business owners (their suggestions and requests). Every action calls the same services as the
 * API; this file only reads forms, calls one service and renders or redirects.
 */

const CONSOLE_PREFIX = "/ui";

export function isConsolePath(path: string): boolean {
  return path === CONSOLE_PREFIX || path.startsWith(`${CONSOLE_PREFIX}/`);
}

export const consoleRoutes = new Hono<ConsoleEnv>();

consoleRoutes.get("/app.css", (c) => {
  c.header("Cache-Control", "public, max-age=300");
  return c.body(APP_CSS, 200, { "Content-Type": "text/css; charset=utf-8" });
});

consoleRoutes.use("*", authenticate<ConsoleEnv>(resolvers));
// The API's limits, with the same bindings and keys: a form is one more door into the same services.
// Before the CSRF check, so a script replaying one valid token is counted like any other client.
consoleRoutes.use("*", rateLimits);
consoleRoutes.use("*", consoleContext);

/** `/ui` and `/ui/`: the signed-in user's home, else the sign-in page. */
function home(c: ConsoleContext): Response {
  const p = c.get("principal");
  return c.redirect(
    p?.kind === "officer" ? "/ui/queue" : p?.kind === "business" ? "/ui/me" : "/ui/login",
    303,
  );
}
consoleRoutes.get("/", home);
// `/ui/` matches no route of a sub-app mounted at /ui (Hono routes are strict), only its middleware.
consoleRoutes.use("*", async (c, next) => {
  if (c.req.path === `${CONSOLE_PREFIX}/` && (c.req.method === "GET" || c.req.method === "HEAD"))
    return home(c);
  await next();
});
consoleRoutes.route("/", authRoutes);
consoleRoutes.route("/", queueRoutes);
consoleRoutes.route("/", directoryRoutes);
consoleRoutes.route("/", partnershipRoutes);
consoleRoutes.route("/", dashboardRoutes);
consoleRoutes.route("/", ownerRoutes);
consoleRoutes.route("/", notificationRoutes);
consoleRoutes.route("/", signupRoutes);
consoleRoutes.route("/", procurementRoutes);
consoleRoutes.route("/", forumOwnerRoutes);
consoleRoutes.route("/", forumRoutes);
consoleRoutes.route("/", forumDayRoutes);

/**
 * The public landing page at `/` for browsers (an `Accept` that names text/html); the JSON index
 * stays for everything else. No session is read: it is the same page for everyone.
 */
export function wantsLandingPage(c: Context<AppEnv>): boolean {
  return (c.req.header("Accept") ?? "").includes("text/html");
}

export function renderLandingPage(c: Context<AppEnv>): Response {
  const lang = pickLang(c as unknown as ConsoleContext);
  c.header("Vary", "Accept");
  const s = t(lang);
  return html(
    c,
    <Layout lang={lang} title={s.landingTitle} principal={null} csrfToken="" url={c.req.url}>
      <LandingPage lang={lang} />
    </Layout>,
  );
}

// Errors ------------------------------------------------------------------------------------------

function langOf(c: Context): Language {
  return getCookie(c, LANG_COOKIE) === "en" || c.req.query("lang") === "en" ? "en" : "id";
}

/** Friendly HTML for every console failure; the /v1 API keeps problem+json. */
export function renderConsoleError(err: unknown, c: Context<AppEnv>): Response {
  const e = toApiError(err);
  const lang = langOf(c);
  const s = t(lang);
  if (e.status === 401 && c.req.method === "GET") return c.redirect("/ui/login", 303);
  const requestId = c.get("requestId") ?? "";
  if (e.status >= 500) {
    console.error(
      JSON.stringify({
        level: "error",
        requestId,
        method: c.req.method,
        path: c.req.path,
        error:
          err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
      }),
    );
  }
  // A client's mistake keeps its 4xx (413 too large, 415 not a form, 405...) and a storage fault
  // its 503 with Retry-After; anything else is a bare 500.
  const status = (e.status >= 400 && e.status < 500) || e.status === 503 ? e.status : 500;
  for (const [name, value] of Object.entries(e.extra?.headers ?? {})) c.header(name, value);
  let title = s.errorTitle;
  // In the page's language: a service's `detail` is English, so it is shown only on English pages.
  let text: string =
    s.errorCodes[e.code] ??
    s.moreErrorCodes[e.code] ??
    s.myForumErrors[e.code] ??
    (lang === "en" ? (e.detail ?? e.title) : s.errorFallback);
  if (status === 500) text = `${s.internalText} ${requestId}`;
  else if (e.code === "csrf_failed") text = s.csrfText;
  else if (e.code === "invalid_sign_in_link") text = s.invalidLinkText;
  else if (e.status === 404) {
    title = s.notFoundTitle;
  } else if (e.status === 403) {
    title = s.forbiddenTitle;
    if (e.code === "forbidden") text = s.forbiddenText;
  }
  return html(
    c,
    <Layout
      lang={lang}
      title={title}
      principal={c.get("principal") ?? null}
      // Set when the failure came after the console middleware, so sign-out still works here.
      csrfToken={(c as unknown as ConsoleContext).get("csrfToken") ?? ""}
      url={c.req.url}
    >
      <p class="notice warn" role="alert" data-code={e.code}>
        {text}
      </p>
      <p>
        <a href="/ui">{s.back}</a>
      </p>
    </Layout>,
    status,
  );
}

/** A console route path (`/me/partnerships/:id/:action{accept|decline|cancel}`) as a RegExp. */
function routeRegExp(path: string): RegExp {
  let source = "";
  for (const part of path.split(/(:\w+(?:\{[^}]*\})?|\*)/)) {
    if (part === "*") source += ".*";
    else if (part.startsWith(":")) {
      const custom = /\{([^}]*)\}$/.exec(part)?.[1];
      source += custom ? `(?:${custom})` : "[^/]+";
    } else source += part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

let consolePatterns: Array<{ method: string; pattern: RegExp }> | undefined;

/** The methods the console serves at `path` (a full `/ui/...` path); empty when none. */
function consoleMethodsAt(path: string): string[] {
  consolePatterns ??= consoleRoutes.routes
    .filter((r) => r.method !== "ALL")
    .map((r) => ({ method: r.method, pattern: routeRegExp(r.path) }));
  const rest = path.slice(CONSOLE_PREFIX.length) || "/";
  const methods = new Set(consolePatterns.filter((r) => r.pattern.test(rest)).map((r) => r.method));
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods].sort();
}

/** No route here: a 405 (with `Allow`) when the page exists for another method, else a 404. */
export function renderConsoleNotFound(c: Context<AppEnv>): Response {
  const allowed = consoleMethodsAt(c.req.path);
  if (allowed.length > 0) {
    return renderConsoleError(
      new ApiError("method_not_allowed", `Use ${allowed.join(" or ")}.`, {
        headers: { Allow: allowed.join(", ") },
      }),
      c,
    );
  }
  return renderConsoleError(new ApiError("not_found", t(langOf(c)).notFoundText), c);
}
