import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { shardDatabases } from "./layout";

// Every database of a province deployment gets the same migrations (docs/OPERATIONS.md, "Shards").
for (const d1 of [env.DB, ...Object.values(shardDatabases())])
  await applyD1Migrations(d1, env.TEST_MIGRATIONS);
