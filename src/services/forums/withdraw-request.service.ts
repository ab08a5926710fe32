import { and, eq, inArray, sql } from "drizzle-orm";
import { forumRequests, forums } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { BEFORE_SCHEDULE, canWithdrawAccepted } from "../../domain/forum";
import { ApiError, notFound } from "../../errors";
import { auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { assertOpen, businessOf, forumAudit, loadForum, loadParticipant } from "./forums.queries";
import { requestKey } from "./requests.service";

/**
 * An owner withdraws a meeting request of theirs, which frees one of the forum's `maxRequests`:
 * - unanswered (`requested`): until the forum is closed; a meeting the schedule already placed
 *   stays until the officer re-runs the schedule;
 * - accepted by the other side: only until the schedule is run, so no scheduled meeting ever comes
 *   from a withdrawn request (after the run, the owner asks the officer instead).
 * A declined request stays as it is.
 * @throws 404 when the caller has no unanswered or accepted request to `toId`; 409 `forum_scheduled`
 * for an accepted one once the schedule ran (also when the run wins a race with the withdrawal);
 * 409 `forum_not_open` once the forum is closed.
 */
export async function withdrawMeetingRequest(
  deps: ServiceDeps,
  input: { forumId: string; actor: Principal; toId: string; now: number },
): Promise<{ status: "withdrawn"; was: "requested" | "accepted" }> {
  const me = businessOf(input.actor);
  const forum = await loadForum(deps, input.forumId);
  assertOpen(forum);
  await loadParticipant(deps, forum.id, me);
  const key = requestKey(forum.id, me, input.toId);
  const row = await deps.db.select({ status: forumRequests.status }).from(forumRequests).where(key).get();
  if (!row || (row.status !== "requested" && row.status !== "accepted")) throw notFound("Meeting request");
  const was = row.status;
  const notScheduled = () =>
    new ApiError(
      "forum_scheduled",
      "The schedule has been run: an accepted meeting request can no longer be withdrawn; ask the officer.",
    );
  if (was === "accepted" && !canWithdrawAccepted(forum.status)) throw notScheduled();
  // Conditional on the status read and, for an accepted request, on the forum not being scheduled
  // meanwhile: a run and a withdrawal racing never leave a meeting from a withdrawn request.
  const mine = and(
    key,
    eq(forumRequests.status, was),
    was === "accepted"
      ? sql`exists (select 1 from ${forums} where ${and(eq(forums.id, forum.id), inArray(forums.status, [...BEFORE_SCHEDULE]))})`
      : undefined,
  );
  const [, deleted] = await deps.db.batch([
    auditInsertIf(
      deps.db,
      {
        ...forumAudit(forum.id, input),
        action: "withdraw_meeting_request",
        fromState: was,
        toState: null,
        details: { fromId: me, toId: input.toId },
      },
      sql`exists (select 1 from ${forumRequests} where ${mine})`,
    ),
    deps.db.delete(forumRequests).where(mine).returning({ toId: forumRequests.toId }),
  ]);
  if (deleted.length === 0) {
    if (was === "accepted") throw notScheduled();
    throw notFound("Meeting request");
  }
  return { status: "withdrawn", was };
}
