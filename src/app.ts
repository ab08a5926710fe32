import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import { authenticate } from "./auth/middleware";
import { resolvers } from "./auth/resolvers";
import { SESSION_COOKIE } from "./auth/session";
import type { AppEnv } from "./env";
import { ApiError, payloadTooLarge } from "./errors";
import { IdempotencyKeyParamSchema, idempotency } from "./http/idempotency";
import { defaultHook, handleError, renderProblem } from "./http/problem";
import { rateLimits } from "./http/rate-limit";
import { adminRoutes } from "./routes/admin.routes";
import { authRoutes } from "./routes/auth.routes";
import { businessesRoutes } from "./routes/businesses.routes";
import { dashboardApiRoutes } from "./routes/dashboard.routes";
import { dataRightsRoutes } from "./routes/data-rights.routes";
import { digestsRoutes } from "./routes/digests.routes";
import { DOCS_CSP, renderDocsPage } from "./routes/docs.page";
import { forumParticipationRoutes } from "./routes/forum-participation.routes";
import { forumsRoutes } from "./routes/forums.routes";
import { IMPORT_BODY_LIMIT_BYTES, IMPORT_PATH, importsRoutes } from "./routes/imports.routes";
import { jobsRoutes } from "./routes/jobs.routes";
import { keysRoutes } from "./routes/keys.routes";
import { matchesRoutes } from "./routes/matches.routes";
import { metaRoutes } from "./routes/meta.routes";
import { partnershipsRoutes } from "./routes/partnerships.routes";
import { problemsRoutes } from "./routes/problems.routes";
import { PROCUREMENT_IMPORT_PATHS, procurementRoutes } from "./routes/procurement.routes";
import { proposalsRoutes } from "./routes/proposals.routes";
import {
  consoleRoutes,
  isConsolePath,
  renderConsoleError,
  renderConsoleNotFound,
  renderLandingPage,
  wantsLandingPage,
} from "./ui/console.routes";

/** Largest accepted request body. offers + needs at 4000 chars each fit with room to spare. */
export const BODY_LIMIT_BYTES = 64 * 1024;

const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const id = crypto.randomUUID();
  c.set("requestId", id);
  c.set("principal", null);
  await next();
  c.header("X-Request-Id", id);
});

export const app = new OpenAPIHono<AppEnv>({ defaultHook });

app.use("*", requestId);
// CORS stays off: the API is called server-to-server and by same-origin pages.
// Every response gets the security headers. The default CSP suits JSON (nothing may load, nothing
// may frame it); an HTML page sets its own stricter-than-default policy in its handler, which
// `overwrite: false` keeps.
app.use(
  "*",
  secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    xFrameOptions: "DENY",
    overwrite: false,
  }),
);
// API responses carry personal data (UU 27/2022): no shared or browser cache keeps them, unless
// a handler says otherwise.
app.use("/v1/*", async (c, next) => {
  await next();
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
});
const tooLarge = () => {
  throw payloadTooLarge();
};
const defaultBodyLimit = bodyLimit({ maxSize: BODY_LIMIT_BYTES, onError: tooLarge });
// The one exception: a CSV import of up to 10,000 businesses needs more than 64 KiB.
const importBodyLimit = bodyLimit({ maxSize: IMPORT_BODY_LIMIT_BYTES, onError: tooLarge });
/** The console's procurement file uploads (RUP and realisation sheets) read up to 5 MB too. */
export const LARGE_UPLOAD_PATHS = new Set([
  IMPORT_PATH,
  "/ui/pengadaan/rup/import",
  "/ui/pengadaan/realisasi/import",
  ...PROCUREMENT_IMPORT_PATHS,
]);
app.use("*", (c, next) =>
  (LARGE_UPLOAD_PATHS.has(c.req.path) && c.req.method === "POST" ? importBodyLimit : defaultBodyLimit)(
    c,
    next,
  ),
);
// Hono hands only Error instances to onError; anything else thrown (a string, a plain object)
// would escape every middleware and reach the runtime. Wrapped, it is a bare 500 like any.
app.use("*", async (_c, next) => {
  try {
    await next();
  } catch (err) {
    if (err instanceof Error) throw err;
    throw new Error("non-Error thrown", { cause: err });
  }
});
app.use("/v1/*", authenticate(resolvers));
// After authentication: limits and idempotency keys are per caller. Rate limits first, so a
// replayed request counts too (a client hammering replays is still hammering).
app.use("/v1/*", rateLimits);
app.use("/v1/*", idempotency);

// `/` is the public landing page for a browser; API clients (Accept: application/json, or none)
// keep the JSON index below.
app.get("/", async (c, next) => {
  if (!wantsLandingPage(c)) return next();
  return renderLandingPage(c);
});
app.route("/", metaRoutes);
app.route("/", problemsRoutes);
app.route("/v1", businessesRoutes);
app.route("/v1", importsRoutes);
app.route("/v1", dataRightsRoutes);
app.route("/v1", matchesRoutes);
app.route("/v1", adminRoutes);
app.route("/v1", keysRoutes);
app.route("/v1", authRoutes);
app.route("/v1", partnershipsRoutes);
app.route("/v1", proposalsRoutes);
app.route("/v1", forumsRoutes);
app.route("/v1", forumParticipationRoutes);
app.route("/v1", procurementRoutes);
app.route("/v1", jobsRoutes);
app.route("/v1", digestsRoutes);
app.route("/v1", dashboardApiRoutes);
// The officer and owner console (server-rendered HTML); its errors render as pages, not problems.
app.route("/ui", consoleRoutes);

app.openAPIRegistry.registerParameter("IdempotencyKey", IdempotencyKeyParamSchema);
app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
  type: "http",
  scheme: "bearer",
  description:
    "API key `kmt_<prefix>_<secret>`: officers from `npm run officer:create`, businesses from creation.",
});
app.openAPIRegistry.registerComponent("securitySchemes", "sessionCookie", {
  type: "apiKey",
  in: "cookie",
  name: SESSION_COOKIE,
  description:
    "Business owners' session from a one-time email link (`POST /v1/auth/email-link`). Unsafe methods " +
    "with the cookie must come from this origin (Origin / Sec-Fetch-Site), or the cookie is ignored.",
});
app.openAPIRegistry.registerComponent("securitySchemes", "cloudflareAccess", {
  type: "apiKey",
  in: "header",
  name: "Cf-Access-Jwt-Assertion",
  description:
    "Officers behind Cloudflare Access: the JWT Access adds to each request (checked for issuer, " +
    "audience and signature). Off unless ACCESS_TEAM_DOMAIN and ACCESS_AUD are set.",
});

const documentConfig = {
  openapi: "3.1.0",
  info: {
    title: "Kemitraan",
    version: "0.1.0",
    description:
      "Partnership matchmaking between service businesses and small industries in Kota Mojokerto: " +
      "a business registry and ranked, explained partner suggestions.",
  },
  tags: [
    { name: "Businesses", description: "The registry (officers manage it; a business sees itself)." },
    { name: "Matches", description: "Partner suggestions." },
    { name: "Keys", description: "API keys for integrations, and officers (admins manage them)." },
    { name: "Sign-in", description: "Business owners: one-time email links and session cookies." },
    {
      name: "Partnerships",
      description: "Requests, answers, officer approval, ending with an outcome; declined pairs.",
    },
    {
      name: "Proposals",
      description: "Weekly pairing proposals: drafts the engine chose, reviewed and published by officers.",
    },
    {
      name: "Forums",
      description: "Business-matching forums: scheduled one-to-one meetings, agendas, and their follow-ups.",
    },
    {
      name: "Procurement",
      description:
        "The city as a buyer: OPD, RUP packages, suppliers per package, notices, realised spending and the 40% share, readiness (officers); a business's opportunities.",
    },
    {
      name: "Privacy",
      description: "Data-subject rights (UU 27/2022): export everything held about a business; erasure.",
    },
    { name: "Audit", description: "Who changed what, when, from which state (officers)." },
    {
      name: "Admin",
      description: "Operations for officers: batch recompute of stored suggestions; scheduled jobs.",
    },
    {
      name: "Digests",
      description: "Weekly/monthly email digests: cadence and language preferences, one-click unsubscribe.",
    },
    {
      name: "Dashboard",
      description:
        "Outcome figures for a period, the procurement-readiness list and the laporan export (officers).",
    },
    { name: "Meta", description: "Index, health, and the error codes (the targets of problem `type` URIs)." },
  ],
};

let documentCache: ReturnType<typeof app.getOpenAPI31Document> | undefined;

/** The OpenAPI 3.1 document, generated once per isolate from the route contracts. */
export function openApiDocument() {
  documentCache ??= app.getOpenAPI31Document(documentConfig);
  return documentCache;
}

app.get("/openapi.json", (c) => c.json(openApiDocument()));
app.get("/docs", (c) => {
  c.header("Content-Security-Policy", DOCS_CSP);
  return c.html(renderDocsPage(openApiDocument().info));
});

app.notFound((c) =>
  isConsolePath(c.req.path)
    ? renderConsoleNotFound(c)
    : renderProblem(c, new ApiError("not_found", "No such route.")),
);
app.onError((err, c) => (isConsolePath(c.req.path) ? renderConsoleError(err, c) : handleError(err, c)));
