import { and, asc, eq, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import {
  ekatalogRegistrationSteps,
  procurementNotices,
  procurementReadiness,
  procurementRealisations,
} from "../../../schema";
import type { Database } from "../../db";
import { iso } from "./access";

/** What the city's procurement records hold about one business. */
export interface ProcurementRecords {
  /** Packages an officer told it about. */
  notices: Array<{ packageId: string; notifiedBy: string; createdAt: string }>;
  /** Its readiness checklist: steps it ticked, and when it finished. */
  readiness: { done: string[]; completedAt: string | null; updatedAt: string } | null;
  /** Its assisted e-katalog registration: each stage an officer recorded, with date and note. */
  ekatalogRegistration: Array<{ stage: string; date: string; note: string | null; recordedBy: string }>;
  /** Realised purchases from it, as the city's file reports them, matched to it by NIB or name. */
  realisations: Array<{
    packageName: string;
    value: number;
    date: string;
    channel: string;
    matchedBy: string | null;
  }>;
}

/** The export's `procurement` section (UU 27/2022 right of access). */
export async function procurementRecords(db: Database, id: string): Promise<ProcurementRecords> {
  const [notices, readiness, realisations, registration] = await db.batch([
    db
      .select()
      .from(procurementNotices)
      .where(eq(procurementNotices.businessId, id))
      .orderBy(asc(procurementNotices.createdAt)),
    db.select().from(procurementReadiness).where(eq(procurementReadiness.businessId, id)),
    db
      .select()
      .from(procurementRealisations)
      .where(eq(procurementRealisations.businessId, id))
      .orderBy(asc(procurementRealisations.date)),
    db
      .select()
      .from(ekatalogRegistrationSteps)
      .where(eq(ekatalogRegistrationSteps.businessId, id))
      .orderBy(asc(ekatalogRegistrationSteps.date)),
  ]);
  const r = readiness[0];
  return {
    notices: notices.map((n) => ({
      packageId: n.packageId,
      notifiedBy: n.notifiedBy,
      createdAt: new Date(n.createdAt).toISOString(),
    })),
    readiness: r
      ? { done: r.done, completedAt: iso(r.completedAt), updatedAt: new Date(r.updatedAt).toISOString() }
      : null,
    ekatalogRegistration: registration.map((x) => ({
      stage: x.stage,
      date: x.date,
      note: x.note,
      recordedBy: x.recordedBy,
    })),
    realisations: realisations.map((x) => ({
      packageName: x.packageName,
      value: x.value,
      date: x.date,
      channel: x.channel,
      matchedBy: x.matchedBy,
    })),
  };
}

/**
 * Erasure: its notices, checklist and e-katalog registration stages go. Realised purchases are the city's own spending records
 * (imported from its file, needed for the 40% report), so they stay as the file gave them but lose
 * the link to the erased business. Conditional on `won`, like the erasure's other steps.
 */
export function eraseProcurementRecords(db: Database, id: string, won: SQL): BatchItem<"sqlite">[] {
  return [
    db.delete(procurementNotices).where(and(eq(procurementNotices.businessId, id), won)),
    db.delete(procurementReadiness).where(and(eq(procurementReadiness.businessId, id), won)),
    db.delete(ekatalogRegistrationSteps).where(and(eq(ekatalogRegistrationSteps.businessId, id), won)),
    db
      .update(procurementRealisations)
      .set({ businessId: null, matchedBy: null })
      .where(and(eq(procurementRealisations.businessId, id), won)),
  ];
}
