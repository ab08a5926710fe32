import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";

/**
 * Migration 0010 links officer keys and console sessions to their officer. Rows written before it
 * carry no link: its hand-written backfill recovers what the audit log records, and ends the
 * access of officers deactivated before keys were linked.
 */

const DIR = path.join(import.meta.dirname, "../../../schema/migrations");
const files = readdirSync(DIR)
  .filter((f) => f.endsWith(".sql"))
  .sort();

function apply(db: DatabaseSync, names: string[]): void {
  for (const file of names) {
    db.exec(readFileSync(path.join(DIR, file), "utf8").replaceAll("--> statement-breakpoint", ""));
  }
}

describe("migration 0010 backfill", () => {
  it("links officer keys named by their create audit row, and revokes those of inactive officers", () => {
    const db = new DatabaseSync(":memory:");
    const at = files.indexOf("0010_accounts_security.sql");
    expect(at).toBeGreaterThan(0);
    apply(db, files.slice(0, at));
    db.exec(`
      insert into officers (id, email, role, active, created_at) values
        ('ofc_a', 'a@kota.id', 'admin', 1, 1), ('ofc_b', 'b@kota.id', 'officer', 0, 1);
      insert into api_keys (id, prefix, hash, kind, role, label, created_at) values
        ('key_a', 'aaaaaaaa', 'h', 'officer', 'admin', 'a@kota.id', 1),
        ('key_b', 'bbbbbbbb', 'h', 'officer', 'officer', 'b@kota.id', 1),
        ('key_script', 'cccccccc', 'h', 'officer', 'admin', 'Dinas: Sari', 1);
      insert into audit_log (at, actor_kind, actor_id, entity_type, entity_id, action, to_state, details) values
        (1, 'officer', 'key_root', 'api_key', 'key_a', 'create', 'active', '{"kind":"officer","officerId":"ofc_a"}'),
        (1, 'officer', 'key_root', 'api_key', 'key_b', 'create', 'active', '{"kind":"officer","officerId":"ofc_b"}');
      insert into officer_sessions (id_hash, api_key_id, created_at, expires_at) values
        ('s_a', 'key_a', 1, 9999999999999), ('s_b', 'key_b', 1, 9999999999999);
    `);
    apply(db, files.slice(at, at + 1));
    const keys = db.prepare("select id, officer_id, revoked_at from api_keys order by id").all();
    expect(keys).toEqual([
      { id: "key_a", officer_id: "ofc_a", revoked_at: null },
      { id: "key_b", officer_id: "ofc_b", revoked_at: expect.any(Number) },
      // Made by `npm run officer:create`: no officer row to link to.
      { id: "key_script", officer_id: null, revoked_at: null },
    ]);
    const sessions = db
      .prepare("select id_hash, officer_id, revoked_at from officer_sessions order by id_hash")
      .all();
    expect(sessions).toEqual([
      { id_hash: "s_a", officer_id: "ofc_a", revoked_at: null },
      { id_hash: "s_b", officer_id: "ofc_b", revoked_at: expect.any(Number) },
    ]);
  });
});
