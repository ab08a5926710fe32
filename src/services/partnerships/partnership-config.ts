/** Limits from configuration (`MAX_OPEN_REQUESTS`, `REQUEST_EXPIRY_DAYS`). */
export interface PartnershipConfig {
  /** Unanswered outgoing requests a business may have at once. */
  maxOpenRequests: number;
  /** Days a request waits for an answer before `expireRequests` expires it. */
  requestExpiryDays: number;
}

export const DEFAULT_PARTNERSHIP_CONFIG: PartnershipConfig = { maxOpenRequests: 5, requestExpiryDays: 14 };

/** Reads a positive integer setting, falling back to the default when unset or malformed. */
export function parsePartnershipConfig(vars: {
  MAX_OPEN_REQUESTS?: string | undefined;
  REQUEST_EXPIRY_DAYS?: string | undefined;
}): PartnershipConfig {
  const positive = (v: string | undefined, fallback: number) => {
    const n = Number(v);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return {
    maxOpenRequests: positive(vars.MAX_OPEN_REQUESTS, DEFAULT_PARTNERSHIP_CONFIG.maxOpenRequests),
    requestExpiryDays: positive(vars.REQUEST_EXPIRY_DAYS, DEFAULT_PARTNERSHIP_CONFIG.requestExpiryDays),
  };
}
