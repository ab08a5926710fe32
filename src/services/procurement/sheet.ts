import type { ColumnSpec } from "../../domain/procurement";
import { mapColumns } from "../../domain/procurement";
import { ApiError } from "../../errors";
import { CsvSyntaxError, parseCsv } from "../../lib/csv";
import { looksLikeZip, readXlsx, XlsxReadError } from "../../lib/xlsx-read";

/** A file's data rows by field, with the line each came from (1-based, the header is line 1). */
export interface SheetRows<F extends string> {
  rows: Array<{ line: number; get: (field: F) => string }>;
}

/** Largest file an import reads (bytes): a city's RUP for a year is a few thousand rows. */
export const SHEET_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Reads an uploaded CSV (comma, semicolon or tab) or XLSX (its first sheet) into rows by field of
 * `spec`, the header row mapped by `mapColumns`.
 *
 * @throws ApiError procurement_file_unreadable when it is neither, or a `required` column is missing.
 */
export function readSheet<S extends ColumnSpec>(
  bytes: Uint8Array,
  spec: S,
  required: ReadonlyArray<keyof S & string>,
): SheetRows<keyof S & string> {
  if (bytes.length === 0) throw new ApiError("procurement_file_unreadable", "The file is empty.");
  if (bytes.length > SHEET_MAX_BYTES)
    throw new ApiError("payload_too_large", "The file is larger than 5 MB.");
  let table: Array<{ line: number; cells: string[] }>;
  try {
    if (looksLikeZip(bytes)) table = readXlsx(bytes);
    else {
      const text = new TextDecoder().decode(bytes);
      table = parseCsv(text).records.map((r) => ({ line: r.line, cells: r.fields }));
    }
  } catch (err) {
    if (err instanceof XlsxReadError || err instanceof CsvSyntaxError)
      throw new ApiError("procurement_file_unreadable", err.message);
    throw err;
  }
  const [header, ...data] = table;
  if (!header) throw new ApiError("procurement_file_unreadable", "The file has no header row.");
  const at = mapColumns(spec, header.cells);
  const missing = required.filter((f) => at[f] === undefined);
  if (missing.length > 0) {
    const names = missing.map((f) => `"${spec[f]?.[0]}"`).join(", ");
    throw new ApiError("procurement_file_unreadable", `Missing columns: ${names}.`, {
      errors: missing.map((f) => ({
        path: f,
        message: `Missing column ${spec[f]?.[0]}.`,
        line: header.line,
      })),
    });
  }
  return {
    rows: data.map((r) => ({
      line: r.line,
      get: (field) => {
        const i = at[field];
        return i === undefined ? "" : (r.cells[i] ?? "").trim();
      },
    })),
  };
}

/** One row's problem, by line and column (the column's first header name). */
export interface RowError {
  line: number;
  column: string;
  message: string;
}
