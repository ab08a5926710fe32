import { createDb } from "../db";
import { mailerFor } from "../email/mailer";
import { parseDigestConfig } from "../services/digests/digest-config";
import { runNotificationChunk } from "../services/notifications/send";
import type { Job } from "./job";

/**
 * Every five minutes: send the due event notifications of the outbox (sign-up decisions, requests,
 * answers, officers' decisions, expiries, officer summaries) through the deployment's mailer, in
 * chunks of DIGEST_CHUNK_SIZE; more due now continues through the jobs queue.
 */
export const sendNotificationsJob: Job = {
  name: "send-notifications",
  description: "Send due event notification emails from the outbox (exactly once, retried with backoff).",
  async run(ctx) {
    const report = await runNotificationChunk(
      {
        db: createDb(ctx.env.DB),
        defer: ctx.defer,
        mailer: mailerFor(ctx.env),
        config: parseDigestConfig(ctx.env),
      },
      { now: ctx.now },
    );
    return { ...report };
  },
};
