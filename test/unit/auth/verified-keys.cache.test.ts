import { afterEach, describe, expect, it } from "vitest";
import {
  forgetVerifiedKey,
  forgetVerifiedKeysOfOfficer,
  getVerifiedKey,
  rememberVerifiedKey,
  resetVerifiedKeyCache,
  VERIFIED_KEY_CACHE_MAX,
  VERIFIED_KEY_TTL_MS,
  type VerifiedKey,
  verifiedKeyCount,
  verifiedKeyGeneration,
} from "../../../src/auth/verified-keys.cache";

afterEach(() => {
  resetVerifiedKeyCache();
});

const T0 = Date.UTC(2026, 10, 29);

function entry(keyId: string, verifiedAt = T0): VerifiedKey {
  return { principal: { kind: "officer", id: keyId, role: "officer" }, keyId, verifiedAt, lastUsedAt: null };
}

describe("verified API key cache", () => {
  it("serves an entry until it is TTL old, then forgets it", () => {
    rememberVerifiedKey("h1", entry("key_1"), verifiedKeyGeneration());
    expect(getVerifiedKey("h1", T0 + VERIFIED_KEY_TTL_MS - 1)?.keyId).toBe("key_1");
    expect(getVerifiedKey("h1", T0 + VERIFIED_KEY_TTL_MS)).toBeUndefined();
    expect(verifiedKeyCount()).toBe(0);
  });

  it("treats a clock that went backwards as expired", () => {
    rememberVerifiedKey("h1", entry("key_1"), verifiedKeyGeneration());
    expect(getVerifiedKey("h1", T0 - 1)).toBeUndefined();
  });

  it("is bounded and evicts the oldest verification first", () => {
    for (let i = 0; i <= VERIFIED_KEY_CACHE_MAX; i++) {
      rememberVerifiedKey(`h${i}`, entry(`key_${i}`, T0 + i), verifiedKeyGeneration());
    }
    expect(verifiedKeyCount()).toBe(VERIFIED_KEY_CACHE_MAX);
    const now = T0 + VERIFIED_KEY_CACHE_MAX;
    expect(getVerifiedKey("h0", now)).toBeUndefined();
    expect(getVerifiedKey("h1", now)?.keyId).toBe("key_1");
    expect(getVerifiedKey(`h${VERIFIED_KEY_CACHE_MAX}`, now)?.keyId).toBe(`key_${VERIFIED_KEY_CACHE_MAX}`);
  });

  it("renews a key's place when it is verified again", () => {
    rememberVerifiedKey("h0", entry("key_0", T0), verifiedKeyGeneration());
    for (let i = 1; i < VERIFIED_KEY_CACHE_MAX; i++) {
      rememberVerifiedKey(`h${i}`, entry(`key_${i}`, T0 + 1), verifiedKeyGeneration());
    }
    rememberVerifiedKey("h0", entry("key_0", T0 + 2), verifiedKeyGeneration());
    rememberVerifiedKey("hnew", entry("key_new", T0 + 3), verifiedKeyGeneration());
    expect(getVerifiedKey("h0", T0 + 3)?.keyId).toBe("key_0");
    expect(getVerifiedKey("h1", T0 + 3)).toBeUndefined();
  });

  it("forgets every key of a deactivated officer, and no lookup that started before", () => {
    const started = verifiedKeyGeneration();
    rememberVerifiedKey("h1", { ...entry("key_1"), officerId: "ofc_a" }, started);
    rememberVerifiedKey("h2", { ...entry("key_2"), officerId: "ofc_a" }, started);
    rememberVerifiedKey("h3", { ...entry("key_3"), officerId: "ofc_b" }, started);
    rememberVerifiedKey("h4", entry("key_4"), started);
    forgetVerifiedKeysOfOfficer("ofc_a");
    expect(getVerifiedKey("h1", T0)).toBeUndefined();
    expect(getVerifiedKey("h2", T0)).toBeUndefined();
    expect(getVerifiedKey("h3", T0)?.keyId).toBe("key_3");
    expect(getVerifiedKey("h4", T0)?.keyId).toBe("key_4");
    rememberVerifiedKey("h1", { ...entry("key_1"), officerId: "ofc_a" }, started);
    expect(getVerifiedKey("h1", T0)).toBeUndefined();
  });

  it("forgets a revoked key and refuses to cache a lookup that started before the revocation", () => {
    rememberVerifiedKey("h1", entry("key_1"), verifiedKeyGeneration());
    rememberVerifiedKey("h2", entry("key_2"), verifiedKeyGeneration());
    const startedBefore = verifiedKeyGeneration();
    forgetVerifiedKey("key_1");
    expect(getVerifiedKey("h1", T0)).toBeUndefined();
    expect(getVerifiedKey("h2", T0)?.keyId).toBe("key_2");
    rememberVerifiedKey("h1", entry("key_1"), startedBefore);
    expect(getVerifiedKey("h1", T0)).toBeUndefined();
  });

  it("hands out a principal that callers cannot change", () => {
    rememberVerifiedKey("h1", entry("key_1"), verifiedKeyGeneration());
    const principal = getVerifiedKey("h1", T0)?.principal;
    expect(Object.isFrozen(principal)).toBe(true);
  });
});
