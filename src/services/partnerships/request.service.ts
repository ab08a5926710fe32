import { eq } from "drizzle-orm";
import { type PartnershipRow, partnerships, type StoredTerms } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { DAY_MS } from "../../domain/calendar";
import { brokenPairRule } from "../../domain/pair-rules";
import { actorRef, partyRef } from "../../domain/party";
import { ApiError, notFound, validationError } from "../../errors";
import { newId, randomToken } from "../../lib/ids";
import type { PartnershipPattern } from "../../matching";
import { actorOf, auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { neighbourShardOf } from "../matching/shard-serving.service";
import { notifyIf } from "../notifications/enqueue";
import type { PartnershipConfig } from "./partnership-config";
import {
  hasRevision,
  insertPartnershipIf,
  type PairPartyRow,
  type PartnershipStatus,
  type PartnershipWithParties,
  pairStillAllowed,
  readPairFacts,
} from "./partnerships.queries";
import { capacityReached, forbidden, type Partnership, toPartnership } from "./partnerships.shared";

export interface CreatePartnershipInput {
  actor: Principal;
  /** Required for an officer pairing; a business requests as itself (absent or its own id). */
  requesterId?: string | undefined;
  partnerId: string;
  pattern: PartnershipPattern;
  message: string;
  terms?: StoredTerms | null | undefined;
  /** A business's request that follows up a forum meeting both sides rated "lanjut". */
  origin?: { forumId: string } | undefined;
  now: number;
}

/**
 * The refusal for a partner the database does not hold: 409 `partner_in_other_region` when a
 * neighbour shard holds it (one shard's deployment of a province, whose suggestions reach across
 * the border), else 404.
 */
export async function unknownPartner(deps: ServiceDeps, partnerId: string): Promise<ApiError> {
  const shard = await neighbourShardOf(deps, partnerId);
  if (shard === null) return notFound("Partner");
  return new ApiError(
    "partner_in_other_region",
    `The business is registered in the neighbouring region's deployment "${shard}"; a request across regions cannot be made here yet.`,
  );
}

/**
 * Checks a new request or pairing and names the first rule it breaks. The conditional insert
 * repeats the race-prone checks, so this only has to be right for a quiet database.
 */
async function assertCanPair(
  deps: ServiceDeps,
  input: { requesterId: string; partnerId: string; kind: "request" | "officer"; config: PartnershipConfig },
): Promise<Awaited<ReturnType<typeof readPairFacts>>> {
  const facts = await readPairFacts(deps.db, input.requesterId, input.partnerId);
  const maxOpenRequests = input.kind === "request" ? input.config.maxOpenRequests : null;
  const rule = brokenPairRule(facts, { maxOpenRequests });
  switch (rule) {
    case null:
      return facts;
    case "self":
      throw validationError([{ path: "partnerId", message: "A business cannot partner with itself." }]);
    case "requester_unknown":
      throw notFound("Business");
    case "partner_unknown":
      throw await unknownPartner(deps, input.partnerId);
    case "requester_unavailable":
      throw new ApiError("business_inactive", "Only an active, published business can enter partnerships.");
    case "partner_unavailable":
      throw new ApiError("partner_unavailable", "The partner is not taking partnerships.");
    case "same_sector":
      throw new ApiError("same_sector", "A partnership pairs a service business with a small industry.");
    case "declined":
      throw new ApiError("pair_declined", "One side declined this pair; an officer can reset it on request.");
    case "open":
      throw new ApiError("partnership_exists", "The pair already has an open request or partnership.");
    case "too_many_open_requests":
      throw new ApiError(
        "too_many_open_requests",
        `A business may have at most ${maxOpenRequests} unanswered requests; wait for answers or cancel one.`,
      );
    case "requester_full":
      throw capacityReached("requester");
    case "partner_full":
      throw capacityReached("partner");
  }
}

/**
 * A business requests a partnership (status `requested`, expiring after `requestExpiryDays`), or
 * an officer creates a pairing (status `active` at once: the officer is the approver).
 *
 * The insert is conditional, in one batch with its audit row: an unanswered-request cap, no open
 * request or partnership for the pair, no declined pair and (for a pairing) room under both
 * sides' `maxPartners`, all evaluated when the insert runs, so concurrent requests cannot slip
 * past the limits.
 *
 * @throws 404 unknown business, 422 `same_sector` / `validation_failed`, 409 `pair_declined`,
 * `partnership_exists`, `too_many_open_requests`, `capacity_reached`, `business_inactive`,
 * `partner_unavailable`.
 */
export async function createPartnership(
  deps: ServiceDeps & { config: PartnershipConfig },
  input: CreatePartnershipInput,
): Promise<Partnership> {
  const { actor, now } = input;
  let kind: "request" | "officer";
  let requesterId: string;
  if (actor.kind === "business") {
    if (input.requesterId !== undefined && input.requesterId !== actor.businessId) {
      throw forbidden("A business requests partnerships only as itself.");
    }
    kind = "request";
    requesterId = actor.businessId;
  } else {
    if (input.requesterId === undefined) {
      throw validationError([{ path: "requesterId", message: "Required for an officer pairing." }]);
    }
    kind = "officer";
    requesterId = input.requesterId;
  }
  const { partnerId } = input;
  const facts = await assertCanPair(deps, { requesterId, partnerId, kind, config: deps.config });
  // Read before the write (with the rules' facts), so nothing after the commit can fail the answer.
  const parties = partiesOf(facts);

  const id = newId("ptn_", now);
  const revision = randomToken(16);
  const status: PartnershipStatus = kind === "request" ? "requested" : "active";
  const by = actorRef(actorOf(actor));
  const expiresAt = kind === "request" ? now + deps.config.requestExpiryDays * DAY_MS : null;
  const decidedAt = kind === "officer" ? now : null;
  const decidedBy = kind === "officer" ? by : null;
  // The read-back is the batch's last statement: once the insert commits, no later failure can
  // turn a created partnership into an error response.
  const action = kind === "request" ? "request" : "create_pairing";
  const results = await deps.db.batch([
    insertPartnershipIf(
      deps.db,
      {
        id,
        requesterId,
        partnerId,
        origin: input.origin && kind === "request" ? "forum" : kind,
        forumId: input.origin && kind === "request" ? input.origin.forumId : null,
        pattern: input.pattern,
        message: input.message,
        terms: input.terms ?? null,
        status,
        revision,
        createdBy: by,
        createdAt: now,
        updatedAt: now,
        expiresAt,
        decidedAt,
        decidedBy,
      },
      pairStillAllowed(requesterId, partnerId, {
        maxOpenRequests: kind === "request" ? deps.config.maxOpenRequests : null,
        room: kind === "officer",
      }),
    ),
    auditInsertIf(
      deps.db,
      {
        at: now,
        actor: actorOf(actor),
        entityType: "partnership",
        entityId: id,
        action,
        fromState: null,
        toState: status,
        details: { requesterId, partnerId, pattern: input.pattern },
      },
      hasRevision(id, revision),
    ),
    // The partner hears of a request; both sides of an officer's pairing.
    ...notifyIf(
      deps.db,
      {
        kind: kind === "request" ? "request_received" : "partnership_approved",
        recipients: (kind === "request" ? [partnerId] : [requesterId, partnerId]).map((b) =>
          partyRef("business", b),
        ),
        subjectId: id,
        audit: { entityType: "partnership", entityId: id, action },
        now,
      },
      hasRevision(id, revision),
    ),
    deps.db.select().from(partnerships).where(eq(partnerships.id, id)),
  ]);
  const created = results.at(-1)?.[0] as PartnershipRow | undefined;
  if (!created) {
    // A concurrent write took the room between the check and the insert: name the rule now.
    await assertCanPair(deps, { requesterId, partnerId, kind, config: deps.config });
    throw new ApiError("state_changed", "Another change got there first; retry.");
  }
  return toPartnership({ row: created, ...parties }, actor);
}

/** Both sides as a partnership shows them (callers decide what to show). */
function partiesOf(facts: Awaited<ReturnType<typeof readPairFacts>>): Omit<PartnershipWithParties, "row"> {
  const { requester, partner } = facts;
  if (!requester || !partner) throw notFound("Business");
  const shown = (p: PairPartyRow) => ({
    id: p.id,
    name: p.name,
    sector: p.sector,
    email: p.email,
    whatsapp: p.whatsapp,
  });
  return { requester: shown(requester), partner: shown(partner) };
}
