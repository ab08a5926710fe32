import { and, eq, inArray } from "drizzle-orm";
import { businesses, type ForumRow, forumParticipants, forums } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { ApiError, notFound } from "../../errors";
import { actorOf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";

/** The forum, or 404. */
export async function loadForum(deps: ServiceDeps, forumId: string): Promise<ForumRow> {
  const row = await deps.db.select().from(forums).where(eq(forums.id, forumId)).get();
  if (!row) throw notFound("Forum");
  return row;
}

/**
 * What every forum audit row starts with: when, who, the forum (the action, states and details
 * follow). Spread into the row: `{ ...forumAudit(forum.id, input), action: "close", ... }`.
 */
export function forumAudit(forumId: string, input: { now: number; actor: Principal }) {
  return { at: input.now, actor: actorOf(input.actor), entityType: "forum", entityId: forumId };
}

/** Refuses changes owners make before the schedule once the forum is closed. */
export function assertOpen(forum: ForumRow): void {
  if (forum.status === "closed") throw forumOver();
}

/** The refusal of a change to a closed forum (`assertOpen`, or a batch that found it closed). */
export function forumOver(): ApiError {
  return new ApiError("forum_not_open", "The forum is over.");
}

/** The business a principal acts as, or 403 for an officer acting as a participant. */
export function businessOf(actor: Principal): string {
  if (actor.kind !== "business") throw new ApiError("forbidden", "Only a business takes part in a forum.");
  return actor.businessId;
}

/** The participant's row, or 403 when the business was not invited. */
export async function loadParticipant(deps: ServiceDeps, forumId: string, businessId: string) {
  const row = await deps.db
    .select()
    .from(forumParticipants)
    .where(and(eq(forumParticipants.forumId, forumId), eq(forumParticipants.businessId, businessId)))
    .get();
  if (!row) throw new ApiError("not_a_participant", "The business is not invited to this forum.");
  return row;
}

/** Whether the participant attends (confirmed, checked in or not; not a no-show). */
export function attends(status: string): boolean {
  return status === "confirmed";
}

/** What the forum pages show of a participant business. */
export interface ParticipantProfile {
  name: string;
  sector: "service" | "industry";
  kecamatan: string | null;
  offers: string;
  needs: string;
}

/** Participants' profiles by id, read in chunks under D1's 100 bound parameters. */
export async function participantProfiles(
  deps: ServiceDeps,
  ids: readonly string[],
): Promise<Map<string, ParticipantProfile>> {
  const out = new Map<string, ParticipantProfile>();
  const unique = [...new Set(ids)];
  for (let k = 0; k < unique.length; k += 90) {
    const rows = await deps.db
      .select({
        id: businesses.id,
        name: businesses.name,
        sector: businesses.sector,
        kecamatan: businesses.kecamatan,
        offers: businesses.offers,
        needs: businesses.needs,
      })
      .from(businesses)
      .where(inArray(businesses.id, unique.slice(k, k + 90)))
      .all();
    for (const { id, ...profile } of rows) out.set(id, profile);
  }
  return out;
}
