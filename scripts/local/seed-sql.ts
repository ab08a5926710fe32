import { inArray, sql } from "drizzle-orm";
import { apiKeys, businesses, type NewBusinessRow, registryMeta } from "../../schema";
import { createDb } from "../../src/db";
import { type BusinessFields, normaliseBusinessFields, toMatchProfile } from "../../src/domain/business";
import { analyzeProfile } from "../../src/matching";
import { fieldsToColumns } from "../../src/services/businesses/business-columns";
import type { DemoKey } from "./demo-keys";

/**
 * Renders the demo registry as one idempotent SQL script for `wrangler d1 execute --file`.
 * Rows go through the same normalisation, column mapping and `analyzeProfile` as the API's
 * create, and the statements are rendered by drizzle (casing, JSON and boolean columns exactly
 * as the Worker writes them). Upserts on fixed ids: running it twice leaves the same rows.
 */

export interface SeedBusiness {
  /** Fixed id from the generator (`biz_...`). */
  id: string;
  fields: BusinessFields;
}

export interface SeedInput {
  businesses: SeedBusiness[];
  officerKey: DemoKey;
  businessKeys: Map<string, DemoKey>;
  /** Written as created/updated time of seeded rows (epoch ms): fixed, so reseeding changes nothing. */
  seededAt: number;
  /** Used only when the database has no epoch yet (see registry.queries.ts). */
  epoch: number;
}

// toSQL() never touches the binding; the builder only needs a dialect.
const db = createDb({} as D1Database);

/** SQLite literal for a driver value (drizzle has already mapped JSON and booleans). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`non-finite number in seed: ${value}`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
  throw new Error(`cannot render ${typeof value} as SQL`);
}

/** Inlines drizzle's `?` placeholders (its generated SQL has no string literals of its own). */
function inline(query: { sql: string; params: unknown[] }): string {
  const parts = query.sql.split("?");
  if (parts.length !== query.params.length + 1)
    throw new Error(`placeholder count mismatch in: ${query.sql}`);
  return `${parts.map((p, i) => (i < query.params.length ? p + literal(query.params[i]) : p)).join("")};`;
}

/** The stored row for a demo business, exactly as `createBusiness` would build it. */
export function toSeedRow(b: SeedBusiness, seededAt: number): NewBusinessRow {
  const result = normaliseBusinessFields(b.fields);
  if (!result.ok) {
    const detail = result.errors.map((e) => `${e.path}: ${e.message}`).join("; ");
    throw new Error(`demo business ${b.id} (${b.fields.name}) is invalid: ${detail}`);
  }
  const fields = result.value;
  return {
    id: b.id,
    ...fieldsToColumns(fields),
    // Unlike the API, a failing analyzer fails the seed: demo data should never need the fallback.
    matchFeatures: analyzeProfile(toMatchProfile(b.id, fields)),
    createdAt: seededAt,
    updatedAt: seededAt,
  };
}

function businessUpsert(row: NewBusinessRow): string {
  const { id: _id, createdAt: _createdAt, ...set } = row;
  return inline(db.insert(businesses).values(row).onConflictDoUpdate({ target: businesses.id, set }).toSQL());
}

function keyUpsert(
  key: DemoKey,
  owner: { kind: "officer" } | { kind: "business"; businessId: string },
  label: string,
  at: number,
): string {
  const row = {
    id: key.id,
    prefix: key.prefix,
    hash: key.hash,
    kind: owner.kind,
    role: owner.kind === "officer" ? ("officer" as const) : null,
    businessId: owner.kind === "business" ? owner.businessId : null,
    label,
    createdAt: at,
    revokedAt: null,
  };
  const { id: _id, createdAt: _createdAt, ...set } = row;
  return inline(db.insert(apiKeys).values(row).onConflictDoUpdate({ target: apiKeys.id, set }).toSQL());
}

/**
 * Statements that make the matcher cache notice the new rows. A seed writes no change-log rows
 * (matching_changes), so it starts a new matcher generation: every isolate rebuilds in full, as
 * after the weekly full recompute. The revision bump stays last.
 */
function revisionBump(epoch: number): string[] {
  return [
    inline(db.insert(registryMeta).values({ key: "epoch", value: epoch }).onConflictDoNothing().toSQL()),
    inline(
      db
        .insert(registryMeta)
        .values({ key: "generation", value: 1 })
        .onConflictDoUpdate({ target: registryMeta.key, set: { value: sql`${registryMeta.value} + 1` } })
        .toSQL(),
    ),
    inline(
      db
        .insert(registryMeta)
        .values({ key: "revision", value: 1 })
        .onConflictDoUpdate({ target: registryMeta.key, set: { value: sql`${registryMeta.value} + 1` } })
        .toSQL(),
    ),
  ];
}

/** The whole seed script; businesses first (keys reference them), the revision bump last. */
export function buildSeedSql(input: SeedInput): string {
  const lines = ["-- Generated by scripts/demo-seed.ts for the LOCAL database only. Do not edit."];
  // NIBs are unique: when the generator's output changes, a NIB can move from one demo id to
  // another, and upserting row by row would collide with the row that still holds it.
  const ids = input.businesses.map((b) => b.id);
  if (ids.length > 0) {
    lines.push(inline(db.update(businesses).set({ nib: null }).where(inArray(businesses.id, ids)).toSQL()));
  }
  for (const b of input.businesses) lines.push(businessUpsert(toSeedRow(b, input.seededAt)));
  lines.push(keyUpsert(input.officerKey, { kind: "officer" }, "demo officer (local)", input.seededAt));
  for (const b of input.businesses) {
    const key = input.businessKeys.get(b.id);
    if (!key) throw new Error(`no demo key for ${b.id}`);
    lines.push(
      keyUpsert(key, { kind: "business", businessId: b.id }, `${b.fields.name} (demo)`, input.seededAt),
    );
  }
  lines.push(...revisionBump(input.epoch));
  return `${lines.join("\n")}\n`;
}
