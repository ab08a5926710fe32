/**
 * Prints the local demo credentials as JSON, and nothing else, on stdout:
 * `{"officerKey": "...", "businesses": [{"id", "name", "key"}]}`. The keys are derived (see
 * scripts/local/demo-keys.ts), so this needs no database; they work once `npm start` or
 * `npm run demo:seed` has loaded the demo registry.
 */
import { demoCredentials } from "./local/demo-registry";

const { credentials } = await demoCredentials();
process.stdout.write(`${JSON.stringify(credentials, null, 2)}\n`);
