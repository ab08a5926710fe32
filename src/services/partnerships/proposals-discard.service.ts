import { and, eq } from "drizzle-orm";
import { pairingProposals } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { actorRef } from "../../domain/party";
import { ApiError } from "../../errors";
import { randomToken } from "../../lib/ids";
import { actorOf, auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { proposalHasRevision } from "./proposals.queries";
import { assertDraft, loadProposal, onlyOfficer, type Proposal, toProposal } from "./proposals.shared";

/** An officer discards a draft with a reason; the pair is not proposed again. */
export async function discardProposal(
  deps: ServiceDeps,
  input: { id: string; actor: Principal; reason: string; now: number },
): Promise<Proposal> {
  const { actor, now } = input;
  onlyOfficer(actor);
  const loaded = await loadProposal(deps, input.id);
  const row = loaded.row;
  assertDraft(row, "discarded");
  const revision = randomToken(16);
  const by = actorRef(actorOf(actor));
  const [updated] = await deps.db.batch([
    deps.db
      .update(pairingProposals)
      .set({
        status: "discarded",
        revision,
        discardReason: input.reason,
        decidedAt: now,
        decidedBy: by,
        updatedAt: now,
      })
      .where(
        and(
          eq(pairingProposals.id, row.id),
          eq(pairingProposals.status, "draft"),
          eq(pairingProposals.revision, row.revision),
        ),
      )
      .returning({ id: pairingProposals.id }),
    auditInsertIf(
      deps.db,
      {
        at: now,
        actor: actorOf(actor),
        entityType: "pairing_proposal",
        entityId: row.id,
        action: "discard",
        fromState: "draft",
        toState: "discarded",
        details: { reason: input.reason },
      },
      proposalHasRevision(row.id, revision),
    ),
  ]);
  if (updated.length === 0) {
    throw new ApiError("state_changed", "The proposal changed meanwhile; reload it.");
  }
  return toProposal(await loadProposal(deps, row.id));
}
