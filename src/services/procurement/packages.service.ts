import { and, asc, desc, eq, gt, like, sql } from "drizzle-orm";
import { type ProcurementPackageRow, procurementBuyers, procurementPackages } from "../../../schema";
import type { AuditActor } from "../../domain/party";
import { ApiError, validationError } from "../../errors";
import { auditInsert } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { type PackageText, readPackageFields, rupKeyOf } from "./package-fields";
import { upsertPackages } from "./rup-import.service";

/** RUP packages: entered by hand, listed and read (officers). */

export interface PackageView extends ProcurementPackageRow {
  buyerName: string;
}

const view = {
  row: procurementPackages,
  buyerName: procurementBuyers.name,
};

/**
 * Enters one package by hand (the same fields and checks as the import; the same package entered
 * again is updated). Returns its id.
 * @throws ApiError validation_failed with the problem of each field.
 */
export async function savePackage(
  deps: ServiceDeps,
  input: { fields: PackageText; actor: AuditActor; now: number },
): Promise<string> {
  const read = readPackageFields(input.fields);
  if ("issues" in read)
    throw validationError(
      Object.entries(read.issues).map(([path, message]) => ({ path, message: message ?? "" })),
    );
  const key = rupKeyOf(read.ok);
  const done = await upsertPackages(deps, [{ key, p: read.ok }], "manual", input.now);
  const id = done.ids[0];
  if (!id) throw new Error("package upsert returned no id");
  await auditInsert(deps.db, {
    at: input.now,
    actor: input.actor,
    entityType: "procurement_package",
    entityId: id,
    action: "save",
    fromState: null,
    toState: null,
    details: { name: read.ok.name },
  });
  return id;
}

export const PACKAGES_PAGE = 50;

/**
 * Packages by planned month then name, optionally of one OPD or matching words of the name;
 * keyset-paginated on (month, name, id) with `after` = the last id of the previous page.
 */
export async function listPackages(
  deps: ServiceDeps,
  input: { buyerId?: string | undefined; q?: string | undefined; after?: string | undefined; limit?: number },
): Promise<{ items: PackageView[]; total: number; next: string | null }> {
  const limit = input.limit ?? PACKAGES_PAGE;
  const where = [
    input.buyerId ? eq(procurementPackages.buyerId, input.buyerId) : undefined,
    input.q ? like(procurementPackages.name, `%${input.q.replace(/[%_]/g, "")}%`) : undefined,
  ];
  const keyset = input.after
    ? sql`(${procurementPackages.plannedMonth}, ${procurementPackages.name}, ${procurementPackages.id}) > (select p.planned_month, p.name, p.id from procurement_packages p where p.id = ${input.after})`
    : undefined;
  const [rows, count] = await Promise.all([
    deps.db
      .select(view)
      .from(procurementPackages)
      .innerJoin(procurementBuyers, eq(procurementBuyers.id, procurementPackages.buyerId))
      .where(and(...where, keyset))
      .orderBy(
        asc(procurementPackages.plannedMonth),
        asc(procurementPackages.name),
        asc(procurementPackages.id),
      )
      .limit(limit + 1)
      .all(),
    deps.db
      .select({ n: sql<number>`count(*)` })
      .from(procurementPackages)
      .where(and(...where))
      .get(),
  ]);
  const items = rows.slice(0, limit).map((r) => ({ ...r.row, buyerName: r.buyerName }));
  return { items, total: count?.n ?? 0, next: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** @throws ApiError not_found */
export async function getPackage(deps: ServiceDeps, id: string): Promise<PackageView> {
  const r = await deps.db
    .select(view)
    .from(procurementPackages)
    .innerJoin(procurementBuyers, eq(procurementBuyers.id, procurementPackages.buyerId))
    .where(eq(procurementPackages.id, id))
    .get();
  if (!r) throw new ApiError("not_found", "Package not found.");
  return { ...r.row, buyerName: r.buyerName };
}

/** The newest packages first, for the overview. */
export async function recentPackages(deps: ServiceDeps, limit: number): Promise<PackageView[]> {
  const rows = await deps.db
    .select(view)
    .from(procurementPackages)
    .innerJoin(procurementBuyers, eq(procurementBuyers.id, procurementPackages.buyerId))
    .where(gt(procurementPackages.pagu, 0))
    .orderBy(desc(procurementPackages.updatedAt), asc(procurementPackages.id))
    .limit(limit)
    .all();
  return rows.map((r) => ({ ...r.row, buyerName: r.buyerName }));
}
