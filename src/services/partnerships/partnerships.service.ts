import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import {
  businesses,
  declinedPairs,
  type PartnershipRow,
  partnerships,
  type StoredTerms,
} from "../../../schema";
import type { Principal } from "../../auth/principal";
import { insertIf } from "../../db";
import { DAY_MS } from "../../domain/calendar";
import type { NotificationKind } from "../../domain/notifications";
import { brokenPairRule } from "../../domain/pair-rules";
import type { PartnershipOutcome } from "../../domain/partnership";
import { type AuditActor, actorRef, parseActorRef, partyRef, partyRefPrefix } from "../../domain/party";
import { ApiError, notFound, validationError } from "../../errors";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { newId, randomToken } from "../../lib/ids";
import type { PartnershipPattern } from "../../matching";
import { actorOf, auditInsertIf, auditInsertSelect } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { notifyEach, notifyIf } from "../notifications/enqueue";
import {
  COMMITTED,
  hasRevision,
  hasRoom,
  insertPartnershipIf,
  type PartnershipFilters,
  type PartnershipStatus,
  type PartnershipWithParties,
  pairDeclined,
  pairKey,
  pairOpen,
  pairStillAllowed,
  readPairFacts,
  selectParties,
  selectPartnershipById,
  selectPartnershipPage,
} from "./partnerships.queries";

/** Limits from configuration (`MAX_OPEN_REQUESTS`, `REQUEST_EXPIRY_DAYS`). */
export interface PartnershipConfig {
  /** Unanswered outgoing requests a business may have at once. */
  maxOpenRequests: number;
  /** Days a request waits for an answer before `expireRequests` expires it. */
  requestExpiryDays: number;
}

export const DEFAULT_PARTNERSHIP_CONFIG: PartnershipConfig = { maxOpenRequests: 5, requestExpiryDays: 14 };

/** Reads a positive integer setting, falling back to the default when unset or malformed. */
export function parsePartnershipConfig(vars: {
  MAX_OPEN_REQUESTS?: string | undefined;
  REQUEST_EXPIRY_DAYS?: string | undefined;
}): PartnershipConfig {
  const positive = (v: string | undefined, fallback: number) => {
    const n = Number(v);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return {
    maxOpenRequests: positive(vars.MAX_OPEN_REQUESTS, DEFAULT_PARTNERSHIP_CONFIG.maxOpenRequests),
    requestExpiryDays: positive(vars.REQUEST_EXPIRY_DAYS, DEFAULT_PARTNERSHIP_CONFIG.requestExpiryDays),
  };
}

export interface Party {
  id: string;
  name: string;
  sector: "service" | "industry";
  /**
   * The other side's contact: null for a business caller until both sides have accepted. `whatsapp`
   * is E.164 or null when the business gave none.
   */
  contact: { email: string; whatsapp: string | null } | null;
}

/** A partnership request or partnership as the API shows it. Times are ISO 8601. */
export interface Partnership {
  id: string;
  status: PartnershipStatus;
  origin: PartnershipRow["origin"];
  pattern: PartnershipPattern;
  message: string;
  terms: StoredTerms | null;
  requester: Party;
  partner: Party;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
  answeredAt: string | null;
  decidedAt: string | null;
  rejectionReason: string | null;
  endedAt: string | null;
  endedBy: AuditActor | null;
  outcome: PartnershipOutcome | null;
  outcomeNote: string | null;
}

/** Statuses in which a business sees the other side's contact details: both sides said yes. */
const CONTACT_VISIBLE: readonly PartnershipStatus[] = ["accepted", "active", "ended"];

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toPartnership(r: PartnershipWithParties, viewer: Principal): Partnership {
  const showContact = viewer.kind === "officer" || CONTACT_VISIBLE.includes(r.row.status);
  const party = (p: PartnershipWithParties["requester"]): Party => ({
    id: p.id,
    name: p.name,
    sector: p.sector,
    // A business always knows its own email and WhatsApp; the other side's only once both accepted.
    contact:
      showContact || (viewer.kind === "business" && viewer.businessId === p.id)
        ? { email: p.email, whatsapp: p.whatsapp }
        : null,
  });
  return {
    id: r.row.id,
    status: r.row.status,
    origin: r.row.origin,
    pattern: r.row.pattern as PartnershipPattern,
    message: r.row.message,
    terms: r.row.terms ?? null,
    requester: party(r.requester),
    partner: party(r.partner),
    createdAt: new Date(r.row.createdAt).toISOString(),
    updatedAt: new Date(r.row.updatedAt).toISOString(),
    expiresAt: iso(r.row.expiresAt),
    answeredAt: iso(r.row.answeredAt),
    decidedAt: iso(r.row.decidedAt),
    rejectionReason: r.row.rejectionReason,
    endedAt: iso(r.row.endedAt),
    endedBy: parseActorRef(r.row.endedBy),
    outcome: r.row.outcome,
    outcomeNote: r.row.outcomeNote,
  };
}

function forbidden(detail: string): ApiError {
  return new ApiError("forbidden", detail);
}

function isParty(viewer: Principal, r: PartnershipRow): boolean {
  return (
    viewer.kind === "business" && (viewer.businessId === r.requesterId || viewer.businessId === r.partnerId)
  );
}

/** Loads a partnership the caller may see: officers see all, a business only its own (else 404). */
async function loadVisible(
  deps: ServiceDeps,
  id: string,
  viewer: Principal,
): Promise<PartnershipWithParties> {
  const found = await selectPartnershipById(deps.db, id).get();
  if (!found || (viewer.kind === "business" && !isParty(viewer, found.row))) throw notFound("Partnership");
  return found;
}

export async function getPartnership(
  deps: ServiceDeps,
  input: { id: string; viewer: Principal },
): Promise<Partnership> {
  return toPartnership(await loadVisible(deps, input.id, input.viewer), input.viewer);
}

export interface ListPartnershipsInput {
  viewer: Principal;
  filters: PartnershipFilters;
  limit: number;
  cursor?: string | undefined;
}

/** Keyset-paginated list in creation order. A business lists only partnerships it is a side of. */
export async function listPartnerships(
  deps: ServiceDeps,
  input: ListPartnershipsInput,
): Promise<{ items: Partnership[]; nextCursor: string | null }> {
  const filters = { ...input.filters };
  if (input.viewer.kind === "business") {
    if (filters.businessId !== undefined && filters.businessId !== input.viewer.businessId) {
      throw notFound("Business");
    }
    filters.businessId = input.viewer.businessId;
  }
  let after: string | null = null;
  if (input.cursor !== undefined) {
    after = decodeCursor(input.cursor);
    if (after === null)
      throw validationError([{ path: "cursor", message: "Invalid cursor." }], "Invalid request query.");
  }
  const rows = await selectPartnershipPage(deps.db, filters, after, input.limit).all();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => toPartnership(r, input.viewer)),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.row.id) : null,
  };
}

export interface CreatePartnershipInput {
  actor: Principal;
  /** Required for an officer pairing; a business requests as itself (absent or its own id). */
  requesterId?: string | undefined;
  partnerId: string;
  pattern: PartnershipPattern;
  message: string;
  terms?: StoredTerms | null | undefined;
  now: number;
}

/**
 * Checks a new request or pairing and names the first rule it breaks. The conditional insert
 * repeats the race-prone checks, so this only has to be right for a quiet database.
 */
async function assertCanPair(
  deps: ServiceDeps,
  input: { requesterId: string; partnerId: string; kind: "request" | "officer"; config: PartnershipConfig },
): Promise<void> {
  const facts = await readPairFacts(deps.db, input.requesterId, input.partnerId);
  const maxOpenRequests = input.kind === "request" ? input.config.maxOpenRequests : null;
  const rule = brokenPairRule(facts, { maxOpenRequests });
  switch (rule) {
    case null:
      return;
    case "self":
      throw validationError([{ path: "partnerId", message: "A business cannot partner with itself." }]);
    case "requester_unknown":
      throw notFound("Business");
    case "partner_unknown":
      throw notFound("Partner");
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

function capacityReached(side: "requester" | "partner" | "either"): ApiError {
  const who = side === "either" ? "One side" : side === "requester" ? "The requester" : "The partner";
  return new ApiError("capacity_reached", `${who} already has as many partners as its maxPartners.`);
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
  await assertCanPair(deps, { requesterId, partnerId, kind, config: deps.config });
  // Read before the write, so nothing after the commit can fail the answer.
  const parties = await partiesOf(deps, requesterId, partnerId);

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
        origin: kind,
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
async function partiesOf(
  deps: ServiceDeps,
  requesterId: string,
  partnerId: string,
): Promise<Omit<PartnershipWithParties, "row">> {
  const rows = await deps.db
    .select({
      id: businesses.id,
      name: businesses.name,
      sector: businesses.sector,
      email: businesses.email,
      whatsapp: businesses.whatsapp,
    })
    .from(businesses)
    .where(inArray(businesses.id, [requesterId, partnerId]));
  const requester = rows.find((r) => r.id === requesterId);
  const partner = rows.find((r) => r.id === partnerId);
  if (!requester || !partner) throw notFound("Business");
  return { requester, partner };
}

type Action = "accept" | "decline" | "approve" | "reject" | "cancel" | "end";

interface TransitionSpec {
  action: Action;
  from: readonly PartnershipStatus[];
  to: PartnershipStatus;
  /** Who may do it, given the loaded row; throws 403 otherwise. */
  authorize: (actor: Principal, row: PartnershipRow) => void;
  /** Extra columns to set. */
  set: (ctx: { now: number; by: string }) => Partial<PartnershipRow>;
  /** Capacity both sides must still have when the update runs. */
  needsRoom?: readonly PartnershipStatus[];
  /** The email it sends (an outbox row per side named), in the same batch. */
  notify?: { kind: NotificationKind; to: readonly ("requester" | "partner")[] };
  /** Extra statements for the same batch; `won` is true in SQL when the update won. */
  also?: (ctx: { row: PartnershipRow; actor: Principal; now: number; won: SQL }) => BatchItem<"sqlite">[];
}

function onlyPartner(actor: Principal, row: PartnershipRow) {
  if (actor.kind !== "business" || actor.businessId !== row.partnerId) {
    throw forbidden("Only the requested partner answers a request.");
  }
}

function onlyRequester(actor: Principal, row: PartnershipRow) {
  if (actor.kind !== "business" || actor.businessId !== row.requesterId) {
    throw forbidden("Only the requester cancels a request.");
  }
}

function onlyOfficer(actor: Principal) {
  if (actor.kind !== "officer") throw forbidden("Officers only.");
}

/**
 * Applies one transition: load the row (404 when the caller may not see it), authorize (403),
 * check the state (409 `invalid_state`), then one batch: the update conditional on the status and
 * revision it was loaded with (and on capacity where needed), its audit row, and any extra
 * statements, each guarded by "the update won". Of two racing transitions exactly one wins; the
 * other gets 409 `state_changed` (or `capacity_reached` when room ran out).
 */
async function transition(
  deps: ServiceDeps,
  spec: TransitionSpec,
  input: { id: string; actor: Principal; now: number; details?: Record<string, unknown> },
): Promise<Partnership> {
  const { actor, now } = input;
  const loaded = await loadVisible(deps, input.id, actor);
  const row = loaded.row;
  spec.authorize(actor, row);
  if (!spec.from.includes(row.status)) {
    throw new ApiError(
      "invalid_state",
      `The partnership is ${row.status}; it cannot be ${spec.action === "end" ? "ended" : `${spec.action}ed`} now.`,
    );
  }
  const revision = randomToken(16);
  const by = actorRef(actorOf(actor));
  const conds: SQL[] = [
    eq(partnerships.id, row.id),
    eq(partnerships.status, row.status),
    eq(partnerships.revision, row.revision),
  ];
  if (spec.needsRoom) {
    conds.push(hasRoom(row.requesterId, spec.needsRoom), hasRoom(row.partnerId, spec.needsRoom));
  }
  const won = hasRevision(row.id, revision);
  const extra = spec.also?.({ row, actor, now, won }) ?? [];
  // The read-back is the batch's last statement, so a committed change is always answered.
  const results = await deps.db.batch([
    deps.db
      .update(partnerships)
      .set({ ...spec.set({ now, by }), status: spec.to, revision, updatedAt: Math.max(now, row.updatedAt) })
      .where(and(...conds))
      .returning({ id: partnerships.id }),
    auditInsertIf(
      deps.db,
      {
        at: now,
        actor: actorOf(actor),
        entityType: "partnership",
        entityId: row.id,
        action: spec.action,
        fromState: row.status,
        toState: spec.to,
        details: input.details ?? null,
      },
      won,
    ),
    ...(spec.notify
      ? notifyIf(
          deps.db,
          {
            kind: spec.notify.kind,
            recipients: spec.notify.to.map((side) =>
              partyRef("business", side === "requester" ? row.requesterId : row.partnerId),
            ),
            subjectId: row.id,
            audit: { entityType: "partnership", entityId: row.id, action: spec.action },
            now,
          },
          won,
        )
      : []),
    ...extra,
    // A single-table read: drizzle maps a joined select inside a D1 batch by position, which
    // breaks on the sides' duplicate column names. The parties were loaded above and do not change.
    deps.db.select().from(partnerships).where(eq(partnerships.id, row.id)),
  ]);
  const updated = results[0];
  const current = results.at(-1)?.[0] as PartnershipRow | undefined;
  if (updated.length === 0) {
    if (current && current.revision === row.revision) throw capacityReached("either");
    throw new ApiError("state_changed", "The partnership changed meanwhile; reload it.");
  }
  if (!current) throw notFound("Partnership");
  return toPartnership({ ...loaded, row: current }, actor);
}

/**
 * The partner accepts a request. Both sides must still have room under `maxPartners`, counting
 * accepted and active partnerships (an accepted request holds its place until the officer decides).
 */
export function acceptPartnership(deps: ServiceDeps, input: { id: string; actor: Principal; now: number }) {
  return transition(
    deps,
    {
      action: "accept",
      from: ["requested"],
      to: "accepted",
      authorize: onlyPartner,
      set: ({ now }) => ({ answeredAt: now }),
      needsRoom: COMMITTED,
      notify: { kind: "request_accepted", to: ["requester"] },
    },
    input,
  );
}

/**
 * The partner declines ("tidak berminat"): the request ends and the pair is recorded in
 * `declined_pairs`, so neither side is suggested the other or can request it again until an
 * officer resets the pair.
 */
export function declinePartnership(deps: ServiceDeps, input: { id: string; actor: Principal; now: number }) {
  return transition(
    deps,
    {
      action: "decline",
      from: ["requested"],
      to: "declined",
      authorize: onlyPartner,
      set: ({ now }) => ({ answeredAt: now }),
      notify: { kind: "request_declined", to: ["requester"] },
      also: ({ row, actor, now, won }) => {
        const k = pairKey(row.requesterId, row.partnerId);
        const by = actor.kind === "business" ? actor.businessId : actorRef(actorOf(actor));
        return [
          insertIf(
            deps.db,
            declinedPairs,
            { lowId: k.lowId, highId: k.highId, declinedBy: by, partnershipId: row.id, at: now },
            won,
          ).onConflictDoNothing(),
        ];
      },
    },
    input,
  );
}

/** The requester withdraws a request that the officer has not decided yet. */
export function cancelPartnership(deps: ServiceDeps, input: { id: string; actor: Principal; now: number }) {
  return transition(
    deps,
    {
      action: "cancel",
      from: ["requested", "accepted"],
      to: "cancelled",
      authorize: onlyRequester,
      set: () => ({}),
    },
    input,
  );
}

/**
 * An officer approves an accepted request: it becomes active. Both sides must have room among
 * active partnerships (this row is not active yet, so it is not counted), which still holds unless
 * `maxPartners` was lowered since the accept.
 */
export function approvePartnership(deps: ServiceDeps, input: { id: string; actor: Principal; now: number }) {
  return transition(
    deps,
    {
      action: "approve",
      from: ["accepted"],
      to: "active",
      authorize: onlyOfficer,
      set: ({ now, by }) => ({ decidedAt: now, decidedBy: by }),
      needsRoom: ["active"],
      notify: { kind: "partnership_approved", to: ["requester", "partner"] },
    },
    input,
  );
}

/** An officer rejects an accepted request, with a reason shown to both sides. */
export function rejectPartnership(
  deps: ServiceDeps,
  input: { id: string; actor: Principal; reason: string; now: number },
) {
  return transition(
    deps,
    {
      action: "reject",
      from: ["accepted"],
      to: "rejected",
      authorize: onlyOfficer,
      set: ({ now, by }) => ({ decidedAt: now, decidedBy: by, rejectionReason: input.reason }),
      notify: { kind: "partnership_rejected", to: ["requester", "partner"] },
    },
    { ...input, details: { reason: input.reason } },
  );
}

/**
 * Either side or an officer ends an active partnership with an outcome (did not take place /
 * insufficient interest / useful but no cooperation / cooperation started): the signal the engine
 * will learn from.
 */
export function endPartnership(
  deps: ServiceDeps,
  input: {
    id: string;
    actor: Principal;
    outcome: PartnershipOutcome;
    note?: string | undefined;
    now: number;
  },
) {
  return transition(
    deps,
    {
      action: "end",
      from: ["active"],
      to: "ended",
      authorize: () => {},
      set: ({ now, by }) => ({
        endedAt: now,
        endedBy: by,
        outcome: input.outcome,
        outcomeNote: input.note ?? null,
      }),
    },
    { ...input, details: { outcome: input.outcome } },
  );
}

/**
 * Expires every request still unanswered at `now` (past its `expiresAt`), each with an audit row
 * from the system actor, in one batch. Idempotent; meant for a scheduled job.
 *
 * @returns the ids expired.
 */
export async function expireRequests(
  deps: ServiceDeps,
  input: { now: number },
): Promise<{ expired: string[] }> {
  const due = sql`${partnerships.status} = 'requested' and ${partnerships.expiresAt} <= ${input.now}`;
  const results = await deps.db.batch([
    auditInsertSelect(
      deps.db,
      {
        at: input.now,
        actor: { kind: "system", id: "expire-requests" },
        entityType: "partnership",
        entityId: sql`${partnerships.id}`,
        action: "expire",
        fromState: "requested",
        toState: "expired",
      },
      sql`from ${partnerships} where ${due}`,
    ),
    // Both sides hear of it (before the update, which changes what `due` selects).
    ...(["requesterId", "partnerId"] as const).map((side) =>
      notifyEach(
        deps.db,
        {
          kind: "request_expired",
          recipient: sql`${partyRefPrefix("business")} || ${partnerships[side]}`,
          subjectId: sql`${partnerships.id}`,
          audit: { entityType: "partnership", action: "expire" },
          now: input.now,
        },
        sql`from ${partnerships} where ${due}`,
      ),
    ),
    deps.db
      .update(partnerships)
      .set({ status: "expired", updatedAt: input.now, revision: sql`lower(hex(randomblob(8)))` })
      .where(due)
      .returning({ id: partnerships.id }),
  ]);
  const expired = results.at(-1) as { id: string }[];
  return { expired: expired.map((r) => r.id).sort() };
}

/**
 * An officer resets a declined pair (either side asked): it may be suggested and requested again.
 * @throws 404 when the pair is not declined.
 */
export async function resetDeclinedPair(
  deps: ServiceDeps,
  input: { businessIds: [string, string]; actor: Principal; now: number },
): Promise<{ businessIds: [string, string] }> {
  onlyOfficer(input.actor);
  const [a, b] = input.businessIds;
  const k = pairKey(a, b);
  const match = and(eq(declinedPairs.lowId, k.lowId), eq(declinedPairs.highId, k.highId));
  const [, deleted] = await deps.db.batch([
    // Before the delete, and conditional on the row, so only the reset that deletes it is logged.
    auditInsertIf(
      deps.db,
      {
        at: input.now,
        actor: actorOf(input.actor),
        entityType: "declined_pair",
        entityId: `${k.lowId}:${k.highId}`,
        action: "reset",
        fromState: "declined",
        toState: null,
      },
      sql`${pairDeclined(a, b)}`,
    ),
    deps.db.delete(declinedPairs).where(match).returning({ lowId: declinedPairs.lowId }),
  ]);
  if (deleted.length === 0) throw notFound("Declined pair");
  return { businessIds: [k.lowId, k.highId] };
}

/**
 * A business marks a suggested partner "tidak berminat" without any request between them: the pair
 * is recorded as declined (never suggested or requestable again, either way, until an officer
 * resets it). Idempotent: declining a declined pair changes nothing and writes no audit row.
 *
 * @throws 403 for officers (they reset pairs, they do not decline them), 404 unknown business,
 * 422 `validation_failed` for itself, 409 `partnership_exists` while a request or partnership is
 * open between them (answer or end that instead).
 */
export async function declinePair(
  deps: ServiceDeps,
  input: { actor: Principal; partnerId: string; now: number },
): Promise<{ businessIds: [string, string] }> {
  const { actor, partnerId, now } = input;
  if (actor.kind !== "business") throw forbidden("A business declines its own suggestions.");
  const self = actor.businessId;
  if (partnerId === self) {
    throw validationError([{ path: "partnerId", message: "A business cannot decline itself." }]);
  }
  const [parties, [state]] = await deps.db.batch([
    selectParties(deps.db, [self, partnerId]),
    deps.db.select({ open: sql<number>`${pairOpen(self, partnerId)}`.as("open") }).from(sql`(select 1)`),
  ]);
  if (!parties.some((p) => p.id === partnerId)) throw notFound("Partner");
  if (state?.open) {
    throw new ApiError(
      "partnership_exists",
      "A request or partnership is open between the two; decline, cancel or end it instead.",
    );
  }
  const k = pairKey(self, partnerId);
  await deps.db.batch([
    // Before the insert, and only when the pair is not declined yet, so a repeat is not logged.
    auditInsertIf(
      deps.db,
      {
        at: now,
        actor: actorOf(actor),
        entityType: "declined_pair",
        entityId: `${k.lowId}:${k.highId}`,
        action: "decline",
        fromState: null,
        toState: "declined",
      },
      sql`not ${pairDeclined(self, partnerId)}`,
    ),
    deps.db
      .insert(declinedPairs)
      .values({ lowId: k.lowId, highId: k.highId, declinedBy: self, partnershipId: null, at: now })
      .onConflictDoNothing(),
  ]);
  return { businessIds: [k.lowId, k.highId] };
}
