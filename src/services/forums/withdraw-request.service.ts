import { and, eq } from "drizzle-orm";
import { forumRequests } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { notFound } from "../../errors";
import { actorOf, auditInsert } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { assertOpen, businessOf, loadForum, loadParticipant } from "./forums.queries";
import { requestKey } from "./requests.service";

/**
 * An owner withdraws a meeting request the other side has not answered yet, which frees one of the
 * forum's `maxRequests`. An accepted or declined request stays as it is (the other side answered);
 * a meeting the schedule already placed stays until the officer re-runs the schedule.
 * @throws 404 when there is no unanswered request from the caller to `toId`; 409 `forum_not_open`.
 */
export async function withdrawMeetingRequest(
  deps: ServiceDeps,
  input: { forumId: string; actor: Principal; toId: string; now: number },
): Promise<{ status: "withdrawn" }> {
  const me = businessOf(input.actor);
  const forum = await loadForum(deps, input.forumId);
  assertOpen(forum);
  await loadParticipant(deps, forum.id, me);
  const mine = and(requestKey(forum.id, me, input.toId), eq(forumRequests.status, "requested"));
  const open = await deps.db.select({ toId: forumRequests.toId }).from(forumRequests).where(mine).get();
  if (!open) throw notFound("Meeting request");
  await deps.db.batch([
    deps.db.delete(forumRequests).where(mine),
    auditInsert(deps.db, {
      at: input.now,
      actor: actorOf(input.actor),
      entityType: "forum",
      entityId: forum.id,
      action: "withdraw_meeting_request",
      fromState: "requested",
      toState: null,
      details: { fromId: me, toId: input.toId },
    }),
  ]);
  return { status: "withdrawn" };
}
