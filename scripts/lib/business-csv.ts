import type { BusinessFields } from "../../src/domain/business";
import { IMPORT_COLUMNS, type ImportColumn } from "../../src/services/businesses/business-import.validate";

/** One CSV field, quoted when it holds the separator, a quote or a line break. */
export function csvField(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Businesses (create-contract fields) as an import file: every documented column, in
 * `IMPORT_COLUMNS` order, KBLI codes joined by `|`. `decimalComma` writes coordinates the way the
 * Indonesian Excel locale does (`-7,4722`, with `;` as the separator). Pure, so tests in workerd,
 * the import benchmark and anyone preparing a file share it.
 */
export function businessesToCsv(
  rows: BusinessFields[],
  options: { delimiter?: "," | ";"; bom?: boolean; decimalComma?: boolean; lineEnd?: "\n" | "\r\n" } = {},
): string {
  const sep = options.delimiter ?? ",";
  const end = options.lineEnd ?? "\r\n";
  const num = (n: number | undefined) =>
    n === undefined ? "" : options.decimalComma ? String(n).replace(".", ",") : String(n);
  const lines = [IMPORT_COLUMNS.join(sep)];
  for (const b of rows) {
    const cells: Record<ImportColumn, string> = {
      name: b.name,
      sector: b.sector,
      nib: b.nib ?? "",
      kbli: b.kbli.map((k) => k.code).join("|"),
      kbliVersion: b.kbli[0]?.version ?? "2020",
      sizeClass: b.sizeClass,
      kelurahan: b.location.kelurahan ?? "",
      kecamatan: b.location.kecamatan ?? "",
      city: b.location.city ?? "",
      lat: num(b.location.lat),
      lng: num(b.location.lng),
      offers: b.offers,
      needs: b.needs,
      email: b.email,
      language: b.language,
      maxPartners: String(b.maxPartners),
      ekatalogListed: b.ekatalog.listed ? "ya" : "tidak",
      ekatalogUrl: b.ekatalog.url ?? "",
      active: b.active ? "true" : "false",
    };
    lines.push(IMPORT_COLUMNS.map((c) => csvField(cells[c], sep)).join(sep));
  }
  return `${options.bom ? "\uFEFF" : ""}${lines.join(end)}${end}`;
}
