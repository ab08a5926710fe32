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

/**
 * The outcomes that say the cooperation went ahead. Of the four, only "kerja sama dimulai" does:
 * "useful, no cooperation", "insufficient interest" and "did not take place" all say it did not.
 */
export const STARTED_OUTCOMES = ["cooperation_started"] as const satisfies readonly PartnershipOutcome[];

/**
 * A partnership counts as started when an officer approved it (or created it) and it runs now
 * (`active`), or when it ended with an outcome in `STARTED_OUTCOMES`. An approved partnership that
 * ended saying it never got going does not count, nor does anything never approved. The dashboard
 * and the laporan count by this rule (their SQL is built from `STARTED_OUTCOMES`).
 */
export function isPartnershipStarted(p: { status: string; outcome: string | null }): boolean {
  if (p.status === "active") return true;
  return p.status === "ended" && (STARTED_OUTCOMES as readonly string[]).includes(p.outcome ?? "");
}
