import { asc, eq, or, sql } from "drizzle-orm";
import {
  apiKeys,
  auditLog,
  businesses,
  declinedPairs,
  deletionRequests,
  digestOutbox,
  digestPreferences,
  idempotencyKeys,
  matchingChanges,
  notificationOutbox,
  pairingProposals,
  partnerships,
  sessions,
  signInTokens,
  suggestionSets,
  suggestions,
} from "../../../schema";
import type { Principal } from "../../auth/principal";
import type { Database } from "../../db";
import { partyRef } from "../../domain/party";
import { notFound } from "../../errors";
import { renderReasons } from "../../matching";
import { type ApiKeyView, toApiKeyView } from "../accounts/api-keys.service";
import { actorOf, auditInsertIf } from "../audit/audit.queries";
import { type AuditEntry, toAuditEntry } from "../audit/audit.service";
import { type Business, toBusiness } from "../businesses/businesses.views";
import type { ServiceDeps } from "../deps";
import { storedOrder } from "../matching/suggestions.queries";
import { assertMayAct, auditAbout, iso } from "./access";
import { type DeletionRequest, toDeletionRequest } from "./deletion-requests.service";
import { type ForumRecords, forumRecords } from "./forums.records";
import { type ProcurementRecords, procurementRecords } from "./procurement.records";

/** The export: everything held about a business, section by section (UU 27/2022 right of access). */

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
    /** Registry revisions at which its matching inputs changed (the matcher's change log, ids only). */
    matchingRevisions: number[];
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
    /** Notification topics turned off (null: all on). */
    notificationsOff: string[] | null;
    updatedAt: string;
  } | null;
  /** Event notifications queued or sent to it: kind and times only (messages render when sent). */
  notifications: Array<{ kind: string; status: string; createdAt: string; sentAt: string | null }>;
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
  /** Business-matching forums: its invitations, meeting requests, meetings and ratings. */
  forums: ForumRecords;
  /** City procurement: packages it was told about, its readiness checklist, purchases from it. */
  procurement: ProcurementRecords;
  auditEntries: AuditEntry[];
}

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
    changes,
    ptns,
    declined,
    requests,
    audit,
    digests,
    prefs,
    proposals,
    replays,
    notices,
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
    db
      .select()
      .from(suggestions)
      .where(eq(suggestions.businessId, id))
      .orderBy(...storedOrder),
    selectListedByCount(db, id),
    db
      .select({ revision: matchingChanges.revision })
      .from(matchingChanges)
      .where(eq(matchingChanges.businessId, id))
      .orderBy(asc(matchingChanges.revision)),
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
    db
      .select({
        kind: notificationOutbox.kind,
        status: notificationOutbox.status,
        createdAt: notificationOutbox.createdAt,
        sentAt: notificationOutbox.sentAt,
      })
      .from(notificationOutbox)
      .where(eq(notificationOutbox.recipient, recipient))
      .orderBy(asc(notificationOutbox.createdAt), asc(notificationOutbox.id)),
  ]);
  const forums = await forumRecords(db, id);
  const procurement = await procurementRecords(db, id);
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
      items: items.map((s, i) => ({
        rank: i + 1,
        candidateId: s.candidateId,
        score: s.score,
        components: s.components,
        reasons: { id: renderReasons(s.reasons, "id"), en: renderReasons(s.reasons, "en") },
        pattern: s.pattern,
      })),
      listedByOthers: (listedBy[0]?.n ?? 0) + (await listedInNeighbourShards(deps, id)),
      matchingRevisions: changes.map((c) => c.revision),
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
          notificationsOff: pref.notificationsOff ?? null,
          updatedAt: new Date(pref.updatedAt).toISOString(),
        }
      : null,
    notifications: notices.map((n) => ({
      kind: n.kind,
      status: n.status,
      createdAt: new Date(n.createdAt).toISOString(),
      sentAt: iso(n.sentAt),
    })),
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
    forums,
    procurement,
    auditEntries: audit.map(toAuditEntry),
  };
}

/**
 * In one shard's deployment of a province: how many of the neighbour shards' businesses list it in
 * their stored suggestions (their matchers hold it too). 0 elsewhere.
 */
async function listedInNeighbourShards(deps: ServiceDeps, id: string): Promise<number> {
  const counts = await Promise.all(
    (deps.shard?.neighbours ?? []).map(
      async (n) => (await selectListedByCount(n.read(null).db, id))[0]?.n ?? 0,
    ),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** How many businesses' stored suggestion lists in one database include business `id`. */
function selectListedByCount(db: Database, id: string) {
  return db
    .select({ n: sql<number>`count(distinct ${suggestions.businessId})` })
    .from(suggestions)
    .where(eq(suggestions.candidateId, id));
}
