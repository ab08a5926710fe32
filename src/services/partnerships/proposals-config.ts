import { isoWeekKey } from "../../domain/calendar";
import { type AssignConfig, DEFAULT_ASSIGN_CONFIG } from "../../matching";

/**
 * The ISO 8601 week of `now` in Asia/Jakarta, e.g. "2026-W48": the period a run's drafts belong
 * to. A Monday 07:00 WIB run and a rerun on Sunday night fall in the same week.
 */
export function proposalPeriod(now: number): string {
  return isoWeekKey(now);
}

/**
 * Which pairs the weekly drafts may hold: `city` (the default) only pairs with at least one
 * business inside Kota Mojokerto, the city office's remit; `all` any pair of the registry.
 */
export const PROPOSAL_SCOPES = ["city", "all"] as const;

export type ProposalScope = (typeof PROPOSAL_SCOPES)[number];

/**
 * Settings of the proposals job (`PROPOSAL_EXPOSURE_CAP`, `PROPOSAL_MIN_SCORE`,
 * `PROPOSALS_SCOPE`).
 */
export type ProposalConfig = Pick<AssignConfig, "exposureCap" | "minScore"> & { scope: ProposalScope };

/** Reads the job's settings, falling back to the defaults when unset or malformed. */
export function parseProposalConfig(vars: {
  PROPOSAL_EXPOSURE_CAP?: string | undefined;
  PROPOSAL_MIN_SCORE?: string | undefined;
  PROPOSALS_SCOPE?: string | undefined;
}): ProposalConfig {
  const scope = vars.PROPOSALS_SCOPE?.trim().toLowerCase();
  const cap = Number(vars.PROPOSAL_EXPOSURE_CAP);
  const min = Number(vars.PROPOSAL_MIN_SCORE);
  return {
    exposureCap:
      vars.PROPOSAL_EXPOSURE_CAP && Number.isInteger(cap) && cap >= 0
        ? cap
        : DEFAULT_ASSIGN_CONFIG.exposureCap,
    minScore:
      vars.PROPOSAL_MIN_SCORE && Number.isFinite(min) && min >= 0 && min <= 1
        ? min
        : DEFAULT_ASSIGN_CONFIG.minScore,
    scope: scope === "all" ? "all" : "city",
  };
}
