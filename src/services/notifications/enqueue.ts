import { type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { auditLog, notificationOutbox } from "../../../schema";
import { type Database, insertIf, insertSelect } from "../../db";
import type { NotificationKind } from "../../domain/notifications";
import type { PartyRef } from "../../domain/party";
import { newId } from "../../lib/ids";

/**
 * Enqueueing event notifications: statements to put in the SAME `db.batch` as the state change they
 * announce, after its audit row. Each row is conditional (on the change winning, or on the rows the
 * bulk change selects), so a lost race or a failed write enqueues nothing, and keyed by
 * `<kind>:<audit row id>:<recipient>` (unique), so the same event is never enqueued twice. Rows
 * hold ids only; src/services/notifications/send.ts renders them when it sends.
 */

/** The audit row an event wrote earlier in the same batch: the newest of that entity and action. */
function latestAuditId(entityType: string, entityId: string | SQL, action: string): SQL {
  return sql`(select max(${auditLog.id}) from ${auditLog} where ${auditLog.entityType} = ${entityType}
    and ${auditLog.entityId} = ${entityId} and ${auditLog.action} = ${action})`;
}

/** The event key of a row (see the table); `recipient` may be a column expression. */
function eventKey(kind: NotificationKind, auditId: SQL, recipient: string | SQL): SQL {
  return sql`${kind} || ':' || ${auditId} || ':' || ${recipient}`;
}

export interface NotifyInput {
  kind: NotificationKind;
  recipients: readonly PartyRef[];
  /** The business (sign-up decisions) or the partnership the event is about. */
  subjectId: string;
  /** The audit row the same batch writes for the event (it must come before these statements). */
  audit: { entityType: string; entityId: string; action: string };
  now: number;
}

/**
 * One outbox row per recipient, each written only when `won` (an SQL boolean, true exactly when the
 * batch's state change won) holds as it runs.
 *
 * @example
 * db.batch([update, auditInsertIf(db, entry, won), ...notifyIf(db, { kind: "request_accepted", ... }, won)])
 */
export function notifyIf(db: Database, input: NotifyInput, won: SQL): BatchItem<"sqlite">[] {
  const auditId = latestAuditId(input.audit.entityType, input.audit.entityId, input.audit.action);
  return input.recipients.map((recipient) =>
    insertIf(
      db,
      notificationOutbox,
      {
        id: newId("ntf_", input.now),
        eventKey: eventKey(input.kind, auditId, recipient),
        kind: input.kind,
        recipient,
        subjectId: input.subjectId,
        auditId,
        status: "pending",
        nextAttemptAt: input.now,
        createdAt: input.now,
      },
      won,
    ).onConflictDoNothing(),
  );
}

/**
 * One outbox row per row that `source` (`from <table> where ...`, the rows a bulk change selects)
 * yields, for the recipient and subject it names: put it after the bulk audit insert and before the
 * bulk update, with the same condition, like `auditInsertSelect`.
 */
export function notifyEach(
  db: Database,
  input: {
    kind: NotificationKind;
    /** SQL per selected row: the recipient's party reference. */
    recipient: SQL;
    /** SQL per selected row: the subject id (the audit row's entity id). */
    subjectId: SQL;
    audit: { entityType: string; action: string };
    now: number;
  },
  source: SQL,
) {
  const auditId = latestAuditId(input.audit.entityType, input.subjectId, input.audit.action);
  // Unique per row: the ULID's time part, then random hex.
  const id = sql`${newId("ntf_", input.now).slice(0, 14)} || upper(hex(randomblob(8)))`;
  return insertSelect(
    db,
    notificationOutbox,
    {
      id,
      eventKey: eventKey(input.kind, auditId, input.recipient),
      kind: input.kind,
      recipient: input.recipient,
      subjectId: input.subjectId,
      auditId,
      status: "pending",
      nextAttemptAt: input.now,
      createdAt: input.now,
    },
    source,
  ).onConflictDoNothing();
}
