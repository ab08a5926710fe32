import { createRequire } from "node:module";
import path from "node:path";
import sparticuz, { inflate } from "@sparticuz/chromium";
import { type Browser, chromium } from "playwright-core";

/**
 * Flags in @sparticuz/chromium's defaults (tuned for AWS Lambda) that a test must not inherit:
 * - `--single-process` ends the whole browser when the first context closes, and every test
 *   opens and closes its own context;
 * - the other two loosen the page's security model (same-origin policy, mixed content), and a
 *   console test must see what an officer's browser would.
 */
const DROPPED_FLAGS = new Set([
  "--single-process",
  "--disable-web-security",
  "--allow-running-insecure-content",
]);

/** The package's compressed payloads (its `bin/`, next to `build/index.js`). */
const PAYLOADS = path.join(
  path.dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")),
  "../bin",
);

/**
 * Headless Chromium for the browser tests. The binary comes from the @sparticuz/chromium
 * devDependency (unpacked from node_modules into the temp dir on first use), so `npm ci` is all
 * the setup a machine needs: no apt package, no download at run time.
 *
 * The binary links NSS/NSPR and expat, which a slim Debian or Ubuntu image lacks. The package
 * unpacks its own copies only when it detects AWS Lambda, so they are unpacked here every time and
 * put first on the browser's library path: one path on every machine, whatever it has installed.
 */
export async function launchChromium(): Promise<Browser> {
  const [executablePath, libraries] = await Promise.all([
    sparticuz.executablePath(),
    inflate(path.join(PAYLOADS, "al2023.tar.br")),
  ]);
  const libraryPath = [path.join(libraries, "lib"), process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
  return chromium.launch({
    executablePath,
    args: sparticuz.args.filter((flag) => !DROPPED_FLAGS.has(flag)),
    env: { ...process.env, LD_LIBRARY_PATH: libraryPath },
  });
}
