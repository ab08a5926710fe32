import { createDb } from "../db";
import { mailerFor } from "../email/mailer";
import { parseDigestConfig } from "../services/digests/digest-config";
import { expireRequests } from "../services/partnerships/expire.service";
import { parsePartnershipConfig } from "../services/partnerships/partnership-config";
import { parseReminderDays, remindExpiringRequests } from "../services/partnerships/reminders.service";
import type { Job } from "./job";

/**
 * Daily: expire requests unanswered past their `expiresAt` (audited, as the service does), then
 * remind the partners of requests expiring within REQUEST_REMINDER_DAYS, once each. Expiring first
 * means a request is never reminded on the day it expires. Both steps are idempotent.
 */
export const expireRequestsJob: Job = {
  name: "expire-requests",
  description: `Expire unanswered partnership requests and remind partners before expiry (once).`,
  async run(ctx) {
    const db = createDb(ctx.env.DB);
    const { expired } = await expireRequests({ db, defer: ctx.defer }, { now: ctx.now });
    const reminders = await remindExpiringRequests(
      {
        db,
        defer: ctx.defer,
        mailer: mailerFor(ctx.env),
        config: {
          reminderDays: parseReminderDays(ctx.env.REQUEST_REMINDER_DAYS),
          baseUrl: parseDigestConfig(ctx.env).baseUrl,
        },
      },
      { now: ctx.now },
    );
    return {
      expired: expired.length,
      expiryDays: parsePartnershipConfig(ctx.env).requestExpiryDays,
      ...reminders,
      continueInSeconds: reminders.remaining > 0 ? 0 : null,
    };
  },
};
