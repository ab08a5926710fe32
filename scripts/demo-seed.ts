/**
 * Loads the demo registry into the LOCAL D1 (the one `wrangler dev` uses): applies the migrations,
 * renders an idempotent upsert script (.wrangler/demo-seed.sql) and runs it with
 * `wrangler d1 execute --local`. Safe to run any number of times.
 *
 * CLI: npm run demo:seed
 */
import { randomInt } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { demoCredentials, demoSeedBusinesses } from "./local/demo-registry";
import { buildSeedSql } from "./local/seed-sql";
import { runWrangler } from "./local/wrangler";

/** Created/updated time of demo rows: fixed, so a reseed writes identical rows. */
const DEMO_SEEDED_AT = Date.UTC(2026, 0, 5);

export interface SeedSummary {
  businesses: number;
  sqlFile: string;
}

/** Progress goes to stderr: stdout belongs to whoever calls (`npm start` prints its own summary). */
function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

export async function seedLocalDemo(root: string): Promise<SeedSummary> {
  log("- applying local D1 migrations");
  await runWrangler(["d1", "migrations", "apply", "DB", "--local"], root);

  const businesses = demoSeedBusinesses();
  const { officer, keys } = await demoCredentials(businesses);
  const script = buildSeedSql({
    businesses,
    officerKey: officer,
    businessKeys: keys,
    seededAt: DEMO_SEEDED_AT,
    // Only used if the database has no epoch yet; the matcher cache keys on (epoch, revision).
    epoch: randomInt(2 ** 47),
  });
  const sqlFile = path.join(root, ".wrangler", "demo-seed.sql");
  await mkdir(path.dirname(sqlFile), { recursive: true });
  await writeFile(sqlFile, script);

  log(`- loading ${businesses.length} demo businesses and their keys (${path.relative(root, sqlFile)})`);
  await runWrangler(["d1", "execute", "DB", "--local", "--file", sqlFile, "--yes"], root);
  return { businesses: businesses.length, sqlFile };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = path.resolve(import.meta.dirname, "..");
  seedLocalDemo(root).then(
    (s) =>
      log(`Seeded ${s.businesses} demo businesses into the local D1. Credentials: npm run demo:credentials`),
    (err: unknown) => {
      log(`demo:seed failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
