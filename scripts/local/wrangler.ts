import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

/** wrangler's CLI entry, run with this Node (22, from the node@22 devDependency via npm scripts). */
export function wranglerBin(): string {
  const pkg = createRequire(import.meta.url).resolve("wrangler/package.json");
  return path.join(path.dirname(pkg), "bin", "wrangler.js");
}

export interface RunResult {
  code: number;
  output: string;
}

/**
 * Runs a wrangler command to completion with its output captured (stdout stays free for callers
 * such as `demo:credentials`); on failure the captured output is written to stderr and this throws.
 */
export async function runWrangler(args: string[], cwd: string): Promise<RunResult> {
  const child = spawn(process.execPath, [wranglerBin(), ...args], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const code = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (c) => resolve(c ?? 1));
  });
  if (code !== 0) {
    process.stderr.write(output);
    throw new Error(`wrangler ${args.join(" ")} exited with ${code}`);
  }
  return { code, output };
}
