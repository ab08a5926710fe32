// Copies Scalar's API reference (standalone browser build, MIT) from node_modules into public/,
// which wrangler serves as static assets: /docs loads it from this Worker's own origin, no CDN.
// Runs on every `npm install`/`npm ci` (postinstall); the copy is not committed (.gitignore).
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const from = join(root, "node_modules/@scalar/api-reference/dist/browser/standalone.js");
const to = join(root, "public/assets/scalar-api-reference.js");
if (!existsSync(from)) {
  // An install without devDependencies (there is none in this repo's flows) cannot serve /docs.
  console.warn(`vendor-docs-assets: ${from} is missing; /docs will not load its viewer.`);
} else {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}
