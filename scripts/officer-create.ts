/**
 * Creates an officer API key and prints it once.
 *
 *   npm run officer:create -- --label "Dinas Koperasi: Sari" [--admin] [--remote]
 *
 * The key is generated here; only its SHA-256 goes to D1, through `wrangler d1 execute`
 * (--local by default, after applying local migrations; --remote for the deployed database).
 */
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { checkLabel, officerKeyInsert } from "./lib/officer-key";

function wrangler(args: string[]): void {
  const result = spawnSync("npx", ["wrangler", ...args], { stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) {
    console.error(`wrangler ${args.slice(0, 3).join(" ")} failed (exit ${result.status ?? "signal"}).`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      label: { type: "string" },
      admin: { type: "boolean", default: false },
      remote: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help || values.label === undefined) {
    console.error('usage: npm run officer:create -- --label "NAME" [--admin] [--remote]');
    process.exit(values.help ? 0 : 2);
  }
  const problem = checkLabel(values.label);
  if (problem) {
    console.error(problem);
    process.exit(2);
  }
  const target = values.remote ? "--remote" : "--local";
  if (!values.remote) wrangler(["d1", "migrations", "apply", "DB", "--local"]);
  const insert = await officerKeyInsert({
    label: values.label,
    role: values.admin ? "admin" : "officer",
    now: Date.now(),
  });
  wrangler(["d1", "execute", "DB", target, "--command", insert.sql]);
  console.log(
    `\nOfficer key for "${values.label.trim()}" (${values.admin ? "admin" : "officer"}, ${target.slice(2)}):`,
  );
  console.log(`\n  ${insert.plaintext}\n`);
  console.log("Shown once: only its hash is stored. Use it as `Authorization: Bearer <key>`.");
}

await main();
