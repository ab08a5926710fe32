import { and, asc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { businesses, ekatalogRegistrationSteps } from "../../../schema";
import {
  EKATALOG_STAGES,
  type EkatalogStage,
  furthestStage,
  LISTED_STAGE,
} from "../../domain/ekatalog-pipeline";
import type { AuditActor } from "../../domain/party";
import { notFound, validationError } from "../../errors";
import { newId } from "../../lib/ids";
import { auditInsert } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";

/**
 * The assisted e-katalog registration as a tracked pipeline (docs/PROCUREMENT.md): officers
 * record each stage a UMKM reaches (data/procurement/ekatalog-pipeline.json) with its date and a
 * note; reaching "tayang" lists the business in the e-katalog on its profile. Every record is an
 * audit row; the owner sees its own pipeline on /ui/me/pengadaan.
 */

const isRealDate = (v: string) => {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
};

export const StageInputSchema = z.object({
  stage: z.enum(EKATALOG_STAGES, { error: "Choose a stage." }),
  date: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Use a date as YYYY-MM-DD." })
    .refine(isRealDate, { error: "Use a real date." }),
  note: z
    .string()
    .trim()
    .max(500)
    .optional()
    .transform((v) => v || null),
  /** The listing's address, when the stage is "tayang" (kept on the profile). */
  url: z
    .string()
    .trim()
    .max(500)
    .optional()
    .transform((v) => v || null)
    .pipe(z.url({ protocol: /^https?$/, error: "Use an http(s) address." }).nullable()),
});
/** A stage as a form or the API sends it (checked by {@link StageInputSchema}). */
export type StageInput = { [K in keyof z.input<typeof StageInputSchema>]?: string | undefined };

export interface PipelineStep {
  stage: EkatalogStage;
  /** "YYYY-MM-DD", or null when not recorded. */
  date: string | null;
  note: string | null;
}

export interface Pipeline {
  businessId: string;
  name: string;
  ekatalogListed: boolean;
  /** The furthest stage recorded, or null. */
  current: EkatalogStage | null;
  /** Every stage in order, recorded or not. */
  steps: PipelineStep[];
}

async function businessOf(deps: ServiceDeps, id: string) {
  const row = await deps.db
    .select({ id: businesses.id, name: businesses.name, ekatalogListed: businesses.ekatalogListed })
    .from(businesses)
    .where(and(eq(businesses.id, id), isNull(businesses.deletedAt)))
    .get();
  if (!row) throw notFound("Business");
  return row;
}

/** The business an officer means by its id or its NIB (13 digits), or null. */
export async function findPipelineBusiness(deps: ServiceDeps, input: { q: string }): Promise<string | null> {
  const q = input.q.trim();
  if (!q) return null;
  const row = await deps.db
    .select({ id: businesses.id })
    .from(businesses)
    .where(
      and(/^\d{13}$/.test(q) ? eq(businesses.nib, q) : eq(businesses.id, q), isNull(businesses.deletedAt)),
    )
    .get();
  return row?.id ?? null;
}

/** One business's pipeline. @throws ApiError not_found for an unknown or erased business. */
export async function getPipeline(deps: ServiceDeps, input: { businessId: string }): Promise<Pipeline> {
  const b = await businessOf(deps, input.businessId);
  const rows = await deps.db
    .select()
    .from(ekatalogRegistrationSteps)
    .where(eq(ekatalogRegistrationSteps.businessId, b.id))
    .all();
  const byStage = new Map(rows.map((r) => [r.stage, r]));
  return {
    businessId: b.id,
    name: b.name,
    ekatalogListed: b.ekatalogListed,
    current: furthestStage(byStage.keys()),
    steps: EKATALOG_STAGES.map((stage) => ({
      stage,
      date: byStage.get(stage)?.date ?? null,
      note: byStage.get(stage)?.note ?? null,
    })),
  };
}

/**
 * Records (or re-dates) one stage. "tayang" also lists the business in the e-katalog (and keeps
 * the listing's address when given), in the same batch, with its own audit row.
 * @throws ApiError validation_failed naming each bad field; not_found for an unknown business.
 */
export async function recordStage(
  deps: ServiceDeps,
  input: { businessId: string; step: StageInput; actor: AuditActor; now: number },
): Promise<Pipeline> {
  const parsed = StageInputSchema.safeParse(input.step);
  if (!parsed.success)
    throw validationError(parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  const step = parsed.data;
  const before = await getPipeline(deps, { businessId: input.businessId });
  const db = deps.db;
  const upsert = db
    .insert(ekatalogRegistrationSteps)
    .values({
      id: newId("ekr_", input.now),
      businessId: before.businessId,
      stage: step.stage,
      date: step.date,
      note: step.note,
      recordedBy: input.actor.id,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .onConflictDoUpdate({
      target: [ekatalogRegistrationSteps.businessId, ekatalogRegistrationSteps.stage],
      set: { date: step.date, note: step.note, recordedBy: input.actor.id, updatedAt: input.now },
    });
  const audit = auditInsert(db, {
    at: input.now,
    actor: input.actor,
    entityType: "business",
    entityId: before.businessId,
    action: "ekatalog_stage",
    fromState: before.current,
    toState: furthestStage([step.stage, ...(before.current ? [before.current] : [])]),
    details: { stage: step.stage, date: step.date, ...(step.note ? { note: step.note } : {}) },
  });
  if (step.stage === LISTED_STAGE && (!before.ekatalogListed || step.url)) {
    await db.batch([
      upsert,
      audit,
      db
        .update(businesses)
        .set({
          ekatalogListed: true,
          ...(step.url ? { ekatalogUrl: step.url } : {}),
          updatedAt: input.now,
        })
        .where(eq(businesses.id, before.businessId)),
      auditInsert(db, {
        at: input.now,
        actor: input.actor,
        entityType: "business",
        entityId: before.businessId,
        action: "ekatalog_listed",
        fromState: before.ekatalogListed ? "listed" : "not_listed",
        toState: "listed",
        details: { via: "ekatalog_pipeline", ...(step.url ? { url: step.url } : {}) },
      }),
    ]);
  } else {
    await db.batch([upsert, audit]);
  }
  return getPipeline(deps, { businessId: before.businessId });
}

export interface PipelineEntry {
  businessId: string;
  name: string;
  kecamatan: string | null;
  /** When it reached its current stage. */
  date: string;
  note: string | null;
  ekatalogListed: boolean;
}

/** Businesses by the stage they are at (their furthest recorded), most recent first within one. */
export async function pipelineBoard(deps: ServiceDeps): Promise<Record<EkatalogStage, PipelineEntry[]>> {
  const rows = await deps.db
    .select({
      businessId: ekatalogRegistrationSteps.businessId,
      stage: ekatalogRegistrationSteps.stage,
      date: ekatalogRegistrationSteps.date,
      note: ekatalogRegistrationSteps.note,
      name: businesses.name,
      kecamatan: businesses.kecamatan,
      ekatalogListed: businesses.ekatalogListed,
    })
    .from(ekatalogRegistrationSteps)
    .innerJoin(businesses, eq(businesses.id, ekatalogRegistrationSteps.businessId))
    .where(isNull(businesses.deletedAt))
    .orderBy(asc(ekatalogRegistrationSteps.businessId))
    .limit(4000)
    .all();
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const prev = latest.get(r.businessId);
    if (!prev || EKATALOG_STAGES.indexOf(r.stage) > EKATALOG_STAGES.indexOf(prev.stage))
      latest.set(r.businessId, r);
  }
  const board = Object.fromEntries(EKATALOG_STAGES.map((s) => [s, [] as PipelineEntry[]])) as Record<
    EkatalogStage,
    PipelineEntry[]
  >;
  for (const r of latest.values())
    board[r.stage].push({
      businessId: r.businessId,
      name: r.name,
      kecamatan: r.kecamatan,
      date: r.date,
      note: r.note,
      ekatalogListed: r.ekatalogListed,
    });
  for (const list of Object.values(board))
    list.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.name.localeCompare(b.name)));
  return board;
}
