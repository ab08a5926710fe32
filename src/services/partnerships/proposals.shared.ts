import type { StoredComponents } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { type AuditActor, parseActorRef } from "../../domain/party";
import { ApiError, notFound } from "../../errors";
import type { PartnershipPattern } from "../../matching";
import type { ServiceDeps } from "../deps";
import { type ProposalStatus, type ProposalWithParties, selectProposalById } from "./proposals.queries";

// ---------------------------------------------------------------------------------------------
// The officers' review queue
// ---------------------------------------------------------------------------------------------

export interface ProposalParty {
  id: string;
  name: string;
  kecamatan: string | null;
  kelurahan: string | null;
  city: string;
  maxPartners: number;
}

/** A draft (or decided) proposal as officers see it. Times are ISO 8601. */
export interface Proposal {
  id: string;
  period: string;
  status: ProposalStatus;
  score: number;
  components: StoredComponents;
  reasons: { id: string[]; en: string[] };
  reasonsFor: "service" | "industry";
  pattern: PartnershipPattern;
  service: ProposalParty;
  industry: ProposalParty;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: AuditActor | null;
  discardReason: string | null;
  partnershipId: string | null;
}

export function toProposal(r: ProposalWithParties): Proposal {
  return {
    id: r.row.id,
    period: r.row.period,
    status: r.row.status,
    score: r.row.score,
    components: r.row.components,
    reasons: { id: r.row.reasonsId, en: r.row.reasonsEn },
    reasonsFor: r.row.reasonsFor,
    pattern: r.row.pattern as PartnershipPattern,
    service: r.service,
    industry: r.industry,
    createdAt: new Date(r.row.createdAt).toISOString(),
    decidedAt: r.row.decidedAt === null ? null : new Date(r.row.decidedAt).toISOString(),
    decidedBy: parseActorRef(r.row.decidedBy),
    discardReason: r.row.discardReason,
    partnershipId: r.row.partnershipId,
  };
}

export function onlyOfficer(actor: Principal): void {
  if (actor.kind !== "officer") throw new ApiError("forbidden", "Officers only.");
}

export async function loadProposal(deps: ServiceDeps, id: string): Promise<ProposalWithParties> {
  const found = await selectProposalById(deps.db, id).get();
  if (!found) throw notFound("Proposal");
  return found;
}

export function assertDraft(row: ProposalWithParties["row"], action: "published" | "discarded"): void {
  if (row.status !== "draft") {
    throw new ApiError("invalid_state", `The proposal is ${row.status}; it cannot be ${action} now.`);
  }
}
