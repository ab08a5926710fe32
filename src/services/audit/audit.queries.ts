import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { auditLog } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { type Database, insertIf, insertSelect, type SelectedRow } from "../../db";
import type { AuditActor } from "../../domain/party";

export function actorOf(principal: Principal): AuditActor {
  return principal.kind === "officer"
    ? { kind: "officer", id: principal.id }
    : { kind: "business", id: principal.businessId };
}

export interface AuditEntryInput {
  at: number;
  actor: AuditActor;
  entityType: string;
  entityId: string;
  action: string;
  fromState: string | null;
  toState: string | null;
  details?: Record<string, unknown> | null;
}

/** An audit entry for many rows at once: the entity id (and the details) may read the row. */
export interface AuditRowsInput extends Omit<AuditEntryInput, "entityId" | "details"> {
  entityId: SQL;
  details?: Record<string, unknown> | SQL | null;
}

/** The row an entry becomes (the id is the table's next autoincrement value). */
function auditRow(entry: AuditEntryInput | AuditRowsInput): SelectedRow<typeof auditLog> {
  return {
    at: entry.at,
    actorKind: entry.actor.kind,
    actorId: entry.actor.id,
    entityType: entry.entityType,
    entityId: entry.entityId,
    action: entry.action,
    fromState: entry.fromState,
    toState: entry.toState,
    details: entry.details ?? null,
  };
}

/**
 * An audit insert that only happens when `onlyIf` (an SQL boolean) holds when it runs: put it in
 * the same `db.batch` after the conditional write it records and make `onlyIf` true exactly when
 * that write won, so a lost race leaves no audit row and a won one always has its row.
 */
export function auditInsertIf(db: Database, entry: AuditEntryInput, onlyIf: SQL) {
  return insertIf(db, auditLog, auditRow(entry), onlyIf);
}

/**
 * One audit row per row that `source` (`from ... where ...`) selects, in one statement: put it in
 * the batch before the bulk write it records, with the same condition, so it reads the old state.
 */
export function auditInsertSelect(db: Database, entry: AuditRowsInput, source: SQL) {
  return insertSelect(db, auditLog, auditRow(entry), source);
}

/** An audit insert for a write that cannot lose a race (an insert with a fresh id). */
export function auditInsert(db: Database, entry: AuditEntryInput) {
  return db.insert(auditLog).values(auditRow(entry));
}

/** Keyset page of audit rows in insertion order, one extra to know whether more follow. */
export function selectAuditPage(
  db: Database,
  input: {
    entityType?: string | undefined;
    entityId?: string | undefined;
    after: number | null;
    limit: number;
  },
) {
  const conds: SQL[] = [];
  if (input.entityType) conds.push(eq(auditLog.entityType, input.entityType));
  if (input.entityId) conds.push(eq(auditLog.entityId, input.entityId));
  if (input.after !== null) conds.push(gt(auditLog.id, input.after));
  return db
    .select()
    .from(auditLog)
    .where(conds.length > 0 ? and(...conds) : undefined)
    .orderBy(asc(auditLog.id))
    .limit(input.limit + 1);
}
