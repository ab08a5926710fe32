import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import { MailError } from "../email/errors";
import type { AppEnv } from "../env";
import type { FieldError } from "../errors";
import {
  ApiError,
  causeMessages,
  fieldErrorsFromZod,
  isStorageUnavailable,
  mailNotConfigured,
  payloadTooLarge,
  storageUnavailable,
  validationError,
} from "../errors";

/**
 * The HTTP side of errors: one renderer (RFC 9457 problem+json with a request id), the root
 * `onError`, the zod-openapi validation hook, and the error responses every route documents.
 */

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Where a code's documentation lives: the problem's `type`, relative to the API's origin. */
export function problemType(code: string): string {
  return `/problems/${code}`;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: FieldError[];
}

/** Renders any ApiError as RFC 9457 problem+json. */
export function renderProblem(c: Context<AppEnv>, error: ApiError): Response {
  const requestId = c.get("requestId") ?? "";
  const body: Problem = {
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    ...(error.detail ? { detail: error.detail } : {}),
    instance: new URL(c.req.url).pathname,
    code: error.code,
    requestId,
    ...(error.extra?.errors ? { errors: error.extra.errors } : {}),
  };
  const headers = new Headers({ "Content-Type": PROBLEM_CONTENT_TYPE });
  for (const [k, v] of Object.entries(error.extra?.headers ?? {})) headers.set(k, v);
  if (requestId) headers.set("X-Request-Id", requestId);
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

/** Maps whatever was thrown to an ApiError; unknown errors become a bare 500. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException) {
    switch (err.status) {
      case 400:
        return new ApiError("malformed_body", "The body is not valid JSON.");
      case 401:
        return new ApiError("unauthorized", err.message || undefined);
      case 403:
        return new ApiError("forbidden", err.message || undefined);
      case 404:
        return new ApiError("not_found", err.message || undefined);
      case 413:
        return payloadTooLarge();
      case 415:
        return new ApiError("unsupported_media_type", "Send the body as application/json.");
      default:
        return err.status >= 500
          ? new ApiError("internal_error")
          : new ApiError("http_error", err.message || undefined);
    }
  }
  if (isStorageUnavailable(err)) return storageUnavailable();
  if (err instanceof MailError && err.kind === "config") return mailNotConfigured();
  return new ApiError("internal_error");
}

/** The root `onError`: logs the detail of unexpected errors with the request id, never returns it. */
export function handleError(err: unknown, c: Context<AppEnv>): Response {
  const apiError = toApiError(err);
  if (apiError.status >= 500) {
    console.error(
      JSON.stringify({
        level: "error",
        requestId: c.get("requestId"),
        method: c.req.method,
        path: new URL(c.req.url).pathname,
        error:
          err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
        // drizzle wraps D1's error: the cause says what the database said.
        causes: causeMessages(err).slice(1),
      }),
    );
  }
  return renderProblem(c, apiError);
}

/**
 * The zod-openapi validation hook: invalid params, queries and bodies become a 422 problem
 * naming each failing field. (Unparseable JSON never reaches here: it is a 400 from onError.)
 */
export function defaultHook(
  result: { success: true } | { success: false; error: ZodError; target: string },
  c: Context<AppEnv>,
): Response | undefined {
  if (result.success) return undefined;
  const where = result.target === "json" ? "body" : result.target;
  return renderProblem(c, validationError(fieldErrorsFromZod(result.error), `Invalid request ${where}.`));
}

export const ProblemSchema = z
  .object({
    type: z.string().openapi({
      example: problemType("validation_failed"),
      description: "Relative URI of the code's documentation: `GET /problems/{code}`.",
    }),
    title: z.string().openapi({ example: "Validation failed" }),
    status: z.number().int().openapi({ example: 422 }),
    detail: z.string().optional(),
    instance: z.string().openapi({ example: "/v1/businesses" }),
    code: z.string().openapi({ example: "validation_failed" }),
    requestId: z.string(),
    errors: z
      .array(
        z.object({
          path: z.string().openapi({ example: "kbli.0.code" }),
          message: z.string(),
          line: z.number().int().optional().openapi({ description: "CSV import: physical line (1-based)." }),
          column: z.string().optional().openapi({ description: "CSV import: the column's header." }),
        }),
      )
      .optional(),
  })
  .openapi("Problem", { description: "RFC 9457 problem details." });

function problemResponse(description: string) {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } } as const;
}

/** Error responses every route can produce; spread into each route's `responses`. */
export const commonErrorResponses = {
  400: problemResponse("Malformed request (unparseable JSON)."),
  401: problemResponse("Missing or invalid credentials."),
  403: problemResponse("Authenticated but not allowed."),
  422: problemResponse("Invalid fields; `errors` lists each one."),
  429: problemResponse(
    "Too many requests (writes, sign-up and sign-in links are rate-limited); see Retry-After.",
  ),
  500: problemResponse("Internal error; no detail is disclosed."),
  503: problemResponse(
    "The database is briefly unavailable (retry after Retry-After), or email is not configured " +
      "(`mail_not_configured`); nothing was changed.",
  ),
} as const;

/**
 * The errors of routes outside /v1 that take no credentials and touch no database (index,
 * health, the problem catalogue): authentication, rate limits and bodies never apply to them, so
 * listing 401/403 there would tell readers something false.
 */
export const publicErrorResponses = {
  500: problemResponse("Internal error; no detail is disclosed."),
} as const;

/** Extra responses for routes that take a JSON body. */
export const bodyErrorResponses = {
  413: problemResponse("Body larger than the limit."),
  415: problemResponse("Body is not application/json."),
} as const;

export const notFoundResponse = {
  404: problemResponse("No such resource (or not visible to the caller)."),
} as const;
export const conflictResponse = { 409: problemResponse("Conflicts with the current state.") } as const;
