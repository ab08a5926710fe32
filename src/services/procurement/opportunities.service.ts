import { desc, eq } from "drizzle-orm";
import { businesses, procurementBuyers, procurementNotices, procurementPackages } from "../../../schema";
import { packageOpenTo } from "../../domain/procurement";
import { ApiError } from "../../errors";
import type { ServiceDeps } from "../deps";

/** A package as a business sees it under "peluang pengadaan": no other business's data. */
export interface Opportunity {
  id: string;
  name: string;
  buyerName: string;
  /** The OPD's contact, for the business to ask about the package. */
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  pagu: number;
  method: string;
  type: string;
  plannedMonth: string;
  notifiedAt: number;
}

/**
 * The packages open to a business: an officer told it about them, and the package is open to its
 * size class (`packageOpenTo`). Newest notice first.
 */
export async function listOpportunities(
  deps: ServiceDeps,
  input: { businessId: string },
): Promise<Opportunity[]> {
  const rows = await deps.db
    .select({
      id: procurementPackages.id,
      name: procurementPackages.name,
      buyerName: procurementBuyers.name,
      contactName: procurementBuyers.contactName,
      contactEmail: procurementBuyers.contactEmail,
      contactPhone: procurementBuyers.contactPhone,
      pagu: procurementPackages.pagu,
      method: procurementPackages.method,
      type: procurementPackages.type,
      plannedMonth: procurementPackages.plannedMonth,
      notifiedAt: procurementNotices.createdAt,
      sizeClass: businesses.sizeClass,
    })
    .from(procurementNotices)
    .innerJoin(procurementPackages, eq(procurementPackages.id, procurementNotices.packageId))
    .innerJoin(procurementBuyers, eq(procurementBuyers.id, procurementPackages.buyerId))
    .innerJoin(businesses, eq(businesses.id, procurementNotices.businessId))
    .where(eq(procurementNotices.businessId, input.businessId))
    .orderBy(desc(procurementNotices.createdAt), desc(procurementNotices.id))
    .all();
  return rows.filter((r) => packageOpenTo(r.pagu, r.sizeClass)).map(({ sizeClass: _size, ...o }) => o);
}

/** One package open to the business. @throws ApiError not_found otherwise (no hint that it exists). */
export async function getOpportunity(
  deps: ServiceDeps,
  input: { businessId: string; packageId: string },
): Promise<Opportunity> {
  const all = await listOpportunities(deps, input);
  const found = all.find((o) => o.id === input.packageId);
  if (!found) throw new ApiError("not_found", "Package not found.");
  return found;
}
