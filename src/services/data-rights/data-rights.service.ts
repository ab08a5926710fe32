import { and, asc, desc, eq, isNull, or, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import {
  apiKeys,
  auditLog,
  businesses,
  type DeletionRequestRow,
  declinedPairs,
  deletionRequests,
  digestOutbox,
  digestPreferences,
  idempotencyKeys,
  pairingProposals,
  partnerships,
  sessions,
  signInTokens,
  suggestionSets,
  suggestions,
} from "../../../schema";
import type { Principal } from "../../auth/principal";
import { forgetVerifiedKey } from "../../auth/verified-keys.cache";
import { type AuditActor, actorRef, parseActorRef, partyRef } from "../../domain/party";
import { ApiError, notFound } from "../../errors";
import { newId, randomToken } from "../../lib/ids";
import { type ApiKeyView, toApiKeyView } from "../accounts/api-keys.service";
import { actorOf, auditInsertIf, auditInsertSelect } from "../audit/audit.queries";
import { type AuditEntry, toAuditEntry } from "../audit/audit.service";
import { type Business, toBusiness } from "../businesses/businesses.views";
import { bumpRevisionStatements } from "../businesses/registry.queries";
import type { ServiceDeps } from "../deps";
import { markSetsContainingStale } from "../matching/suggestions.queries";

/**
 * Data-subject rights under UU 27/2022 (Pelindungan Data Pribadi): a business sees everything held
 * about it (export) and may have its personal data erased (deletion request, confirmed by an
 * officer). Both are in the audit log.
 */

/**
 * Where each table's rows about a business go in the export. Every table of the database must be
 * here or in `TABLES_NOT_ABOUT_A_BUSINESS` (a test reads the live schema), so a new table that
 * references businesses cannot be forgotten by the export and the erasure.
 */
export const EXPORT_SECTIONS = {
  businesses: "business",
  api_keys: "apiKeys",
  sessions: "sessions",
  sign_in_tokens: "signInLinks",
  suggestions: "suggestions",
  suggestion_sets: "suggestions",
  partnerships: "partnerships",
  declined_pairs: "declinedPairs",
  deletion_requests: "deletionRequests",
  digest_outbox: "digests",
  digest_preferences: "digestPreferences",
  pairing_proposals: "pairingProposals",
  idempotency_keys: "idempotentRequests",
  audit_log: "auditEntries",
} as const;

/** Tables that hold nothing about any one business, and why. */
export const TABLES_NOT_ABOUT_A_BUSINESS: Record<string, string> = {
  officers: "city officers (Access sign-in), not businesses",
  registry_meta: "registry-wide counters",
  recompute_runs: "batch recompute bookkeeping (counts, times)",
  recompute_chunks: "batch recompute bookkeeping (message numbers)",
  officer_sessions: "officers' console sessions (hashed ids, officer API keys, the officer), not businesses",
  d1_migrations: "applied migrations",
};

export interface BusinessExport {
  format: "kemitraan-export/1";
  exportedAt: string;
  business: Business & { deletedAt: string | null; reviewedAt: string | null; reviewedBy: string | null };
  apiKeys: ApiKeyView[];
  sessions: Array<{ createdAt: string; expiresAt: string; revokedAt: string | null }>;
  signInLinks: Array<{ createdAt: string; expiresAt: string; usedAt: string | null }>;
  suggestions: {
    set: { computedAt: string; staleSince: string | null } | null;
    items: Array<{
      rank: number;
      candidateId: string;
      score: number;
      components: { category: number; location: number; text: number };
      reasons: { id: string[]; en: string[] };
      pattern: string;
    }>;
    /** How many other businesses' stored suggestion lists include this one. */
    listedByOthers: number;
  };
  partnerships: Array<Record<string, unknown>>;
  declinedPairs: Array<{ otherId: string; declinedBy: string; partnershipId: string | null; at: string }>;
  deletionRequests: DeletionRequest[];
  /** Digests planned or sent to it: metadata only (no message is stored; digests render when sent). */
  digests: Array<{
    period: string;
    status: string;
    windowStart: string;
    windowEnd: string;
    createdAt: string;
    sentAt: string | null;
  }>;
  /** null: never changed (the defaults apply). */
  digestPreferences: {
    cadence: string;
    language: string | null;
    unsubscribedAt: string | null;
    updatedAt: string;
  } | null;
  /** Pairings the engine proposed with it, drafts included (officers review them). */
  pairingProposals: Array<{
    id: string;
    period: string;
    side: "service" | "industry";
    otherId: string;
    score: number;
    components: { category: number; location: number; text: number };
    reasons: { id: string[]; en: string[] };
    pattern: string;
    status: string;
    createdAt: string;
    decidedAt: string | null;
    discardReason: string | null;
    partnershipId: string | null;
  }>;
  /**
   * Its `Idempotency-Key` requests kept for replay (24 hours): when, and the response status. The
   * table holds nothing else readable (the key and the request only as hashes, the response body
   * encrypted under a key derived from the client's key), and none of that is exported.
   */
  idempotentRequests: Array<{
    createdAt: string;
    completedAt: string | null;
    state: string;
    status: number | null;
  }>;
  auditEntries: AuditEntry[];
}

export interface DeletionRequest {
  id: string;
  businessId: string;
  status: DeletionRequestRow["status"];
  requestedAt: string;
  requestedBy: AuditActor | null;
  decidedAt: string | null;
  decidedBy: AuditActor | null;
}

/** Who ends, discards and audits on a confirmed erasure's behalf. */
const DELETION_ACTOR: AuditActor = { kind: "system", id: "data-deletion" };

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toDeletionRequest(row: DeletionRequestRow): DeletionRequest {
  return {
    id: row.id,
    businessId: row.businessId,
    status: row.status,
    requestedAt: new Date(row.requestedAt).toISOString(),
    requestedBy: parseActorRef(row.requestedBy),
    decidedAt: iso(row.decidedAt),
    decidedBy: parseActorRef(row.decidedBy),
  };
}

/** The business may see itself; another business gets 404 (ids cannot be probed). */
function assertMayAct(actor: Principal, businessId: string): void {
  if (actor.kind === "business" && actor.businessId !== businessId) throw notFound("Business");
}

/**
 * SQL: audit rows about the business: itself, its keys, its partnerships, its declined pairs, the pairings
 * proposed with it (by the proposal's parties, or by the parties the `propose` row names), its own
 * acts.
 */
function auditAbout(businessId: string): SQL {
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
export async function exportBusinessData(
  deps: ServiceDeps,
  input: { businessId: string; actor: Principal; now: number },
): Promise<BusinessExport> {
  const id = input.businessId;
  assertMayAct(input.actor, id);
  const { db } = deps;
  const row = await db.select().from(businesses).where(eq(businesses.id, id)).get();
  if (!row) throw notFound("Business");

  // The audit row first, so the export lists its own access too.
  await auditInsertIf(
    db,
    {
      at: input.now,
      actor: actorOf(input.actor),
      entityType: "business",
      entityId: id,
      action: "export",
      fromState: null,
      toState: null,
    },
    sql`1`,
  );
  const recipient = partyRef("business", id);
  const [
    keys,
    sessionRows,
    links,
    set,
    items,
    listedBy,
    ptns,
    declined,
    requests,
    audit,
    digests,
    prefs,
    proposals,
    replays,
  ] = await db.batch([
    db.select().from(apiKeys).where(eq(apiKeys.businessId, id)).orderBy(asc(apiKeys.id)),
    db
      .select({ createdAt: sessions.createdAt, expiresAt: sessions.expiresAt, revokedAt: sessions.revokedAt })
      .from(sessions)
      .where(eq(sessions.businessId, id))
      .orderBy(asc(sessions.createdAt)),
    db
      .select({
        createdAt: signInTokens.createdAt,
        expiresAt: signInTokens.expiresAt,
        usedAt: signInTokens.usedAt,
      })
      .from(signInTokens)
      .where(eq(signInTokens.businessId, id))
      .orderBy(asc(signInTokens.createdAt)),
    db.select().from(suggestionSets).where(eq(suggestionSets.businessId, id)),
    db.select().from(suggestions).where(eq(suggestions.businessId, id)).orderBy(asc(suggestions.rank)),
    db
      .select({ n: sql<number>`count(distinct ${suggestions.businessId})` })
      .from(suggestions)
      .where(eq(suggestions.candidateId, id)),
    db
      .select()
      .from(partnerships)
      .where(or(eq(partnerships.requesterId, id), eq(partnerships.partnerId, id)))
      .orderBy(asc(partnerships.id)),
    db
      .select()
      .from(declinedPairs)
      .where(or(eq(declinedPairs.lowId, id), eq(declinedPairs.highId, id))),
    db
      .select()
      .from(deletionRequests)
      .where(eq(deletionRequests.businessId, id))
      .orderBy(asc(deletionRequests.id)),
    db.select().from(auditLog).where(auditAbout(id)).orderBy(asc(auditLog.id)),
    db
      .select({
        period: digestOutbox.period,
        status: digestOutbox.status,
        windowStart: digestOutbox.windowStart,
        windowEnd: digestOutbox.windowEnd,
        createdAt: digestOutbox.createdAt,
        sentAt: digestOutbox.sentAt,
      })
      .from(digestOutbox)
      .where(eq(digestOutbox.recipient, recipient))
      .orderBy(asc(digestOutbox.createdAt), asc(digestOutbox.id)),
    db.select().from(digestPreferences).where(eq(digestPreferences.recipient, recipient)),
    db
      .select()
      .from(pairingProposals)
      .where(or(eq(pairingProposals.serviceId, id), eq(pairingProposals.industryId, id)))
      .orderBy(asc(pairingProposals.id)),
    db
      .select({
        createdAt: idempotencyKeys.createdAt,
        completedAt: idempotencyKeys.completedAt,
        state: idempotencyKeys.state,
        status: idempotencyKeys.status,
      })
      .from(idempotencyKeys)
      .where(eq(idempotencyKeys.principal, recipient))
      .orderBy(asc(idempotencyKeys.createdAt)),
  ]);
  const pref = prefs[0];
  const storedSet = set[0];
  return {
    format: "kemitraan-export/1",
    exportedAt: new Date(input.now).toISOString(),
    business: {
      ...toBusiness(row),
      deletedAt: iso(row.deletedAt),
      reviewedAt: iso(row.reviewedAt),
      reviewedBy: row.reviewedBy,
    },
    apiKeys: keys.map(toApiKeyView),
    sessions: sessionRows.map((s) => ({
      createdAt: new Date(s.createdAt).toISOString(),
      expiresAt: new Date(s.expiresAt).toISOString(),
      revokedAt: iso(s.revokedAt),
    })),
    signInLinks: links.map((l) => ({
      createdAt: new Date(l.createdAt).toISOString(),
      expiresAt: new Date(l.expiresAt).toISOString(),
      usedAt: iso(l.usedAt),
    })),
    suggestions: {
      set: storedSet
        ? { computedAt: new Date(storedSet.computedAt).toISOString(), staleSince: iso(storedSet.staleSince) }
        : null,
      items: items.map((s) => ({
        rank: s.rank,
        candidateId: s.candidateId,
        score: s.score,
        components: s.components,
        reasons: { id: s.reasonsId, en: s.reasonsEn },
        pattern: s.pattern,
      })),
      listedByOthers: listedBy[0]?.n ?? 0,
    },
    partnerships: ptns.map(({ revision: _revision, ...p }) => ({
      ...p,
      createdAt: iso(p.createdAt),
      updatedAt: iso(p.updatedAt),
      expiresAt: iso(p.expiresAt),
      answeredAt: iso(p.answeredAt),
      decidedAt: iso(p.decidedAt),
      endedAt: iso(p.endedAt),
    })),
    declinedPairs: declined.map((d) => ({
      otherId: d.lowId === id ? d.highId : d.lowId,
      declinedBy: d.declinedBy,
      partnershipId: d.partnershipId,
      at: new Date(d.at).toISOString(),
    })),
    deletionRequests: requests.map(toDeletionRequest),
    digests: digests.map((d) => ({
      period: d.period,
      status: d.status,
      windowStart: new Date(d.windowStart).toISOString(),
      windowEnd: new Date(d.windowEnd).toISOString(),
      createdAt: new Date(d.createdAt).toISOString(),
      sentAt: iso(d.sentAt),
    })),
    digestPreferences: pref
      ? {
          cadence: pref.cadence,
          language: pref.language,
          unsubscribedAt: iso(pref.unsubscribedAt),
          updatedAt: new Date(pref.updatedAt).toISOString(),
        }
      : null,
    pairingProposals: proposals.map((p) => ({
      id: p.id,
      period: p.period,
      side: p.serviceId === id ? ("service" as const) : ("industry" as const),
      otherId: p.serviceId === id ? p.industryId : p.serviceId,
      score: p.score,
      components: p.components,
      reasons: { id: p.reasonsId, en: p.reasonsEn },
      pattern: p.pattern,
      status: p.status,
      createdAt: new Date(p.createdAt).toISOString(),
      decidedAt: iso(p.decidedAt),
      discardReason: p.discardReason,
      partnershipId: p.partnershipId,
    })),
    idempotentRequests: replays.map((r) => ({
      createdAt: new Date(r.createdAt).toISOString(),
      completedAt: iso(r.completedAt),
      state: r.state,
      status: r.status,
    })),
    auditEntries: audit.map(toAuditEntry),
  };
}

/**
 * The business (or an officer on its behalf) asks for its personal data to be erased. Nothing is
 * erased yet: an officer confirms (`confirmDeletion`). One pending request per business (a unique
 * index, so two at once give one 201 and one 409); audited (`deletion_requested`).
 *
 * @throws 404 unknown business (or another business's), 409 `deletion_pending`, `already_deleted`.
 */
export async function requestDeletion(
  deps: ServiceDeps,
  input: { businessId: string; actor: Principal; now: number },
): Promise<DeletionRequest> {
  const id = input.businessId;
  assertMayAct(input.actor, id);
  const row = await deps.db
    .select({ deletedAt: businesses.deletedAt })
    .from(businesses)
    .where(eq(businesses.id, id))
    .get();
  if (!row) throw notFound("Business");
  if (row.deletedAt !== null) throw alreadyDeleted();
  const requestId = newId("del_", input.now);
  const revision = randomToken(16);
  const actor = actorOf(input.actor);
  try {
    await deps.db.batch([
      deps.db.insert(deletionRequests).values({
        id: requestId,
        businessId: id,
        status: "pending",
        requestedAt: input.now,
        requestedBy: actorRef(actor),
        revision,
      }),
      auditInsertIf(
        deps.db,
        {
          at: input.now,
          actor,
          entityType: "business",
          entityId: id,
          action: "deletion_requested",
          fromState: null,
          toState: "deletion_pending",
          details: { requestId },
        },
        sql`1`,
      ),
    ]);
  } catch (err) {
    if (isPendingUniqueViolation(err)) throw deletionPending();
    throw err;
  }
  return getDeletionRequest(deps, { id: requestId });
}

function isPendingUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (/UNIQUE constraint failed: deletion_requests\.business_id/.test(e.message)) return true;
  }
  return false;
}

function deletionPending(): ApiError {
  return new ApiError("deletion_pending", "A deletion request is already pending.");
}

function alreadyDeleted(): ApiError {
  return new ApiError("already_deleted", "This business's personal data was already erased.");
}

export async function getDeletionRequest(deps: ServiceDeps, input: { id: string }): Promise<DeletionRequest> {
  const row = await deps.db.select().from(deletionRequests).where(eq(deletionRequests.id, input.id)).get();
  if (!row) throw notFound("Deletion request");
  return toDeletionRequest(row);
}

/** Deletion requests, newest first, optionally by status (officers). */
export async function listDeletionRequests(
  deps: ServiceDeps,
  input: { status?: DeletionRequestRow["status"] | undefined; limit: number },
): Promise<DeletionRequest[]> {
  const rows = await deps.db
    .select()
    .from(deletionRequests)
    .where(input.status ? eq(deletionRequests.status, input.status) : undefined)
    .orderBy(desc(deletionRequests.id))
    .limit(input.limit);
  return rows.map(toDeletionRequest);
}

/**
 * The business or an officer withdraws a pending request. Conditional on `pending`: 409
 * `invalid_state` once it was confirmed or cancelled. Audited (`deletion_cancelled`).
 */
export async function cancelDeletion(
  deps: ServiceDeps,
  input: { id: string; actor: Principal; now: number },
): Promise<DeletionRequest> {
  const current = await loadRequest(deps, input.id, input.actor);
  const revision = randomToken(16);
  const [updated] = await deps.db.batch([
    deps.db
      .update(deletionRequests)
      .set({ status: "cancelled", decidedAt: input.now, decidedBy: actorRef(actorOf(input.actor)), revision })
      .where(and(eq(deletionRequests.id, current.id), eq(deletionRequests.status, "pending")))
      .returning(),
    auditInsertIf(
      deps.db,
      {
        at: input.now,
        actor: actorOf(input.actor),
        entityType: "business",
        entityId: current.businessId,
        action: "deletion_cancelled",
        fromState: "deletion_pending",
        toState: null,
        details: { requestId: current.id },
      },
      requestWon(current.id, revision),
    ),
  ]);
  const row = updated[0];
  if (!row) throw invalidState(current.status);
  return toDeletionRequest(row);
}

async function loadRequest(deps: ServiceDeps, id: string, actor: Principal): Promise<DeletionRequestRow> {
  const row = await deps.db.select().from(deletionRequests).where(eq(deletionRequests.id, id)).get();
  if (!row || (actor.kind === "business" && row.businessId !== actor.businessId)) {
    throw notFound("Deletion request");
  }
  return row;
}

function invalidState(status: string): ApiError {
  return new ApiError("invalid_state", `The deletion request is ${status}; nothing was changed.`);
}

/** SQL: this batch's conditional update of the request won (its revision is ours). */
function requestWon(id: string, revision: string): SQL {
  return sql`exists (select 1 from ${deletionRequests} where ${deletionRequests.id} = ${id} and ${deletionRequests.revision} = ${revision})`;
}

/** Name an erased business shows (partners' histories still name the other side). */
export const ERASED_NAME = "Usaha dihapus";

export interface ConfirmedDeletion {
  request: DeletionRequest;
  /** Rows changed, per kind, by the erasing batch. */
  erased: {
    apiKeys: number;
    sessionsRevoked: number;
    signInLinksDeleted: number;
    partnershipsAnonymised: number;
    partnershipsClosed: number;
    declinedPairsDeleted: number;
    suggestionListsLeft: number;
    auditRowsScrubbed: number;
    /** Draft pairings with it, taken out of the review queue (discarded by the system). */
    proposalsDiscarded: number;
    /** Pairings with it (any status) whose reasons were removed. */
    proposalsAnonymised: number;
    digestsDeleted: number;
    digestPreferencesDeleted: number;
    /** Its stored `Idempotency-Key` responses. */
    idempotencyKeysDeleted: number;
    /** Other callers' stored responses that named it: the bodies are dropped, the keys stay used. */
    idempotentResponsesErased: number;
  };
}

/**
 * An officer confirms a pending deletion request. One D1 batch, every statement guarded by "this
 * confirmation won" (a conditional update on `pending` with a fresh revision), so a second or
 * concurrent confirmation erases nothing again and gets 409:
 *
 * - the business row keeps its id, sector, KBLI, size class and area (kelurahan, kecamatan, city)
 *   for the statistics; its name becomes `ERASED_NAME`, NIB, email, WhatsApp, offers, needs, e-katalog link,
 *   rejection reason and match features are cleared, coordinates coarsened to 0.1° (~11 km), and
 *   it is made inactive with `deletedAt` set;
 * - its API keys are revoked (labels cleared), its sessions revoked, its sign-in links deleted;
 * - partnerships on either side keep their status, pattern, times and outcome (the engine's
 *   learning signal) but lose the free text (message, terms, reasons, notes); open ones are
 *   cancelled (requests) or ended (active), each with a system audit row;
 * - its declined pairs are deleted; its stored suggestions are dropped, and it is removed from
 *   every other business's stored list (those lists are marked stale to be refilled);
 * - free text in the audit rows about it (reasons, notes, messages, key labels) is removed; the
 *   rows themselves stay;
 * - draft pairings with it leave the review queue (discarded by `system:data-deletion`, audited);
 *   every pairing with it keeps pair, period, score, status and partnership but loses its reasons
 *   and discard reason;
 * - its digest outbox rows and digest preferences are deleted (an inactive business is never
 *   planned again), and so are its stored `Idempotency-Key` responses; other recipients' digests
 *   need nothing: the outbox stores ids, never text, and renders when sending, leaving out items
 *   about an erased business (src/services/digests/digest-content.service.ts);
 * - other callers' stored `Idempotency-Key` responses that name it lose their body (`erased`: a
 *   retry with that key gets 410, so the write is not repeated);
 * - the registry revision is bumped (the matcher drops it) and `deletion_confirmed` is audited.
 */
export async function confirmDeletion(
  deps: ServiceDeps,
  input: { id: string; actor: Principal; now: number },
): Promise<ConfirmedDeletion> {
  if (input.actor.kind !== "officer") {
    throw new ApiError("forbidden", "Officers confirm deletion requests.");
  }
  const { db } = deps;
  const { now } = input;
  const current = await loadRequest(deps, input.id, input.actor);
  if (current.status !== "pending") throw invalidState(current.status);
  const id = current.businessId;
  const revision = randomToken(16);
  const won = requestWon(current.id, revision);
  const actor = actorOf(input.actor);
  const keyIds = (await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.businessId, id))).map(
    (k) => k.id,
  );
  const involving = or(eq(partnerships.requesterId, id), eq(partnerships.partnerId, id));
  const closing = (from: "requested" | "accepted" | "active") =>
    sql`${involving} and ${partnerships.status} = ${from} and ${won}`;
  const proposing = or(eq(pairingProposals.serviceId, id), eq(pairingProposals.industryId, id));
  const recipient = partyRef("business", id);

  // Each statement is added under a name, so the counts below read the right result whatever the
  // order. Order matters only where noted (audit rows of closing partnerships and drafts read the
  // old status; the audit scrub reads the proposals before they change).
  const statements: BatchItem<"sqlite">[] = [];
  const at = new Map<Step, number>();
  const add = (step: Step | null, ...items: BatchItem<"sqlite">[]) => {
    if (step) at.set(step, statements.length);
    statements.push(...items);
  };
  add(
    "confirm",
    db
      .update(deletionRequests)
      .set({ status: "confirmed", decidedAt: now, decidedBy: actorRef(actor), revision })
      .where(and(eq(deletionRequests.id, current.id), eq(deletionRequests.status, "pending")))
      .returning(),
  );
  add(
    null,
    auditInsertIf(
      db,
      {
        at: now,
        actor,
        entityType: "business",
        entityId: id,
        action: "deletion_confirmed",
        fromState: "deletion_pending",
        toState: "deleted",
        details: { requestId: current.id },
      },
      won,
    ),
    db
      .update(businesses)
      .set({
        name: ERASED_NAME,
        nib: null,
        email: "",
        whatsapp: null,
        offers: "",
        needs: "",
        lat: sql`round(${businesses.lat}, 1)`,
        lng: sql`round(${businesses.lng}, 1)`,
        ekatalogListed: false,
        ekatalogUrl: null,
        rejectionReason: null,
        // Nothing of it is left for an officer to re-read.
        changesFlaggedAt: null,
        changedFields: null,
        matchFeatures: null,
        active: false,
        deletedAt: now,
        updatedAt: sql`max(${now}, ${businesses.updatedAt} + 1)`,
      })
      .where(and(eq(businesses.id, id), won)),
  );
  add(
    "apiKeys",
    db
      .update(apiKeys)
      .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${now})`, label: "" })
      .where(and(eq(apiKeys.businessId, id), won))
      .returning({ id: apiKeys.id }),
  );
  add(
    "sessions",
    db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.businessId, id), isNull(sessions.revokedAt), won))
      .returning({ id: sessions.idHash }),
  );
  add(
    "signInLinks",
    db
      .delete(signInTokens)
      .where(and(eq(signInTokens.businessId, id), won))
      .returning({ id: signInTokens.tokenHash }),
  );
  // Open partnerships end with the business: audit rows first (they read the old status).
  add(
    null,
    ...(["requested", "accepted", "active"] as const).map((from) =>
      auditInsertSelect(
        db,
        {
          at: now,
          actor: DELETION_ACTOR,
          entityType: "partnership",
          entityId: sql`${partnerships.id}`,
          action: from === "active" ? "end" : "cancel",
          fromState: from,
          toState: from === "active" ? "ended" : "cancelled",
          details: { requestId: current.id },
        },
        sql`from ${partnerships} where ${closing(from)}`,
      ),
    ),
  );
  add(
    "partnershipsCancelled",
    db
      .update(partnerships)
      .set({ status: "cancelled", updatedAt: now, revision: sql`lower(hex(randomblob(8)))` })
      .where(sql`${involving} and ${partnerships.status} in ('requested', 'accepted') and ${won}`)
      .returning({ id: partnerships.id }),
  );
  add(
    "partnershipsEnded",
    db
      .update(partnerships)
      .set({
        status: "ended",
        endedAt: now,
        endedBy: actorRef(DELETION_ACTOR),
        updatedAt: now,
        revision: sql`lower(hex(randomblob(8)))`,
      })
      .where(sql`${involving} and ${partnerships.status} = 'active' and ${won}`)
      .returning({ id: partnerships.id }),
  );
  add(
    "partnershipsAnonymised",
    db
      .update(partnerships)
      .set({ message: "", terms: null, rejectionReason: null, outcomeNote: null })
      .where(and(involving, won))
      .returning({ id: partnerships.id }),
  );
  add(
    "declinedPairs",
    db
      .delete(declinedPairs)
      .where(and(or(eq(declinedPairs.lowId, id), eq(declinedPairs.highId, id)), won))
      .returning({ id: declinedPairs.lowId }),
  );
  // Lists that show it: stale (to be refilled), then without it.
  add(null, markSetsContainingStale(db, id, now, won));
  add(
    "suggestionListsLeft",
    db
      .delete(suggestions)
      .where(and(eq(suggestions.candidateId, id), won))
      .returning({ id: suggestions.businessId }),
  );
  add(
    null,
    db.delete(suggestions).where(and(eq(suggestions.businessId, id), won)),
    db.delete(suggestionSets).where(and(eq(suggestionSets.businessId, id), won)),
  );
  add(
    "auditRowsScrubbed",
    db
      .update(auditLog)
      .set({
        details: sql`json_remove(${auditLog.details}, '$.reason', '$.note', '$.message', '$.label')`,
      })
      .where(
        and(
          sql`${auditLog.details} is not null`,
          sql`(json_type(${auditLog.details}, '$.reason') is not null or json_type(${auditLog.details}, '$.note') is not null
            or json_type(${auditLog.details}, '$.message') is not null or json_type(${auditLog.details}, '$.label') is not null)`,
          sql`(${auditAbout(id)})`,
          won,
        ),
      )
      .returning({ id: auditLog.id }),
  );
  // Pairings proposed with it: drafts leave the review queue as discarded by the system (audit rows
  // first, they read the draft status); every proposal keeps its pair, period, score and outcome but
  // loses the reasons (they quote its offers and needs) and any discard reason.
  add(
    null,
    auditInsertSelect(
      db,
      {
        at: now,
        actor: DELETION_ACTOR,
        entityType: "pairing_proposal",
        entityId: sql`${pairingProposals.id}`,
        action: "discard",
        fromState: "draft",
        toState: "discarded",
        details: { requestId: current.id },
      },
      sql`from ${pairingProposals} where ${proposing} and ${pairingProposals.status} = 'draft' and ${won}`,
    ),
  );
  add(
    "proposalsDiscarded",
    db
      .update(pairingProposals)
      .set({
        status: "discarded",
        decidedAt: now,
        decidedBy: actorRef(DELETION_ACTOR),
        updatedAt: now,
        revision: sql`lower(hex(randomblob(8)))`,
      })
      .where(sql`${proposing} and ${pairingProposals.status} = 'draft' and ${won}`)
      .returning({ id: pairingProposals.id }),
  );
  add(
    "proposalsAnonymised",
    db
      .update(pairingProposals)
      .set({ reasonsId: [], reasonsEn: [], discardReason: null })
      .where(and(proposing, won))
      .returning({ id: pairingProposals.id }),
  );
  // Digests: its own outbox rows (ids of what it was told) and preferences; an erased business is
  // never planned again (it is inactive). Other recipients' rows hold only its id: nothing to do.
  add(
    "digestsDeleted",
    db
      .delete(digestOutbox)
      .where(and(eq(digestOutbox.recipient, recipient), won))
      .returning({ id: digestOutbox.id }),
  );
  add(
    "digestPreferencesDeleted",
    db
      .delete(digestPreferences)
      .where(and(eq(digestPreferences.recipient, recipient), won))
      .returning({ id: digestPreferences.recipient }),
  );
  // Its stored Idempotency-Key responses (encrypted, but they are copies of its data).
  add(
    "idempotencyKeysDeleted",
    db
      .delete(idempotencyKeys)
      .where(and(eq(idempotencyKeys.principal, recipient), won))
      .returning({ id: idempotencyKeys.keyHash }),
  );
  // Responses stored for other callers (an officer who created or edited it, a partner's request,
  // an anonymous sign-up) that name it: the body goes, the row stays as `erased` so a retry with
  // that key is answered 410 instead of repeating the write.
  add(
    "idempotentResponsesErased",
    db
      .update(idempotencyKeys)
      .set({ state: "erased", status: null, headers: null, body: null, bodyIv: null, businessIds: null })
      .where(
        and(sql`exists (select 1 from json_each(${idempotencyKeys.businessIds}) where value = ${id})`, won),
      )
      .returning({ id: idempotencyKeys.keyHash }),
  );
  add(null, ...bumpRevisionStatements(db));
  const results = (await db.batch(
    statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]],
  )) as unknown[];
  const returned = <T = unknown>(step: Step) => results[at.get(step) ?? -1] as T[];
  const row = returned<DeletionRequestRow>("confirm")[0];
  if (!row) {
    const now2 = await db.select().from(deletionRequests).where(eq(deletionRequests.id, current.id)).get();
    throw invalidState(now2?.status ?? "gone");
  }
  for (const keyId of keyIds) forgetVerifiedKey(keyId);
  const count = (step: Step) => returned(step).length;
  return {
    request: toDeletionRequest(row),
    erased: {
      apiKeys: count("apiKeys"),
      sessionsRevoked: count("sessions"),
      signInLinksDeleted: count("signInLinks"),
      partnershipsClosed: count("partnershipsCancelled") + count("partnershipsEnded"),
      partnershipsAnonymised: count("partnershipsAnonymised"),
      declinedPairsDeleted: count("declinedPairs"),
      suggestionListsLeft: new Set(returned<{ id: string }>("suggestionListsLeft").map((r) => r.id)).size,
      auditRowsScrubbed: count("auditRowsScrubbed"),
      proposalsDiscarded: count("proposalsDiscarded"),
      proposalsAnonymised: count("proposalsAnonymised"),
      digestsDeleted: count("digestsDeleted"),
      digestPreferencesDeleted: count("digestPreferencesDeleted"),
      idempotencyKeysDeleted: count("idempotencyKeysDeleted"),
      idempotentResponsesErased: count("idempotentResponsesErased"),
    },
  };
}

/** The erasing batch's statements whose results are read (see `confirmDeletion`). */
type Step =
  | "confirm"
  | "apiKeys"
  | "sessions"
  | "signInLinks"
  | "partnershipsCancelled"
  | "partnershipsEnded"
  | "partnershipsAnonymised"
  | "declinedPairs"
  | "suggestionListsLeft"
  | "auditRowsScrubbed"
  | "proposalsDiscarded"
  | "proposalsAnonymised"
  | "digestsDeleted"
  | "digestPreferencesDeleted"
  | "idempotencyKeysDeleted"
  | "idempotentResponsesErased";
