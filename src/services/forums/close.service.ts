import { and, eq, sql } from "drizzle-orm";
import { type ForumRow, forums } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { type CloseRefusal, closeRefusal } from "../../domain/forum";
import { ApiError } from "../../errors";
import { auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { forumAudit, loadForum } from "./forums.queries";

/** The refusal as a problem, its message saying why. */
function refused(forum: ForumRow, why: CloseRefusal): ApiError {
  if (why === "forum_day_not_reached")
    return new ApiError(
      why,
      `The forum's day (${forum.date}, WIB) has not come yet: close it on or after that day.`,
    );
  return new ApiError(
    why,
    forum.status === "closed"
      ? "The forum is closed already."
      : `The forum has no schedule yet (status ${forum.status}): run the schedule; close it after its day.`,
  );
}

/**
 * An officer closes a forum after its day: from then on owners' changes are refused (409
 * `forum_not_open`, "The forum is over.") and the schedule is not run again, while meetings can
 * still be rated. The rule is `closeRefusal` (src/domain/forum.ts): the forum is `scheduled` and its
 * day (WIB) has come at `now`.
 * @throws 403 for a business; 404 unknown forum; 409 `forum_not_scheduled` for a draft, open or
 * closed forum (also when another officer closed it first); 409 `forum_day_not_reached` before
 * the forum's day.
 */
export async function closeForum(
  deps: ServiceDeps,
  input: { forumId: string; actor: Principal; now: number },
): Promise<ForumRow> {
  if (input.actor.kind !== "officer") throw new ApiError("forbidden", "Officers close forums.");
  const forum = await loadForum(deps, input.forumId);
  const why = closeRefusal(forum, input.now);
  if (why) throw refused(forum, why);
  const stillScheduled = and(eq(forums.id, forum.id), eq(forums.status, "scheduled"));
  const [, updated] = await deps.db.batch([
    // Before the update, and only while the forum is still scheduled, so of two officers closing
    // at once only the one whose update writes is logged.
    auditInsertIf(
      deps.db,
      {
        ...forumAudit(forum.id, input),
        action: "close",
        fromState: "scheduled",
        toState: "closed",
        details: { date: forum.date },
      },
      sql`exists (select 1 from ${forums} where ${stillScheduled})`,
    ),
    deps.db
      .update(forums)
      .set({ status: "closed", updatedAt: input.now })
      .where(stillScheduled)
      .returning({ id: forums.id }),
  ]);
  // Only a close leaves `scheduled`, so a lost race means another officer closed it.
  if (updated.length === 0) throw refused({ ...forum, status: "closed" }, "forum_not_scheduled");
  return { ...forum, status: "closed", updatedAt: input.now };
}
