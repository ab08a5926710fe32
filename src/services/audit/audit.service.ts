import type { AuditRow } from "../../../schema";
import type { AuditActor } from "../../domain/party";
import { validationError } from "../../errors";
import type { ServiceDeps } from "../deps";
import { selectAuditPage } from "./audit.queries";

/** One audit row as the API shows it. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: AuditActor;
  entity: { type: string; id: string };
  action: string;
  fromState: string | null;
  toState: string | null;
  details: Record<string, unknown> | null;
}

/** An audit row as the API (and a business's data export) shows it. */
export function toAuditEntry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    actor: { kind: r.actorKind, id: r.actorId },
    entity: { type: r.entityType, id: r.entityId },
    action: r.action,
    fromState: r.fromState,
    toState: r.toState,
    details: r.details ?? null,
  };
}

/** Keyset-paginated audit rows in the order they were written, optionally for one entity. */
export async function listAudit(
  deps: ServiceDeps,
  input: {
    entityType?: string | undefined;
    entityId?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  let after: number | null = null;
  if (input.cursor !== undefined) {
    after = /^\d{1,15}$/.test(input.cursor) ? Number(input.cursor) : null;
    if (after === null)
      throw validationError([{ path: "cursor", message: "Invalid cursor." }], "Invalid request query.");
  }
  const rows = await selectAuditPage(deps.db, { ...input, after }).all();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toAuditEntry),
    nextCursor: rows.length > input.limit && last ? String(last.id) : null,
  };
}
