import { createDb } from "../db";
import { purgeUnconfirmedSignUps } from "../services/businesses/purge-sign-ups.service";
import type { Job } from "./job";

/**
 * Daily: delete self sign-ups whose emailed link was not used within 24 hours (anyone may sign up
 * under any address; an unconfirmed one is nobody's yet). A run deletes a bounded number and asks
 * to continue when more are due.
 */
export const expireSignUpsJob: Job = {
  name: "expire-sign-ups",
  description: "Delete self sign-ups not confirmed from their email address within 24 hours.",
  async run(ctx) {
    const { deleted, more } = await purgeUnconfirmedSignUps(
      { db: createDb(ctx.env.DB), defer: ctx.defer },
      { now: ctx.now },
    );
    return { deleted, continueInSeconds: more ? 0 : null };
  },
};
