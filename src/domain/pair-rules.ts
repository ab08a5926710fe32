import type { Sector } from "./business";

/**
 * "May these two businesses partner?", as one pure rule over facts read in one batch. A business's
 * own request, an officer's pairing and the publication of a proposed pairing all ask it; each
 * names a broken rule in its own words, and each repeats the race-prone part in its guarded insert.
 */

/** What the rules need of each side. */
export interface PairParty {
  sector: Sector;
  active: boolean;
  status: string;
}

export interface PairFacts {
  requesterId: string;
  partnerId: string;
  /** Undefined when no business has that id. */
  requester: PairParty | undefined;
  partner: PairParty | undefined;
  /** One side declined the pair ("tidak berminat") and no officer has reset it. */
  declined: boolean;
  /** The pair already has an open request or partnership, in either direction. */
  open: boolean;
  /** The requester's requests still waiting for an answer. */
  outgoing: number;
  /** Each side still has a place under its `maxPartners`. */
  requesterRoom: boolean;
  partnerRoom: boolean;
}

/** The rules, in the order they are checked (the first broken one is reported). */
export const PAIR_RULES = [
  "self",
  "requester_unknown",
  "partner_unknown",
  "requester_unavailable",
  "partner_unavailable",
  "same_sector",
  "declined",
  "open",
  "too_many_open_requests",
  "requester_full",
  "partner_full",
] as const;
export type PairRule = (typeof PAIR_RULES)[number];

/** A business takes partnerships (and is matched) while it is active and published. */
export function takesPartnerships(party: Pick<PairParty, "active" | "status">): boolean {
  return party.active && party.status === "published";
}

/**
 * The first rule the pair breaks, or null when the two may partner: two different, existing
 * businesses that take partnerships, one of each sector, not declined, with nothing open between
 * them, and room under both sides' `maxPartners`.
 *
 * @param limits.maxOpenRequests the requester's cap on unanswered requests when the new
 *   partnership starts as a request; null for an officer's pairing (active at once).
 */
export function brokenPairRule(
  facts: PairFacts,
  limits: { maxOpenRequests: number | null },
): PairRule | null {
  if (facts.requesterId === facts.partnerId) return "self";
  const { requester, partner } = facts;
  if (!requester) return "requester_unknown";
  if (!partner) return "partner_unknown";
  if (!takesPartnerships(requester)) return "requester_unavailable";
  if (!takesPartnerships(partner)) return "partner_unavailable";
  if (requester.sector === partner.sector) return "same_sector";
  if (facts.declined) return "declined";
  if (facts.open) return "open";
  if (limits.maxOpenRequests !== null && facts.outgoing >= limits.maxOpenRequests) {
    return "too_many_open_requests";
  }
  if (!facts.requesterRoom) return "requester_full";
  if (!facts.partnerRoom) return "partner_full";
  return null;
}
