import type { Principal } from "../../auth/principal";
import { notFound, validationError } from "../../errors";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import type { ServiceDeps } from "../deps";
import { type PartnershipFilters, selectPartnershipPage } from "./partnerships.queries";
import { loadVisible, type Partnership, toPartnership } from "./partnerships.shared";

export async function getPartnership(
  deps: ServiceDeps,
  input: { id: string; viewer: Principal },
): Promise<Partnership> {
  return toPartnership(await loadVisible(deps, input.id, input.viewer), input.viewer);
}

export interface ListPartnershipsInput {
  viewer: Principal;
  filters: PartnershipFilters;
  limit: number;
  cursor?: string | undefined;
}

/** Keyset-paginated list in creation order. A business lists only partnerships it is a side of. */
export async function listPartnerships(
  deps: ServiceDeps,
  input: ListPartnershipsInput,
): Promise<{ items: Partnership[]; nextCursor: string | null }> {
  const filters = { ...input.filters };
  if (input.viewer.kind === "business") {
    if (filters.businessId !== undefined && filters.businessId !== input.viewer.businessId) {
      throw notFound("Business");
    }
    filters.businessId = input.viewer.businessId;
  }
  let after: string | null = null;
  if (input.cursor !== undefined) {
    after = decodeCursor(input.cursor);
    if (after === null)
      throw validationError([{ path: "cursor", message: "Invalid cursor." }], "Invalid request query.");
  }
  const rows = await selectPartnershipPage(deps.db, filters, after, input.limit).all();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => toPartnership(r, input.viewer)),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.row.id) : null,
  };
}
