import { createDb } from "../db";
import { mailerFor } from "../email/mailer";
import { parseDigestConfig } from "../services/digests/digest-config";
import { runNotificationChunk } from "../services/notifications/send";
import { planOfficerSummaries } from "../services/notifications/summary";
import type { Job } from "./job";

/**
 * Daily (06:00 WIB, after the expiry job): the officers' summary of what waits for them, enqueued
 * once per officer and day when anything waits, then sent with whatever else is due.
 */
export const officerSummaryJob: Job = {
  name: "officer-summary",
  description: "Email active officers a daily summary of what waits for review (skipped when nothing waits).",
  async run(ctx) {
    const deps = {
      db: createDb(ctx.env.DB),
      defer: ctx.defer,
      mailer: mailerFor(ctx.env),
      config: parseDigestConfig(ctx.env),
    };
    const planned = await planOfficerSummaries(deps, { now: ctx.now });
    const sent = await runNotificationChunk(deps, { now: ctx.now });
    return { waiting: planned.counts, planned: planned.planned, ...sent };
  },
};
