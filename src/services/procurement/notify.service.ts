import { and, eq, inArray, sql } from "drizzle-orm";
import { businesses, notificationOutbox, procurementNotices } from "../../../schema";
import { type AuditActor, partyRef } from "../../domain/party";
import { packageOpenTo } from "../../domain/procurement";
import { ApiError } from "../../errors";
import { newId } from "../../lib/ids";
import { auditInsert } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { notifyIf } from "../notifications/enqueue";
import { getPackage } from "./packages.service";

/** Most businesses one notice reaches at once (a D1 batch stays small). */
export const NOTIFY_MAX = 30;

/**
 * An officer tells matched UMKM about a package: each gets a notice (the package then shows under
 * "peluang pengadaan" on its page) and a `procurement_opportunity` email through the outbox, in
 * its language. A business already told about the package, not published and active, or to which
 * the package is not open (a reserved package and a medium or large business) is skipped.
 * @throws ApiError not_found (package); validation_failed when no business is chosen.
 */
export async function notifySuppliers(
  deps: ServiceDeps,
  input: { packageId: string; businessIds: string[]; actor: AuditActor; now: number },
): Promise<{ notified: number; skipped: number }> {
  const pkg = await getPackage(deps, input.packageId);
  const ids = [...new Set(input.businessIds)].slice(0, NOTIFY_MAX);
  if (ids.length === 0)
    throw new ApiError("validation_failed", "Choose at least one business.", {
      errors: [{ path: "business", message: "Choose at least one business." }],
    });
  const rows = await deps.db
    .select({ id: businesses.id, sizeClass: businesses.sizeClass })
    .from(businesses)
    .where(and(inArray(businesses.id, ids), eq(businesses.status, "published"), eq(businesses.active, true)))
    .all();
  const already = new Set(
    (
      await deps.db
        .select({ id: procurementNotices.businessId })
        .from(procurementNotices)
        .where(and(eq(procurementNotices.packageId, pkg.id), inArray(procurementNotices.businessId, ids)))
        .all()
    ).map((r) => r.id),
  );
  const targets = rows
    .filter((r) => !already.has(r.id) && packageOpenTo(pkg.pagu, r.sizeClass))
    .map((r) => r.id);
  if (targets.length === 0) return { notified: 0, skipped: ids.length };
  const audit = { entityType: "procurement_package", entityId: pkg.id, action: "notify" };
  const statements = [
    auditInsert(deps.db, {
      at: input.now,
      actor: input.actor,
      ...audit,
      fromState: null,
      toState: null,
      details: { businesses: targets.length },
    }),
    ...targets.map((b) =>
      deps.db
        .insert(procurementNotices)
        .values({
          id: newId("pnt_", input.now),
          packageId: pkg.id,
          businessId: b,
          notifiedBy: `${input.actor.kind}:${input.actor.id}`,
          createdAt: input.now,
        })
        .onConflictDoNothing(),
    ),
    ...targets.flatMap((b) =>
      notifyIf(
        deps.db,
        {
          kind: "procurement_opportunity",
          recipients: [partyRef("business", b)],
          subjectId: pkg.id,
          audit,
          now: input.now,
        },
        // Once per business and package, however often an officer presses the button.
        sql`not exists (select 1 from ${notificationOutbox} where ${notificationOutbox.kind} = 'procurement_opportunity'
          and ${notificationOutbox.subjectId} = ${pkg.id} and ${notificationOutbox.recipient} = ${partyRef("business", b)})`,
      ),
    ),
  ];
  const [first, ...rest] = statements;
  if (first) await deps.db.batch([first, ...rest]);
  return { notified: targets.length, skipped: ids.length - targets.length };
}
