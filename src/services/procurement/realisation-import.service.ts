import { inArray, sql } from "drizzle-orm";
import { businesses, procurementRealisations } from "../../../schema";
import type { AuditActor } from "../../domain/party";
import {
  normalizeKey,
  parseChannel,
  parseDate,
  parseQualification,
  parseRupiah,
  parseType,
  REALISATION_COLUMNS,
  type SupplierQualification,
} from "../../domain/procurement";
import { newId } from "../../lib/ids";
import { auditInsert } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { buyerIdsByName } from "./buyers.service";
import { type RowError, readSheet } from "./sheet";

export interface RealisationReport {
  rows: number;
  created: number;
  unchanged: number;
  newBuyers: number;
  /** Rows whose supplier was found in the registry, by NIB and by name. */
  matchedByNib: number;
  matchedByName: number;
  errors: RowError[];
}

const COL = (f: keyof typeof REALISATION_COLUMNS) => REALISATION_COLUMNS[f][0];
const ROWS_PER_STATEMENT = 6;
/** Legal forms and shop words that do not tell two suppliers apart ("CV Sekar Arum" = "Sekar Arum"). */
const NAME_NOISE = /\b(cv|ud|pt|tb|pd|toko|usaha dagang|persero|tbk)\b/g;

/** A supplier name as it is compared with the registry's names. */
export function supplierNameKey(name: string): string {
  return normalizeKey(name).replace(NAME_NOISE, " ").replace(/\s+/g, " ").trim();
}

interface Parsed {
  line: number;
  packageName: string;
  buyer: string;
  supplierName: string;
  supplierNib: string | null;
  value: number;
  date: string;
  channel: NonNullable<ReturnType<typeof parseChannel>>;
  type: NonNullable<ReturnType<typeof parseType>>;
  qualification: SupplierQualification | null;
}

/**
 * Imports realised spending (paket, OPD, supplier name or NIB, value, date, channel) from CSV or
 * XLSX (docs/PROCUREMENT.md). Each supplier is matched to the registry on its NIB first, then on its
 * name without the legal form; valid rows are written, bad ones reported by line; a row already
 * imported (same package, OPD, supplier, value, date and channel) is not added again.
 * @throws ApiError procurement_file_unreadable when the file is not a sheet with the required columns.
 */
export async function importRealisations(
  deps: ServiceDeps,
  input: { bytes: Uint8Array; actor: AuditActor; now: number },
): Promise<RealisationReport> {
  const sheet = readSheet(input.bytes, REALISATION_COLUMNS, [
    "name",
    "buyer",
    "supplier",
    "value",
    "date",
    "channel",
  ]);
  const errors: RowError[] = [];
  const valid: Parsed[] = [];
  for (const r of sheet.rows) {
    const bad = (f: keyof typeof REALISATION_COLUMNS, message: string) =>
      errors.push({ line: r.line, column: COL(f), message });
    const before = errors.length;
    const packageName = r.get("name");
    if (packageName.length < 3) bad("name", "Nama paket wajib / package name required");
    const buyer = r.get("buyer");
    if (normalizeKey(buyer).length < 3)
      bad("buyer", "Satuan kerja (OPD) wajib / the office (OPD) is required");
    const supplierName = r.get("supplier");
    const nibText = r.get("nib").replace(/\s/g, "");
    if (supplierName.length < 2 && nibText === "")
      bad("supplier", "Nama penyedia atau NIB wajib / supplier name or NIB required");
    if (nibText !== "" && !/^\d{13}$/.test(nibText)) bad("nib", "NIB harus 13 angka / an NIB has 13 digits");
    const value = parseRupiah(r.get("value"));
    if (value === null) bad("value", "Nilai harus angka rupiah / the value must be a rupiah amount");
    const date = parseDate(r.get("date"));
    if (date === null)
      bad("date", `Tanggal tidak terbaca: "${r.get("date")}" (TTTT-BB-HH) / unreadable date`);
    const channel = parseChannel(r.get("channel"));
    if (channel === null)
      bad(
        "channel",
        `Jalur tidak dikenal: "${r.get("channel")}" (E-Katalog, Tender, Pengadaan Langsung) / unknown channel`,
      );
    const typeText = r.get("type");
    const type = typeText === "" ? "barang" : parseType(typeText);
    if (type === null) bad("type", `Jenis pengadaan tidak dikenal: "${typeText}" / unknown type`);
    const qText = r.get("qualification");
    const qualification = qText === "" ? null : parseQualification(qText);
    if (qText !== "" && qualification === null)
      bad("qualification", `Kualifikasi tidak dikenal: "${qText}" / unknown qualification`);
    if (errors.length > before || value === null || date === null || channel === null || type === null)
      continue;
    valid.push({
      line: r.line,
      packageName,
      buyer,
      supplierName: supplierName || nibText,
      supplierNib: nibText || null,
      value,
      date,
      channel,
      type,
      qualification,
    });
  }
  const buyers = await buyerIdsByName(
    deps,
    valid.map((v) => v.buyer),
    input.now,
  );
  const registry = await registryIndex(deps);
  const seen = new Map<string, number>();
  const rows = [];
  let matchedByNib = 0;
  let matchedByName = 0;
  for (const v of valid) {
    const buyerKey = normalizeKey(v.buyer);
    const rowKey = [
      normalizeKey(v.packageName),
      buyerKey,
      supplierNameKey(v.supplierName),
      v.supplierNib ?? "",
      v.value,
      v.date,
      v.channel,
    ].join("|");
    const first = seen.get(rowKey);
    if (first !== undefined) {
      errors.push({
        line: v.line,
        column: COL("name"),
        message: `Sama dengan baris ${first} / same as line ${first}`,
      });
      continue;
    }
    seen.set(rowKey, v.line);
    let businessId: string | null = null;
    let matchedBy: "nib" | "name" | null = null;
    const byNib = v.supplierNib ? registry.byNib.get(v.supplierNib) : undefined;
    const byName = registry.byName.get(supplierNameKey(v.supplierName));
    if (byNib) {
      businessId = byNib;
      matchedBy = "nib";
      matchedByNib++;
    } else if (byName) {
      businessId = byName;
      matchedBy = "name";
      matchedByName++;
    }
    rows.push({
      id: newId("rls_", input.now),
      rowKey,
      buyerId: buyers.ids.get(buyerKey) ?? "",
      packageName: v.packageName,
      supplierName: v.supplierName,
      supplierNib: v.supplierNib,
      qualification: v.qualification,
      businessId,
      matchedBy,
      value: v.value,
      date: v.date,
      channel: v.channel,
      type: v.type,
      createdAt: input.now,
    });
  }
  const existing = new Set<string>();
  const keys = rows.map((r) => r.rowKey);
  for (let i = 0; i < keys.length; i += 90) {
    for (const r of await deps.db
      .select({ k: procurementRealisations.rowKey })
      .from(procurementRealisations)
      .where(inArray(procurementRealisations.rowKey, keys.slice(i, i + 90)))
      .all())
      existing.add(r.k);
  }
  const fresh = rows.filter((r) => !existing.has(r.rowKey));
  const statements = [];
  for (let i = 0; i < fresh.length; i += ROWS_PER_STATEMENT)
    statements.push(
      deps.db
        .insert(procurementRealisations)
        .values(fresh.slice(i, i + ROWS_PER_STATEMENT))
        .onConflictDoNothing(),
    );
  for (let i = 0; i < statements.length; i += 50) {
    const [first, ...rest] = statements.slice(i, i + 50);
    if (first) await deps.db.batch([first, ...rest]);
  }
  const report: RealisationReport = {
    rows: sheet.rows.length,
    created: fresh.length,
    unchanged: rows.length - fresh.length,
    newBuyers: buyers.created,
    matchedByNib,
    matchedByName,
    errors,
  };
  await auditInsert(deps.db, {
    at: input.now,
    actor: input.actor,
    entityType: "procurement_realisation",
    entityId: "import",
    action: "import",
    fromState: null,
    toState: null,
    details: { ...report, errors: errors.length },
  });
  return report;
}

/** The registry's businesses by NIB and by name key (names shared by two businesses are left out). */
async function registryIndex(deps: ServiceDeps) {
  const rows = await deps.db
    .select({ id: businesses.id, name: businesses.name, nib: businesses.nib })
    .from(businesses)
    .where(sql`${businesses.deletedAt} is null and ${businesses.status} = 'published'`)
    .all();
  const byNib = new Map<string, string>();
  const byName = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const r of rows) {
    if (r.nib) byNib.set(r.nib, r.id);
    const k = supplierNameKey(r.name);
    if (byName.has(k)) ambiguous.add(k);
    byName.set(k, r.id);
  }
  for (const k of ambiguous) byName.delete(k);
  return { byNib, byName };
}
