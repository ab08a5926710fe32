import type { Principal } from "../../auth/principal";
import { validationError } from "../../errors";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import type { ServiceDeps } from "../deps";
import { type ProposalStatus, selectProposalPage } from "./proposals.queries";
import { loadProposal, onlyOfficer, type Proposal, toProposal } from "./proposals.shared";

export async function getProposal(
  deps: ServiceDeps,
  input: { id: string; actor: Principal },
): Promise<Proposal> {
  onlyOfficer(input.actor);
  return toProposal(await loadProposal(deps, input.id));
}

/** Keyset-paginated review queue in creation order; `status` defaults to `draft` at the route. */
export async function listProposals(
  deps: ServiceDeps,
  input: {
    actor: Principal;
    status?: ProposalStatus | undefined;
    period?: string | undefined;
    /** Either side's kecamatan. */
    kecamatan?: string | undefined;
    /** Only proposals scoring at least this (0-1). */
    minScore?: number | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<{ items: Proposal[]; nextCursor: string | null }> {
  onlyOfficer(input.actor);
  let after: string | null = null;
  if (input.cursor !== undefined) {
    after = decodeCursor(input.cursor);
    if (after === null)
      throw validationError([{ path: "cursor", message: "Invalid cursor." }], "Invalid request query.");
  }
  const rows = await selectProposalPage(
    deps.db,
    { status: input.status, period: input.period, kecamatan: input.kecamatan, minScore: input.minScore },
    after,
    input.limit,
  ).all();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toProposal),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.row.id) : null,
  };
}
