import { and, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { businesses, forumParticipants } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { validationError } from "../../errors";
import { auditInsert } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { assertOpen, forumAudit, loadForum } from "./forums.queries";

export interface InviteInput {
  forumId: string;
  actor: Principal;
  /** Businesses chosen one by one. */
  businessIds?: readonly string[];
  /** Or everyone matching all given filters (at least one). */
  filters?: { kecamatan?: string; sector?: "service" | "industry"; kbli?: string };
  now: number;
}

/** Most businesses one invitation run adds (the hall holds a few hundred). */
export const MAX_INVITES_PER_RUN = 500;

/**
 * An officer invites active, published businesses: chosen ones, or all that match the filters
 * (kecamatan, sector, a KBLI code or its prefix). Businesses already invited keep their answer.
 * @returns how many were newly invited.
 */
export async function inviteBusinesses(deps: ServiceDeps, input: InviteInput): Promise<{ invited: number }> {
  const forum = await loadForum(deps, input.forumId);
  assertOpen(forum);
  const where: SQL[] = [
    eq(businesses.active, true),
    eq(businesses.status, "published"),
    isNull(businesses.deletedAt),
  ];
  const f = input.filters ?? {};
  if (input.businessIds?.length) where.push(inArray(businesses.id, [...input.businessIds].slice(0, 90)));
  else {
    if (!f.kecamatan && !f.sector && !f.kbli)
      throw validationError([{ path: "filters", message: "Choose businesses or at least one filter." }]);
    if (f.kecamatan) where.push(sql`lower(${businesses.kecamatan}) = lower(${f.kecamatan})`);
    if (f.sector) where.push(eq(businesses.sector, f.sector));
    if (f.kbli && !/^\d{1,5}$/.test(f.kbli))
      throw validationError([{ path: "kbli", message: "A KBLI code or prefix: 1 to 5 digits." }]);
    if (f.kbli)
      where.push(
        sql`exists (select 1 from json_each(${businesses.kbli}) where json_extract(value, '$.code') like ${`${f.kbli.replace(/\D/g, "")}%`})`,
      );
  }
  const rows = await deps.db
    .select({ id: businesses.id })
    .from(businesses)
    .where(and(...where))
    .limit(MAX_INVITES_PER_RUN)
    .all();
  if (rows.length === 0) return { invited: 0 };
  const existing = new Set(
    (
      await deps.db
        .select({ id: forumParticipants.businessId })
        .from(forumParticipants)
        .where(eq(forumParticipants.forumId, forum.id))
        .all()
    ).map((r) => r.id),
  );
  const fresh = rows.filter((r) => !existing.has(r.id));
  if (fresh.length === 0) return { invited: 0 };
  // 9 columns a row: chunks of 10 rows stay under D1's 100 bound parameters.
  const inserts = [];
  for (let k = 0; k < fresh.length; k += 10) {
    inserts.push(
      deps.db
        .insert(forumParticipants)
        .values(
          fresh.slice(k, k + 10).map((r) => ({
            forumId: forum.id,
            businessId: r.id,
            status: "invited" as const,
            available: [],
            invitedAt: input.now,
          })),
        )
        .onConflictDoNothing(),
    );
  }
  const [first, ...rest] = inserts;
  if (!first) return { invited: 0 };
  await deps.db.batch([
    first,
    ...rest,
    auditInsert(deps.db, {
      ...forumAudit(forum.id, input),
      action: "invite",
      fromState: null,
      toState: null,
      details: { invited: fresh.length, filters: input.businessIds?.length ? null : f },
    }),
  ]);
  return { invited: fresh.length };
}
