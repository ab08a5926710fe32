import { env } from "cloudflare:workers";

/**
 * Every application table's row count and a SHA-256 of its rows in rowid order, so a test can
 * assert that a request changed nothing at all. D1's and SQLite's own tables are left out.
 */
export type Snapshot = Record<string, string>;

export async function tableNames(): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY name",
  ).all<{ name: string }>();
  return results.map((r) => r.name);
}

export async function snapshot(): Promise<Snapshot> {
  const out: Snapshot = {};
  const names = await tableNames();
  const results = await env.DB.batch(
    names.map((name) => env.DB.prepare(`SELECT * FROM "${name}" ORDER BY rowid`)),
  );
  for (const [i, name] of names.entries()) {
    const rows = results[i]?.results ?? [];
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(rows)));
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    out[name] = `${rows.length}:${hex.slice(0, 16)}`;
  }
  return out;
}

/**
 * Records every key as used just now, so that the first request with a fresh key does not write
 * `last_used_at` (the resolver records use at most hourly) and show up as a change.
 */
export async function markKeysUsed(): Promise<void> {
  await env.DB.prepare(
    "UPDATE api_keys SET last_used_at = ?1 WHERE last_used_at IS NULL OR last_used_at < ?1 - 3600000",
  )
    .bind(Date.now())
    .run();
}
