/**
 * Prints the local demo credentials as JSON, and nothing else, on stdout:
 * `{"officerKey": "...", "businesses": [{"id", "name", "key"}]}`. The keys are derived (see
 * scripts/local/demo-keys.ts), so this needs no database; they work once `npm start` or
 * `npm run demo:seed` has loaded the demo registry.
 *
 * npm itself prints a `> kemitraan demo:credentials` banner on stdout before any script runs;
 * pipe with `npm run -s demo:credentials` (or `npx tsx scripts/demo-credentials.ts`).
 */
import { demoCredentials } from "./local/demo-registry";

const { credentials } = await demoCredentials();
process.stdout.write(`${JSON.stringify(credentials, null, 2)}\n`);
