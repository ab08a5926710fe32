/**
 * Data-subject rights under UU 27/2022 (Pelindungan Data Pribadi): a business sees everything held
 * about it (export) and may have its personal data erased (deletion request, confirmed by an
 * officer). Both are in the audit log.
 */

/**
 * Where each table's rows about a business go in the export. Every table of the database must be
 * here or in `TABLES_NOT_ABOUT_A_BUSINESS` (a test reads the live schema), so a new table that
 * references businesses cannot be forgotten by the export and the erasure.
 */
export const EXPORT_SECTIONS = {
  businesses: "business",
  api_keys: "apiKeys",
  sessions: "sessions",
  sign_in_tokens: "signInLinks",
  suggestions: "suggestions",
  suggestion_sets: "suggestions",
  matching_changes: "suggestions",
  partnerships: "partnerships",
  declined_pairs: "declinedPairs",
  deletion_requests: "deletionRequests",
  digest_outbox: "digests",
  digest_preferences: "digestPreferences",
  notification_outbox: "notifications",
  pairing_proposals: "pairingProposals",
  idempotency_keys: "idempotentRequests",
  forum_participants: "forums",
  forum_requests: "forums",
  forum_meetings: "forums",
  forum_ratings: "forums",
  procurement_notices: "procurement",
  procurement_readiness: "procurement",
  procurement_realisations: "procurement",
  ekatalog_registration_steps: "procurement",
  audit_log: "auditEntries",
} as const;

/** Tables that hold nothing about any one business, and why. */
export const TABLES_NOT_ABOUT_A_BUSINESS: Record<string, string> = {
  officers: "city officers (Access sign-in), not businesses",
  registry_meta: "registry-wide counters",
  recompute_runs: "batch recompute bookkeeping (counts, times)",
  recompute_chunks: "batch recompute bookkeeping (message numbers)",
  officer_sessions: "officers' console sessions (hashed ids, officer API keys, the officer), not businesses",
  d1_migrations: "applied migrations",
  procurement_buyers: "the city's offices (OPD) as buyers, with their contact; not businesses",
  procurement_packages: "the city's procurement plan (RUP packages), published by the city",
  forums: "a forum's day, venue and slots, made by officers (its participants are in forum_participants)",
};
