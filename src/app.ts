import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import { accessJwtResolver } from "./auth/access-jwt.resolver";
import { apiKeyResolver } from "./auth/api-key.resolver";
import { authenticate } from "./auth/middleware";
import type { CredentialResolver } from "./auth/principal";
import { sessionResolver } from "./auth/session.resolver";
import type { AppEnv } from "./env";
import { ApiError, defaultHook, handleError, payloadTooLarge, renderProblem } from "./errors";
import { adminRoutes } from "./routes/admin.routes";
import { authRoutes } from "./routes/auth.routes";
import { businessesRoutes } from "./routes/businesses.routes";
import { dataRightsRoutes } from "./routes/data-rights.routes";
import { renderDocsPage } from "./routes/docs.page";
import { IMPORT_BODY_LIMIT_BYTES, IMPORT_PATH, importsRoutes } from "./routes/imports.routes";
import { keysRoutes } from "./routes/keys.routes";
import { matchesRoutes } from "./routes/matches.routes";
import { metaRoutes } from "./routes/meta.routes";
import { partnershipsRoutes } from "./routes/partnerships.routes";

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
const tooLarge = () => {
  throw payloadTooLarge();
};
const defaultBodyLimit = bodyLimit({ maxSize: BODY_LIMIT_BYTES, onError: tooLarge });
// The one exception: a CSV import of up to 10,000 businesses needs more than 64 KiB.
const importBodyLimit = bodyLimit({ maxSize: IMPORT_BODY_LIMIT_BYTES, onError: tooLarge });
app.use("*", (c, next) =>
  (c.req.path === IMPORT_PATH && c.req.method === "POST" ? importBodyLimit : defaultBodyLimit)(c, next),
);
app.use("/v1/*", authenticate(resolvers));

app.route("/", metaRoutes);
app.route("/v1", businessesRoutes);
app.route("/v1", importsRoutes);
app.route("/v1", dataRightsRoutes);
app.route("/v1", matchesRoutes);
app.route("/v1", adminRoutes);
app.route("/v1", keysRoutes);
app.route("/v1", authRoutes);
app.route("/v1", partnershipsRoutes);

app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
  type: "http",
  scheme: "bearer",
  description:
    "API key `kmt_<prefix>_<secret>`: officers from `npm run officer:create`, businesses from creation.",
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
      name: "Privacy",
      description: "Data-subject rights (UU 27/2022): export everything held about a business; erasure.",
    },
    { name: "Audit", description: "Who changed what, when, from which state (officers)." },
    { name: "Admin", description: "Operations for officers: batch recompute of stored suggestions." },
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
