/**
 * A small RFC 4180 CSV reader for spreadsheet exports: comma or semicolon (or tab) separated (the
 * Indonesian Excel locale writes semicolons, because the decimal separator is a comma), quoted
 * fields with embedded separators, doubled quotes and line breaks, CRLF or LF line ends. A leading
 * byte order mark is the decoder's business (`TextDecoder` drops it), but one left in the text is
 * ignored too.
 */

export type CsvDelimiter = "," | ";" | "\t";

export interface CsvRecord {
  /** 1-based physical line of the file where the record starts (what a text editor shows). */
  line: number;
  fields: string[];
}

export interface CsvParseResult {
  delimiter: CsvDelimiter;
  records: CsvRecord[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = "CsvSyntaxError";
  }
}

/**
 * The separator of the first (header) line: whichever of `;`, `,` and tab occurs most often outside
 * quotes; a comma when none does (a one-column file).
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && (ch === "," || ch === ";" || ch === "\t")) counts[ch] += 1;
  }
  const best = (Object.entries(counts) as Array<[CsvDelimiter, number]>).sort((a, b) => b[1] - a[1])[0];
  return best && best[1] > 0 ? best[0] : ",";
}

/**
 * Parses the whole text into records. Records whose fields are all empty (blank lines, or a line of
 * separators only, as spreadsheets leave at the end) are dropped; line numbers still count them.
 *
 * @throws CsvSyntaxError for a quote that is never closed or text right after a closing quote.
 */
export function parseCsv(input: string, delimiter?: CsvDelimiter): CsvParseResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const sep = delimiter ?? detectDelimiter(text);
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;

  const endRecord = () => {
    fields.push(field);
    if (fields.some((f) => f !== "")) records.push({ line: recordLine, fields });
    fields = [];
    field = "";
  };

  while (i < n) {
    const ch = text[i];
    if (ch === '"' && field === "") {
      // A quoted field: runs to the next lone quote; "" is a literal quote.
      const openedOn = line;
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        if (c === "\n") line++;
        else if (c === "\r" && text[i + 1] !== "\n") line++;
        field += c;
        i++;
      }
      if (!closed) throw new CsvSyntaxError(openedOn, "A quoted field is never closed.");
      const next = text[i];
      if (i < n && next !== sep && next !== "\n" && next !== "\r") {
        throw new CsvSyntaxError(line, "Unexpected text after a closing quote.");
      }
      continue;
    }
    if (ch === sep) {
      fields.push(field);
      field = "";
      i++;
      continue;
    }
    if (ch === "\r" || ch === "\n") {
      endRecord();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    // Unquoted text up to the next separator, line break or quote, sliced in one go.
    let j = i + 1;
    while (j < n) {
      const c = text[j];
      if (c === sep || c === "\n" || c === "\r" || c === '"') break;
      j++;
    }
    field += text.slice(i, j);
    i = j;
  }
  if (field !== "" || fields.length > 0) endRecord();
  return { delimiter: sep, records };
}

/** A cell written to a CSV or XLSX table: text, a number, or empty. */
export type TableCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field: quoted when it holds a delimiter, quote or line break. Text that a spreadsheet
 * would run as a formula (starting with = + - @) gets a leading apostrophe (OWASP "CSV injection"):
 * business names are typed by the public.
 */
function csvField(cell: TableCell): string {
  if (cell === null) return "";
  if (typeof cell === "number") return Number.isFinite(cell) ? String(cell) : "";
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Writes rows as RFC 4180 CSV: comma-separated, CRLF line ends, with a UTF-8 byte-order mark so
 * Excel reads Indonesian and English text as UTF-8. Numbers are plain (a dot for decimals).
 */
export function writeCsv(rows: ReadonlyArray<ReadonlyArray<TableCell>>): string {
  return `\uFEFF${rows.map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
}
