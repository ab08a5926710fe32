import { and, eq, sql } from "drizzle-orm";
import { pairingProposals } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { DAY_MS } from "../../domain/calendar";
import { brokenPairRule } from "../../domain/pair-rules";
import { actorRef, partyRef } from "../../domain/party";
import { ApiError } from "../../errors";
import { newId, randomToken } from "../../lib/ids";
import { actorOf, auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { notifyIf } from "../notifications/enqueue";
import type { PartnershipConfig } from "./partnership-config";
import { hasRevision, insertPartnershipIf, pairStillAllowed, readPairFacts } from "./partnerships.queries";
import type { Partnership } from "./partnerships.shared";
import { proposalHasRevision } from "./proposals.queries";
import { assertDraft, loadProposal, onlyOfficer, type Proposal, toProposal } from "./proposals.shared";
import { getPartnership } from "./read.service";

/**
 * Names the first partnership rule a publication would break now, like a business's own request:
 * both sides matchable and of different sectors, the pair not declined and not already open, the
 * requester under `maxOpenRequests`, both sides with room under `maxPartners`.
 */
async function assertPublishable(
  deps: ServiceDeps,
  input: { requesterId: string; partnerId: string; config: PartnershipConfig },
): Promise<void> {
  const facts = await readPairFacts(deps.db, input.requesterId, input.partnerId);
  const rule = brokenPairRule(facts, { maxOpenRequests: input.config.maxOpenRequests });
  switch (rule) {
    case null:
      return;
    case "self":
    case "requester_unknown":
    case "partner_unknown":
    case "requester_unavailable":
    case "partner_unavailable":
      throw new ApiError(
        "partner_unavailable",
        "One side is no longer active and published; discard the proposal.",
      );
    case "same_sector":
      throw new ApiError("same_sector", "Both sides are now of one sector; discard the proposal.");
    case "declined":
      throw new ApiError("pair_declined", "One side declined this pair since it was proposed.");
    case "open":
      throw new ApiError("partnership_exists", "The pair already has an open request or partnership.");
    case "too_many_open_requests":
      throw new ApiError(
        "too_many_open_requests",
        `The requester already has ${input.config.maxOpenRequests} unanswered requests; publish with the other side as requester, or later.`,
      );
    case "requester_full":
    case "partner_full":
      throw new ApiError("capacity_reached", "One side already has as many partners as its maxPartners.");
  }
}

/**
 * The default request message, in Bahasa Indonesia (the businesses' default language): says the
 * city proposed the pairing, so neither side thinks the other wrote it.
 */
function defaultMessage(pattern: string): string {
  return `Usulan kemitraan dari petugas Kota Mojokerto berdasarkan kecocokan usaha (pola: ${pattern.replace(/_/g, " ")}). Silakan terima atau tolak.`;
}

export interface PublishProposalInput {
  id: string;
  actor: Principal;
  /** Which side becomes the requester (default `service`); the other side answers. */
  requester?: "service" | "industry" | undefined;
  message?: string | undefined;
  now: number;
}

/**
 * An officer publishes a draft: it becomes an ordinary partnership request (status `requested`,
 * origin `engine`, the proposal's pattern, expiring after `requestExpiryDays`) from the chosen
 * requester (the service business by default) to the other side, who accepts or declines it as any
 * request; the requester may cancel it. From here the normal rules apply: it counts against the
 * requester's `MAX_OPEN_REQUESTS`, and both sides must have room under `maxPartners`.
 *
 * One batch: the partnership insert (conditional on the draft still being at the revision it was
 * loaded with, and on every partnership rule), the draft's update to `published` (conditional on
 * that insert), and an audit row for each. Of two officers publishing at once, one wins; the other
 * gets 409 `state_changed`.
 *
 * @throws 403 not an officer, 404 unknown proposal, 409 `invalid_state`, `state_changed`,
 * `pair_declined`, `partnership_exists`, `too_many_open_requests`, `capacity_reached`,
 * `partner_unavailable`.
 */
export async function publishProposal(
  deps: ServiceDeps & { config: PartnershipConfig },
  input: PublishProposalInput,
): Promise<{ proposal: Proposal; partnership: Partnership }> {
  const { actor, now } = input;
  onlyOfficer(actor);
  const loaded = await loadProposal(deps, input.id);
  const row = loaded.row;
  assertDraft(row, "published");
  const requesterIsService = (input.requester ?? "service") === "service";
  const requesterId = requesterIsService ? row.serviceId : row.industryId;
  const partnerId = requesterIsService ? row.industryId : row.serviceId;
  await assertPublishable(deps, { requesterId, partnerId, config: deps.config });

  const partnershipId = newId("ptn_", now);
  const partnershipRevision = randomToken(16);
  const revision = randomToken(16);
  const by = actorRef(actorOf(actor));
  const message = input.message ?? defaultMessage(row.pattern);
  const expiresAt = now + deps.config.requestExpiryDays * DAY_MS;
  const stillDraft = sql`exists (select 1 from ${pairingProposals} where ${pairingProposals.id} = ${row.id}
    and ${pairingProposals.status} = 'draft' and ${pairingProposals.revision} = ${row.revision})`;
  const inserted = hasRevision(partnershipId, partnershipRevision);
  const won = proposalHasRevision(row.id, revision);
  await deps.db.batch([
    insertPartnershipIf(
      deps.db,
      {
        id: partnershipId,
        requesterId,
        partnerId,
        origin: "engine",
        pattern: row.pattern,
        message,
        status: "requested",
        revision: partnershipRevision,
        createdBy: by,
        createdAt: now,
        updatedAt: now,
        expiresAt,
      },
      sql`${stillDraft} and ${pairStillAllowed(requesterId, partnerId, {
        maxOpenRequests: deps.config.maxOpenRequests,
        room: true,
      })}`,
    ),
    deps.db
      .update(pairingProposals)
      .set({ status: "published", revision, partnershipId, decidedAt: now, decidedBy: by, updatedAt: now })
      .where(
        and(
          eq(pairingProposals.id, row.id),
          eq(pairingProposals.status, "draft"),
          eq(pairingProposals.revision, row.revision),
          inserted,
        ),
      ),
    auditInsertIf(
      deps.db,
      {
        at: now,
        actor: actorOf(actor),
        entityType: "pairing_proposal",
        entityId: row.id,
        action: "publish",
        fromState: "draft",
        toState: "published",
        details: { partnershipId, requesterId, partnerId },
      },
      won,
    ),
    auditInsertIf(
      deps.db,
      {
        at: now,
        actor: actorOf(actor),
        entityType: "partnership",
        entityId: partnershipId,
        action: "publish_proposal",
        fromState: null,
        toState: "requested",
        details: { proposalId: row.id, requesterId, partnerId, pattern: row.pattern, score: row.score },
      },
      won,
    ),
    ...notifyIf(
      deps.db,
      {
        kind: "request_received",
        recipients: [partyRef("business", partnerId)],
        subjectId: partnershipId,
        audit: { entityType: "partnership", entityId: partnershipId, action: "publish_proposal" },
        now,
      },
      won,
    ),
  ]);
  const after = await loadProposal(deps, row.id);
  if (after.row.revision !== revision) {
    if (after.row.revision !== row.revision) {
      throw new ApiError("state_changed", "The proposal changed meanwhile; reload it.");
    }
    // Still the draft we loaded: a partnership rule broke between the check and the write.
    await assertPublishable(deps, { requesterId, partnerId, config: deps.config });
    throw new ApiError("state_changed", "Another change got there first; retry.");
  }
  return {
    proposal: toProposal(after),
    partnership: await getPartnership(deps, { id: partnershipId, viewer: actor }),
  };
}
