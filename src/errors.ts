import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import { MailError } from "./email/errors";
import type { AppEnv } from "./env";

/** One failing field: `path` is dotted (`kbli.0.code`), relative to the request part it came from. */
export interface FieldError {
  path: string;
  message: string;
  /** For a file upload (CSV import): the 1-based physical line and the column's header. */
  line?: number;
  column?: string;
}

/**
 * The one error type. `code` is stable and machine-readable; `title` is a short human summary
 * that does not vary between occurrences; `detail` explains this occurrence.
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra?: { errors?: FieldError[]; headers?: Record<string, string> },
  ) {
    super(detail ?? title);
    this.name = "ApiError";
  }
}

/** 422 for input that parsed but breaks a rule (schema or domain). */
export function validationError(errors: FieldError[], detail = "The request has invalid fields."): ApiError {
  return new ApiError(422, "validation_failed", "Validation failed", detail, { errors });
}

export function notFound(what = "Resource"): ApiError {
  return new ApiError(404, "not_found", "Not found", `${what} not found.`);
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

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
    type: `/problems/${error.code}`,
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
        return new ApiError(400, "malformed_body", "Malformed request body", "The body is not valid JSON.");
      case 413:
        return payloadTooLarge();
      case 415:
        return new ApiError(
          415,
          "unsupported_media_type",
          "Unsupported media type",
          "Send the body as application/json.",
        );
      default:
        return new ApiError(
          err.status as ContentfulStatusCode,
          "http_error",
          err.message || "Request failed",
        );
    }
  }
  if (isStorageUnavailable(err)) return storageUnavailable();
  if (err instanceof MailError && err.kind === "config") return mailNotConfigured();
  return new ApiError(500, "internal_error", "Internal error");
}

/**
 * The deployment cannot send mail: no usable provider (the log provider outside development, a
 * missing setting). Thrown before anything is sent or stored, so nothing happened; the setting at
 * fault goes to the log (with no link in it: none was made yet), never to the caller.
 */
export function mailNotConfigured(): ApiError {
  return new ApiError(
    503,
    "mail_not_configured",
    "Email unavailable",
    "This service cannot send email until an operator configures its mail provider. Nothing was sent.",
  );
}

/** The messages of `err` and its causes, outermost first (at most five). */
function causeMessages(err: unknown): string[] {
  const messages: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) messages.push(e.message);
  // A thrown non-Error (wrapped in app.ts) ends the chain.
  if (e !== undefined && !(e instanceof Error)) messages.push(String(e));
  return messages;
}

/** Seconds a client should wait before retrying after a storage fault. */
export const STORAGE_RETRY_AFTER_S = 2;

export function storageUnavailable(): ApiError {
  return new ApiError(
    503,
    "storage_unavailable",
    "Service temporarily unavailable",
    "The database did not answer. Nothing was changed; retry shortly.",
    { headers: { "Retry-After": String(STORAGE_RETRY_AFTER_S) } },
  );
}

/**
 * D1's transient failures, by the messages Cloudflare documents for them: the network between the
 * Worker and the database, an overloaded or restarting database object, a node that cannot be
 * reached. Retrying later can succeed, so they are a 503.
 */
const TRANSIENT_D1 =
  /network connection lost|overloaded|too many requests queued|requests queued for too long|storage caused object to be reset|reset because its code was updated|transient issue|exceeded its (memory|cpu)|internal error in d1|cannot resolve d1|d1 db .*unavailable|connection (was )?(reset|closed|refused)|timed? ?out/i;

/**
 * A statement the database refused (a constraint, a missing column, a type or syntax error) is a
 * bug in our code, not weather: it stays a bare 500. Unique violations the services expect are
 * caught and mapped before this.
 */
const D1_BUG =
  /constraint failed|SQLITE_CONSTRAINT|no such (table|column)|syntax error|D1_TYPE_ERROR|D1_COLUMN_NOTFOUND|too many SQL variables|datatype mismatch/i;

/**
 * True when `err` (or an error in its `cause` chain, as drizzle wraps D1's) is a transient D1
 * failure rather than a bug.
 */
export function isStorageUnavailable(err: unknown): boolean {
  const messages = causeMessages(err);
  if (messages.some((m) => D1_BUG.test(m))) return false;
  return messages.some((m) => TRANSIENT_D1.test(m));
}

export function payloadTooLarge(): ApiError {
  return new ApiError(
    413,
    "payload_too_large",
    "Payload too large",
    "The request body exceeds the size limit.",
  );
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

/** Flattens zod issues into field errors; each unknown key gets its own entry with its full path. */
export function fieldErrorsFromZod(error: ZodError): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ path: [...base, key].join("."), message: "Unknown field." });
    } else {
      out.push({ path: base.join("."), message: issue.message });
    }
  }
  return out;
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
    type: z.string().openapi({ example: "/problems/validation_failed" }),
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

/** Extra responses for routes that take a JSON body. */
export const bodyErrorResponses = {
  413: problemResponse("Body larger than the limit."),
  415: problemResponse("Body is not application/json."),
} as const;

export const notFoundResponse = {
  404: problemResponse("No such resource (or not visible to the caller)."),
} as const;
export const conflictResponse = { 409: problemResponse("Conflicts with the current state.") } as const;
