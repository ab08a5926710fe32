import { and, eq, isNull, or, sql } from "drizzle-orm";
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
  notificationOutbox,
  pairingProposals,
  partnerships,
  sessions,
  signInTokens,
  suggestionSets,
  suggestions,
} from "../../../schema";
import type { Principal } from "../../auth/principal";
import { forgetVerifiedKey } from "../../auth/verified-keys.cache";
import { actorRef, partyRef } from "../../domain/party";
import { ApiError } from "../../errors";
import { randomToken } from "../../lib/ids";
import { actorOf, auditInsertIf, auditInsertSelect } from "../audit/audit.queries";
import { bumpRevisionStatements } from "../businesses/registry.queries";
import { runAfter, type ServiceDeps } from "../deps";
import { eraseFromNeighbourSets } from "../matching/staleness.service";
import { markSetsContainingStale } from "../matching/suggestions.queries";
import { auditAbout } from "./access";
import {
  DELETION_ACTOR,
  type DeletionRequest,
  invalidState,
  loadRequest,
  requestWon,
  toDeletionRequest,
} from "./deletion-requests.service";
import { eraseForumRecords } from "./forums.records";
import { eraseProcurementRecords } from "./procurement.records";

/** The erasure an officer confirms: one guarded D1 batch that anonymises the business and removes what is about it. */

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
    /** Its notification outbox rows (ids and times only; other recipients' rows hold only ids). */
    notificationsDeleted: number;
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
 *   every other business's stored list (those lists are marked stale to be refilled); in one
 *   shard's deployment of a province, the neighbour shards' lists too, right after the batch;
 * - free text in the audit rows about it (reasons, notes, messages, key labels) is removed; the
 *   rows themselves stay;
 * - draft pairings with it leave the review queue (discarded by `system:data-deletion`, audited);
 *   every pairing with it keeps pair, period, score, status and partnership but loses its reasons
 *   and discard reason;
 * - its notification outbox rows are deleted (others' rows about it hold only ids, and render
 *   nothing once it is erased);
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
  add(null, ...eraseForumRecords(db, id, won));
  add(null, ...eraseProcurementRecords(db, id, won));
  add(null, markSetsContainingStale(db, id, now, { onlyIf: won }));
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
  // Its notification outbox rows (their last errors may quote its address). Other recipients' rows
  // about it hold ids only, and render nothing about an erased business (notifications/render.ts).
  add(
    "notificationsDeleted",
    db
      .delete(notificationOutbox)
      .where(and(eq(notificationOutbox.recipient, recipient), won))
      .returning({ id: notificationOutbox.id }),
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
  add(null, ...bumpRevisionStatements(db, [id]));
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
  // One shard's deployment of a province: the neighbour shards' stored sets listing it too (after
  // the response when it can wait; a failure is logged, and those sets' next full rebuild drops it).
  await runAfter(deps, "erase from neighbour shards' stored sets", () =>
    eraseFromNeighbourSets(deps, { id, now }),
  );
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
      notificationsDeleted: count("notificationsDeleted"),
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
  | "notificationsDeleted"
  | "idempotencyKeysDeleted"
  | "idempotentResponsesErased";
