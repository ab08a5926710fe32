import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { createDb } from "../../src/db";
import { createApiKey } from "../../src/services/api-keys.service";
import { type CreateBusinessInput, createBusiness } from "../../src/services/businesses.service";
import type { ServiceDeps } from "../../src/services/deps";

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

/** Seeds a business through the service (not the API) and returns it with its key. */
export async function seedBusiness(body: Record<string, unknown>) {
  const fields = {
    nib: null,
    offers: "",
    needs: "",
    language: "id",
    maxPartners: 3,
    ekatalog: { listed: false },
    active: true,
    ...body,
  } as CreateBusinessInput;
  return createBusiness(deps(), { fields, now: Date.now() });
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

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: Array<{ path: string; message: string }>;
}

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
