import { inArray, sql } from "drizzle-orm";
import { matchingChanges, registryMeta } from "../../../schema";
import { type Database, insertSelect, prepareOnce } from "../../db";

/**
 * The registry's version, read by the matcher cache. `epoch` is random and set once per database,
 * so a wiped and reseeded database (or another test file's database) never reuses an old
 * `revision` number by accident. `revision` moves only when a write changes a matching input
 * (src/services/matching/matching-inputs.ts says which); `generation` moves with each full
 * rebuild (the weekly `recompute-full`), which also prunes the change log.
 */
export interface RegistryVersion {
  epoch: number;
  revision: number;
  generation: number;
}

/**
 * Statements to add to every batch that changes the matching inputs of `businessIds`: the
 * revision bump, and one change-log row per business at the new revision (read back inside the
 * batch, which D1 runs as one transaction), so an isolate can catch up by reading those rows.
 */
export function bumpRevisionStatements(db: Database, businessIds: readonly string[]) {
  const epoch = Math.floor(Math.random() * 2 ** 48);
  return [
    db.insert(registryMeta).values({ key: "epoch", value: epoch }).onConflictDoNothing(),
    db
      .insert(registryMeta)
      .values({ key: "revision", value: 1 })
      .onConflictDoUpdate({ target: registryMeta.key, set: { value: sql`${registryMeta.value} + 1` } }),
    insertSelect(
      db,
      matchingChanges,
      {
        revision: registryValue("revision"),
        businessId: sql`j.value`,
      },
      sql`from json_each(${JSON.stringify([...new Set(businessIds)])}) j where true on conflict do nothing`,
    ),
  ] as const;
}

/** One value of the registry's version as a scalar subquery (null until the key is written). */
export function registryValue(key: "epoch" | "revision" | "generation") {
  return sql<
    number | null
  >`(select ${registryMeta.value} from ${registryMeta} where ${registryMeta.key} = ${sql.raw(`'${key}'`)})`;
}

/** The registry's version as columns of another select, read with it (`versionOfColumns`). */
export const registryVersionColumns = {
  registryEpoch: registryValue("epoch"),
  registryRevision: registryValue("revision"),
  registryGeneration: registryValue("generation"),
};

/** The version {@link registryVersionColumns} read (a key not written yet is 0, as in `toRegistryVersion`). */
export function versionOfColumns(row: {
  registryEpoch: number | null;
  registryRevision: number | null;
  registryGeneration: number | null;
}): RegistryVersion {
  return {
    epoch: row.registryEpoch ?? 0,
    revision: row.registryRevision ?? 0,
    generation: row.registryGeneration ?? 0,
  };
}

export function selectRegistryVersion(db: Database) {
  return db
    .select({ key: registryMeta.key, value: registryMeta.value })
    .from(registryMeta)
    .where(inArray(registryMeta.key, ["epoch", "revision", "generation"]));
}

/** {@link selectRegistryVersion}, prepared once per database (the matcher cache reads it on every use). */
export function registryVersionQuery(db: Database) {
  return prepareOnce(db, prepareRegistryVersion);
}

function prepareRegistryVersion(db: Database) {
  return selectRegistryVersion(db).prepare();
}

export function toRegistryVersion(rows: Array<{ key: string; value: number }>): RegistryVersion {
  const get = (k: string) => rows.find((r) => r.key === k)?.value ?? 0;
  return { epoch: get("epoch"), revision: get("revision"), generation: get("generation") };
}
