import { env, exports } from "cloudflare:workers";
import { expect, vi } from "vitest";
import { createDb } from "../../src/db";
import { MemoryMailer } from "../../src/email/mailer";
import type { Problem } from "../../src/http/problem";
import { createApiKey } from "../../src/services/accounts/api-keys.service";
import { redeemSignInToken } from "../../src/services/accounts/sign-in.service";
import type { CreateBusinessInput } from "../../src/services/businesses/business-columns";
import type { Business } from "../../src/services/businesses/businesses.views";
import { createBusiness } from "../../src/services/businesses/create.service";
import { signUpBusiness } from "../../src/services/businesses/sign-up.service";
import type { ServiceDeps } from "../../src/services/deps";
import { refreshesSettled } from "../../src/services/matching/refresh-batch";

export function deps(): ServiceDeps {
  return { db: createDb(env.DB) };
}

/** A fresh officer key (plaintext), inserted through the service the script uses too. */
export async function officerKey(role: "officer" | "admin" = "officer"): Promise<string> {
  const key = await createApiKey(deps(), { kind: "officer", role, label: "test officer", now: Date.now() });
  return key.plaintext;
}

let nibCounter = 0;
/** A unique, valid 13-digit NIB per call within a file. */
export function uniqueNib(): string {
  nibCounter += 1;
  return `91200${String(Date.now() % 1e5).padStart(5, "0")}${String(nibCounter).padStart(3, "0")}`;
}

let emailCounter = 0;
/**
 * An address no other call used. A sign-up emails its address, and those emails are rate-limited
 * per address (5 a minute): tests that sign up through the API give each sign-up its own.
 */
export function uniqueEmail(local = "signup"): string {
  emailCounter += 1;
  return `${local}-${Date.now().toString(36)}-${emailCounter}@example.id`;
}

/** A valid create body (an industry in Miji making shoes); override any field. */
export function industryBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "UD Sepatu Miji Jaya",
    sector: "industry",
    kbli: [{ code: "15201", version: "2020" }],
    sizeClass: "mikro",
    location: { kelurahan: "Miji" },
    offers: "Produksi sepatu kulit dan sandal untuk grosir",
    needs: "Butuh toko dan distributor untuk alas kaki",
    email: "miji@example.id",
    ...overrides,
  };
}

/** A valid create body for a service business (a retailer in Prajuritkulon). */
export function serviceBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "Toko Sepatu Prajurit",
    sector: "service",
    kbli: [{ code: "47711", version: "2020" }],
    sizeClass: "kecil",
    location: { kelurahan: "Prajurit Kulon" },
    offers: "Toko alas kaki dan pakaian di pusat kota",
    needs: "Mencari pemasok sepatu dan sandal lokal",
    email: "toko@example.id",
    ...overrides,
  };
}

/** A create body completed with the defaults the API would fill in, as the service takes it. */
export function businessFields(body: Record<string, unknown>): CreateBusinessInput {
  return {
    nib: null,
    offers: "",
    needs: "",
    language: "id",
    maxPartners: 3,
    ekatalog: { listed: false },
    active: true,
    ...body,
  } as CreateBusinessInput;
}

/** Seeds a business through the service (not the API) and returns it with its key. */
export async function seedBusiness(body: Record<string, unknown>) {
  return createBusiness(deps(), { fields: businessFields(body), now: Date.now() });
}

/**
 * A self sign-up confirmed from its address (so `pending_review`), through the services: signed up
 * at `now`, its emailed link used a minute later.
 */
export async function confirmedSignUp(
  fields: Omit<CreateBusinessInput, "active">,
  now = Date.now(),
): Promise<Business> {
  const mailer = new MemoryMailer();
  const business = await signUpBusiness(
    { ...deps(), mailer },
    { fields, confirmUrl: "https://kemitraan.test/ui/login/confirm", now },
  );
  const token = /token=([A-Za-z0-9_-]{43})/.exec(mailer.sent[0]?.text ?? "")?.[1];
  if (!token) throw new Error("the sign-up sent no confirmation link");
  await redeemSignInToken(deps(), { token, now: now + 60_000 });
  return { ...business, status: "pending_review" };
}

/**
 * Signs up through `POST /v1/signup` and reads the confirmation link the log mailer wrote (the
 * development provider the tests run with). Works whether or not the test already spies on
 * `console.log`.
 *
 * @returns the sign-up as the API answered and the token of its emailed link.
 */
export async function signUpThroughApi(
  body: Record<string, unknown>,
): Promise<{ business: { id: string; status: string; language: string }; next: string; token: string }> {
  const spied = vi.isMockFunction(console.log);
  const log = spied ? vi.mocked(console.log) : vi.spyOn(console, "log").mockImplementation(() => undefined);
  const seen = log.mock.calls.length;
  try {
    const res = await call("/v1/signup", { body });
    expect(res.status).toBe(201);
    const answer = (await res.json()) as {
      business: { id: string; status: string; language: string };
      next: string;
    };
    const to = `"to":${JSON.stringify(String(body.email))}`;
    let token = "";
    await vi.waitFor(() => {
      const line = log.mock.calls
        .slice(seen)
        .map((c) => String(c[0]))
        .find((l) => l.toLowerCase().includes(to.toLowerCase()) && l.includes("token="));
      token = /token=([A-Za-z0-9_-]{43})/.exec(line ?? "")?.[1] ?? "";
      expect(token).not.toBe("");
    });
    return { ...answer, token };
  } finally {
    if (!spied) log.mockRestore();
  }
}

/** A sign-up through the API, confirmed with its emailed link (so `pending_review`); its id. */
export async function confirmedSignUpThroughApi(body: Record<string, unknown>): Promise<string> {
  const { business, token } = await signUpThroughApi(body);
  expect((await call("/v1/auth/callback", { body: { token } })).status).toBe(204);
  return business.id;
}

export interface CallOptions {
  method?: string;
  key?: string | null;
  body?: unknown;
  /** Raw body text, sent as is (for malformed input). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** "manual" returns a redirect instead of following it. */
  redirect?: "follow" | "manual";
}

/**
 * Waits until the suggestion refreshes that requests handed past their responses (`refreshLater`)
 * have run: a change reaches other businesses' stored sets then. Polls (a request's work cannot be
 * awaited from outside it); fails after `timeoutMs`.
 */
export async function waitForRefreshes(timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!refreshesSettled()) {
    if (Date.now() > until) throw new Error("suggestion refreshes still running");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Reads each business's suggestions once and waits for the recomputes those reads started: every
 * set is then fresh (a set that businesses created or changed in the last 30 s made stale is
 * served as stored once, and recomputed after that read).
 */
export async function settleSuggestions(ids: readonly string[], key: string): Promise<void> {
  for (const id of ids) {
    const res = await call(`/v1/businesses/${id}/matches?limit=1`, { key });
    if (res.status !== 200) throw new Error(`matches for ${id} answered ${res.status}`);
  }
  await waitForRefreshes();
}

/** Calls the Worker's own fetch handler, as a client would. */
export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.key) headers.set("Authorization", `Bearer ${options.key}`);
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  const method = options.method ?? (body === undefined ? "GET" : "POST");
  return exports.default.fetch(
    new Request(`https://kemitraan.test${path}`, {
      method,
      headers,
      body,
      ...(options.redirect ? { redirect: options.redirect } : {}),
    }),
  );
}

/** One row of `GET /v1/audit`, as the API answers it. */
export interface AuditJson {
  id: number;
  at: string;
  actor: { kind: string; id: string };
  entity: { type: string; id: string };
  action: string;
  fromState: string | null;
  toState: string | null;
  details: Record<string, unknown> | null;
}

/** The audit trail of one entity, oldest first, read through the API with an officer key. */
export async function auditTrail(entity: string, id: string, key: string): Promise<AuditJson[]> {
  const res = await call(`/v1/audit?entity=${entity}&entityId=${id}`, { key });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: AuditJson[] }).items;
}

/** The problem+json body as the API documents it. */
export type ProblemBody = Problem;

/** Asserts an RFC 9457 problem with the given status and returns its body. */
export async function expectProblem(res: Response, status: number, code?: string): Promise<ProblemBody> {
  expect(res.status).toBe(status);
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  const body = (await res.json()) as ProblemBody;
  expect(body.status).toBe(status);
  expect(body.requestId).toBe(res.headers.get("X-Request-Id"));
  expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  if (code) expect(body.code).toBe(code);
  return body;
}
