import { and, eq, lt, or } from "drizzle-orm";
import { type IdempotencyKeyRow, idempotencyKeys } from "../../../schema";
import { hashApiKey } from "../../auth/api-keys";
import type { ServiceDeps } from "../deps";

/** A stored first response is replayed for 24 hours; older rows are purged by later claims. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * A claim whose request never finished (the isolate died between claim and completion) is taken
 * over by a retry after this long. Every handler answers well within it.
 */
export const IN_FLIGHT_LEASE_MS = 60 * 1000;

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type ClaimResult =
  | { outcome: "claimed"; claimToken: string }
  | { outcome: "replay"; response: StoredResponse }
  | { outcome: "mismatch" }
  | { outcome: "in_flight" }
  | { outcome: "erased" }
  /** Stored under another secret (rotated, or before it existed): it cannot be replayed. */
  | { outcome: "unreadable" };

export interface IdempotencyDeps extends ServiceDeps {
  /**
   * The server-side secret (IDEMPOTENCY_SECRET) the body keys are derived from: without it, a copy
   * of the table and the client's key decrypt nothing.
   */
  secret: string;
}

export interface IdempotencyInput {
  /** `officer:<id>`, `business:<id>` or `anonymous:<ip>`: keys are scoped to their sender. */
  principal: string;
  /** The Idempotency-Key header as sent. */
  key: string;
  method: string;
  /** Path and query string. */
  path: string;
  body: string;
  now: number;
}

const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** HKDF salt: names what the derived keys are for, so the secret's keys for nothing else collide. */
const BODY_KEY_SALT = encoder.encode("kemitraan/idempotency-body/v1");

/**
 * The AES-GCM key of one stored body: HKDF-SHA256 of the server's secret, bound to the caller and
 * the client's key (`principal` has no newline; a key is printable ASCII without spaces, so the
 * info string is unambiguous). The table holds neither the secret nor the client's key.
 */
async function bodyKey(secret: string, principal: string, key: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: BODY_KEY_SALT, info: encoder.encode(`${principal}\n${key}`) },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

function keyHashOf(key: string): Promise<string> {
  return hashApiKey(`idempotency-key\n${key}`);
}

function requestHashOf(input: IdempotencyInput): Promise<string> {
  return hashApiKey(`${input.method.toUpperCase()}\n${input.path}\n${input.body}`);
}

/**
 * Claims `(principal, key)` for this request, or says what an earlier request with the same key
 * left: its response to replay, a different request (`mismatch`), or one still running. One D1
 * batch purges expired rows and abandoned claims, inserts with ON CONFLICT DO NOTHING and reads the
 * row back, so of two concurrent requests exactly one owns the claim.
 */
export async function claimIdempotencyKey(
  deps: IdempotencyDeps,
  input: IdempotencyInput,
): Promise<ClaimResult> {
  const keyHash = await keyHashOf(input.key);
  const requestHash = await requestHashOf(input);
  const claimToken = crypto.randomUUID();
  const thisKey = and(eq(idempotencyKeys.principal, input.principal), eq(idempotencyKeys.keyHash, keyHash));
  const [, , rows] = await deps.db.batch([
    deps.db
      .delete(idempotencyKeys)
      .where(
        or(
          lt(idempotencyKeys.createdAt, input.now - IDEMPOTENCY_TTL_MS),
          and(
            thisKey,
            eq(idempotencyKeys.state, "in_flight"),
            lt(idempotencyKeys.createdAt, input.now - IN_FLIGHT_LEASE_MS),
          ),
        ),
      ),
    deps.db
      .insert(idempotencyKeys)
      .values({
        principal: input.principal,
        keyHash,
        requestHash,
        state: "in_flight",
        claimToken,
        createdAt: input.now,
      })
      .onConflictDoNothing(),
    deps.db.select().from(idempotencyKeys).where(thisKey),
  ]);
  const row: IdempotencyKeyRow | undefined = rows[0];
  if (!row) throw new Error("idempotency claim vanished within its own batch");
  if (row.claimToken === claimToken) return { outcome: "claimed", claimToken };
  if (row.requestHash !== requestHash) return { outcome: "mismatch" };
  if (row.state === "erased") return { outcome: "erased" };
  if (row.state !== "complete" || row.status === null || row.body === null || row.bodyIv === null) {
    return { outcome: "in_flight" };
  }
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(row.bodyIv) },
      await bodyKey(deps.secret, input.principal, input.key),
      fromBase64(row.body),
    );
  } catch {
    // AES-GCM authenticates: a wrong key fails here rather than yielding garbage.
    return { outcome: "unreadable" };
  }
  return {
    outcome: "replay",
    response: {
      status: row.status,
      headers: JSON.parse(row.headers ?? "{}") as Record<string, string>,
      body: new TextDecoder().decode(plain),
    },
  };
}

/**
 * Business ids (`biz_` + ULID) a response body names. Every response that carries a business's
 * data names its id (profiles, partnerships, proposals, import reports), so an erasure can find the
 * stored responses that quote it (`confirmDeletion`) without reading them.
 */
export function businessIdsIn(body: string): string[] {
  return [...new Set(body.match(/\bbiz_[0-9A-HJKMNP-TV-Z]{26}\b/g) ?? [])];
}

/** Stores the first response (the body encrypted) for replays; only the claim's owner can. */
export async function completeIdempotencyKey(
  deps: IdempotencyDeps,
  input: { principal: string; key: string; claimToken: string; response: StoredResponse; now: number },
): Promise<void> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const cipher = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv },
    await bodyKey(deps.secret, input.principal, input.key),
    encoder.encode(input.response.body),
  );
  await deps.db
    .update(idempotencyKeys)
    .set({
      state: "complete",
      status: input.response.status,
      headers: JSON.stringify(input.response.headers),
      body: toBase64(new Uint8Array(cipher)),
      bodyIv: toBase64(iv),
      businessIds: businessIdsIn(input.response.body),
      completedAt: input.now,
    })
    .where(
      and(
        eq(idempotencyKeys.principal, input.principal),
        eq(idempotencyKeys.keyHash, await keyHashOf(input.key)),
        eq(idempotencyKeys.claimToken, input.claimToken),
      ),
    );
}

/** Drops a claim whose request did not succeed, so the client may retry with the same key. */
export async function releaseIdempotencyKey(
  deps: ServiceDeps,
  input: { principal: string; key: string; claimToken: string },
): Promise<void> {
  await deps.db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.principal, input.principal),
        eq(idempotencyKeys.keyHash, await keyHashOf(input.key)),
        eq(idempotencyKeys.claimToken, input.claimToken),
      ),
    );
}
