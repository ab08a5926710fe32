import { notificationOutbox } from "../../../schema";
import { wibDate } from "../../domain/calendar";
import type { OfficerSummaryCounts } from "../../domain/notifications";
import { partyRef } from "../../domain/party";
import { summaryTotal } from "../../email/notification.template";
import { newId } from "../../lib/ids";
import type { ServiceDeps } from "../deps";
import { selectOfficerSummaryCounts, selectSummaryOfficers } from "./notifications.queries";

/** "2026-12-02": the Asia/Jakarta date of an instant, the summary's once-a-day key. */
export function wibDayKey(ms: number): string {
  const { year, month, day } = wibDate(ms);
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * The officers' daily summary: counts what waits for them now (sign-ups to review, changed
 * profiles, accepted requests awaiting approval, draft pairings) and, when anything does, enqueues
 * one outbox row per active officer with an email who did not turn it off. Keyed by the WIB date, so
 * a second run the same day enqueues nothing. Nothing waits: nothing is enqueued.
 */
export async function planOfficerSummaries(
  deps: ServiceDeps,
  input: { now: number },
): Promise<{ counts: OfficerSummaryCounts; planned: number }> {
  const counts = await selectOfficerSummaryCounts(deps.db);
  if (summaryTotal(counts) === 0) return { counts, planned: 0 };
  const recipients = await selectSummaryOfficers(deps.db);
  const day = wibDayKey(input.now);
  const [first, ...rest] = recipients.map((o) => {
    const recipient = partyRef("officer", o.id);
    return deps.db
      .insert(notificationOutbox)
      .values({
        id: newId("ntf_", input.now),
        eventKey: `officer_summary:${day}:${recipient}`,
        kind: "officer_summary",
        recipient,
        subjectId: o.id,
        counts,
        status: "pending",
        nextAttemptAt: input.now,
        createdAt: input.now,
      })
      .onConflictDoNothing({ target: notificationOutbox.eventKey })
      .returning({ id: notificationOutbox.id });
  });
  if (!first) return { counts, planned: 0 };
  const written = (await deps.db.batch([first, ...rest])).flat();
  return { counts, planned: written.length };
}
