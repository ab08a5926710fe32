import type { ZodError } from "zod";

/**
 * The one error type and the catalogue of its codes. No Hono here: services, jobs and scripts throw
 * `ApiError`; the HTTP layer (src/http/problem.ts) renders it as RFC 9457 problem+json, and
 * `GET /problems/{code}` documents each code from this catalogue.
 */

interface CatalogueEntry {
  status: 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 422 | 429 | 500 | 503;
  /** A short summary that does not vary between occurrences (the problem's `title`). */
  title: string;
  /** What the code means and what a client can do about it (the `/problems/{code}` page). */
  description: string;
}

/**
 * Every error code the service answers with. `code` is stable and machine-readable; clients branch
 * on it, never on `title` or `detail`. Adding a code here is the only way to throw it.
 */
export const ERROR_CATALOGUE = {
  malformed_body: {
    status: 400,
    title: "Malformed request body",
    description: "The body could not be read: it is not valid JSON (or, for an import, not readable text).",
  },
  malformed_form: {
    status: 400,
    title: "Malformed form",
    description: "The console could not read the posted form. Reload the page and send it again.",
  },
  invalid_sign_in_link: {
    status: 400,
    title: "Invalid sign-in link",
    description:
      "The sign-in link is malformed, expired or already used. Ask for a new link; each works once, for a short time.",
  },
  http_error: {
    status: 400,
    title: "Bad request",
    description: "The request could not be handled as sent; `detail` says why.",
  },
  unauthorized: {
    status: 401,
    title: "Authentication required",
    description:
      "No valid credentials: send an API key as `Authorization: Bearer kmt_...`, a session cookie, or a Cloudflare Access token. See WWW-Authenticate.",
  },
  forbidden: {
    status: 403,
    title: "Forbidden",
    description:
      "The caller is known but its role may not do this (officers only, admins only, or not its own data).",
  },
  forbidden_field: {
    status: 403,
    title: "Forbidden",
    description: "The body changes a field the caller may not change (a business cannot set `active`).",
  },
  csrf_failed: {
    status: 403,
    title: "Forbidden",
    description: "A console form came without its token or from another site. Reload the page and try again.",
  },
  key_login_disabled: {
    status: 403,
    title: "Forbidden",
    description: "Officers sign in to the console through Cloudflare Access here; API-key sign-in is off.",
  },
  invalid_signature: {
    status: 403,
    title: "Invalid link",
    description:
      "The signed link (an unsubscribe link) was altered or belongs to someone else. Use the link as the email gave it.",
  },
  not_found: {
    status: 404,
    title: "Not found",
    description:
      "No such resource, or not one the caller may see (another business's data is not found, not forbidden).",
  },
  method_not_allowed: {
    status: 405,
    title: "Method not allowed",
    description: "The path exists but not with this method; `Allow` lists the ones it takes.",
  },
  already_deleted: {
    status: 409,
    title: "Already deleted",
    description:
      "The business's personal data was erased on its request; it can no longer be changed or used.",
  },
  already_reviewed: {
    status: 409,
    title: "Already reviewed",
    description: "Another officer has already published or rejected this sign-up.",
  },
  business_inactive: {
    status: 409,
    title: "Business inactive",
    description:
      "The business is deactivated or not yet published, so it cannot get suggestions or enter partnerships.",
  },
  business_not_published: {
    status: 409,
    title: "Business not published",
    description: "The sign-up waits for an officer's review; suggestions start once it is published.",
  },
  capacity_reached: {
    status: 409,
    title: "Capacity reached",
    description: "One side already has as many partners as its `maxPartners` allows.",
  },
  concurrent_update: {
    status: 409,
    title: "Concurrent update",
    description: "The resource changed between reading and writing it. Read it again and retry.",
  },
  deletion_pending: {
    status: 409,
    title: "Deletion already requested",
    description: "A deletion request for this business already waits for an officer.",
  },
  idempotency_key_unreadable: {
    status: 409,
    title: "Idempotent response unavailable",
    description:
      "A request with this Idempotency-Key succeeded, but its stored response can no longer be read (a server secret changed). Check its effect before retrying with a new key.",
  },
  idempotency_key_in_flight: {
    status: 409,
    title: "Request in progress",
    description:
      "A request with this Idempotency-Key is still running. Retry after Retry-After to get its answer.",
  },
  not_confirmed: {
    status: 409,
    title: "Sign-up not confirmed",
    description:
      "Nobody has confirmed this sign-up from its email address yet; it can be reviewed once they do.",
  },
  not_rejected: {
    status: 409,
    title: "Not rejected",
    description:
      "Only a sign-up an officer rejected can be resubmitted for review; this business is unconfirmed, waiting for review or published.",
  },
  invalid_state: {
    status: 409,
    title: "Invalid state",
    description:
      "The resource's current status does not allow this action (for example approving a request not yet accepted).",
  },
  nib_taken: {
    status: 409,
    title: "NIB already registered",
    description: "Another business already holds this NIB; a NIB identifies one business.",
  },
  officer_exists: {
    status: 409,
    title: "Officer exists",
    description: "An officer with this email is already registered.",
  },
  pair_declined: {
    status: 409,
    title: "Pair declined",
    description: "One side said it is not interested in this pair; an officer can reset the pair on request.",
  },
  partner_unavailable: {
    status: 409,
    title: "Partner unavailable",
    description: "The other business (or, for a proposal, either side) is not active and published now.",
  },
  partner_in_other_region: {
    status: 409,
    title: "Partner in another region",
    description:
      "In a province, each regency or city group runs its own deployment; the other business is registered in a " +
      "neighbouring one (suggestions reach across the border, requests and pairings do not yet). This " +
      "deployment's officers can take it up with that region's office.",
  },
  partnership_exists: {
    status: 409,
    title: "Partnership exists",
    description: "The pair already has an open request or partnership, in one direction or the other.",
  },
  state_changed: {
    status: 409,
    title: "State changed",
    description: "Another change won a race for the same resource. Reload it and decide again.",
  },
  too_many_open_requests: {
    status: 409,
    title: "Too many open requests",
    description:
      "The requester has as many unanswered requests as allowed (MAX_OPEN_REQUESTS); wait for answers or cancel one.",
  },
  forum_not_open: {
    status: 409,
    title: "Forum not open",
    description:
      "The forum does not take this change now: invitations, answers and requests close once it is over, ratings open once it is scheduled.",
  },
  not_a_participant: {
    status: 403,
    title: "Not a participant",
    description: "Only a business invited to the forum (and, for meetings, confirmed) takes part in it.",
  },
  too_many_meeting_requests: {
    status: 409,
    title: "Too many meeting requests",
    description:
      "The participant has sent as many meeting requests as the forum allows; a request counts until the other side declines it or the sender withdraws it.",
  },
  meeting_conflict: {
    status: 409,
    title: "Meeting conflict",
    description:
      "The slot or table is taken: one of the two businesses already meets someone then, or the table is in use.",
  },
  forum_scheduled: {
    status: 409,
    title: "Forum scheduled",
    description:
      "The forum's schedule has been run: an accepted meeting request can no longer be withdrawn (an unanswered one still can). Ask the forum's officer to change the schedule.",
  },
  meeting_not_locked: {
    status: 409,
    title: "Meeting not locked",
    description:
      "Only a locked meeting can be unlocked: this one is not locked (or another officer unlocked it first). Reload the table plan.",
  },
  forum_not_scheduled: {
    status: 409,
    title: "Forum not scheduled",
    description:
      "Only a scheduled forum can be closed: a draft or open one has no schedule yet (run it first), a closed one is closed already (perhaps by another officer).",
  },
  forum_day_not_reached: {
    status: 409,
    title: "Forum day not reached",
    description:
      "A forum is closed on or after its day (its date in Asia/Jakarta time, WIB); that day has not come yet.",
  },
  idempotent_response_erased: {
    status: 410,
    title: "Response erased",
    description:
      "The first response to this Idempotency-Key named a business whose data has since been erased, so it is no longer kept; the request was not repeated. Use a new key.",
  },
  payload_too_large: {
    status: 413,
    title: "Payload too large",
    description: "The body is larger than the limit (64 KiB; a CSV import may be larger).",
  },
  too_many_rows: {
    status: 413,
    title: "Too many rows",
    description: "The import file has more rows than one import takes; split it.",
  },
  unsupported_media_type: {
    status: 415,
    title: "Unsupported media type",
    description:
      "The body's Content-Type is not what the endpoint reads (application/json; text/csv for imports).",
  },
  validation_failed: {
    status: 422,
    title: "Validation failed",
    description: "The request parsed but some fields are invalid; `errors` names each one with its path.",
  },
  idempotency_key_reused: {
    status: 422,
    title: "Idempotency key reused",
    description:
      "This Idempotency-Key was already used for a different request. Use a new key for a new request.",
  },
  import_failed: {
    status: 422,
    title: "Import failed",
    description:
      "Some rows of the import are invalid, so none was imported; `errors` names each line and column.",
  },
  procurement_file_unreadable: {
    status: 422,
    title: "Procurement file unreadable",
    description:
      "The RUP or realisation file is not a CSV or XLSX sheet with a header row naming the required columns (docs/PROCUREMENT.md lists them). Rows with errors are reported by line; the valid rows of a readable file are imported.",
  },
  same_sector: {
    status: 422,
    title: "Same sector",
    description:
      "A partnership pairs a service business with a small industry; both sides are of one sector.",
  },
  rate_limited: {
    status: 429,
    title: "Too many requests",
    description: "Too many requests of this kind from this caller. Retry after the seconds in Retry-After.",
  },
  internal_error: {
    status: 500,
    title: "Internal error",
    description:
      "Something failed on our side. Nothing more is disclosed; quote the `requestId` when you report it.",
  },
  storage_unavailable: {
    status: 503,
    title: "Service temporarily unavailable",
    description: "The database did not answer. Nothing was changed; retry after Retry-After.",
  },
  mail_not_configured: {
    status: 503,
    title: "Email unavailable",
    description:
      "The deployment cannot send email until an operator configures its mail provider. Nothing was sent or stored.",
  },
  not_configured: {
    status: 503,
    title: "Not configured",
    description:
      "A setting this feature needs is missing on the deployment (for example DIGEST_SIGNING_KEY).",
  },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
export type ErrorStatus = (typeof ERROR_CATALOGUE)[ErrorCode]["status"];

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, value);
}

/** One failing field: `path` is dotted (`kbli.0.code`), relative to the request part it came from. */
export interface FieldError {
  path: string;
  message: string;
  /** For a file upload (CSV import): the 1-based physical line and the column's header. */
  line?: number;
  column?: string;
}

/**
 * The one error type. Its status and title come from the catalogue entry of `code`; `detail`
 * explains this occurrence.
 */
export class ApiError extends Error {
  readonly status: ErrorStatus;
  readonly title: string;

  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly extra?: { errors?: FieldError[]; headers?: Record<string, string> },
  ) {
    const entry = ERROR_CATALOGUE[code];
    super(detail ?? entry.title);
    this.name = "ApiError";
    this.status = entry.status;
    this.title = entry.title;
  }
}

/** 422 for input that parsed but breaks a rule (schema or domain). */
export function validationError(errors: FieldError[], detail = "The request has invalid fields."): ApiError {
  return new ApiError("validation_failed", detail, { errors });
}

export function notFound(what = "Resource"): ApiError {
  return new ApiError("not_found", `${what} not found.`);
}

export function payloadTooLarge(): ApiError {
  return new ApiError("payload_too_large", "The request body exceeds the size limit.");
}

/**
 * The deployment cannot send mail: no usable provider (the log provider outside development, a
 * missing setting). Thrown before anything is sent or stored, so nothing happened; the setting at
 * fault goes to the log (with no link in it: none was made yet), never to the caller.
 */
export function mailNotConfigured(): ApiError {
  return new ApiError(
    "mail_not_configured",
    "This service cannot send email until an operator configures its mail provider. Nothing was sent.",
  );
}

/** Seconds a client should wait before retrying after a storage fault. */
export const STORAGE_RETRY_AFTER_S = 2;

export function storageUnavailable(): ApiError {
  return new ApiError(
    "storage_unavailable",
    "The database did not answer. Nothing was changed; retry shortly.",
    {
      headers: { "Retry-After": String(STORAGE_RETRY_AFTER_S) },
    },
  );
}

/** The messages of `err` and its causes, outermost first (at most five). */
export function causeMessages(err: unknown): string[] {
  const messages: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) messages.push(e.message);
  // A thrown non-Error (wrapped in app.ts) ends the chain.
  if (e !== undefined && !(e instanceof Error)) messages.push(String(e));
  return messages;
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
