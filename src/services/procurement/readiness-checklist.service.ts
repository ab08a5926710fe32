import { desc, eq, sql } from "drizzle-orm";
import { businesses, procurementReadiness } from "../../../schema";
import { READINESS_STEPS } from "../../domain/procurement";
import type { ServiceDeps } from "../deps";

/**
 * The readiness programme: a UMKM one step from supplying the city ticks the steps of
 * data/procurement/readiness-steps.json (NIB, NPWP, SPSE account, product list, e-katalog listing);
 * officers see who is where and who completed it. Ticking is the owner's own statement; an
 * officer still checks the listing before setting "listed in the e-katalog" on the profile.
 */

export interface Checklist {
  done: string[];
  completedAt: number | null;
}

export async function getChecklist(deps: ServiceDeps, input: { businessId: string }): Promise<Checklist> {
  const row = await deps.db
    .select({ done: procurementReadiness.done, completedAt: procurementReadiness.completedAt })
    .from(procurementReadiness)
    .where(eq(procurementReadiness.businessId, input.businessId))
    .get();
  return row ?? { done: [], completedAt: null };
}

/**
 * Saves which steps the business has done (unknown ids dropped). `completedAt` is set the first
 * time every step is ticked and cleared when one is unticked.
 */
export async function saveChecklist(
  deps: ServiceDeps,
  input: { businessId: string; done: string[]; now: number },
): Promise<Checklist> {
  const known = new Set(READINESS_STEPS.map((s) => s.id));
  const done = [...new Set(input.done.filter((d) => known.has(d)))].sort();
  const complete = done.length === known.size;
  await deps.db
    .insert(procurementReadiness)
    .values({
      businessId: input.businessId,
      done,
      completedAt: complete ? input.now : null,
      updatedAt: input.now,
    })
    .onConflictDoUpdate({
      target: procurementReadiness.businessId,
      set: {
        done,
        completedAt: complete ? sql`coalesce(${procurementReadiness.completedAt}, ${input.now})` : null,
        updatedAt: input.now,
      },
    });
  return getChecklist(deps, input);
}

export interface ChecklistProgress {
  businessId: string;
  name: string;
  kecamatan: string | null;
  nib: string | null;
  ekatalogListed: boolean;
  done: number;
  steps: number;
  completedAt: number | null;
  updatedAt: number;
}

/** Every business that started the checklist, completed ones first, then the most recent. */
export async function listChecklistProgress(deps: ServiceDeps): Promise<ChecklistProgress[]> {
  const rows = await deps.db
    .select({
      businessId: procurementReadiness.businessId,
      name: businesses.name,
      kecamatan: businesses.kecamatan,
      nib: businesses.nib,
      ekatalogListed: businesses.ekatalogListed,
      done: procurementReadiness.done,
      completedAt: procurementReadiness.completedAt,
      updatedAt: procurementReadiness.updatedAt,
    })
    .from(procurementReadiness)
    .innerJoin(businesses, eq(businesses.id, procurementReadiness.businessId))
    .where(sql`${businesses.deletedAt} is null`)
    .orderBy(sql`${procurementReadiness.completedAt} is null`, desc(procurementReadiness.updatedAt))
    .limit(500)
    .all();
  return rows.map((r) => ({ ...r, done: r.done.length, steps: READINESS_STEPS.length }));
}
