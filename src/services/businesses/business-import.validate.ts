import { CreateBusinessSchema } from "../../contracts/businesses.schemas";
import {
  type BusinessFields,
  type NormalisedBusinessFields,
  normaliseBusinessFields,
} from "../../domain/business";
import { ApiError, type FieldError, fieldErrorsFromZod } from "../../errors";
import { CsvSyntaxError, parseCsv } from "../../lib/csv";

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
export const REQUIRED_COLUMNS: readonly ImportColumn[] = ["name", "sector", "kbli", "sizeClass", "email"];

/** Business rows per INSERT statement: they travel as one JSON parameter (see `insertStatements`). */
export const ROWS_PER_STATEMENT = 100;
/** ...and at most this much JSON per statement (D1 caps a string or row at 2 MB). */
export const MAX_STATEMENT_JSON_BYTES = 900_000;
/** Rows per D1 batch in partial mode (each batch commits on its own). */
export const ROWS_PER_BATCH = 2_000;

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

export interface ValidRow {
  line: number;
  fields: NormalisedBusinessFields;
}

export function importFailed(errors: ImportRowError[], detail: string): ApiError {
  return new ApiError("import_failed", detail, { errors });
}

// ---------------------------------------------------------------------------------------------
// Reading rows into create bodies

export const BOOLEANS: Record<string, boolean> = {
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
export function toBoolean(cell: string): boolean | string {
  return BOOLEANS[cell.toLowerCase()] ?? cell;
}

/** A number when the cell is one (decimal point or a single decimal comma), else the raw text. */
export function toNumber(cell: string): number | string {
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
export function validateRow(
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
export function readHeader(
  fields: string[],
  line: number,
): { columns: ImportColumn[]; errors: ImportRowError[] } {
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
