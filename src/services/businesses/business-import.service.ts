import { getTableColumns, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { businesses, type NewBusinessRow } from "../../../schema";
import { type Database, insertSelect, type SelectedRow } from "../../db";
import type { AuditActor } from "../../domain/party";
import { newId } from "../../lib/ids";
import { auditInsertSelect } from "../audit/audit.queries";
import { runAfter } from "../deps";
import type { RecomputeDeps } from "../matching/recompute.service";
import { startRecompute } from "../matching/recompute.service";
import { rescoreAndMarkEntered } from "../matching/suggestions.service";
import { newBusinessRow } from "./business-columns";
import {
  type ImportedBusiness,
  type ImportReport,
  type ImportRowError,
  importFailed,
  MAX_STATEMENT_JSON_BYTES,
  ROWS_PER_BATCH,
  ROWS_PER_STATEMENT,
  type ValidRow,
  validateImport,
} from "./business-import.validate";
import { holdsNib, isNibUniqueViolation } from "./businesses.queries";
import { bumpRevisionStatements } from "./registry.queries";

/** CSV import of businesses (officers): writing the rows `business-import.validate.ts` accepted, in guarded D1 batches. */

async function registeredNibs(deps: RecomputeDeps, nibs: string[]): Promise<Set<string>> {
  if (nibs.length === 0) return new Set();
  const rows = await deps.db.all<{ nib: string }>(
    sql`select nib from ${businesses} where nib in (select value from json_each(${JSON.stringify(nibs)})) and ${holdsNib()}`,
  );
  return new Set(rows.map((r) => r.nib));
}

/** Every field of the table: each row's JSON carries them all (absent ones as null). */
const TABLE_KEYS = Object.keys(getTableColumns(businesses)) as Array<keyof NewBusinessRow>;
/**
 * Each field read from the row's JSON by name. Objects and arrays (kbli, matchFeatures) come out
 * of json_extract as JSON text, as stored.
 */
const FROM_JSON = Object.fromEntries(
  TABLE_KEYS.map((k) => [k, sql.raw(`json_extract(j.value, '$.${k}')`)]),
) as SelectedRow<typeof businesses>;

/**
 * One INSERT for many rows: the rows travel as a single JSON parameter expanded by `json_each`, so
 * a statement binds one parameter however many rows it carries (D1 allows 100 per statement). In
 * partial mode a NIB registered meanwhile is skipped (`on conflict do nothing`) instead of failing
 * the batch; the rows that went in are read back at the end of the batch.
 */
function insertStatement(db: Database, rows: NewBusinessRow[], skipConflicts: boolean) {
  const payload = JSON.stringify(
    rows.map((r) => {
      const o: Record<string, unknown> = {};
      for (const k of TABLE_KEYS) {
        const v = r[k];
        o[k] = typeof v === "boolean" ? (v ? 1 : 0) : (v ?? null);
      }
      return o;
    }),
  );
  const insert = insertSelect(db, businesses, FROM_JSON, sql`from json_each(${payload}) j where true`);
  return skipConflicts ? insert.onConflictDoNothing() : insert;
}

/** Audit rows for the inserted businesses (joined, so a skipped row gets none), with their line. */
function auditStatement(
  db: Database,
  ids: Array<{ id: string; line: number }>,
  meta: { importId: string; actor: AuditActor; now: number },
) {
  const payload = JSON.stringify(ids);
  return auditInsertSelect(
    db,
    {
      at: meta.now,
      actor: meta.actor,
      entityType: "business",
      entityId: sql`b.id`,
      action: "import",
      fromState: null,
      toState: "published",
      details: sql`json_object('importId', ${meta.importId}, 'line', json_extract(j.value, '$.line'))`,
    },
    sql`from json_each(${payload}) j join ${businesses} b on b.id = json_extract(j.value, '$.id')`,
  );
}

/** Splits rows into statement-sized chunks (by count and by JSON size). */
function statementChunks<T extends { row: NewBusinessRow }>(items: T[]): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = JSON.stringify(item.row).length;
    if (
      current.length > 0 &&
      (current.length >= ROWS_PER_STATEMENT || bytes + size > MAX_STATEMENT_JSON_BYTES)
    ) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

interface Prepared {
  line: number;
  row: NewBusinessRow;
}

/**
 * Imports businesses from CSV text (officers).
 *
 * - `atomic`: any invalid or duplicate row fails the whole import (422 `import_failed` listing
 *   every row's errors) and nothing is written; otherwise every row goes in one D1 batch, which is
 *   one transaction (a NIB registered meanwhile rolls it all back and is reported the same way).
 * - partial: invalid and duplicate rows are reported, the rest written in batches of
 *   `ROWS_PER_BATCH` rows; a NIB registered between the check and the write skips only its row.
 *   Nothing valid at all is a 422 as well.
 *
 * Each business gets an `import` audit row (with the import id and its line) in the batch that
 * writes it, and each batch bumps the registry revision. Imported businesses are published and
 * get no API key (owners sign in by email link; keys are minted on request). Afterwards (deferred
 * when the caller can defer) their suggestions are computed as a create's are: up to one recompute
 * chunk (`RECOMPUTE_CHUNK_SIZE`, 200) they are rescored at once and the sets of their new top 50
 * marked stale; a larger import starts a `full` recompute run over the queue instead, since that
 * many new businesses may belong in anyone's top 50.
 */
export async function importBusinesses(
  deps: RecomputeDeps,
  input: { csv: string; atomic: boolean; actor: AuditActor; now: number },
): Promise<ImportReport> {
  const { delimiter, rows, valid, errors } = validateImport(input.csv);
  const mode = input.atomic ? "atomic" : "partial";
  const importId = newId("imp_", input.now);

  const registered = await registeredNibs(
    deps,
    valid.flatMap((v) => (v.fields.nib === null ? [] : [v.fields.nib])),
  );
  const fresh: ValidRow[] = [];
  for (const v of valid) {
    if (v.fields.nib !== null && registered.has(v.fields.nib))
      errors.push(duplicateError(v.line, v.fields.nib));
    else fresh.push(v);
  }
  errors.sort((a, b) => a.line - b.line);
  // Before any analysis: a failing atomic import costs no more than its validation.
  if (fresh.length === 0 || (input.atomic && errors.length > 0)) {
    throw importFailed(
      errors,
      input.atomic
        ? `${new Set(errors.map((e) => e.line)).size} of ${rows} rows failed; nothing was imported.`
        : `No row could be imported (${rows} rows).`,
    );
  }
  const toWrite: Prepared[] = fresh.map((v) => ({
    line: v.line,
    row: newBusinessRow({
      id: newId("biz_", input.now),
      fields: v.fields,
      status: "published",
      now: input.now,
    }),
  }));

  const meta = { importId, actor: input.actor, now: input.now };
  const writes = { batches: 0, statements: 0 };
  const written = new Set<string>();
  const batches = input.atomic ? [toWrite] : chunk(toWrite, ROWS_PER_BATCH);
  for (const batch of batches) {
    const statements: BatchItem<"sqlite">[] = [];
    for (const part of statementChunks(batch)) {
      statements.push(
        insertStatement(
          deps.db,
          part.map((p) => p.row),
          !input.atomic,
        ),
      );
      statements.push(
        auditStatement(
          deps.db,
          part.map((p) => ({ id: p.row.id as string, line: p.line })),
          meta,
        ),
      );
    }
    statements.push(
      ...bumpRevisionStatements(
        deps.db,
        batch.map((p) => p.row.id as string),
      ),
    );
    const ids = JSON.stringify(batch.map((p) => p.row.id));
    statements.push(
      deps.db
        .select({ id: businesses.id })
        .from(businesses)
        .where(inArray(businesses.id, sql`(select value from json_each(${ids}))`)),
    );
    let results: unknown[];
    try {
      results = await deps.db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    } catch (err) {
      if (input.atomic && isNibUniqueViolation(err)) {
        // Registered between our check and the write: name the rows, nothing was written.
        const taken = await registeredNibs(
          deps,
          batch.flatMap((p) => (p.row.nib ? [p.row.nib] : [])),
        );
        throw importFailed(
          batch
            .filter((p) => p.row.nib && taken.has(p.row.nib))
            .map((p) => duplicateError(p.line, p.row.nib as string)),
          "A NIB in the file was registered meanwhile; nothing was imported.",
        );
      }
      throw err;
    }
    writes.batches += 1;
    writes.statements += statements.length;
    for (const r of results.at(-1) as Array<{ id: string }>) written.add(r.id);
  }

  const imported: ImportedBusiness[] = [];
  for (const p of toWrite) {
    if (written.has(p.row.id as string)) {
      imported.push({ line: p.line, id: p.row.id as string, name: p.row.name, nib: p.row.nib ?? null });
    } else if (p.row.nib) {
      errors.push(duplicateError(p.line, p.row.nib));
    }
  }
  errors.sort((a, b) => a.line - b.line);

  await runAfter(deps, "suggestions after import", async () => {
    const ids = imported.map((b) => b.id);
    if (ids.length > deps.chunkSize) {
      await startRecompute(deps, { mode: "full", now: input.now, trigger: `import:${importId}` });
      return;
    }
    // What a create does, for all of them at once: rescore them, then mark the sets they enter.
    await rescoreAndMarkEntered(deps, { ids, now: input.now });
  });

  return {
    importId,
    mode,
    delimiter,
    rows,
    imported: imported.length,
    failed: new Set(errors.map((e) => e.line)).size,
    businesses: imported,
    errors,
    writes,
  };
}

function duplicateError(line: number, nib: string): ImportRowError {
  return { line, column: "nib", path: "nib", message: `NIB ${nib} is already registered.` };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
