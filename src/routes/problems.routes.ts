import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode, isErrorCode, notFound } from "../errors";
import { commonErrorResponses, notFoundResponse, problemType, publicErrorResponses } from "../http/problem";
import { renderProblemPage } from "./problems.page";
import { createRouter } from "./router";

/**
 * The error catalogue as documentation: every problem's `type` is `/problems/{code}`, and this is
 * what that URI answers (an HTML page for a browser, JSON otherwise).
 */

const tags = ["Meta"];

const ProblemTypeSchema = z
  .object({
    type: z.string().openapi({ example: "/problems/capacity_reached" }),
    code: z.string().openapi({ example: "capacity_reached" }),
    status: z.number().int().openapi({ example: 409 }),
    title: z.string().openapi({ example: "Capacity reached" }),
    description: z.string(),
  })
  .openapi("ProblemType", { description: "One error code of the catalogue." });

const CodeParamSchema = z.object({
  code: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "code", in: "path" }, example: "capacity_reached" }),
});

export const listProblemTypesRoute = createRoute({
  method: "get",
  path: "/problems",
  operationId: "listProblemTypes",
  summary: "Every error code the API answers with",
  tags,
  security: [],
  responses: {
    200: {
      description: "The catalogue, one entry per code.",
      content: { "application/json": { schema: z.object({ items: z.array(ProblemTypeSchema) }) } },
    },
    ...publicErrorResponses,
  },
});

export const getProblemTypeRoute = createRoute({
  method: "get",
  path: "/problems/{code}",
  operationId: "getProblemType",
  summary: "What an error code means (the target of a problem's `type`)",
  description:
    "Every problem+json error carries `type: /problems/{code}`. This answers an HTML page when the " +
    "client accepts text/html (a browser), else JSON.",
  tags,
  security: [],
  request: { params: CodeParamSchema },
  responses: {
    200: {
      description: "The code's status, title and meaning.",
      content: {
        "application/json": { schema: ProblemTypeSchema },
        "text/html": { schema: z.string() },
      },
    },
    ...notFoundResponse,
    422: commonErrorResponses[422],
    ...publicErrorResponses,
  },
});

function entryOf(code: ErrorCode) {
  const { status, title, description } = ERROR_CATALOGUE[code];
  return { type: problemType(code), code, status, title, description };
}

function wantsHtml(c: Context<AppEnv>): boolean {
  return (c.req.header("Accept") ?? "").includes("text/html");
}

export const problemsRoutes = createRouter()
  .openapi(listProblemTypesRoute, (c) => c.json({ items: ERROR_CODES.map(entryOf) }, 200))
  .openapi(getProblemTypeRoute, async (c) => {
    const { code } = c.req.valid("param");
    if (!isErrorCode(code)) throw notFound("Error code");
    if (wantsHtml(c)) {
      c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
      return c.html(await renderProblemPage(code), 200);
    }
    return c.json(entryOf(code), 200);
  });
