import type { Context } from "hono";
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { accessConfig } from "../auth/access-jwt.resolver";
import { assertOfficer, authenticate, requirePrincipal } from "../auth/middleware";
import type { Principal } from "../auth/principal";
import { resolvers } from "../auth/resolvers";
import { OFFICER_SESSION_COOKIE, SECRET_PATTERN, SESSION_COOKIE } from "../auth/session";
import { clearSessionCookie, setSessionCookie } from "../auth/session-cookie";
import { CONFIRM_PATH } from "../contracts/sign-in";
import { kbliSectionName } from "../domain/kbli";
import type { Language } from "../domain/language";
import { findKelurahan, kelurahanNames } from "../domain/location";
import { PARTNERSHIP_OUTCOMES } from "../domain/partnership";
import { DECISION_REASON_MAX_LENGTH, DecisionReasonSchema, PartnershipTextSchema } from "../domain/texts";
import { mailerFor } from "../email/mailer";
import type { AppEnv } from "../env";
import { ApiError, validationError } from "../errors";
import { toApiError } from "../http/problem";
import { enforceSignInEmailLimit, rateLimits } from "../http/rate-limit";
import { serviceDeps } from "../http/service-deps";
import { PARTNERSHIP_PATTERNS } from "../matching";
import {
  previewSignInLink,
  redeemSignInToken,
  requestSignInLink,
  revokeOfficerSession,
  revokeSession,
  signInOfficerWithKey,
} from "../services/accounts/sign-in.service";
import { listAudit } from "../services/audit/audit.service";
import {
  acknowledgeChanges,
  getBusiness,
  listBusinesses,
  releaseNib,
  reviewBusiness,
} from "../services/businesses/businesses.service";
import { getDashboard, reviewQueueCounts } from "../services/dashboard/dashboard.service";
import { pairingInsights } from "../services/dashboard/pairing-insights.service";
import type { MatchItem } from "../services/matching/matches.service";
import { suggestPartners } from "../services/matching/matches.service";
import {
  acceptPartnership,
  approvePartnership,
  cancelPartnership,
  createPartnership,
  declinePair,
  declinePartnership,
  endPartnership,
  listPartnerships,
  parsePartnershipConfig,
  rejectPartnership,
} from "../services/partnerships/partnerships.service";
import { discardProposal, listProposals, publishProposal } from "../services/partnerships/proposals.service";
import {
  CONSOLE_CSP,
  type ConsoleContext,
  type ConsoleEnv,
  consoleContext,
  formField,
  LANG_COOKIE,
} from "./context";
import { t } from "./i18n";
import { Layout } from "./layout";
import { ConfirmPage, LinkSentPage, LoginPage } from "./pages/auth";
import {
  BusinessPage,
  DashboardPage,
  type DirectoryFilters,
  DirectoryPage,
  QueuePage,
} from "./pages/officer";
import { OwnerPage } from "./pages/owner";
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

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The development key login is refused unless the request is addressed to this machine (wrangler
 * dev, tests) or `CONSOLE_KEY_LOGIN = "true"` enables it explicitly (a staging Worker without
 * Access). Production officers sign in through Cloudflare Access.
 */
export function keyLoginAllowed(url: string, env: Env): boolean {
  return LOCAL_HOSTS.has(new URL(url).hostname) || env.CONSOLE_KEY_LOGIN === "true";
}

function html(c: Context, node: Child, status: ContentfulStatusCode = 200): Response {
  c.header("Content-Security-Policy", CONSOLE_CSP);
  c.header("Cache-Control", "no-store");
  return c.html(`<!doctype html>${String(node)}`, status);
}

function page(
  c: ConsoleContext,
  title: string,
  body: Child,
  status?: 200 | 400 | 403 | 404 | 409 | 422,
): Response {
  return html(
    c,
    <Layout
      lang={c.get("lang")}
      title={title}
      principal={c.get("principal")}
      csrfToken={c.get("csrfToken")}
      url={c.req.url}
    >
      {body}
    </Layout>,
    status,
  );
}

function asBusiness(p: Principal | null): Extract<Principal, { kind: "business" }> {
  const who = requirePrincipal(p);
  if (who.kind !== "business") throw new ApiError("forbidden", "Business owners only.");
  return who;
}

async function reasonField(c: ConsoleContext): Promise<string> {
  const parsed = DecisionReasonSchema.safeParse(await formField(c, "reason"));
  if (!parsed.success) {
    throw validationError([
      { path: "reason", message: `A reason of 1-${DECISION_REASON_MAX_LENGTH} characters is required.` },
    ]);
  }
  return parsed.data;
}

const done = (path: string) => `${path}?done=1`;

const DirectoryQuery = z.object({
  kecamatan: z.string().max(60).optional().catch(undefined),
  kelurahan: z.string().max(60).optional().catch(undefined),
  sector: z.enum(["service", "industry"]).optional().catch(undefined),
  kbliDivision: z
    .string()
    .regex(/^\d{2}$/)
    .optional()
    .catch(undefined),
  status: z.enum(["unconfirmed", "pending_review", "published", "rejected"]).optional().catch(undefined),
  q: z.string().trim().min(1).max(100).optional().catch(undefined),
  cursor: z.string().max(200).optional().catch(undefined),
  limit: z.coerce.number().int().min(1).max(100).catch(25),
});

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

consoleRoutes.get("/", (c) => {
  const p = c.get("principal");
  return c.redirect(
    p?.kind === "officer" ? "/ui/queue" : p?.kind === "business" ? "/ui/me" : "/ui/login",
    303,
  );
});

// Sign-in -----------------------------------------------------------------------------------------

consoleRoutes.get("/login", (c) => {
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

consoleRoutes.post("/login/email", async (c) => {
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

consoleRoutes.get("/login/confirm", async (c) => {
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

consoleRoutes.post("/login/confirm", async (c) => {
  const token = await formField(c, "token");
  if (!SECRET_PATTERN.test(token)) throw new ApiError("invalid_sign_in_link");
  const now = Date.now();
  const session = await redeemSignInToken(deps(c), { token, now });
  await endSessions(c, now);
  setSessionCookie(c, "business", session, now);
  return c.redirect("/ui/me", 303);
});

consoleRoutes.post("/login/officer", async (c) => {
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

consoleRoutes.post("/logout", async (c) => {
  const hadSession = await endSessions(c, Date.now());
  // No console cookie behind Access: the officer's sign-in is Access's own session; end that.
  const viaAccess = !hadSession && accessConfig(c.env) !== null;
  return c.redirect(viaAccess ? "/cdn-cgi/access/logout" : "/ui/login", 303);
});

function deps(c: ConsoleContext) {
  return serviceDeps(c);
}

// Officers ----------------------------------------------------------------------------------------

/** Items per list and page of the review queue; each list pages on its own (`?signups=<cursor>`...). */
export const QUEUE_PAGE_SIZE = 50;

const QueueQuery = z.object({
  signups: z.string().min(1).max(200).optional().catch(undefined),
  changed: z.string().min(1).max(200).optional().catch(undefined),
  pairings: z.string().min(1).max(200).optional().catch(undefined),
  drafts: z.string().min(1).max(200).optional().catch(undefined),
});
type QueueList = keyof z.infer<typeof QueueQuery>;

/** This page's URL with one list moved to `cursor` (null: its first page), the others kept. */
function queueHref(c: ConsoleContext, list: QueueList, cursor: string | null): string {
  const u = new URL(c.req.url);
  u.searchParams.delete("done");
  if (cursor === null) u.searchParams.delete(list);
  else u.searchParams.set(list, cursor);
  return `${u.pathname}${u.search}#q-${list}`;
}

consoleRoutes.get("/queue", async (c) => {
  const viewer = assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const q = QueueQuery.parse(c.req.query());
  const limit = QUEUE_PAGE_SIZE;
  const [pending, changed, accepted, drafts, totals] = await Promise.all([
    // Confirmed sign-ups only: an unconfirmed one is nobody's yet (see signUpBusiness).
    listBusinesses(deps(c), { filters: { status: "pending_review" }, limit, cursor: q.signups }),
    listBusinesses(deps(c), { filters: { changesToReview: true }, limit, cursor: q.changed }),
    listPartnerships(deps(c), { viewer, filters: { status: "accepted" }, limit, cursor: q.pairings }),
    listProposals(deps(c), { actor: viewer, status: "draft", limit, cursor: q.drafts }),
    reviewQueueCounts(deps(c)),
  ]);
  const pager = (list: QueueList, nextCursor: string | null) => ({
    next: nextCursor ? queueHref(c, list, nextCursor) : null,
    first: q[list] ? queueHref(c, list, null) : null,
  });
  const insights = await pairingInsights(deps(c), {
    pairs: accepted.items.map((p) => ({ requesterId: p.requester.id, partnerId: p.partner.id })),
    lang,
  });
  return page(
    c,
    t(lang).queueTitle,
    <QueuePage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      done={c.req.query("done") === "1"}
      pending={pending.items}
      changed={changed.items}
      pairings={accepted.items.map((p) => ({
        partnership: p,
        insight: insights.get(`${p.requester.id}:${p.partner.id}`) ?? null,
      }))}
      drafts={drafts.items}
      totals={totals}
      pages={{
        signups: pager("signups", pending.nextCursor),
        changed: pager("changed", changed.nextCursor),
        pairings: pager("pairings", accepted.nextCursor),
        drafts: pager("drafts", drafts.nextCursor),
      }}
    />,
  );
});

consoleRoutes.post("/queue/businesses/:id/publish", async (c) => {
  const officer = assertOfficer(c.get("principal"));
  await reviewBusiness(deps(c), {
    id: c.req.param("id"),
    decision: "publish",
    officerId: officer.id,
    now: Date.now(),
  });
  return c.redirect(done("/ui/queue"), 303);
});

consoleRoutes.post("/queue/businesses/:id/reject", async (c) => {
  const officer = assertOfficer(c.get("principal"));
  const reason = await reasonField(c);
  await reviewBusiness(deps(c), {
    id: c.req.param("id"),
    decision: "reject",
    reason,
    officerId: officer.id,
    now: Date.now(),
  });
  return c.redirect(done("/ui/queue"), 303);
});

consoleRoutes.post("/queue/businesses/:id/acknowledge", async (c) => {
  const officer = assertOfficer(c.get("principal"));
  await acknowledgeChanges(deps(c), { id: c.req.param("id"), officerId: officer.id, now: Date.now() });
  return c.redirect(done("/ui/queue"), 303);
});

consoleRoutes.post("/businesses/:id/release-nib", async (c) => {
  const officer = assertOfficer(c.get("principal"));
  const reason = await reasonField(c);
  const id = c.req.param("id");
  await releaseNib(deps(c), { id, reason, officerId: officer.id, now: Date.now() });
  return c.redirect(done(`/ui/businesses/${encodeURIComponent(id)}`), 303);
});

consoleRoutes.post("/queue/partnerships/:id/approve", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  await approvePartnership(deps(c), { id: c.req.param("id"), actor, now: Date.now() });
  return c.redirect(done("/ui/queue"), 303);
});

consoleRoutes.post("/queue/partnerships/:id/reject", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  const reason = await reasonField(c);
  await rejectPartnership(deps(c), { id: c.req.param("id"), actor, reason, now: Date.now() });
  return c.redirect(done("/ui/queue"), 303);
});

// The engine's weekly draft pairings: publishing makes the service business the requester (the
// proposals service's default); discarding needs a reason and the pair is not proposed again.
consoleRoutes.post("/queue/drafts/:id/publish", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  await publishProposal(
    { ...deps(c), config: parsePartnershipConfig(c.env) },
    { id: c.req.param("id"), actor, now: Date.now() },
  );
  return c.redirect(done("/ui/queue"), 303);
});

consoleRoutes.post("/queue/drafts/:id/discard", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  const reason = await reasonField(c);
  await discardProposal(deps(c), { id: c.req.param("id"), actor, reason, now: Date.now() });
  return c.redirect(done("/ui/queue"), 303);
});

function kecamatanNames(): string[] {
  return [...new Set(kelurahanNames().map((k) => findKelurahan(k)?.kecamatan ?? ""))].filter(Boolean).sort();
}

consoleRoutes.get("/businesses", async (c) => {
  assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const q = DirectoryQuery.parse(c.req.query());
  const filters: DirectoryFilters = {
    kecamatan: q.kecamatan || undefined,
    kelurahan: q.kelurahan || undefined,
    sector: q.sector,
    kbliDivision: q.kbliDivision,
    status: q.status,
    q: q.q,
  };
  const result = await listBusinesses(deps(c), { filters, limit: q.limit, cursor: q.cursor });
  let nextHref: string | null = null;
  if (result.nextCursor) {
    const u = new URL(c.req.url);
    u.searchParams.set("cursor", result.nextCursor);
    nextHref = `${u.pathname}${u.search}`;
  }
  return page(
    c,
    t(lang).directoryTitle,
    <DirectoryPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      filters={filters}
      kecamatan={kecamatanNames()}
      kelurahan={kelurahanNames().sort()}
      items={result.items}
      nextHref={nextHref}
    />,
  );
});

/** Suggestions when the business can have any (published and active); none otherwise. */
async function suggestionsOrNone(
  c: ConsoleContext,
  businessId: string,
  lang: Language,
): Promise<MatchItem[]> {
  try {
    const r = await suggestPartners(deps(c), { businessId, limit: 10, minScore: 0, lang, now: Date.now() });
    return r.items;
  } catch (err) {
    const e = toApiError(err);
    if (e.status === 409) return [];
    throw err;
  }
}

consoleRoutes.get("/businesses/:id", async (c) => {
  const viewer = assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const id = c.req.param("id");
  const business = await getBusiness(deps(c), { id });
  const [suggestions, partnerships, audit] = await Promise.all([
    suggestionsOrNone(c, id, lang),
    listPartnerships(deps(c), { viewer, filters: { businessId: id }, limit: 100 }),
    listAudit(deps(c), { entityType: "business", entityId: id, limit: 100 }),
  ]);
  return page(
    c,
    business.name,
    <BusinessPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      business={business}
      suggestions={suggestions}
      partnerships={partnerships.items}
      audit={audit.items}
    />,
  );
});

consoleRoutes.get("/dashboard", async (c) => {
  assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const data = await getDashboard(deps(c));
  return page(
    c,
    t(lang).dashboardTitle,
    <DashboardPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      data={data}
      sectionName={(code) => kbliSectionName(code, lang)}
    />,
  );
});

// Business owners ---------------------------------------------------------------------------------

consoleRoutes.get("/me", async (c) => {
  const me = asBusiness(c.get("principal"));
  const lang = c.get("lang");
  const business = await getBusiness(deps(c), { id: me.businessId });
  const [suggestions, partnerships] = await Promise.all([
    suggestionsOrNone(c, me.businessId, lang),
    listPartnerships(deps(c), { viewer: me, filters: {}, limit: 100 }),
  ]);
  return page(
    c,
    t(lang).mineTitle,
    <OwnerPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      business={business}
      suggestions={suggestions}
      partnerships={partnerships.items}
      done={c.req.query("done") === "1"}
    />,
  );
});

const RequestForm = z.object({
  partnerId: z.string().min(1).max(64),
  pattern: z.enum(PARTNERSHIP_PATTERNS),
  message: PartnershipTextSchema,
});

consoleRoutes.post("/me/requests", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const form = RequestForm.safeParse({
    partnerId: await formField(c, "partnerId"),
    pattern: await formField(c, "pattern"),
    message: await formField(c, "message"),
  });
  if (!form.success) throw validationError([{ path: "form", message: "Choose a partner and a pattern." }]);
  await createPartnership(
    { ...deps(c), config: parsePartnershipConfig(c.env) },
    {
      actor,
      partnerId: form.data.partnerId,
      pattern: form.data.pattern,
      message: form.data.message,
      now: Date.now(),
    },
  );
  return c.redirect(done("/ui/me"), 303);
});

consoleRoutes.post("/me/declined", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const partnerId = await formField(c, "partnerId");
  if (!partnerId) throw validationError([{ path: "partnerId", message: "Missing partner." }]);
  await declinePair(deps(c), { actor, partnerId, now: Date.now() });
  return c.redirect(done("/ui/me"), 303);
});

const ownerActions = {
  accept: acceptPartnership,
  decline: declinePartnership,
  cancel: cancelPartnership,
} as const;

consoleRoutes.post("/me/partnerships/:id/:action{accept|decline|cancel}", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const action = c.req.param("action") as keyof typeof ownerActions;
  await ownerActions[action](deps(c), { id: c.req.param("id"), actor, now: Date.now() });
  return c.redirect(done("/ui/me"), 303);
});

const EndForm = z.object({ outcome: z.enum(PARTNERSHIP_OUTCOMES), note: PartnershipTextSchema });

consoleRoutes.post("/me/partnerships/:id/end", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const form = EndForm.safeParse({
    outcome: await formField(c, "outcome"),
    note: await formField(c, "note"),
  });
  if (!form.success) throw validationError([{ path: "outcome", message: "Choose an outcome." }]);
  await endPartnership(deps(c), {
    id: c.req.param("id"),
    actor,
    outcome: form.data.outcome,
    note: form.data.note || undefined,
    now: Date.now(),
  });
  return c.redirect(done("/ui/me"), 303);
});

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
  let text: string = s.errorCodes[e.code] ?? e.detail ?? e.title;
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
  return renderConsoleError(new ApiError("not_found", t(langOf(c)).notFoundTitle), c);
}
