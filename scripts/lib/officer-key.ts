import { generateApiKey } from "../../src/auth/api-keys";
import { newId } from "../../src/lib/ids";

export interface OfficerKeyInput {
  label: string;
  role: "officer" | "admin";
  now: number;
}

export interface OfficerKeyInsert {
  id: string;
  /** Print once; never written anywhere. */
  plaintext: string;
  /** One INSERT for `wrangler d1 execute --command`: only the hash of the key is stored. */
  sql: string;
}

/** SQLite string literal. */
function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Labels are shown to people and end up in SQL text: keep them short and printable. */
export function checkLabel(label: string): string | null {
  const tidy = label.trim();
  if (tidy.length === 0 || tidy.length > 100) return "--label must be 1-100 characters";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(tidy)) return "--label must not contain control characters";
  return null;
}

/** Mints an officer key and the SQL that stores its hash. */
export async function officerKeyInsert(input: OfficerKeyInput): Promise<OfficerKeyInsert> {
  const key = await generateApiKey();
  const id = newId("key_", input.now);
  const sql =
    "INSERT INTO api_keys (id, prefix, hash, kind, role, business_id, label, created_at) VALUES (" +
    [
      quote(id),
      quote(key.prefix),
      quote(key.hash),
      "'officer'",
      quote(input.role),
      "NULL",
      quote(input.label.trim()),
      String(input.now),
    ].join(", ") +
    ");";
  return { id, plaintext: key.plaintext, sql };
}
