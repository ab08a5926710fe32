import type { PartnershipRow, StoredTerms } from "../../../schema";
import type { Principal } from "../../auth/principal";
import type { PartnershipOutcome } from "../../domain/partnership";
import { type AuditActor, parseActorRef } from "../../domain/party";
import { ApiError, notFound } from "../../errors";
import type { PartnershipPattern } from "../../matching";
import type { ServiceDeps } from "../deps";
import {
  type PartnershipStatus,
  type PartnershipWithParties,
  partnershipByIdQuery,
} from "./partnerships.queries";

export interface Party {
  id: string;
  name: string;
  sector: "service" | "industry";
  /**
   * The other side's contact: null for a business caller until both sides have accepted. `whatsapp`
   * is E.164 or null when the business gave none.
   */
  contact: { email: string; whatsapp: string | null } | null;
}

/** A partnership request or partnership as the API shows it. Times are ISO 8601. */
export interface Partnership {
  id: string;
  status: PartnershipStatus;
  origin: PartnershipRow["origin"];
  pattern: PartnershipPattern;
  message: string;
  terms: StoredTerms | null;
  requester: Party;
  partner: Party;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
  answeredAt: string | null;
  decidedAt: string | null;
  rejectionReason: string | null;
  endedAt: string | null;
  endedBy: AuditActor | null;
  outcome: PartnershipOutcome | null;
  outcomeNote: string | null;
}

/** Statuses in which a business sees the other side's contact details: both sides said yes. */
const CONTACT_VISIBLE: readonly PartnershipStatus[] = ["accepted", "active", "ended"];

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toPartnership(r: PartnershipWithParties, viewer: Principal): Partnership {
  const showContact = viewer.kind === "officer" || CONTACT_VISIBLE.includes(r.row.status);
  const party = (p: PartnershipWithParties["requester"]): Party => ({
    id: p.id,
    name: p.name,
    sector: p.sector,
    // A business always knows its own email and WhatsApp; the other side's only once both accepted.
    contact:
      showContact || (viewer.kind === "business" && viewer.businessId === p.id)
        ? { email: p.email, whatsapp: p.whatsapp }
        : null,
  });
  return {
    id: r.row.id,
    status: r.row.status,
    origin: r.row.origin,
    pattern: r.row.pattern as PartnershipPattern,
    message: r.row.message,
    terms: r.row.terms ?? null,
    requester: party(r.requester),
    partner: party(r.partner),
    createdAt: new Date(r.row.createdAt).toISOString(),
    updatedAt: new Date(r.row.updatedAt).toISOString(),
    expiresAt: iso(r.row.expiresAt),
    answeredAt: iso(r.row.answeredAt),
    decidedAt: iso(r.row.decidedAt),
    rejectionReason: r.row.rejectionReason,
    endedAt: iso(r.row.endedAt),
    endedBy: parseActorRef(r.row.endedBy),
    outcome: r.row.outcome,
    outcomeNote: r.row.outcomeNote,
  };
}

export function forbidden(detail: string): ApiError {
  return new ApiError("forbidden", detail);
}

function isParty(viewer: Principal, r: PartnershipRow): boolean {
  return (
    viewer.kind === "business" && (viewer.businessId === r.requesterId || viewer.businessId === r.partnerId)
  );
}

/** Loads a partnership the caller may see: officers see all, a business only its own (else 404). */
export async function loadVisible(
  deps: ServiceDeps,
  id: string,
  viewer: Principal,
): Promise<PartnershipWithParties> {
  const found = await partnershipByIdQuery(deps.db).get({ id });
  if (!found || (viewer.kind === "business" && !isParty(viewer, found.row))) throw notFound("Partnership");
  return found;
}

export function capacityReached(side: "requester" | "partner" | "either"): ApiError {
  const who = side === "either" ? "One side" : side === "requester" ? "The requester" : "The partner";
  return new ApiError("capacity_reached", `${who} already has as many partners as its maxPartners.`);
}
