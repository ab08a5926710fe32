import { and, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { businesses, digestPreferences, partnerships } from "../../../schema";
import { DAY_MS } from "../../domain/calendar";
import type { Language } from "../../domain/language";
import { partyRefPrefix } from "../../domain/party";
import type { Mailer } from "../../email/mailer";
import { renderReminder } from "../../email/reminder.template";
import { auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";

/** Default days before expiry that the partner is reminded (REQUEST_REMINDER_DAYS overrides). */
export const DEFAULT_REMINDER_DAYS = 3;
/** Reminders claimed and sent per invocation; the job continues through the queue for more. */
export const REMINDERS_PER_RUN = 50;

export function parseReminderDays(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_REMINDER_DAYS;
}

export interface ReminderDeps extends ServiceDeps {
  mailer: Mailer;
  config: { reminderDays: number; baseUrl: string };
}

/** SQL: an unanswered request that expires within the reminder window and was never reminded. */
function dueForReminder(now: number, days: number) {
  return sql`${partnerships.status} = 'requested' and ${partnerships.remindedAt} is null
    and ${partnerships.expiresAt} > ${now} and ${partnerships.expiresAt} <= ${now + days * DAY_MS}`;
}

export interface ReminderReport {
  reminded: number;
  /** Sends that failed; their claim was released, so the next run tries again. */
  failed: number;
  /**
   * Requests still due for a reminder that this run did not reach (those that just failed are not
   * counted: the next daily run retries them, rather than a tight loop against a failing mailer).
   */
  remaining: number;
}

/**
 * Reminds the partner of each unanswered request that expires within `reminderDays`, once: the
 * row's `remindedAt` is claimed by a conditional update before sending, so a second or concurrent
 * run finds nothing to send; a failed send releases the claim for the next run. Each reminder sent
 * is audited (`remind`, by the system actor). At most `limit` per call.
 *
 * A crash between the claim and the send loses that one reminder: for a reminder, never twice is
 * worth more than surely once.
 */
export async function remindExpiringRequests(
  deps: ReminderDeps,
  input: { now: number; limit?: number },
): Promise<ReminderReport> {
  const { now } = input;
  const limit = input.limit ?? REMINDERS_PER_RUN;
  const due = dueForReminder(now, deps.config.reminderDays);
  const claimed = await deps.db
    .update(partnerships)
    .set({ remindedAt: now })
    .where(
      and(
        inArray(
          partnerships.id,
          deps.db
            .select({ id: partnerships.id })
            .from(partnerships)
            .where(due)
            .orderBy(partnerships.expiresAt, partnerships.id)
            .limit(limit),
        ),
        due,
      ),
    )
    .returning({ id: partnerships.id });
  const report: ReminderReport = { reminded: 0, failed: 0, remaining: 0 };
  if (claimed.length > 0) {
    const requester = alias(businesses, "requester");
    const partner = alias(businesses, "partner");
    const rows = await deps.db
      .select({
        id: partnerships.id,
        pattern: partnerships.pattern,
        message: partnerships.message,
        expiresAt: partnerships.expiresAt,
        requesterName: requester.name,
        partnerName: partner.name,
        partnerEmail: partner.email,
        partnerLanguage: partner.language,
        preferredLanguage: digestPreferences.language,
      })
      .from(partnerships)
      .innerJoin(requester, eq(requester.id, partnerships.requesterId))
      .innerJoin(partner, eq(partner.id, partnerships.partnerId))
      .leftJoin(
        digestPreferences,
        eq(digestPreferences.recipient, sql`${partyRefPrefix("business")} || ${partner.id}`),
      )
      .where(
        inArray(
          partnerships.id,
          claimed.map((c) => c.id),
        ),
      );
    const sent: string[] = [];
    for (const r of rows) {
      const language: Language = r.preferredLanguage ?? r.partnerLanguage;
      const message = renderReminder({
        language,
        partnerName: r.partnerName,
        requesterName: r.requesterName,
        pattern: r.pattern,
        message: r.message,
        expiresAt: r.expiresAt ?? now,
        appUrl: `${deps.config.baseUrl}/`,
      });
      try {
        await deps.mailer.send({ to: r.partnerEmail, ...message });
        sent.push(r.id);
      } catch (err) {
        report.failed += 1;
        console.warn(
          JSON.stringify({
            level: "warn",
            msg: "reminder send failed",
            partnershipId: r.id,
            error: err instanceof Error ? err.message : String(err),
          }),
        );
        // Release the claim (only ours: remindedAt still holds this run's time).
        await deps.db
          .update(partnerships)
          .set({ remindedAt: null })
          .where(and(eq(partnerships.id, r.id), eq(partnerships.remindedAt, now)));
      }
    }
    const audits = sent.map((id) =>
      auditInsertIf(
        deps.db,
        {
          at: now,
          actor: { kind: "system", id: "expire-requests" },
          entityType: "partnership",
          entityId: id,
          action: "remind",
          fromState: "requested",
          toState: "requested",
          details: { reminderDays: deps.config.reminderDays },
        },
        sql`1`,
      ),
    );
    const [first, ...rest] = audits;
    if (first) await deps.db.batch([first, ...rest]);
    report.reminded = sent.length;
  }
  const [left] = await deps.db
    .select({ n: sql<number>`count(*)` })
    .from(partnerships)
    .where(dueForReminder(now, deps.config.reminderDays));
  report.remaining = Math.max(0, (left?.n ?? 0) - report.failed);
  return report;
}
