import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import { accessJwtResolver } from "./auth/access-jwt.resolver";
import { apiKeyResolver } from "./auth/api-key.resolver";
import { authenticate } from "./auth/middleware";
import type { CredentialResolver } from "./auth/principal";
import { SESSION_COOKIE } from "./auth/session";
import { sessionResolver } from "./auth/session.resolver";
import type { AppEnv } from "./env";
import { ApiError, defaultHook, handleError, payloadTooLarge, renderProblem } from "./errors";
import { adminRoutes } from "./routes/admin.routes";
import { authRoutes } from "./routes/auth.routes";
import { businessesRoutes } from "./routes/businesses.routes";
import { digestsRoutes } from "./routes/digests.routes";
import { renderDocsPage } from "./routes/docs.page";
import { jobsRoutes } from "./routes/jobs.routes";
import { keysRoutes } from "./routes/keys.routes";
import { matchesRoutes } from "./routes/matches.routes";
import { metaRoutes } from "./routes/meta.routes";
import { partnershipsRoutes } from "./routes/partnerships.routes";
import { proposalsRoutes } from "./routes/proposals.routes";

/** Largest accepted request body. offers + needs at 4000 chars each fit with room to spare. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * How callers are identified, in order; routes only ever see the resulting `principal`. An explicit
 * `Authorization` header wins over the Cloudflare Access assertion that Access adds to every request
 * behind it (inactive unless ACCESS_TEAM_DOMAIN and ACCESS_AUD are set); a business owner's session
 * cookie comes last.
 */
const resolvers: readonly CredentialResolver[] = [apiKeyResolver, accessJwtResolver, sessionResolver];

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
app.use("*", secureHeaders());
app.use(
  "*",
  bodyLimit({
    maxSize: BODY_LIMIT_BYTES,
    onError: () => {
      throw payloadTooLarge();
    },
  }),
);
app.use("/v1/*", authenticate(resolvers));

app.route("/", metaRoutes);
app.route("/v1", businessesRoutes);
app.route("/v1", matchesRoutes);
app.route("/v1", adminRoutes);
app.route("/v1", keysRoutes);
app.route("/v1", authRoutes);
app.route("/v1", partnershipsRoutes);
app.route("/v1", proposalsRoutes);
app.route("/v1", jobsRoutes);
app.route("/v1", digestsRoutes);

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
    { name: "Audit", description: "Who changed what, when, from which state (officers)." },
    {
      name: "Admin",
      description: "Operations for officers: batch recompute of stored suggestions; scheduled jobs.",
    },
    {
      name: "Digests",
      description: "Weekly/monthly email digests: cadence and language preferences, one-click unsubscribe.",
    },
    { name: "Meta", description: "Index and health." },
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
  c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  return c.html(renderDocsPage(openApiDocument()));
});

app.notFound((c) => renderProblem(c, new ApiError(404, "not_found", "Not found", "No such route.")));
app.onError(handleError);
