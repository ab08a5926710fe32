import { createDb } from "../db";
import { parseProposalConfig } from "../services/partnerships/proposals-config";
import { proposePairings } from "../services/partnerships/proposals-generate.service";
import type { Job } from "./job";

/**
 * Weekly pairing proposals (issue 5): choose pairs globally from the stored suggestions and put
 * them in the officers' review queue as drafts. Meant for Monday morning (Asia/Jakarta), after the
 * nightly suggestion refresh and before the digests; rerunning it in the same ISO week adds no
 * duplicate drafts. Settings: `PROPOSAL_EXPOSURE_CAP`, `PROPOSAL_MIN_SCORE`.
 *
 * The report: drafts written, why the other candidate pairs were skipped, the total score against
 * greedy top-1, and the exposure concentration (top-10% share, Gini) against naive top-k.
 */
export const proposePairingsJob: Job = {
  name: "propose-pairings",
  description:
    "Weekly pairing proposals: a capacity- and exposure-capped assignment over the stored suggestions, written as drafts for officers to review.",
  async run(ctx) {
    const report = await proposePairings(
      { db: createDb(ctx.env.DB), defer: ctx.defer },
      { now: ctx.now, config: parseProposalConfig(ctx.env) },
    );
    return { ...report, trigger: ctx.trigger };
  },
};
