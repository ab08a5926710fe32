import { describe, expect, it } from "vitest";
import { demoBusinessKey, demoOfficerKey } from "../../scripts/local/demo-keys";
import { demoCredentials, demoSeedBusinesses } from "../../scripts/local/demo-registry";
import { buildSeedSql, toSeedRow } from "../../scripts/local/seed-sql";
import { hashApiKey, KEY_PATTERN } from "../../src/auth/api-keys";

describe("local demo keys", () => {
  it("derives the same well-formed key every time, stored as the auth code's hash", async () => {
    const a = await demoOfficerKey();
    const b = await demoOfficerKey();
    expect(a).toEqual(b);
    expect(a.plaintext).toMatch(KEY_PATTERN);
    expect(a.plaintext.startsWith(`kmt_${a.prefix}_`)).toBe(true);
    expect(a.hash).toBe(await hashApiKey(a.plaintext));
  });

  it("gives every demo business its own key and prefix", async () => {
    const { credentials } = await demoCredentials();
    const prefixes = new Set(credentials.businesses.map((b) => b.key.slice(4, 12)));
    expect(prefixes.size).toBe(credentials.businesses.length);
    expect(credentials.businesses.map((b) => b.key)).not.toContain(credentials.officerKey);
    expect((await demoBusinessKey("biz_demo_0001")).plaintext).toBe(credentials.businesses[0]?.key);
  });
});

describe("demo seed SQL", () => {
  const businesses = demoSeedBusinesses();

  it("accepts every generated business under the API's rules, with precomputed match features", () => {
    for (const b of businesses) {
      const row = toSeedRow(b, 0);
      expect(row.id).toBe(b.id);
      expect(row.matchFeatures).not.toBeNull();
    }
  });

  it("is an upsert script that frees NIBs first and bumps the registry revision last", async () => {
    const { officer, keys } = await demoCredentials(businesses);
    const sql = buildSeedSql({ businesses, officerKey: officer, businessKeys: keys, seededAt: 0, epoch: 7 });
    const lines = sql.trim().split("\n");
    expect(lines[1]).toMatch(/^update "businesses" set "nib" = NULL where/i);
    const inserts = lines.filter((l) => l.startsWith("insert into"));
    expect(inserts.every((l) => / on conflict\b.*\bdo (update|nothing)/.test(l))).toBe(true);
    expect(inserts.filter((l) => l.startsWith('insert into "businesses"'))).toHaveLength(businesses.length);
    expect(inserts.filter((l) => l.startsWith('insert into "api_keys"'))).toHaveLength(businesses.length + 1);
    expect(lines.at(-1)).toMatch(/^insert into "registry_meta" .*'revision'.* \+ 1;$/);
    // No plaintext key ever reaches the database.
    expect(sql).not.toContain(officer.plaintext);
  });
});
