import { getTableColumns, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { businesses, type NewBusinessRow } from "../../../schema";
import { CreateBusinessSchema } from "../../contracts/businesses.schemas";
import { type Database, insertSelect, type SelectedRow } from "../../db";
import {
  type BusinessFields,
  type NormalisedBusinessFields,
  normaliseBusinessFields,
} from "../../domain/business";
import type { AuditActor } from "../../domain/party";
import { ApiError, type FieldError, fieldErrorsFromZod } from "../../errors";
import { CsvSyntaxError, parseCsv } from "../../lib/csv";
import { newId } from "../../lib/ids";
import { auditInsertSelect } from "../audit/audit.queries";
import { runAfter } from "../deps";
import type { RecomputeDeps } from "../matching/recompute.service";
import { startRecompute } from "../matching/recompute.service";
import { markSetsStale } from "../matching/suggestions.queries";
import { rescoreSets } from "../matching/suggestions.service";
import { holdsNib, isNibUniqueViolation } from "./businesses.queries";
import { newBusinessRow } from "./businesses.service";
import { bumpRevisionStatements } from "./registry.queries";

/**
 * CSV import of businesses (officers). Every row goes through the create endpoint's own contract
 * (`CreateBusinessSchema`) and domain rules (`normaliseBusinessFields`): the file is only another
 * way of writing the same request body, so there is no second set of rules here, only the mapping
 * from columns to the body's fields.
 */

/** Largest file, in rows (not counting the header). A 10,000-row file is the documented target. */
export const MAX_IMPORT_ROWS = 10_000;

/**
 * The columns, named like the create contract's fields (nested ones flattened). `kbli` holds 1-5
 * codes separated by `|` (`,`, `;` or spaces work too); `kbliVersion` (2020 or 2025, default 2020)
 * applies to all of them. Booleans: true/false, ya/tidak, yes/no, 1/0. Numbers may use a decimal
 * comma (`-7,4722`), as the Indonesian Excel locale writes them. Empty cells are absent fields
 * (the create contract's defaults apply).
 */
export const IMPORT_COLUMNS = [
  "name",
  "sector",
  "nib",
  "kbli",
  "kbliVersion",
  "sizeClass",
  "kelurahan",
  "kecamatan",
  "city",
  "lat",
  "lng",
  "offers",
  "needs",
  "email",
  "language",
  "maxPartners",
  "ekatalogListed",
  "ekatalogUrl",
  "active",
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Headers a file must have (the create contract's required fields; location: kelurahan or city). */
const REQUIRED_COLUMNS: readonly ImportColumn[] = ["name", "sector", "kbli", "sizeClass", "email"];

/** Business rows per INSERT statement: they travel as one JSON parameter (see `insertStatements`). */
const ROWS_PER_STATEMENT = 100;
/** ...and at most this much JSON per statement (D1 caps a string or row at 2 MB). */
const MAX_STATEMENT_JSON_BYTES = 900_000;
/** Rows per D1 batch in partial mode (each batch commits on its own). */
const ROWS_PER_BATCH = 2_000;

export interface ImportRowError extends FieldError {
  line: number;
  column: string;
}

export interface ImportedBusiness {
  line: number;
  id: string;
  name: string;
  nib: string | null;
}

export interface ImportReport {
  importId: string;
  mode: "atomic" | "partial";
  delimiter: "," | ";" | "\t";
  /** Data rows in the file (blank lines not counted). */
  rows: number;
  imported: number;
  failed: number;
  businesses: ImportedBusiness[];
  errors: ImportRowError[];
  /** What the write cost in D1. */
  writes: { batches: number; statements: number };
}

interface ValidRow {
  line: number;
  fields: NormalisedBusinessFields;
}

function importFailed(errors: ImportRowError[], detail: string): ApiError {
  return new ApiError("import_failed", detail, { errors });
}

// ---------------------------------------------------------------------------------------------
// Reading rows into create bodies

const BOOLEANS: Record<string, boolean> = {
  true: true,
  false: false,
  ya: true,
  tidak: false,
  yes: true,
  no: false,
  "1": true,
  "0": false,
};

/** A boolean when the cell spells one, else the raw text (the contract then says what is wrong). */
function toBoolean(cell: string): boolean | string {
  return BOOLEANS[cell.toLowerCase()] ?? cell;
}

/** A number when the cell is one (decimal point or a single decimal comma), else the raw text. */
function toNumber(cell: string): number | string {
  const text = /^-?\d+,\d+$/.test(cell) ? cell.replace(",", ".") : cell;
  const n = Number(text);
  return text !== "" && Number.isFinite(n) ? n : cell;
}

/** Builds the create body a row stands for: empty cells are left out, so defaults apply. */
export function rowToCreateBody(row: Partial<Record<ImportColumn, string>>): Record<string, unknown> {
  const cell = (c: ImportColumn) => {
    const v = row[c]?.trim();
    return v ? v : undefined;
  };
  const body: Record<string, unknown> = {};
  for (const c of ["name", "sector", "sizeClass", "offers", "needs", "email", "language"] as const) {
    const v = cell(c);
    if (v !== undefined) body[c] = v;
  }
  const nib = cell("nib");
  if (nib !== undefined) body.nib = nib;
  const kbli = cell("kbli");
  if (kbli !== undefined) {
    const version = cell("kbliVersion") ?? "2020";
    body.kbli = kbli
      .split(/[\s|,;]+/)
      .filter(Boolean)
      .map((code) => ({ code, version }));
  }
  const location: Record<string, unknown> = {};
  for (const c of ["kelurahan", "kecamatan", "city"] as const) {
    const v = cell(c);
    if (v !== undefined) location[c] = v;
  }
  for (const c of ["lat", "lng"] as const) {
    const v = cell(c);
    if (v !== undefined) location[c] = toNumber(v);
  }
  body.location = location;
  const maxPartners = cell("maxPartners");
  if (maxPartners !== undefined) body.maxPartners = toNumber(maxPartners);
  const listed = cell("ekatalogListed");
  const url = cell("ekatalogUrl");
  if (listed !== undefined || url !== undefined) {
    body.ekatalog = { listed: listed === undefined ? false : toBoolean(listed), ...(url ? { url } : {}) };
  }
  const active = cell("active");
  if (active !== undefined) body.active = toBoolean(active);
  return body;
}

/** The CSV column a contract path (`location.kelurahan`, `kbli.1.code`, `ekatalog.url`) came from. */
export function columnOfPath(path: string): string {
  const [head, second, third] = path.split(".");
  switch (head) {
    case "location":
      return second && ["kelurahan", "kecamatan", "city", "lat", "lng"].includes(second)
        ? second
        : "kelurahan";
    case "kbli":
      return third === "version" ? "kbliVersion" : "kbli";
    case "ekatalog":
      return second === "url" ? "ekatalogUrl" : "ekatalogListed";
    default:
      return head ?? "";
  }
}

/** Validates one row exactly as `POST /v1/businesses` validates a body. */
function validateRow(
  line: number,
  row: Partial<Record<ImportColumn, string>>,
): { ok: true; fields: NormalisedBusinessFields } | { ok: false; errors: ImportRowError[] } {
  const toRowErrors = (errors: FieldError[]) =>
    errors.map((e) => ({ line, column: columnOfPath(e.path), path: e.path, message: e.message }));
  const parsed = CreateBusinessSchema.safeParse(rowToCreateBody(row));
  if (!parsed.success) return { ok: false, errors: toRowErrors(fieldErrorsFromZod(parsed.error)) };
  const normalised = normaliseBusinessFields(parsed.data as BusinessFields);
  if (!normalised.ok) return { ok: false, errors: toRowErrors(normalised.errors) };
  return { ok: true, fields: normalised.value };
}

/** Reads the header: known columns (case-insensitive), each once, the required ones present. */
function readHeader(fields: string[], line: number): { columns: ImportColumn[]; errors: ImportRowError[] } {
  const byLower = new Map(IMPORT_COLUMNS.map((c) => [c.toLowerCase(), c] as const));
  const columns: ImportColumn[] = [];
  const errors: ImportRowError[] = [];
  fields.forEach((raw, i) => {
    const name = raw.trim();
    const column = byLower.get(name.toLowerCase());
    if (!column) {
      errors.push({
        line,
        column: name,
        path: "header",
        message: `Unknown column ${JSON.stringify(name)} (position ${i + 1}). Known: ${IMPORT_COLUMNS.join(", ")}.`,
      });
    } else if (columns.includes(column)) {
      errors.push({ line, column, path: "header", message: "Column given twice." });
    }
    columns.push(column ?? (name as ImportColumn));
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!columns.includes(required)) {
      errors.push({ line, column: required, path: "header", message: "Required column missing." });
    }
  }
  if (!columns.includes("kelurahan") && !columns.includes("city")) {
    errors.push({
      line,
      column: "kelurahan",
      path: "header",
      message: "Give a kelurahan column (Kota Mojokerto) or city, lat and lng columns (elsewhere).",
    });
  }
  return { columns, errors };
}

/** Parses and validates the whole file; nothing is written. */
export function validateImport(text: string): {
  delimiter: ImportReport["delimiter"];
  rows: number;
  valid: ValidRow[];
  errors: ImportRowError[];
} {
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) {
      throw importFailed(
        [{ line: err.line, column: "", path: "file", message: err.message }],
        "The file is not valid CSV.",
      );
    }
    throw err;
  }
  const [header, ...records] = parsed.records;
  if (!header)
    throw importFailed(
      [{ line: 1, column: "", path: "file", message: "The file is empty." }],
      "The file is empty.",
    );
  const { columns, errors: headerErrors } = readHeader(header.fields, header.line);
  if (headerErrors.length > 0) throw importFailed(headerErrors, "The header row is not usable.");
  if (records.length === 0) {
    throw importFailed(
      [{ line: header.line, column: "", path: "file", message: "No data rows." }],
      "No data rows.",
    );
  }
  if (records.length > MAX_IMPORT_ROWS) {
    throw new ApiError(
      "too_many_rows",
      `The file has ${records.length} rows; import at most ${MAX_IMPORT_ROWS} per file.`,
    );
  }

  const valid: ValidRow[] = [];
  const errors: ImportRowError[] = [];
  const nibLines = new Map<string, number>();
  for (const record of records) {
    if (record.fields.length > columns.length) {
      errors.push({
        line: record.line,
        column: "",
        path: "row",
        message: `The row has ${record.fields.length} fields; the header has ${columns.length}.`,
      });
      continue;
    }
    const row: Partial<Record<ImportColumn, string>> = {};
    columns.forEach((c, i) => {
      row[c] = record.fields[i] ?? "";
    });
    const result = validateRow(record.line, row);
    if (!result.ok) {
      errors.push(...result.errors);
      continue;
    }
    const nib = result.fields.nib;
    if (nib !== null) {
      const first = nibLines.get(nib);
      if (first !== undefined) {
        errors.push({
          line: record.line,
          column: "nib",
          path: "nib",
          message: `NIB ${nib} is already on line ${first} of this file.`,
        });
        continue;
      }
      nibLines.set(nib, record.line);
    }
    valid.push({ line: record.line, fields: result.fields });
  }
  return { delimiter: parsed.delimiter, rows: records.length, valid, errors };
}

// ---------------------------------------------------------------------------------------------
// Writing

/** NIBs of these that are already held: one bound parameter whatever the count. */
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
    statements.push(...bumpRevisionStatements(deps.db));
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
    // What a create does, for all of them at once: rescore them, then mark their new neighbours.
    const { sets } = await rescoreSets(deps, { ids, now: input.now });
    const neighbours = new Set([...sets.values()].flatMap((items) => items.map((s) => s.id)));
    for (const id of ids) neighbours.delete(id);
    if (neighbours.size > 0) await markSetsStale(deps.db, [...neighbours], input.now).run();
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
