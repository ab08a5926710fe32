import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { checkLabel, officerKeyInsert } from "../../scripts/lib/officer-key";
import { hashApiKey, KEY_PATTERN } from "../../src/auth/api-keys";

function migratedDatabase(): DatabaseSync {
  const db = new DatabaseSync(":memory:");
  const dir = path.join(import.meta.dirname, "../../schema/migrations");
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    db.exec(readFileSync(path.join(dir, file), "utf8").replaceAll("--> statement-breakpoint", ""));
  }
  return db;
}

describe("officer key script", () => {
  it("stores only the hash of the printed key, with the role and a quoted label", async () => {
    const db = migratedDatabase();
    const label = "Dinas Koperasi: Sri's desk";
    const insert = await officerKeyInsert({ label, role: "admin", now: 1_800_000_000_000 });
    db.exec(insert.sql);
    const row = db.prepare("SELECT * FROM api_keys WHERE id = ?").get(insert.id) as Record<string, unknown>;
    expect(insert.plaintext).toMatch(KEY_PATTERN);
    expect(row).toMatchObject({ kind: "officer", role: "admin", label, business_id: null, revoked_at: null });
    expect(row.hash).toBe(await hashApiKey(insert.plaintext));
    expect(insert.plaintext.slice(4, 12)).toBe(row.prefix);
    expect(insert.sql).not.toContain(insert.plaintext);
  });

  it.each([
    ["", false],
    ["   ", false],
    ["x".repeat(101), false],
    ["tab\there", false],
    ["Officer Sari", true],
  ])("checks label %j", (label, ok) => {
    expect(checkLabel(label) === null).toBe(ok);
  });
});
