import { sql } from "drizzle-orm";
import {
  businesses,
  digestPreferences,
  notificationOutbox,
  officers,
  pairingProposals,
  partnerships,
} from "../../../schema";
import type { Database } from "../../db";
import type { OfficerSummaryCounts } from "../../domain/notifications";
import { partyRefPrefix } from "../../domain/party";

/** Pending and in-flight rows: how many are due now, and how many later. */
export function selectNotificationBacklog(db: Database, now: number) {
  return db.all<{ dueNow: number; later: number }>(sql`select
      coalesce(sum(case when (status = 'pending' and next_attempt_at <= ${now})
        or (status = 'sending' and lease_until <= ${now}) then 1 else 0 end), 0) as dueNow,
      coalesce(sum(case when (status = 'pending' and next_attempt_at > ${now})
        or (status = 'sending' and lease_until > ${now}) then 1 else 0 end), 0) as later
    from ${notificationOutbox} where status in ('pending', 'sending')`);
}

/** What waits for officers now (the daily summary's counts). */
export async function selectOfficerSummaryCounts(db: Database): Promise<OfficerSummaryCounts> {
  const [row] = await db.all<OfficerSummaryCounts>(sql`select
      (select count(*) from ${businesses} where status = 'pending_review' and active = 1) as signUps,
      (select count(*) from ${businesses} where status = 'published' and changes_flagged_at is not null
        and deleted_at is null) as changedProfiles,
      (select count(*) from ${partnerships} where status = 'accepted') as acceptedRequests,
      (select count(*) from ${pairingProposals} where status = 'draft') as drafts`);
  return row ?? { signUps: 0, changedProfiles: 0, acceptedRequests: 0, drafts: 0 };
}

/** Active officers with an email who did not turn the daily summary off, in id order. */
export function selectSummaryOfficers(db: Database) {
  const ref = partyRefPrefix("officer");
  return db.all<{ id: string }>(sql`select o.id as id from ${officers} o
    left join ${digestPreferences} p on p.recipient = ${ref} || o.id
    where o.active = 1 and o.email <> ''
      and not exists (select 1 from json_each(coalesce(p.notifications_off, '[]')) where value = 'officerSummary')
    order by o.id`);
}
