import { randomToken } from "../lib/ids";

/**
 * API key format: `kmt_<prefix>_<secret>`. The prefix (8 chars) is stored in clear and indexes the
 * lookup; only SHA-256(full key) is stored. Pure Web Crypto, so Node scripts can mint keys too.
 */
export const KEY_PATTERN = /^kmt_([a-z2-9]{8})_([a-z2-9]{40})$/;

export interface GeneratedKey {
  /** The full key: show it once, never store it. */
  plaintext: string;
  prefix: string;
  hash: string;
}

export async function generateApiKey(): Promise<GeneratedKey> {
  const prefix = randomToken(8);
  const plaintext = `kmt_${prefix}_${randomToken(40)}`;
  return { plaintext, prefix, hash: await hashApiKey(plaintext) };
}

/** Splits a presented key; null when it is not shaped like one of ours. */
export function parseApiKey(key: string): { prefix: string } | null {
  const m = KEY_PATTERN.exec(key);
  return m?.[1] ? { prefix: m[1] } : null;
}

const HEX_BYTES = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** Lowercase hex SHA-256 of the whole key (every authenticated request hashes its key). */
export async function hashApiKey(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  let hex = "";
  for (const b of digest) hex += HEX_BYTES[b];
  return hex;
}

/**
 * Constant-time equality of two hex digests. workerd has `crypto.subtle.timingSafeEqual`; Node does
 * not, so fall back to an xor loop over the full length.
 */
export function digestsEqual(a: string, b: string): boolean {
  const enc = new TextEncoder();
  const x = enc.encode(a);
  const y = enc.encode(b);
  if (x.byteLength !== y.byteLength) return false;
  const subtle = crypto.subtle as SubtleCrypto & {
    timingSafeEqual?: (a: ArrayBufferView, b: ArrayBufferView) => boolean;
  };
  if (typeof subtle.timingSafeEqual === "function") return subtle.timingSafeEqual(x, y);
  let diff = 0;
  for (let i = 0; i < x.byteLength; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
