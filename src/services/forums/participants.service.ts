import { eq } from "drizzle-orm";
import { forumMeetings, forumParticipants } from "../../../schema";
import type { ServiceDeps } from "../deps";
import { loadForum, participantProfiles } from "./forums.queries";

export interface ForumParticipantView {
  businessId: string;
  name: string;
  sector: "service" | "industry";
  kecamatan: string | null;
  status: "invited" | "confirmed" | "declined" | "no_show";
  /** Slot starts ("HH:MM") the participant can meet in. */
  available: string[];
  checkedIn: boolean;
  meetings: number;
}

/**
 * The officer's list of a forum's participants: who was invited, who answered (and for which
 * slots), who checked in, and how many meetings each has in the current schedule. By name.
 */
export async function listForumParticipants(
  deps: ServiceDeps,
  input: { forumId: string },
): Promise<ForumParticipantView[]> {
  const forum = await loadForum(deps, input.forumId);
  const parts = await deps.db
    .select()
    .from(forumParticipants)
    .where(eq(forumParticipants.forumId, forum.id))
    .all();
  const meetings = await deps.db
    .select({ s: forumMeetings.serviceId, i: forumMeetings.industryId })
    .from(forumMeetings)
    .where(eq(forumMeetings.forumId, forum.id))
    .all();
  const count = new Map<string, number>();
  for (const m of meetings) for (const id of [m.s, m.i]) count.set(id, (count.get(id) ?? 0) + 1);
  const info = await participantProfiles(
    deps,
    parts.map((p) => p.businessId),
  );
  return parts
    .map((p) => {
      const b = info.get(p.businessId);
      return {
        businessId: p.businessId,
        name: b?.name ?? "—",
        sector: b?.sector ?? "service",
        kecamatan: b?.kecamatan ?? null,
        status: p.status,
        available: p.available,
        checkedIn: p.checkedInAt !== null,
        meetings: count.get(p.businessId) ?? 0,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name, "id"));
}
