import { ApiError } from "../../errors";
import { type DigestDeps, periodKeys } from "./digest-config";
import { planDigests } from "./digest-plan.service";
import { sendDueDigests } from "./digest-send.service";
import { countUnplanned, selectOutboxBacklog } from "./digests.queries";

export interface DigestRunReport {
  period: { weekly: string; monthly: string };
  /** Outbox rows written this run with something to send. */
  planned: number;
  /**
   * Recipients with nothing new this period (recorded, never sent), and digests left with nothing
   * to say when sent (their recipient or every business they listed was erased or deactivated).
   */
  skipped: number;
  sent: number;
  /** Digests that used up their attempts this run. */
  failed: number;
  /** Failed sends that will be retried after their backoff. */
  retrying: number;
  /** Recipients still to plan plus digests still to send (due now or later). */
  remaining: number;
  /** When to run again: 0 = at once, n = in n seconds, null = done for this period. */
  continueInSeconds: number | null;
}

/**
 * One bounded chunk of the digest run: plan up to `chunkSize` recipients, send up to `chunkSize`
 * due digests, then count what is left. Run it again (the job continues through the jobs queue)
 * until `continueInSeconds` is null.
 *
 * @throws 503 `not_configured` when no signing key is set (unsubscribe links could not be signed).
 */
export async function runDigestChunk(deps: DigestDeps, input: { now: number }): Promise<DigestRunReport> {
  if (!deps.config.signingKey) {
    throw new ApiError(
      "not_configured",
      "DIGEST_SIGNING_KEY is not set, so unsubscribe links cannot be signed: no digest is sent.",
    );
  }
  const limit = deps.config.chunkSize;
  const keys = periodKeys(input.now);
  const planned = await planDigests(deps, { now: input.now, limit });
  const sent = await sendDueDigests(deps, { now: input.now, limit });
  const [[unplanned], [backlog]] = await Promise.all([
    countUnplanned(deps.db, keys),
    selectOutboxBacklog(deps.db, input.now),
  ]);
  const toPlan = unplanned?.n ?? 0;
  const dueNow = backlog?.dueNow ?? 0;
  const later = backlog?.later ?? 0;
  let continueInSeconds: number | null = null;
  if (toPlan > 0 || dueNow > 0) continueInSeconds = 0;
  else if (later > 0 && backlog?.nextAt) {
    continueInSeconds = Math.max(1, Math.ceil((backlog.nextAt - input.now) / 1000));
  }
  return {
    period: keys,
    planned: planned.planned,
    skipped: planned.skipped + sent.skipped,
    sent: sent.sent,
    failed: sent.failed,
    retrying: sent.retrying,
    remaining: toPlan + dueNow + later,
    continueInSeconds,
  };
}
