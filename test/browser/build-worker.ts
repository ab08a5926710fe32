import path from "node:path";
import { buildWorker } from "../e2e/build-worker";

/** The bundle the browser tests serve (separate from the e2e project's, built the same way). */
export const BROWSER_BUNDLE_DIR = path.resolve(import.meta.dirname, "../../dist/browser-worker");

export default function setup(): void {
  buildWorker(BROWSER_BUNDLE_DIR);
}
