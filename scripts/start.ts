/**
 * `npm start`: one command from a fresh clone to a running, populated local Worker.
 * 1. applies the local D1 migrations and loads the demo registry (idempotent, scripts/demo-seed.ts);
 * 2. writes the local settings and secrets that are missing into .dev.vars (scripts/local/dev-vars.ts:
 *    ENVIRONMENT="development", DIGEST_SIGNING_KEY, IDEMPOTENCY_SECRET) and starts
 *    `wrangler dev` on http://127.0.0.1:8787;
 * 3. once /health answers, starts the recompute that stores the missing suggestion sets (the
 *    nightly cron's job) and prints where to look and the local demo credentials.
 * Ctrl-C stops wrangler and then this script.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { seedLocalDemo } from "./demo-seed";
import { demoCredentials, demoSeedBusinesses } from "./local/demo-registry";
import { ensureLocalSecrets } from "./local/dev-vars";
import { wranglerBin } from "./local/wrangler";

const HOST = "127.0.0.1";
const PORT = 8787;
const BASE = `http://${HOST}:${PORT}`;
const READY_TIMEOUT_MS = 90_000;
const root = path.resolve(import.meta.dirname, "..");

async function waitForHealth(isRunning: () => boolean): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && isRunning()) {
    try {
      const res = await fetch(`${BASE}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/**
 * The weekly proposals and the digests read stored suggestions, which the nightly cron would
 * write: start the incremental recompute once (it enqueues only the missing and stale sets, so a
 * restart costs nothing), through the same admin endpoint as production. The queue consumer of
 * wrangler dev fills them in the background within a minute.
 */
async function storeMissingSuggestions(): Promise<void> {
  const { credentials } = await demoCredentials();
  try {
    const res = await fetch(`${BASE}/v1/admin/recompute`, {
      method: "POST",
      headers: { Authorization: `Bearer ${credentials.officerKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ mode: "incremental" }),
    });
    const run = (await res.json()) as { enqueued?: { businesses?: number } };
    process.stderr.write(
      res.ok
        ? `- storing suggestions for ${run.enqueued?.businesses ?? 0} businesses in the background (recompute run)\n`
        : `- could not start the recompute (${res.status}); run: npm run job -- recompute-incremental\n`,
    );
  } catch (err) {
    process.stderr.write(`- could not start the recompute: ${String(err)}\n`);
  }
}

async function printWelcome(): Promise<void> {
  const businesses = demoSeedBusinesses();
  const { credentials } = await demoCredentials(businesses);
  // A service business in the city with something to ask for: its suggestions are small industries.
  const sample =
    businesses.find((b) => b.fields.sector === "service" && b.fields.active && b.fields.location.kelurahan) ??
    businesses[0];
  const sampleKey = credentials.businesses.find((b) => b.id === sample?.id)?.key;
  const matchesUrl = `${BASE}/v1/businesses/${sample?.id}/matches?limit=5`;
  const lines = [
    "",
    `Kemitraan is running on ${BASE} (local D1 with ${businesses.length} demo businesses)`,
    "",
    `  Console       ${BASE}/ui/login  (officers: paste the officer key below)`,
    `  API docs      ${BASE}/docs`,
    `  OpenAPI       ${BASE}/openapi.json`,
    `  Suggestions   ${matchesUrl}`,
    `                for ${sample?.fields.name} (${sample?.fields.sector}, ${sample?.fields.location.kelurahan})`,
    "",
    "Try it (officer key):",
    `  curl -H "Authorization: Bearer ${credentials.officerKey}" "${matchesUrl}"`,
    `  curl -H "Authorization: Bearer ${credentials.officerKey}" "${matchesUrl}&lang=en"`,
    "",
    "Local demo credentials (valid only in this local database):",
    `  officer                     ${credentials.officerKey}`,
    ...credentials.businesses.slice(0, 5).map((b) => `  ${b.id}  ${b.key}  ${b.name}`),
    ...(sampleKey && !credentials.businesses.slice(0, 5).some((b) => b.id === sample?.id)
      ? [`  ${sample?.id}  ${sampleKey}  ${sample?.fields.name}`]
      : []),
    `  ... all ${credentials.businesses.length} as JSON: npm run -s demo:credentials`,
    "",
    "Ctrl-C to stop.",
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

async function portTaken(): Promise<boolean> {
  try {
    await fetch(`${BASE}/health`, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  // Otherwise the readiness check below could be answered by whatever already listens there.
  if (await portTaken()) {
    throw new Error(`${BASE} is already in use (another \`npm start\` or \`wrangler dev\`?); stop it first.`);
  }
  await seedLocalDemo(root);
  for (const name of ensureLocalSecrets(root)) process.stderr.write(`- generated ${name} in .dev.vars\n`);

  process.stderr.write(`- starting wrangler dev on ${BASE}\n`);
  const child = spawn(
    process.execPath,
    [wranglerBin(), "dev", "--ip", HOST, "--port", String(PORT), "--show-interactive-dev-session=false"],
    {
      cwd: root,
      stdio: ["inherit", "inherit", "inherit"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    },
  );
  let exited = false;
  const closed = new Promise<number>((resolve) => {
    child.on("close", (code, signal) => {
      exited = true;
      resolve(code ?? (signal ? 0 : 1));
    });
  });

  // Ctrl-C in a terminal reaches wrangler too (same process group); forwarding covers `kill <pid>`.
  let stopping = false;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      if (!exited) child.kill(sig);
    });
  }

  if (await waitForHealth(() => !exited)) {
    await storeMissingSuggestions();
    await printWelcome();
  } else if (!exited) {
    process.stderr.write(`wrangler dev did not answer ${BASE}/health within ${READY_TIMEOUT_MS / 1000}s\n`);
  }
  const code = await closed;
  process.exitCode = stopping ? 0 : code;
}

main().catch((err: unknown) => {
  process.stderr.write(`npm start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
