/**
 * Runs a scheduled job by name against the local Worker and prints its report:
 *
 *   npm run job -- NAME [--url http://127.0.0.1:8787] [--key ADMIN_KEY]
 *   npm run job -- --list
 *
 * The job runs inside the local Worker (`npm start` or `npm run dev` must be running): it calls
 * `POST /v1/admin/jobs/{name}`, the same code path as the cron and the admin endpoint, with the local
 * D1, the jobs queue (continuations are consumed by the dev server) and the configured mailer.
 * Running the job in Node instead (wrangler's getPlatformProxy) would miss the queue consumer and
 * `cloudflare:sockets`, which the SMTP mail provider needs.
 *
 * The admin key comes from --key or KEMITRAAN_ADMIN_KEY; against a local URL without one, a local
 * job-runner admin key is derived like the demo keys (public secret, local database only) and its
 * hash upserted into the local D1.
 */
import { parseArgs } from "node:util";
import { deriveDemoKey } from "./local/demo-keys";
import { runWrangler } from "./local/wrangler";

const root = new URL("..", import.meta.url).pathname;
const JOB_RUNNER_KEY_ID = "key_local_job_runner";

function isLocal(url: URL): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

/** The derived local admin key, upserted (hash only) into the local D1. Idempotent. */
async function localAdminKey(): Promise<string> {
  const key = await deriveDemoKey("job-runner-admin", JOB_RUNNER_KEY_ID);
  const now = Date.now();
  const sql =
    "INSERT INTO api_keys (id, prefix, hash, kind, role, business_id, label, created_at) VALUES " +
    `('${key.id}', '${key.prefix}', '${key.hash}', 'officer', 'admin', NULL, 'npm run job (local)', ${now}) ` +
    "ON CONFLICT(id) DO UPDATE SET prefix = excluded.prefix, hash = excluded.hash, role = 'admin', revoked_at = NULL;";
  await runWrangler(["d1", "execute", "DB", "--local", "--command", sql], root);
  return key.plaintext;
}

async function request(url: URL, key: string, method: "GET" | "POST"): Promise<Response> {
  try {
    return await fetch(url, { method, headers: { Authorization: `Bearer ${key}` } });
  } catch {
    console.error(
      `Nothing answers on ${url.origin}. Start the local Worker first: npm start (or npm run dev).`,
    );
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: "string", default: "http://127.0.0.1:8787" },
      key: { type: "string" },
      list: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const name = positionals[0];
  if (values.help || (!values.list && (!name || positionals.length > 1))) {
    console.error(
      "usage: npm run job -- NAME [--url http://127.0.0.1:8787] [--key ADMIN_KEY]\n       npm run job -- --list",
    );
    process.exit(values.help ? 0 : 2);
  }
  const base = new URL(values.url ?? "http://127.0.0.1:8787");
  let key = values.key ?? process.env.KEMITRAAN_ADMIN_KEY;
  if (!key) {
    if (!isLocal(base)) {
      console.error("Give an admin key (--key or KEMITRAAN_ADMIN_KEY) for a non-local URL.");
      process.exit(2);
    }
    key = await localAdminKey();
  }
  const res = values.list
    ? await request(new URL("/v1/admin/jobs", base), key, "GET")
    : await request(new URL(`/v1/admin/jobs/${encodeURIComponent(name ?? "")}`, base), key, "POST");
  const body = await res.text();
  let pretty = body;
  try {
    pretty = JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    // not JSON: print as is
  }
  if (!res.ok) {
    console.error(`${res.status} ${res.statusText}\n${pretty}`);
    process.exit(1);
  }
  process.stdout.write(`${pretty}\n`);
}

await main();
