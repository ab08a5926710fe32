import type { Principal } from "./principal";

/**
 * How long an isolate trusts a key it verified against D1 without asking again. This is the
 * revocation delay on every other isolate: a revoke clears the revoking isolate's entry at once
 * (`forgetVerifiedKey`), but isolates elsewhere keep serving the key until their entry is this old.
 * 60 s keeps the officer-key lookup off almost every request under load while bounding that delay.
 */
export const VERIFIED_KEY_TTL_MS = 60 * 1000;

/** Entries per isolate; the oldest verification is dropped first. About 200 bytes each. */
export const VERIFIED_KEY_CACHE_MAX = 1_000;

export interface VerifiedKey {
  principal: Principal;
  keyId: string;
  /** The officer the key was minted for (null or absent: no officer), so deactivation can drop it. */
  officerId?: string | null;
  /** Epoch ms of the D1 check this entry stands for (the TTL counts from it). */
  verifiedAt: number;
  /** The key's last recorded use as this isolate knows it, so use is still recorded hourly. */
  lastUsedAt: number | null;
}

/**
 * Keyed by the lowercase hex SHA-256 of the whole presented key, never the key itself: a key with
 * the right prefix but another secret hashes elsewhere and goes to D1. Map order is insertion
 * order, and an entry is re-inserted when it is verified again, so the first entry is the oldest.
 * Failures are never cached (a key created a moment ago must work at once). Only plain values are
 * shared across requests, never promises.
 */
const entries = new Map<string, VerifiedKey>();

/**
 * Bumped by every revocation. A lookup that read D1 before a revoke in this isolate must not cache
 * what it read after the revoke evicted the key: it passes the generation it started under.
 */
let generation = 0;

/** Read before the D1 lookup and hand it to `rememberVerifiedKey`. */
export function verifiedKeyGeneration(): number {
  return generation;
}

/** The entry for this key hash when it was verified less than `VERIFIED_KEY_TTL_MS` ago. */
export function getVerifiedKey(hash: string, now: number): VerifiedKey | undefined {
  const entry = entries.get(hash);
  if (!entry) return undefined;
  // A clock that went backwards counts as expired too.
  if (now - entry.verifiedAt >= VERIFIED_KEY_TTL_MS || now < entry.verifiedAt) {
    entries.delete(hash);
    return undefined;
  }
  return entry;
}

/**
 * Remembers a key just verified against D1, evicting the oldest entries beyond the bound; nothing
 * when a key was revoked in this isolate since `startedAt` (from `verifiedKeyGeneration`).
 */
export function rememberVerifiedKey(hash: string, entry: VerifiedKey, startedAt: number): void {
  if (startedAt !== generation) return;
  entries.delete(hash);
  entries.set(hash, { ...entry, principal: Object.freeze({ ...entry.principal }) });
  for (const oldest of entries.keys()) {
    if (entries.size <= VERIFIED_KEY_CACHE_MAX) break;
    entries.delete(oldest);
  }
}

/** Drops every entry of this key (called when it is revoked, so this isolate refuses it at once). */
export function forgetVerifiedKey(keyId: string): void {
  generation += 1;
  for (const [hash, entry] of entries) {
    if (entry.keyId === keyId) entries.delete(hash);
  }
}

/**
 * Drops every entry of this officer's keys (called when the officer is deactivated, so this
 * isolate refuses them at once, including a key the caller did not know was theirs).
 */
export function forgetVerifiedKeysOfOfficer(officerId: string): void {
  generation += 1;
  for (const [hash, entry] of entries) {
    if (entry.officerId === officerId) entries.delete(hash);
  }
}

/** Test hook: forget every verified key. */
export function resetVerifiedKeyCache(): void {
  entries.clear();
}

/** Test hook: how many keys this isolate holds. */
export function verifiedKeyCount(): number {
  return entries.size;
}
