import { and, count, eq, inArray } from "drizzle-orm";
import { businesses, forumRequests } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { ApiError, notFound } from "../../errors";
import { auditInsert } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { assertOpen, businessOf, forumAudit, loadForum, loadParticipant } from "./forums.queries";

/** The one request row from `fromId` to `toId` in a forum. */
export function requestKey(forumId: string, fromId: string, toId: string) {
  return and(
    eq(forumRequests.forumId, forumId),
    eq(forumRequests.fromId, fromId),
    eq(forumRequests.toId, toId),
  );
}

/** Both businesses are participants who did not decline, of opposite sectors. */
async function assertPair(deps: ServiceDeps, forumId: string, me: string, other: string): Promise<void> {
  const mine = await loadParticipant(deps, forumId, me);
  if (mine.status === "declined") throw new ApiError("not_a_participant", "Confirm attendance first.");
  const theirs = await loadParticipant(deps, forumId, other).catch(() => null);
  if (!theirs || theirs.status === "declined" || theirs.status === "no_show") throw notFound("Participant");
  const sectors = await deps.db
    .select({ id: businesses.id, sector: businesses.sector })
    .from(businesses)
    .where(inArray(businesses.id, [me, other]))
    .all();
  if (sectors.length !== 2 || sectors[0]?.sector === sectors[1]?.sector)
    throw new ApiError("same_sector", "A forum meeting pairs a service business with a small industry.");
}

/**
 * An owner asks to meet another participant (up to the forum's `maxRequests` open or accepted
 * requests). Asking someone who already asked you makes the request mutual.
 * @throws 409 `too_many_meeting_requests`, `forum_not_open`; 422 `same_sector`; 404 unknown participant.
 */
export async function requestMeeting(
  deps: ServiceDeps,
  input: { forumId: string; actor: Principal; toId: string; now: number },
): Promise<{ mutual: boolean }> {
  const me = businessOf(input.actor);
  const forum = await loadForum(deps, input.forumId);
  assertOpen(forum);
  await assertPair(deps, forum.id, me, input.toId);
  const sent = await deps.db
    .select({ n: count() })
    .from(forumRequests)
    .where(
      and(
        eq(forumRequests.forumId, forum.id),
        eq(forumRequests.fromId, me),
        inArray(forumRequests.status, ["requested", "accepted"]),
      ),
    )
    .get();
  const existing = await deps.db
    .select()
    .from(forumRequests)
    .where(requestKey(forum.id, me, input.toId))
    .get();
  const counted = existing?.status === "requested" || existing?.status === "accepted";
  if (!counted && (sent?.n ?? 0) >= forum.maxRequests)
    throw new ApiError(
      "too_many_meeting_requests",
      `A participant sends at most ${forum.maxRequests} meeting requests in this forum.`,
    );
  const reverse = await deps.db
    .select()
    .from(forumRequests)
    .where(requestKey(forum.id, input.toId, me))
    .get();
  const mutual = reverse?.status === "requested" || reverse?.status === "accepted";
  await deps.db.batch([
    deps.db
      .insert(forumRequests)
      .values({ forumId: forum.id, fromId: me, toId: input.toId, status: "requested", createdAt: input.now })
      .onConflictDoUpdate({
        target: [forumRequests.forumId, forumRequests.fromId, forumRequests.toId],
        set: { status: "requested", createdAt: input.now, answeredAt: null },
      }),
    auditInsert(deps.db, {
      ...forumAudit(forum.id, input),
      action: "request_meeting",
      fromState: existing?.status ?? null,
      toState: "requested",
      details: { fromId: me, toId: input.toId, mutual },
    }),
  ]);
  return { mutual };
}

/**
 * "Tidak berminat": the owner does not want to meet this participant. A request the other sent is
 * declined with it; the engine never schedules the pair (only a request from both could).
 */
export async function markNotInterested(
  deps: ServiceDeps,
  input: { forumId: string; actor: Principal; otherId: string; now: number },
): Promise<void> {
  const me = businessOf(input.actor);
  const forum = await loadForum(deps, input.forumId);
  assertOpen(forum);
  await loadParticipant(deps, forum.id, me);
  await deps.db.batch([
    deps.db
      .insert(forumRequests)
      .values({
        forumId: forum.id,
        fromId: me,
        toId: input.otherId,
        status: "not_interested",
        createdAt: input.now,
      })
      .onConflictDoUpdate({
        target: [forumRequests.forumId, forumRequests.fromId, forumRequests.toId],
        set: { status: "not_interested", answeredAt: null },
      }),
    deps.db
      .update(forumRequests)
      .set({ status: "declined", answeredAt: input.now })
      .where(and(requestKey(forum.id, input.otherId, me), eq(forumRequests.status, "requested"))),
    auditInsert(deps.db, {
      ...forumAudit(forum.id, input),
      action: "not_interested",
      fromState: null,
      toState: "not_interested",
      details: { fromId: me, otherId: input.otherId },
    }),
  ]);
}

/**
 * The asked owner accepts or declines a meeting request.
 * @throws 404 when there is no unanswered request from `fromId`.
 */
export async function answerMeetingRequest(
  deps: ServiceDeps,
  input: { forumId: string; actor: Principal; fromId: string; accept: boolean; now: number },
): Promise<void> {
  const me = businessOf(input.actor);
  const forum = await loadForum(deps, input.forumId);
  assertOpen(forum);
  const status = input.accept ? ("accepted" as const) : ("declined" as const);
  const open = await deps.db
    .select()
    .from(forumRequests)
    .where(requestKey(forum.id, input.fromId, me))
    .get();
  if (open?.status !== "requested") throw notFound("Meeting request");
  await deps.db.batch([
    deps.db
      .update(forumRequests)
      .set({ status, answeredAt: input.now })
      .where(and(requestKey(forum.id, input.fromId, me), eq(forumRequests.status, "requested"))),
    auditInsert(deps.db, {
      ...forumAudit(forum.id, input),
      action: input.accept ? "accept_meeting" : "decline_meeting",
      fromState: "requested",
      toState: status,
      details: { fromId: input.fromId, toId: me },
    }),
  ]);
}

/** A participant's requests: sent and received, with the other side's id and status. */
export async function listMeetingRequests(
  deps: ServiceDeps,
  input: { forumId: string; businessId: string },
): Promise<{ sent: Array<{ id: string; status: string }>; received: Array<{ id: string; status: string }> }> {
  const rows = await deps.db
    .select()
    .from(forumRequests)
    .where(eq(forumRequests.forumId, input.forumId))
    .all();
  return {
    sent: rows.filter((r) => r.fromId === input.businessId).map((r) => ({ id: r.toId, status: r.status })),
    received: rows
      .filter((r) => r.toId === input.businessId && r.status !== "not_interested")
      .map((r) => ({ id: r.fromId, status: r.status })),
  };
}
