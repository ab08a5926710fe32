import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * Secrets never enter the repository: no tracked .dev.vars, no API key, private key or cloud
 * credential in any tracked file, and every secret in .dev.vars.example left empty.
 */

const root = new URL("../../", import.meta.url);
const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" })
  .split("\0")
  .filter(Boolean);

const SECRET_SHAPES: Array<[string, RegExp]> = [
  ["a Kemitraan API key", /kmt_[a-z2-9]{8}_[a-z2-9]{40}/],
  ["a private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["an AWS access key", /AKIA[0-9A-Z]{16}/],
  ["a Cloudflare API token assignment", /CLOUDFLARE_API_TOKEN\s*=\s*["']?[A-Za-z0-9_-]{20,}/],
  ["a Slack or GitHub token", /\b(xox[abp]-[A-Za-z0-9-]{10,}|gh[pousr]_[A-Za-z0-9]{30,})\b/],
];

describe("no secrets in the repository", () => {
  it("tracks no .dev.vars or .env file", () => {
    expect(
      tracked.filter((f) => /(^|\/)(\.dev\.vars|\.env)(\.[\w-]+)?$/.test(f) && !f.endsWith(".example")),
    ).toEqual([]);
  });

  it("has no credential-shaped string in any tracked text file", () => {
    const found: string[] = [];
    for (const file of tracked) {
      if (/\.(png|jpg|gif|ico|woff2?|wasm)$/.test(file) || file === "package-lock.json") continue;
      let text: string;
      try {
        text = readFileSync(new URL(file, root), "utf8");
      } catch {
        continue;
      }
      for (const [what, shape] of SECRET_SHAPES) if (shape.test(text)) found.push(`${file}: ${what}`);
    }
    expect(found).toEqual([]);
  });

  it("leaves every value in .dev.vars.example empty (but the marker of local development)", () => {
    const lines = readFileSync(new URL(".dev.vars.example", root), "utf8").split("\n");
    // ENVIRONMENT is no secret: a copy of the example must run as local development.
    const assigned = lines.filter(
      (l) => /^[A-Z_]+=/.test(l) && !/^[A-Z_]+=""$/.test(l) && l !== 'ENVIRONMENT="development"',
    );
    expect(assigned).toEqual([]);
    expect(lines).toContain('ENVIRONMENT="development"');
  });
});
