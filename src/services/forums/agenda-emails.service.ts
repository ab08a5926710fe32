import { and, eq, isNull, sql } from "drizzle-orm";
import { forumMeetings, forumParticipants } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { partyRefPrefix } from "../../domain/party";
import { ApiError } from "../../errors";
import { auditInsert } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { notifyEach } from "../notifications/enqueue";
import { forumAudit, loadForum } from "./forums.queries";

/**
 * Mails each confirmed participant with at least one meeting its agenda, through the notification
 * outbox: exactly once per schedule. A participant whose agenda went out is marked
 * (`agendaSentAt`) in the same batch, so sending again mails nobody twice; a schedule re-run clears
 * the marks, since the agendas changed. The outbox's event key (kind, audit row, recipient) keeps a
 * retried batch from enqueuing twice.
 * @returns how many agendas were enqueued.
 */
export async function sendForumAgendas(
  deps: ServiceDeps,
  input: { forumId: string; actor: Principal; now: number },
): Promise<{ enqueued: number }> {
  if (input.actor.kind !== "officer") throw new ApiError("forbidden", "Officers send the agendas.");
  const forum = await loadForum(deps, input.forumId);
  if (forum.status !== "scheduled") throw new ApiError("forum_not_open", "Run the schedule first.");
  const due = sql`from ${forumParticipants} where ${forumParticipants.forumId} = ${forum.id}
    and ${forumParticipants.status} = 'confirmed' and ${forumParticipants.agendaSentAt} is null
    and exists (select 1 from ${forumMeetings} m where m.forum_id = ${forumParticipants.forumId}
      and (m.service_id = ${forumParticipants.businessId} or m.industry_id = ${forumParticipants.businessId}))`;
  const results = await deps.db.batch([
    auditInsert(deps.db, {
      ...forumAudit(forum.id, input),
      action: "send_agendas",
      fromState: null,
      toState: null,
    }),
    notifyEach(
      deps.db,
      {
        kind: "forum_agenda",
        recipient: sql`${partyRefPrefix("business")} || ${forumParticipants.businessId}`,
        subjectId: sql`${forumParticipants.forumId}`,
        audit: { entityType: "forum", action: "send_agendas" },
        now: input.now,
      },
      due,
    ),
    deps.db
      .update(forumParticipants)
      .set({ agendaSentAt: input.now })
      .where(
        and(
          eq(forumParticipants.forumId, forum.id),
          eq(forumParticipants.status, "confirmed"),
          isNull(forumParticipants.agendaSentAt),
          sql`exists (select 1 from ${forumMeetings} m where m.forum_id = ${forumParticipants.forumId}
            and (m.service_id = ${forumParticipants.businessId} or m.industry_id = ${forumParticipants.businessId}))`,
        ),
      )
      .returning({ id: forumParticipants.businessId }),
  ]);
  return { enqueued: results[2].length };
}
