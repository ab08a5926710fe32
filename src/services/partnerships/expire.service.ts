import { sql } from "drizzle-orm";
import { partnerships } from "../../../schema";
import { partyRefPrefix } from "../../domain/party";
import { auditInsertSelect } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { notifyEach } from "../notifications/enqueue";

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
