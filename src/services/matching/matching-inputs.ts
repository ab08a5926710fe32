import type { BusinessRow, NewBusinessRow } from "../../../schema";

/**
 * The columns the matcher reads (analysis input, place, size, capacity, and whether a business is
 * matchable at all). Only a write that changes one of them moves the registry revision, writes the
 * change log and marks stored sets stale; any other edit (email, WhatsApp, language, NIB,
 * e-Katalog, notification settings) leaves the matcher and the stored suggestions as they are.
 * Stored sets show each candidate's public profile as it is now (a join on read), so a NIB or
 * e-Katalog edit is still seen at once.
 */
export const MATCHING_COLUMNS = [
  "name",
  "sector",
  "kbli",
  "sizeClass",
  "kelurahan",
  "kecamatan",
  "city",
  "regionCode",
  "lat",
  "lng",
  "offers",
  "needs",
  "maxPartners",
  "active",
  "status",
  "deletedAt",
] as const satisfies ReadonlyArray<keyof BusinessRow>;

/** Whether writing `set` over `current` changes any matching input. */
export function changesMatchingInputs(current: BusinessRow, set: Partial<NewBusinessRow>): boolean {
  return MATCHING_COLUMNS.some((k) => {
    const next = set[k];
    return next !== undefined && JSON.stringify(next) !== JSON.stringify(current[k]);
  });
}
