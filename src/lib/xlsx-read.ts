import { strFromU8, unzipSync } from "fflate";

/**
 * A minimal XLSX reader: the first worksheet's cells as rows of text (numbers as their text),
 * enough for an office's exported RUP or realisation sheet. It reads the shared strings, inline
 * strings, numbers and booleans; formulas give their cached value; styles and dates as formats
 * are not interpreted (a date cell comes out as its serial number, which the procurement parsers
 * read). fflate's synchronous unzip runs in workerd.
 */

export class XlsxReadError extends Error {}

const decodeXml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&amp;/g, "&");

/** The text of every `<t>` inside one string item (rich text has several runs). */
function itemText(xml: string): string {
  let out = "";
  for (const m of xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g))
    out += decodeXml(m[1] ?? "");
  return out;
}

/** "A" -> 0, "AA" -> 26. */
function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function firstSheetPath(files: Record<string, Uint8Array>): string {
  const workbook = files["xl/workbook.xml"];
  const rels = files["xl/_rels/workbook.xml.rels"];
  if (workbook && rels) {
    const sheet = /<sheet\b[^>]*\br:id="([^"]+)"/.exec(strFromU8(workbook));
    if (sheet) {
      for (const m of strFromU8(rels).matchAll(/<Relationship\b[^>]*>/g)) {
        const id = /\bId="([^"]+)"/.exec(m[0])?.[1];
        const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1];
        if (id === sheet[1] && target) return target.startsWith("/") ? target.slice(1) : `xl/${target}`;
      }
    }
  }
  const any = Object.keys(files)
    .filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f))
    .sort();
  if (!any[0]) throw new XlsxReadError("The workbook has no worksheet.");
  return any[0];
}

/**
 * The first worksheet of an XLSX file as rows of cell text ("" for an empty cell), in sheet
 * order, rows without cells skipped but their numbers kept in `line` (1-based, as the sheet shows).
 * @throws XlsxReadError when the bytes are not a readable workbook.
 */
export function readXlsx(bytes: Uint8Array): Array<{ line: number; cells: string[] }> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) =>
        f.name.startsWith("xl/worksheets/sheet") ||
        f.name.startsWith("xl/workbook") ||
        f.name === "xl/sharedStrings.xml" ||
        f.name === "xl/_rels/workbook.xml.rels",
    });
  } catch {
    throw new XlsxReadError("The file is not an XLSX workbook.");
  }
  const shared: string[] = [];
  const sst = files["xl/sharedStrings.xml"];
  if (sst)
    for (const m of strFromU8(sst).matchAll(/<si>([\s\S]*?)<\/si>/g)) shared.push(itemText(m[1] ?? ""));
  const sheet = files[firstSheetPath(files)];
  if (!sheet) throw new XlsxReadError("The workbook's first worksheet is missing.");
  const rows: Array<{ line: number; cells: string[] }> = [];
  let nextLine = 1;
  for (const row of strFromU8(sheet).matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const r = /\br="(\d+)"/.exec(row[1] ?? "");
    const line = r ? Number(r[1]) : nextLine;
    nextLine = line + 1;
    const cells: string[] = [];
    let col = 0;
    for (const c of (row[2] ?? "").matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[1] ?? "";
      const ref = /\br="([A-Z]+)\d*"/.exec(attrs);
      if (ref) col = columnIndex(ref[1] ?? "A");
      const type = /\bt="([^"]+)"/.exec(attrs)?.[1] ?? "n";
      const body = c[2] ?? "";
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let text = "";
      if (type === "s") text = shared[Number(v)] ?? "";
      else if (type === "inlineStr") text = itemText(/<is>([\s\S]*?)<\/is>/.exec(body)?.[1] ?? "");
      else if (type === "b") text = v === "1" ? "TRUE" : "FALSE";
      else text = v === undefined ? "" : decodeXml(v);
      while (cells.length < col) cells.push("");
      cells[col] = text;
      col++;
    }
    if (cells.some((x) => x.trim() !== "")) rows.push({ line, cells });
  }
  return rows;
}

/** Whether the bytes start like a zip (an XLSX), not text. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
  );
}
