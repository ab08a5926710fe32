import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * Test layers:
 * - `unit`: plain Node (src/matching, scripts, pure domain rules): the fast inner loop;
 * - `workers`: the Worker inside workerd via @cloudflare/vitest-plugin, D1 migrated per file;
 * - `e2e`: the *bundled* Worker (the `wrangler deploy --dry-run` output) in wrangler's test harness,
 *   which catches what unbundled CommonJS hides (natural's sloppy-mode stemmer did);
 * - `browser`: the console in headless Chromium (playwright-core driving the @sparticuz/chromium
 *   binary, see test/browser/launch.ts: nothing to install beyond `npm ci`) against the bundled
 *   Worker served by the same harness; screenshots go to test-results/screenshots/.
 */
/**
 * The `shards` project's layout: Kota + Kabupaten Mojokerto, Jombang (which borders Kabupaten
 * Mojokerto) and Surabaya (which borders neither). test/shards/layout.ts repeats it for the tests.
 */
const TEST_SHARDS = [
  { name: "mojokerto", binding: "DB_MOJOKERTO", regions: ["35.76", "35.16"] },
  { name: "jombang", binding: "DB_JOMBANG", regions: ["35.17"] },
  { name: "surabaya", binding: "DB_SURABAYA", regions: ["35.78"] },
];
const SHARD_BINDINGS = TEST_SHARDS.map((s) => s.binding);

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "schema/migrations"));
  // Test-only bindings (typed in test/env.d.ts): the setup file applies the migrations to D1; the
  // digest signing and idempotency secrets and an https origin stand in for production's;
  // ENVIRONMENT says development, as .dev.vars does, so the log mailer runs.
  const testBindings = {
    TEST_MIGRATIONS: migrations,
    ENVIRONMENT: "development",
    DIGEST_SIGNING_KEY: "test-digest-signing-key",
    IDEMPOTENCY_SECRET: "test-idempotency-secret",
    PUBLIC_BASE_URL: "https://kemitraan.test",
  };
  return {
    test: {
      projects: [
        {
          test: {
            name: "unit",
            environment: "node",
            include: ["test/scripts/**/*.test.ts", "test/unit/**/*.test.ts"],
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                // testBindings (above); EMAIL_RESTRICTED is a send_email binding that accepts one
                // sender only.
                bindings: testBindings,
                email: {
                  send_email: [
                    { name: "EMAIL" },
                    { name: "EMAIL_RESTRICTED", allowed_sender_addresses: ["noreply@kemitraan.test"] },
                  ],
                },
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/integration/**/*.test.ts"],
            // Generous: a loaded 2-core machine runs the 500-row import and the races in 5-10 s; a
            // timeout here would be a flake, not a finding (speed is checked by the benchmarks).
            testTimeout: 30_000,
            setupFiles: ["./test/integration/apply-migrations.ts"],
            // A local SMTP server for the SMTP provider's tests (email-smtp.test.ts).
            globalSetup: ["./test/integration/smtp-sink.setup.ts"],
          },
        },
        {
          // A province deployment in miniflare: three shard databases beside DB, the SHARDS layout
          // naming them (docs/SCALING.md, "Province topology"). Only test/shards runs here; the
          // workers project above keeps the single-database deployment.
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                d1Databases: ["DB", ...SHARD_BINDINGS],
                bindings: { ...testBindings, SHARDS: JSON.stringify(TEST_SHARDS) },
              },
            }),
          ],
          test: {
            name: "shards",
            include: ["test/shards/**/*.test.ts"],
            testTimeout: 30_000,
            setupFiles: ["./test/shards/apply-migrations.ts"],
          },
        },
        {
          test: {
            name: "e2e",
            environment: "node",
            include: ["test/e2e/**/*.test.ts"],
            globalSetup: ["./test/e2e/build-worker.ts"],
            testTimeout: 30_000,
            hookTimeout: 120_000,
          },
        },
        {
          test: {
            name: "browser",
            environment: "node",
            include: ["test/browser/**/*.test.ts"],
            globalSetup: ["./test/browser/build-worker.ts"],
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
      ],
    },
  };
});
