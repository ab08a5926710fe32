import type { Principal } from "../../auth/principal";
import { ApiError, type ErrorCode, validationError } from "../../errors";
import type { ServiceDeps } from "../deps";
import type { PartnershipConfig } from "./partnership-config";
import { discardProposal } from "./proposals-discard.service";
import { publishProposal } from "./proposals-publish.service";

/** Most drafts one bulk action takes: a page of the review queue, with room to spare. */
export const BULK_MAX_PROPOSALS = 100;

export interface BulkProposalInput {
  ids: string[];
  decision: "publish" | "discard";
  /** Required to discard: one reason for every draft. */
  reason?: string | undefined;
  actor: Principal;
  now: number;
}

/** What a bulk action did: the drafts it decided, and each one it could not with why. */
export interface BulkProposalReport {
  decision: "publish" | "discard";
  succeeded: string[];
  failed: Array<{ id: string; code: ErrorCode; detail: string }>;
}

/**
 * An officer publishes or discards several drafts at once. Each goes through the same service
 * function as the single action (`publishProposal`, `discardProposal`), one after another, so every
 * rule and audit row is the same; one draft's refusal (a side full, the draft already decided) is
 * reported and the others still go. Duplicated ids count once.
 *
 * @throws 422 with no ids, more than `BULK_MAX_PROPOSALS`, or a discard without a reason; any
 * failure that is not a refusal (storage) stops the run and is thrown.
 */
export async function decideProposals(
  deps: ServiceDeps & { config: PartnershipConfig },
  input: BulkProposalInput,
): Promise<BulkProposalReport> {
  const ids = [...new Set(input.ids)];
  if (ids.length === 0) throw validationError([{ path: "ids", message: "Choose at least one draft." }]);
  if (ids.length > BULK_MAX_PROPOSALS) {
    throw validationError([{ path: "ids", message: `At most ${BULK_MAX_PROPOSALS} drafts at once.` }]);
  }
  const reason = input.reason?.trim();
  if (input.decision === "discard" && !reason) {
    throw validationError([{ path: "reason", message: "A reason is required to discard." }]);
  }
  const report: BulkProposalReport = { decision: input.decision, succeeded: [], failed: [] };
  for (const id of ids) {
    try {
      if (input.decision === "publish")
        await publishProposal(deps, { id, actor: input.actor, now: input.now });
      else await discardProposal(deps, { id, actor: input.actor, reason: reason ?? "", now: input.now });
      report.succeeded.push(id);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status >= 500 || err.status === 403) throw err;
      report.failed.push({ id, code: err.code, detail: err.detail ?? err.title });
    }
  }
  return report;
}
