/**
 * `npm run deploy` runs this first: it refuses to deploy a configuration that would fail open in
 * production (the log mailer, a missing secret, an http public origin, ...; scripts/lib/deploy-checks.ts)
 * and says what to change. It reads wrangler.toml as wrangler does and lists the deployed Worker's
 * secret names with `wrangler secret list` (names only: values never leave Cloudflare).
 *
 *   npm run deploy                                # preflight, then migrations, then wrangler deploy
 *   npx tsx scripts/deploy-preflight.ts           # the checks alone
 *   npx tsx scripts/deploy-preflight.ts --config path/to/wrangler.toml
 *   npx tsx scripts/deploy-preflight.ts --env jombang   # one environment (a province's shard deployment)
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { unstable_readConfig } from "wrangler";
import { type DeployInput, deployProblems } from "./lib/deploy-checks";
import { wranglerBin } from "./local/wrangler";

const root = path.resolve(import.meta.dirname, "..");
/** wrangler colours its errors whatever NO_COLOR says; the report quotes them as plain text. */
const ANSI_COLOURS = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** The deployed Worker's secret names, from `wrangler secret list --format json`. */
export async function listSecretNames(configPath: string, env?: string): Promise<DeployInput["secrets"]> {
  const child = spawn(
    process.execPath,
    [
      wranglerBin(),
      "secret",
      "list",
      "--format",
      "json",
      "--config",
      configPath,
      ...(env ? ["--env", env] : []),
    ],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill("SIGTERM"), 60_000);
  const code = await new Promise<number>((resolve) => {
    child.on("error", () => resolve(1));
    child.on("close", (c) => resolve(c ?? 1));
  });
  clearTimeout(timer);
  const json = stdout.slice(stdout.indexOf("["), stdout.lastIndexOf("]") + 1);
  if (code === 0 && json) {
    try {
      const list = JSON.parse(json) as Array<{ name?: unknown }>;
      return { names: new Set(list.map((s) => String(s.name))) };
    } catch {
      // Falls through to the error below.
    }
  }
  const reason = (stderr || stdout)
    .replace(ANSI_COLOURS, "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.includes("Logs were written"))
    .slice(-2)
    .join(" ");
  return { error: `wrangler secret list exited with ${code}${reason ? `: ${reason}` : ""}` };
}

/** wrangler.toml's vars and bindings (of environment `env` when given), as wrangler itself reads them. */
export function readDeployConfig(configPath: string, env?: string): Omit<DeployInput, "secrets"> {
  const config = unstable_readConfig({ config: configPath, env }, { hideWarnings: true });
  return {
    vars: config.vars ?? {},
    sendEmailBindings: (config.send_email ?? []).map((b: { name: string }) => b.name),
    d1Bindings: (config.d1_databases ?? []).map((b: { binding: string }) => b.binding),
  };
}

export interface PreflightResult {
  ok: boolean;
  /** What to print: the problems and what to change, or that the configuration passed. */
  report: string;
}

export async function runPreflight(options: {
  configPath: string;
  /** A wrangler environment (`[env.NAME]`), e.g. one shard's deployment of a province. */
  env?: string | undefined;
  listSecrets?: (configPath: string, env?: string) => Promise<DeployInput["secrets"]>;
}): Promise<PreflightResult> {
  const config = readDeployConfig(options.configPath, options.env);
  const secrets = await (options.listSecrets ?? listSecretNames)(options.configPath, options.env);
  const problems = deployProblems({ ...config, secrets });
  if (problems.length === 0) {
    return { ok: true, report: "deploy preflight: the configuration is safe to deploy.\n" };
  }
  const lines = [
    `deploy preflight: refusing to deploy ${path.relative(root, options.configPath) || options.configPath}${options.env ? ` (environment ${options.env})` : ""}:`,
    ...problems.map((p) => `  - ${p}`),
    "Nothing was deployed. Fix the above and run `npm run deploy` again.",
  ];
  return { ok: false, report: `${lines.join("\n")}\n` };
}

async function main(): Promise<void> {
  const at = process.argv.indexOf("--config");
  const configPath = path.resolve(root, at >= 0 ? (process.argv[at + 1] ?? "") : "wrangler.toml");
  const envAt = process.argv.indexOf("--env");
  const env = envAt >= 0 ? process.argv[envAt + 1] : undefined;
  const result = await runPreflight({ configPath, env });
  (result.ok ? process.stdout : process.stderr).write(result.report);
  process.exitCode = result.ok ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((err: unknown) => {
    process.stderr.write(`deploy preflight failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
