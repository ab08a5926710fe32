import { createDb } from "../db";
import { requestShard } from "../db-shards";
import { mailerFor } from "../email/mailer";
import { parseDigestConfig } from "../services/digests/digest-config";
import { runDigestChunk } from "../services/digests/digest-run.service";
import type { Job } from "./job";

/**
 * Weekly (Monday morning WIB, after the pairing proposals): one bounded chunk of digests through
 * the deployment's mailer. The report's `continueInSeconds` makes the runner enqueue the next
 * chunk on the jobs queue until the period is done.
 */
export const sendDigestsJob: Job = {
  name: "send-digests",
  description: "Send the weekly/monthly digests to businesses and officers (exactly once per period).",
  async run(ctx) {
    const report = await runDigestChunk(
      {
        db: createDb(ctx.env.DB),
        // One shard's deployment of a province: digests list the neighbours' businesses its
        // suggestions hold, as its console does.
        shard: requestShard(ctx.env),
        defer: ctx.defer,
        mailer: mailerFor(ctx.env),
        config: parseDigestConfig(ctx.env),
      },
      { now: ctx.now },
    );
    return { ...report };
  },
};
