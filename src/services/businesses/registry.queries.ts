import { inArray, sql } from "drizzle-orm";
import { registryMeta } from "../../../schema";
import type { Database } from "../../db";

/**
 * The registry's version, read by the matcher cache. `epoch` is random and set once per database,
 * so a wiped and reseeded database (or another test file's database) never reuses an old
 * `revision` number by accident.
 */
export interface RegistryVersion {
  epoch: number;
  revision: number;
}

/** Statements to add to every batch that writes businesses. */
export function bumpRevisionStatements(db: Database) {
  const epoch = Math.floor(Math.random() * 2 ** 48);
  return [
    db.insert(registryMeta).values({ key: "epoch", value: epoch }).onConflictDoNothing(),
    db
      .insert(registryMeta)
      .values({ key: "revision", value: 1 })
      .onConflictDoUpdate({ target: registryMeta.key, set: { value: sql`${registryMeta.value} + 1` } }),
  ] as const;
}

export function selectRegistryVersion(db: Database) {
  return db
    .select({ key: registryMeta.key, value: registryMeta.value })
    .from(registryMeta)
    .where(inArray(registryMeta.key, ["epoch", "revision"]));
}

export function toRegistryVersion(rows: Array<{ key: string; value: number }>): RegistryVersion {
  const get = (k: string) => rows.find((r) => r.key === k)?.value ?? 0;
  return { epoch: get("epoch"), revision: get("revision") };
}
