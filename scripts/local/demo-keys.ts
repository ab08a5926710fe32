import { hashApiKey, KEY_PATTERN } from "../../src/auth/api-keys";

/**
 * Demo API keys for the *local* database only. They are derived from a fixed, public secret, so
 * `npm start` and `npm run demo:credentials` can print them again at any time without storing the
 * plaintext. Anyone can recompute them: never load them into a remote D1.
 */
export const LOCAL_DEMO_SECRET = "kemitraan-local-demo";

/** Fixed row id of the demo officer's key. */
export const DEMO_OFFICER_KEY_ID = "key_demo_officer";

/** Same alphabet as `randomToken` (src/lib/ids.ts), so derived keys match KEY_PATTERN. */
const ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

export interface DemoKey {
  /** api_keys.id: stable, so reseeding updates the row instead of adding one. */
  id: string;
  plaintext: string;
  prefix: string;
  /** What the auth code compares against (hex SHA-256 of the whole key). */
  hash: string;
}

async function hmac(secret: string, message: string): Promise<Uint8Array> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(message)));
}

/**
 * The key for a subject (`"officer"` or a business id): HMAC-SHA256(LOCAL_DEMO_SECRET, subject),
 * two blocks for the 48 characters a key needs (8 prefix + 40 secret), in the API's key format.
 *
 * @example await deriveDemoKey("officer") // { plaintext: "kmt_xxxxxxxx_<40 chars>", ... }
 */
export async function deriveDemoKey(subject: string, keyId: string): Promise<DemoKey> {
  const bytes = new Uint8Array([
    ...(await hmac(LOCAL_DEMO_SECRET, `${subject}:0`)),
    ...(await hmac(LOCAL_DEMO_SECRET, `${subject}:1`)),
  ]);
  // 256 is a multiple of 32, so masking keeps each character uniform.
  const chars = [...bytes.slice(0, 48)].map((b) => ALPHABET[b & 31]).join("");
  const prefix = chars.slice(0, 8);
  const plaintext = `kmt_${prefix}_${chars.slice(8)}`;
  if (!KEY_PATTERN.test(plaintext)) throw new Error(`derived key does not match KEY_PATTERN: ${plaintext}`);
  return { id: keyId, plaintext, prefix, hash: await hashApiKey(plaintext) };
}

export function demoOfficerKey(): Promise<DemoKey> {
  return deriveDemoKey("officer", DEMO_OFFICER_KEY_ID);
}

export function demoBusinessKey(businessId: string): Promise<DemoKey> {
  return deriveDemoKey(businessId, `key_demo_${businessId}`);
}
