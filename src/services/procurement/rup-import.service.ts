import { inArray, sql } from "drizzle-orm";
import { type ProcurementPackageRow, procurementPackages } from "../../../schema";
import type { AuditActor } from "../../domain/party";
import { normalizeKey, RUP_COLUMNS } from "../../domain/procurement";
import { newId } from "../../lib/ids";
import { auditInsert } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { buyerIdsByName } from "./buyers.service";
import { type PackageFields, type PackageText, readPackageFields, rupKeyOf } from "./package-fields";
import { type RowError, readSheet } from "./sheet";

/** What an import did; errors name the line and column of each refused row. */
export interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** OPD names first seen in this file, registered without a contact. */
  newBuyers: number;
  errors: RowError[];
}

const FIELD_COLUMN: Record<keyof PackageFields, string> = {
  code: RUP_COLUMNS.code[0],
  name: RUP_COLUMNS.name[0],
  buyer: RUP_COLUMNS.buyer[0],
  pagu: RUP_COLUMNS.pagu[0],
  method: RUP_COLUMNS.method[0],
  type: RUP_COLUMNS.type[0],
  fundingSource: RUP_COLUMNS.funding[0],
  plannedMonth: RUP_COLUMNS.month[0],
};

const ROWS_PER_STATEMENT = 8;

/**
 * Imports the general procurement plan (RUP) from a CSV or XLSX with SiRUP's column names
 * (docs/PROCUREMENT.md). Valid rows are written, invalid ones reported by line and column;
 * a package is known by its Kode RUP (else OPD + year + name), so importing the same file again
 * changes nothing (`unchanged`), and a changed ceiling or month updates the package.
 *
 * @throws ApiError procurement_file_unreadable when the file is not a sheet with the required columns.
 */
export async function importRup(
  deps: ServiceDeps,
  input: { bytes: Uint8Array; actor: AuditActor; now: number },
): Promise<ImportReport> {
  const sheet = readSheet(input.bytes, RUP_COLUMNS, ["name", "buyer", "pagu", "method", "type", "month"]);
  const errors: RowError[] = [];
  const valid: Array<{ line: number; key: string; p: PackageFields }> = [];
  const seen = new Map<string, number>();
  for (const r of sheet.rows) {
    const text: PackageText = {
      code: r.get("code"),
      name: r.get("name"),
      buyer: r.get("buyer"),
      pagu: r.get("pagu"),
      method: r.get("method"),
      type: r.get("type"),
      fundingSource: r.get("funding"),
      plannedMonth: r.get("month"),
    };
    const read = readPackageFields(text);
    if ("issues" in read) {
      for (const [field, message] of Object.entries(read.issues))
        errors.push({ line: r.line, column: FIELD_COLUMN[field as keyof PackageFields], message });
      continue;
    }
    const key = rupKeyOf(read.ok);
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({
        line: r.line,
        column: FIELD_COLUMN.code,
        message: `Paket sama dengan baris ${first} / same package as line ${first}`,
      });
      continue;
    }
    seen.set(key, r.line);
    valid.push({ line: r.line, key, p: read.ok });
  }
  const written = await upsertPackages(deps, valid, "import", input.now);
  await auditInsert(deps.db, {
    at: input.now,
    actor: input.actor,
    entityType: "procurement_rup",
    entityId: "import",
    action: "import",
    fromState: null,
    toState: null,
    details: { rows: sheet.rows.length, ...written.counts, errors: errors.length },
  });
  return { rows: sheet.rows.length, ...written.counts, newBuyers: written.newBuyers, errors };
}

function same(
  a: ProcurementPackageRow,
  b: Omit<ProcurementPackageRow, "id" | "createdAt" | "updatedAt" | "source">,
) {
  return (
    a.buyerId === b.buyerId &&
    a.name === b.name &&
    a.pagu === b.pagu &&
    a.method === b.method &&
    a.type === b.type &&
    a.fundingSource === b.fundingSource &&
    a.plannedMonth === b.plannedMonth
  );
}

/**
 * Writes packages by identity (insert, or update when a field changed), counting what happened.
 * Shared by the import and the hand-entry form.
 */
export async function upsertPackages(
  deps: ServiceDeps,
  items: Array<{ key: string; p: PackageFields }>,
  source: "import" | "manual",
  now: number,
): Promise<{
  counts: { created: number; updated: number; unchanged: number };
  newBuyers: number;
  ids: string[];
}> {
  const buyers = await buyerIdsByName(
    deps,
    items.map((i) => i.p.buyer),
    now,
  );
  const existing = new Map<string, ProcurementPackageRow>();
  const keys = items.map((i) => i.key);
  for (let i = 0; i < keys.length; i += 90) {
    const rows = await deps.db
      .select()
      .from(procurementPackages)
      .where(inArray(procurementPackages.rupKey, keys.slice(i, i + 90)))
      .all();
    for (const r of rows) existing.set(r.rupKey, r);
  }
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const changed: ProcurementPackageRow[] = [];
  const ids: string[] = [];
  for (const { key, p } of items) {
    const buyerId = buyers.ids.get(normalizeKey(p.buyer));
    const found = existing.get(key);
    const values = {
      rupKey: key,
      buyerId: buyerId ?? "",
      name: p.name,
      pagu: p.pagu,
      method: p.method,
      type: p.type,
      fundingSource: p.fundingSource,
      plannedMonth: p.plannedMonth,
    };
    if (found && same(found, values)) {
      counts.unchanged++;
      ids.push(found.id);
      continue;
    }
    if (found) counts.updated++;
    else counts.created++;
    const row = {
      ...values,
      id: found?.id ?? newId("pkt_", now),
      source: found?.source ?? source,
      createdAt: found?.createdAt ?? now,
      updatedAt: now,
    };
    ids.push(row.id);
    changed.push(row);
  }
  const statements = [];
  for (let i = 0; i < changed.length; i += ROWS_PER_STATEMENT) {
    statements.push(
      deps.db
        .insert(procurementPackages)
        .values(changed.slice(i, i + ROWS_PER_STATEMENT))
        .onConflictDoUpdate({
          target: procurementPackages.rupKey,
          set: {
            buyerId: sqlExcluded("buyer_id"),
            name: sqlExcluded("name"),
            pagu: sqlExcluded("pagu"),
            method: sqlExcluded("method"),
            type: sqlExcluded("type"),
            fundingSource: sqlExcluded("funding_source"),
            plannedMonth: sqlExcluded("planned_month"),
            updatedAt: sqlExcluded("updated_at"),
          },
        }),
    );
  }
  for (let i = 0; i < statements.length; i += 50) {
    const chunk = statements.slice(i, i + 50);
    const [first, ...rest] = chunk;
    if (first) await deps.db.batch([first, ...rest]);
  }
  return { counts, newBuyers: buyers.created, ids };
}

function sqlExcluded(column: string) {
  return sql.raw(`excluded.${column}`);
}
