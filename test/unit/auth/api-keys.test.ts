import { describe, expect, it } from "vitest";
import {
  digestsEqual,
  generateApiKey,
  hashApiKey,
  KEY_PATTERN,
  parseApiKey,
} from "../../../src/auth/api-keys";
import { newId } from "../../../src/lib/ids";

describe("API keys", () => {
  it("generates keys in the documented format whose hash is SHA-256 of the whole key", async () => {
    const key = await generateApiKey();
    expect(key.plaintext).toMatch(KEY_PATTERN);
    expect(parseApiKey(key.plaintext)).toEqual({ prefix: key.prefix });
    expect(key.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(key.hash).toBe(await hashApiKey(key.plaintext));
    expect(key.plaintext).not.toContain(key.hash);
  });

  it("hashes as lowercase hex SHA-256 (FIPS 180-2's test vectors)", async () => {
    expect(await hashApiKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(await hashApiKey("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("never repeats a key or prefix in a thousand draws", async () => {
    const keys = await Promise.all(Array.from({ length: 1000 }, () => generateApiKey()));
    expect(new Set(keys.map((k) => k.plaintext)).size).toBe(1000);
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(1000);
  });

  it.each([
    "",
    "kmt_",
    "Bearer kmt_abcdefgh_x",
    `kmt_ABCDEFGH_${"a".repeat(40)}`,
    `kmt_abcdefgh_${"a".repeat(39)}`,
  ])("rejects malformed key %j", (text) => {
    expect(parseApiKey(text)).toBeNull();
  });

  it("compares digests in constant time without timingSafeEqual (Node fallback)", () => {
    const a = "a".repeat(64);
    expect(digestsEqual(a, a)).toBe(true);
    expect(digestsEqual(a, `${"a".repeat(63)}b`)).toBe(false);
    expect(digestsEqual(a, `b${"a".repeat(63)}`)).toBe(false);
    expect(digestsEqual(a, "a".repeat(63))).toBe(false);
  });
});

describe("ids", () => {
  it("sort by creation time and carry their prefix", () => {
    const earlier = newId("biz_", 1_700_000_000_000);
    const later = newId("biz_", 1_700_000_000_001);
    expect(earlier).toMatch(/^biz_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(earlier < later).toBe(true);
    expect(newId("biz_", 1)).not.toBe(newId("biz_", 1));
  });
});
