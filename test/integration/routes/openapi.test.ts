import { describe, expect, it } from "vitest";
import { call } from "../helpers";

interface Operation {
  operationId?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  requestBody?: unknown;
  responses?: Record<string, { content?: Record<string, unknown> }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, unknown>;
    securitySchemes: Record<string, { type: string; scheme: string }>;
  };
}

/** Routes anyone may call: documented with an empty security requirement. */
const anonymousRoutes = new Set([
  "/v1/signup",
  "/v1/auth/email-link",
  "/v1/auth/callback",
  "/v1/auth/logout",
  "/v1/digests/unsubscribe",
]);

async function document(): Promise<Document> {
  const res = await call("/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toContain("application/json");
  return (await res.json()) as Document;
}

function operations(doc: Document): Array<{ method: string; path: string; op: Operation }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method, path, op })),
  );
}

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document with a bearer security scheme", async () => {
    const doc = await document();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBe("Kemitraan");
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("documents every API route", async () => {
    const doc = await document();
    const found = operations(doc)
      .map((o) => `${o.method.toUpperCase()} ${o.path}`)
      .sort();
    expect(found).toEqual(
      [
        "GET /",
        "GET /health",
        "GET /problems",
        "GET /problems/{code}",
        "GET /v1/businesses",
        "POST /v1/businesses",
        "GET /v1/businesses/{id}",
        "PATCH /v1/businesses/{id}",
        "POST /v1/businesses/{id}/deactivate",
        "POST /v1/businesses/{id}/reactivate",
        "POST /v1/me/resubmit",
        "POST /v1/declined-pairs/undo",
        "POST /v1/businesses/import",
        "POST /v1/signup",
        "POST /v1/businesses/{id}/publish",
        "POST /v1/businesses/{id}/reject",
        "POST /v1/businesses/{id}/release-nib",
        "POST /v1/businesses/{id}/acknowledge-changes",
        "GET /v1/businesses/{id}/keys",
        "POST /v1/businesses/{id}/keys",
        "POST /v1/keys/{keyId}/revoke",
        "POST /v1/officers",
        "GET /v1/officers",
        "POST /v1/officers/{id}/deactivate",
        "POST /v1/auth/email-link",
        "GET /v1/auth/callback",
        "POST /v1/auth/callback",
        "POST /v1/auth/logout",
        "GET /v1/businesses/{id}/matches",
        "POST /v1/admin/recompute",
        "GET /v1/admin/recompute/{runId}",
        "POST /v1/partnerships",
        "GET /v1/partnerships",
        "GET /v1/partnerships/{id}",
        "POST /v1/partnerships/{id}/accept",
        "POST /v1/partnerships/{id}/decline",
        "POST /v1/partnerships/{id}/cancel",
        "POST /v1/partnerships/{id}/approve",
        "POST /v1/partnerships/{id}/reject",
        "POST /v1/partnerships/{id}/end",
        "POST /v1/declined-pairs",
        "POST /v1/declined-pairs/reset",
        "GET /v1/audit",
        "GET /v1/proposals",
        "GET /v1/proposals/{id}",
        "POST /v1/proposals/{id}/publish",
        "POST /v1/proposals/{id}/discard",
        "POST /v1/forums",
        "GET /v1/forums",
        "GET /v1/forums/stats",
        "POST /v1/forums/{id}/schedule",
        "GET /v1/forums/{id}/agenda",
        "POST /v1/forums/{id}/invitation",
        "GET /v1/forums/{id}/partners",
        "POST /v1/forums/{id}/meeting-requests",
        "POST /v1/forums/{id}/meeting-requests/{fromId}/answer",
        "DELETE /v1/forums/{id}/meeting-requests/{toId}",
        "POST /v1/forums/{id}/not-interested",
        "POST /v1/forum-meetings/{meetingId}/rating",
        "POST /v1/forums/{id}/invitations",
        "POST /v1/forums/{id}/agendas",
        "POST /v1/forums/{id}/meetings/{meetingId}/lock",
        "POST /v1/forums/{id}/meetings/{meetingId}/unlock",
        "POST /v1/forums/{id}/close",
        "POST /v1/forums/{id}/arrivals",
        "GET /v1/forums/{id}/table-plan",
        "GET /v1/forums/{id}/check-in",
        "GET /v1/forums/{id}/participants",
        "GET /v1/procurement/buyers",
        "POST /v1/procurement/buyers",
        "GET /v1/procurement/packages",
        "POST /v1/procurement/packages",
        "POST /v1/procurement/packages/import",
        "GET /v1/procurement/packages/{id}/suppliers",
        "POST /v1/procurement/packages/{id}/notify",
        "POST /v1/procurement/realisations/import",
        "GET /v1/procurement/share",
        "GET /v1/procurement/share/export.csv",
        "GET /v1/procurement/share/export.xlsx",
        "GET /v1/procurement/readiness",
        "GET /v1/procurement/readiness/{businessId}",
        "POST /v1/procurement/readiness/{businessId}/stages",
        "GET /v1/me/procurement/opportunities",
        "GET /v1/me/procurement/opportunities/{id}",
        "GET /v1/admin/jobs",
        "POST /v1/admin/jobs/{name}",
        "GET /v1/me/digest-preferences",
        "PUT /v1/me/digest-preferences",
        "GET /v1/digests/unsubscribe",
        "POST /v1/digests/unsubscribe",
        "GET /v1/businesses/{id}/export",
        "POST /v1/businesses/{id}/deletion-request",
        "GET /v1/deletion-requests",
        "POST /v1/deletion-requests/{id}/confirm",
        "POST /v1/deletion-requests/{id}/cancel",
        "GET /v1/dashboard",
        "GET /v1/dashboard/readiness",
        "GET /v1/dashboard/province",
        "GET /v1/dashboard/export.csv",
        "GET /v1/dashboard/export.xlsx",
      ].sort(),
    );
  });

  it("gives every operation a unique operationId, a tag, security and the shared error responses", async () => {
    const doc = await document();
    const ids = new Set<string>();
    for (const { path, op } of operations(doc)) {
      expect(op.operationId, path).toMatch(/^[a-z][A-Za-z]+$/);
      expect(ids.has(op.operationId ?? "")).toBe(false);
      ids.add(op.operationId ?? "");
      expect(op.tags?.length, path).toBeGreaterThan(0);
      expect(op.security, path).toBeDefined();
      if (anonymousRoutes.has(path)) expect(op.security, path).toEqual([]);
      else if (path.startsWith("/v1/")) {
        expect(op.security, path).toEqual([
          { bearerAuth: [] },
          { sessionCookie: [] },
          { cloudflareAccess: [] },
        ]);
      }
      // Outside /v1 nothing authenticates or limits a caller: no 401/403/429 is possible there.
      const shared = path.startsWith("/v1/") ? ["400", "401", "403", "422", "429", "500"] : ["500"];
      for (const status of shared) {
        expect(Object.keys(op.responses?.[status]?.content ?? {}), `${path} ${status}`).toEqual([
          "application/problem+json",
        ]);
      }
      if (!path.startsWith("/v1/"))
        for (const status of ["401", "403", "429"])
          expect(op.responses?.[status], `${path} ${status}`).toBeUndefined();
    }
  });

  it("documents the three ways to authenticate as security schemes", async () => {
    const doc = await document();
    const schemes = (doc as { components?: { securitySchemes?: Record<string, Record<string, string>> } })
      .components?.securitySchemes;
    expect(schemes?.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(schemes?.sessionCookie).toMatchObject({
      type: "apiKey",
      in: "cookie",
      name: "__Host-kemitraan_session",
    });
    expect(schemes?.cloudflareAccess).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "Cf-Access-Jwt-Assertion",
    });
  });

  it("lists no 401 or 403 on the public routes", async () => {
    const doc = await document();
    for (const path of ["/", "/health", "/problems", "/problems/{code}"]) {
      const op = doc.paths[path]?.get;
      expect(op?.security, path).toEqual([]);
      expect(Object.keys(op?.responses ?? {}), path).not.toContain("401");
      expect(Object.keys(op?.responses ?? {}), path).not.toContain("403");
    }
  });

  it("documents the request body of every POST, PUT and PATCH that reads one", async () => {
    const doc = await document();
    // Action routes (accept, approve, publish...) and the cookie/link flows take no JSON body.
    const withBody = [
      "POST /v1/businesses",
      "PATCH /v1/businesses/{id}",
      "POST /v1/signup",
      "POST /v1/partnerships",
      "POST /v1/partnerships/{id}/end",
      "POST /v1/partnerships/{id}/reject",
      "POST /v1/businesses/{id}/reject",
      "POST /v1/admin/recompute",
      "POST /v1/auth/email-link",
      "PUT /v1/me/digest-preferences",
      "POST /v1/declined-pairs/reset",
    ];
    for (const route of withBody) {
      const [method = "", path = ""] = route.split(" ");
      const body = doc.paths[path]?.[method.toLowerCase()]?.requestBody as
        | { content?: Record<string, { schema?: unknown }> }
        | undefined;
      expect(body?.content?.["application/json"]?.schema, route).toBeDefined();
    }
  });

  it("documents 413 and 415 for every route with a body", async () => {
    const doc = await document();
    for (const { method, path, op } of operations(doc)) {
      if (method !== "post" && method !== "patch" && method !== "put") continue;
      if (!op.requestBody) continue;
      expect(op.responses?.["413"], path).toBeDefined();
      expect(op.responses?.["415"], path).toBeDefined();
    }
  });

  it("resolves every $ref to a component", async () => {
    const doc = await document();
    const all = refs(doc.paths).concat(refs(doc.components));
    expect(all.length).toBeGreaterThan(0);
    for (const ref of all) {
      const [, kind = "", name = ""] = /^#\/components\/([^/]+)\/(.+)$/.exec(ref) ?? [];
      const components = doc.components as unknown as Record<string, Record<string, unknown> | undefined>;
      expect(components[kind]?.[name], ref).toBeDefined();
    }
  });
});

describe("browsable docs and index", () => {
  it("serves the API reference with scripts from this origin only", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toMatch(/https?:|\*/);
    const page = await res.text();
    const scripts = [...page.matchAll(/<script\b([^>]*)>(.*?)<\/script>/gis)];
    expect(scripts.map((m) => /src="([^"]+)"/.exec(m[1] ?? "")?.[1])).toEqual([
      "/assets/scalar-api-reference.js",
      "/assets/docs.js",
    ]);
    // No inline code: every script element is empty and loads a same-origin path.
    for (const m of scripts) expect(m[2]?.trim()).toBe("");
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it("links to the docs from the index", async () => {
    const res = await call("/");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { links: Record<string, string> };
    expect(body.links.docs).toBe("/docs");
    expect(body.links.openapi).toBe("/openapi.json");
  });
});
