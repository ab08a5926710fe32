import { createRoute, z } from "@hono/zod-openapi";
import { publicErrorResponses } from "../http/problem";
import { createRouter } from "./router";

const tags = ["Meta"];

const IndexSchema = z
  .object({
    name: z.string(),
    version: z.string(),
    links: z.record(z.string(), z.string()),
  })
  .openapi("Index");

export const indexRoute = createRoute({
  method: "get",
  path: "/",
  operationId: "getIndex",
  summary: "Entry point: links to the API and its documentation",
  tags,
  security: [],
  responses: {
    200: { description: "Links.", content: { "application/json": { schema: IndexSchema } } },
    ...publicErrorResponses,
  },
});

export const healthRoute = createRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  summary: "Liveness check (does not touch the database)",
  tags,
  security: [],
  responses: {
    200: {
      description: "The Worker is up.",
      content: { "application/json": { schema: z.object({ status: z.literal("ok") }).openapi("Health") } },
    },
    ...publicErrorResponses,
  },
});

export const metaRoutes = createRouter()
  .openapi(indexRoute, (c) =>
    c.json(
      {
        name: "Kemitraan",
        version: c.env.APP_VERSION,
        links: {
          docs: "/docs",
          openapi: "/openapi.json",
          businesses: "/v1/businesses",
          matches: "/v1/businesses/{id}/matches",
          health: "/health",
        },
      },
      200,
    ),
  )
  .openapi(healthRoute, (c) => c.json({ status: "ok" as const }, 200));
