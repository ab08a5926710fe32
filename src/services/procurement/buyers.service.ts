import { asc, inArray } from "drizzle-orm";
import { z } from "zod";
import { type ProcurementBuyerRow, procurementBuyers } from "../../../schema";
import type { AuditActor } from "../../domain/party";
import { normalizeKey } from "../../domain/procurement";
import { validationError } from "../../errors";
import { newId } from "../../lib/ids";
import { auditInsert } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";

/** The city's offices as buyers (OPD), each with a contact: officers register and import them. */

export const BuyerInputSchema = z.object({
  name: z.string().trim().min(3).max(160),
  contactName: z
    .string()
    .trim()
    .max(120)
    .optional()
    .transform((v) => v || null),
  contactEmail: z
    .string()
    .trim()
    .max(254)
    .optional()
    .transform((v) => v || null)
    .pipe(z.email().nullable()),
  contactPhone: z
    .string()
    .trim()
    .max(32)
    .optional()
    .transform((v) => v || null)
    .pipe(
      z
        .string()
        .regex(/^\+?[0-9 ()-]{6,32}$/)
        .nullable(),
    ),
});
export type BuyerInput = z.input<typeof BuyerInputSchema>;

export async function listBuyers(deps: ServiceDeps): Promise<ProcurementBuyerRow[]> {
  return deps.db.select().from(procurementBuyers).orderBy(asc(procurementBuyers.name)).all();
}

/**
 * Registers an OPD, or updates its contact when one of that name exists (names compare by
 * `normalizeKey`). Returns the row.
 * @throws ApiError validation_failed naming each bad field.
 */
export async function saveBuyer(
  deps: ServiceDeps,
  input: { buyer: BuyerInput; actor: AuditActor; now: number },
): Promise<ProcurementBuyerRow> {
  const parsed = BuyerInputSchema.safeParse(input.buyer);
  if (!parsed.success)
    throw validationError(parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  const b = parsed.data;
  const row = {
    id: newId("opd_", input.now),
    name: b.name,
    nameKey: normalizeKey(b.name),
    contactName: b.contactName,
    contactEmail: b.contactEmail,
    contactPhone: b.contactPhone,
    createdAt: input.now,
    updatedAt: input.now,
  };
  const [saved] = await deps.db.batch([
    deps.db
      .insert(procurementBuyers)
      .values(row)
      .onConflictDoUpdate({
        target: procurementBuyers.nameKey,
        set: {
          name: row.name,
          contactName: row.contactName,
          contactEmail: row.contactEmail,
          contactPhone: row.contactPhone,
          updatedAt: input.now,
        },
      })
      .returning(),
    auditInsert(deps.db, {
      at: input.now,
      actor: input.actor,
      entityType: "procurement_buyer",
      entityId: row.nameKey,
      action: "save",
      fromState: null,
      toState: null,
      details: { name: row.name },
    }),
  ]);
  const out = saved[0];
  if (!out) throw new Error("buyer upsert returned no row");
  return out;
}

/**
 * The buyer ids of these OPD names, registering the ones not seen before (without a contact; an
 * officer adds it). Used by the imports, which name OPD by their SiRUP "Satuan Kerja".
 */
export async function buyerIdsByName(
  deps: ServiceDeps,
  names: Iterable<string>,
  now: number,
): Promise<{ ids: Map<string, string>; created: number }> {
  const byKey = new Map<string, string>();
  for (const n of names) if (normalizeKey(n)) byKey.set(normalizeKey(n), n.trim());
  const keys = [...byKey.keys()];
  const ids = new Map<string, string>();
  const load = async () => {
    for (let i = 0; i < keys.length; i += 90) {
      const rows = await deps.db
        .select({ id: procurementBuyers.id, nameKey: procurementBuyers.nameKey })
        .from(procurementBuyers)
        .where(inArray(procurementBuyers.nameKey, keys.slice(i, i + 90)))
        .all();
      for (const r of rows) ids.set(r.nameKey, r.id);
    }
  };
  await load();
  const missing = keys.filter((k) => !ids.has(k));
  for (let i = 0; i < missing.length; i += 10) {
    await deps.db
      .insert(procurementBuyers)
      .values(
        missing.slice(i, i + 10).map((k) => ({
          id: newId("opd_", now),
          name: byKey.get(k) ?? k,
          nameKey: k,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .onConflictDoNothing();
  }
  if (missing.length > 0) await load();
  return { ids, created: missing.length };
}
