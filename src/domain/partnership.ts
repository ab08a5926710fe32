/**
 * How an ended partnership went, as either side or an officer records it when ending it: the
 * engine's learning signal. Listed from the best outcome down, the order forms offer them in.
 */
export const PARTNERSHIP_OUTCOMES = [
  "cooperation_started",
  "useful_no_cooperation",
  "insufficient_interest",
  "did_not_take_place",
] as const;
export type PartnershipOutcome = (typeof PARTNERSHIP_OUTCOMES)[number];
