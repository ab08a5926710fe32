import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { businesses, partnerships } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { ApiError } from "../../errors";
import { type PublicProfile, toPublicProfile } from "../businesses/businesses.views";
import type { ServiceDeps } from "../deps";

/**
 * The public profiles (what they offer and need, sector, kelurahan, size) of the businesses a
 * business has requests or partnerships with, so the owner sees who asks before answering. Ids
 * the viewer shares no request or partnership with are left out; erased businesses too.
 *
 * @throws 403 for a caller that is not a business.
 */
export async function partnerProfiles(
  deps: ServiceDeps,
  input: { viewer: Principal; ids: readonly string[] },
): Promise<Map<string, PublicProfile>> {
  const { viewer } = input;
  if (viewer.kind !== "business") throw new ApiError("forbidden", "A business's own counterparts only.");
  const ids = [...new Set(input.ids)].filter((id) => id !== viewer.businessId).slice(0, 90);
  if (ids.length === 0) return new Map();
  const me = viewer.businessId;
  const rows = await deps.db
    .select()
    .from(businesses)
    .where(
      and(
        inArray(businesses.id, ids),
        isNull(businesses.deletedAt),
        sql`exists (select 1 from ${partnerships} p where ${or(
          and(eq(sql`p.requester_id`, me), eq(sql`p.partner_id`, businesses.id)),
          and(eq(sql`p.partner_id`, me), eq(sql`p.requester_id`, businesses.id)),
        )})`,
      ),
    );
  return new Map(rows.map((r) => [r.id, toPublicProfile(r)]));
}
