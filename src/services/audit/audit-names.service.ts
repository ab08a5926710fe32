import { eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { apiKeys, businesses, officers, pairingProposals, partnerships } from "../../../schema";
import type { ServiceDeps } from "../deps";
import type { AuditEntry } from "./audit.service";

/**
 * The names an audit trail needs to read as sentences: businesses by id, officers by id (their
 * email's local part, or their key's label), and both sides of each partnership and draft named.
 */
export interface AuditNames {
  business: Map<string, string>;
  officer: Map<string, string>;
  /** Partnership id → [requester, partner] names. */
  partnership: Map<string, [string, string]>;
  /** Draft id → [service, industry] names. */
  proposal: Map<string, [string, string]>;
}

/** An officer as a sentence names them: "siti.rahma@..." → "Siti". */
function officerName(email: string): string {
  const first = email.split("@")[0]?.split(/[._+-]/)[0] ?? "";
  return first ? first[0]?.toUpperCase() + first.slice(1) : email;
}

// Two aliases of one table both have a `name` column: each is selected under its own name, since
// a D1 batch returns rows keyed by column name.

// An empty IN list is not valid SQL; a value no id has keeps each query well-formed.
const orNone = (ids: Set<string>) => (ids.size > 0 ? [...ids] : [""]);

/**
 * Resolves every party an audit page mentions (actors, entities, a declined pair's two ids) in one
 * D1 round trip. Ids it cannot find are left out; the sentences fall back to a generic word.
 */
export async function auditNames(deps: ServiceDeps, entries: AuditEntry[]): Promise<AuditNames> {
  const businessIds = new Set<string>();
  const officerIds = new Set<string>();
  const partnershipIds = new Set<string>();
  const proposalIds = new Set<string>();
  for (const e of entries) {
    if (e.actor.kind === "business") businessIds.add(e.actor.id);
    if (e.actor.kind === "officer") officerIds.add(e.actor.id);
    if (e.entity.type === "business") businessIds.add(e.entity.id);
    if (e.entity.type === "partnership") partnershipIds.add(e.entity.id);
    if (e.entity.type === "pairing_proposal") proposalIds.add(e.entity.id);
    if (e.entity.type === "declined_pair") for (const id of e.entity.id.split(":")) businessIds.add(id);
  }
  const a = alias(businesses, "a");
  const b = alias(businesses, "b");
  const [bizRows, keyRows, officerRows, ptnRows, prpRows] = await deps.db.batch([
    deps.db
      .select({ id: businesses.id, name: businesses.name })
      .from(businesses)
      .where(inArray(businesses.id, orNone(businessIds))),
    deps.db
      .select({ id: apiKeys.id, label: apiKeys.label, email: officers.email })
      .from(apiKeys)
      .leftJoin(officers, eq(officers.id, apiKeys.officerId))
      .where(inArray(apiKeys.id, orNone(officerIds))),
    deps.db
      .select({ id: officers.id, email: officers.email })
      .from(officers)
      .where(inArray(officers.id, orNone(officerIds))),
    deps.db
      .select({
        id: partnerships.id,
        first: sql<string>`${a.name}`.as("first"),
        second: sql<string>`${b.name}`.as("second"),
      })
      .from(partnerships)
      .innerJoin(a, eq(a.id, partnerships.requesterId))
      .innerJoin(b, eq(b.id, partnerships.partnerId))
      .where(inArray(partnerships.id, orNone(partnershipIds))),
    deps.db
      .select({
        id: pairingProposals.id,
        first: sql<string>`${a.name}`.as("first"),
        second: sql<string>`${b.name}`.as("second"),
      })
      .from(pairingProposals)
      .innerJoin(a, eq(a.id, pairingProposals.serviceId))
      .innerJoin(b, eq(b.id, pairingProposals.industryId))
      .where(inArray(pairingProposals.id, orNone(proposalIds))),
  ]);
  const officer = new Map<string, string>();
  for (const k of keyRows) officer.set(k.id, k.email ? officerName(k.email) : k.label);
  for (const o of officerRows) officer.set(o.id, officerName(o.email));
  return {
    business: new Map(bizRows.map((r) => [r.id, r.name])),
    officer,
    partnership: new Map(ptnRows.map((r) => [r.id, [r.first, r.second]])),
    proposal: new Map(prpRows.map((r) => [r.id, [r.first, r.second]])),
  };
}
