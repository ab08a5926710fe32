import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ensureLocalSecrets } from "../../scripts/local/dev-vars";

const tempRoot = () => mkdtempSync(path.join(tmpdir(), "kemitraan-devvars-"));
const ALL = ["ENVIRONMENT", "DIGEST_SIGNING_KEY", "IDEMPOTENCY_SECRET"];

describe("ensureLocalSecrets (npm start)", () => {
  it("creates .dev.vars marking local development, with random secrets, private to the user", () => {
    const root = tempRoot();
    expect(ensureLocalSecrets(root)).toEqual(ALL);
    const text = readFileSync(path.join(root, ".dev.vars"), "utf8");
    expect(text).toMatch(/^ENVIRONMENT="development"$/m);
    expect(text).toMatch(/^DIGEST_SIGNING_KEY="[A-Za-z0-9_-]{43}"$/m);
    expect(text).toMatch(/^IDEMPOTENCY_SECRET="[A-Za-z0-9_-]{43}"$/m);
    const secrets = [...text.matchAll(/^\w+_(?:KEY|SECRET)="([^"]+)"$/gm)].map((m) => m[1]);
    expect(new Set(secrets).size).toBe(2);
    expect(statSync(path.join(root, ".dev.vars")).mode & 0o077).toBe(0);
    const other = tempRoot();
    ensureLocalSecrets(other);
    expect(readFileSync(path.join(other, ".dev.vars"), "utf8")).not.toBe(text);
  });

  it("keeps existing values and adds only what is missing", () => {
    const root = tempRoot();
    writeFileSync(path.join(root, ".dev.vars"), 'ACCESS_AUD="abc"\nDIGEST_SIGNING_KEY="mine"');
    expect(ensureLocalSecrets(root)).toEqual(["ENVIRONMENT", "IDEMPOTENCY_SECRET"]);
    const text = readFileSync(path.join(root, ".dev.vars"), "utf8");
    expect(text.startsWith('ACCESS_AUD="abc"\nDIGEST_SIGNING_KEY="mine"\n')).toBe(true);
    expect(ensureLocalSecrets(root)).toEqual([]);
    expect(readFileSync(path.join(root, ".dev.vars"), "utf8")).toBe(text);
  });

  it("treats an empty value as missing", () => {
    const root = tempRoot();
    writeFileSync(path.join(root, ".dev.vars"), 'DIGEST_SIGNING_KEY=""\nENVIRONMENT="development"\n');
    expect(ensureLocalSecrets(root)).toEqual(["DIGEST_SIGNING_KEY", "IDEMPOTENCY_SECRET"]);
  });
});
