import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** Where the deploy bundle is written; dist/ is ignored by git. */
export const BUNDLE_DIR = path.resolve(import.meta.dirname, "../../dist/e2e-worker");

/**
 * Vitest global setup for the `e2e` project: builds the Worker exactly as `wrangler deploy`
 * would (esbuild bundle, CommonJS dependencies inlined, strict mode), without uploading. The
 * tests then run that artefact, which is where natural's sloppy-mode stemmer used to throw.
 */
export default function setup(): void {
  buildWorker(BUNDLE_DIR);
}

/** Builds the deploy bundle into `outDir` (the browser tests use their own, so projects can run side by side). */
export function buildWorker(outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  const pkg = createRequire(import.meta.url).resolve("wrangler/package.json");
  const wrangler = path.join(path.dirname(pkg), "bin", "wrangler.js");
  execFileSync(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", outDir], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    stdio: ["ignore", "ignore", "inherit"],
  });
}
