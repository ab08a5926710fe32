// Prints the whole vitest run as one line, `N passed, N failed`, from its JSON report.
// Usage: node scripts/ci-summary.mjs [test-results/vitest.json]. Exits 2 when there is no report.
import { existsSync, readFileSync } from "node:fs";

const file = process.argv[2] ?? "test-results/vitest.json";
if (!existsSync(file)) {
  console.error(`no vitest report at ${file} (the run stopped before the tests)`);
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, "utf8"));
// Files that failed to load (a syntax error, a broken setup) count no tests but are failures too.
const brokenFiles = (report.testResults ?? []).filter(
  (r) => r.status === "failed" && (r.assertionResults ?? []).length === 0,
).length;
console.log(`${report.numPassedTests ?? 0} passed, ${(report.numFailedTests ?? 0) + brokenFiles} failed`);
