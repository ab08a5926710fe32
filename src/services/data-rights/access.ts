import { type SQL, sql } from "drizzle-orm";
import { apiKeys, auditLog, pairingProposals, partnerships } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { notFound } from "../../errors";

/** Rules the export and the erasure share: who may act for a business, and its audit rows. */

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function assertMayAct(actor: Principal, businessId: string): void {
  if (actor.kind === "business" && actor.businessId !== businessId) throw notFound("Business");
}

/**
 * SQL: audit rows about the business: itself, its keys, its partnerships, its declined pairs, the pairings
 * proposed with it (by the proposal's parties, or by the parties the `propose` row names), its own
 * acts.
 */
export function auditAbout(businessId: string): SQL {
  return sql`(${auditLog.entityType} = 'business' and ${auditLog.entityId} = ${businessId})
    or (${auditLog.entityType} = 'partnership' and ${auditLog.entityId} in
      (select id from ${partnerships} where requester_id = ${businessId} or partner_id = ${businessId}))
    or (${auditLog.entityType} = 'api_key' and ${auditLog.entityId} in
      (select id from ${apiKeys} where business_id = ${businessId}))
    or (${auditLog.entityType} = 'pairing_proposal' and (${auditLog.entityId} in
      (select id from ${pairingProposals} where service_id = ${businessId} or industry_id = ${businessId})
      or json_extract(${auditLog.details}, '$.serviceId') = ${businessId}
      or json_extract(${auditLog.details}, '$.industryId') = ${businessId}))
    or (${auditLog.entityType} = 'declined_pair' and (${auditLog.entityId} like ${`${businessId}:%`}
      or ${auditLog.entityId} like ${`%:${businessId}`}))
    or (${auditLog.actorKind} = 'business' and ${auditLog.actorId} = ${businessId})`;
}

/**
 * Everything held about a business, as JSON: its profile (with contact), keys (metadata only: never
 * a hash), sessions and sign-in links (times only: never the token hashes), stored suggestions and
 * how many lists include it, partnerships and declined pairs on either side, deletion requests,
 * digests (period, status, subject, times: never the rendered message) and digest preferences,
 * pairings the engine proposed with it (drafts included), its `Idempotency-Key` requests (times,
 * state, status: never the key's hash or the encrypted body) and every audit row about
 * it. The export itself is audited (`export`).
 */
