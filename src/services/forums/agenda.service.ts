import { and, eq, or } from "drizzle-orm";
import { type ForumRow, forumMeetings, forumRatings } from "../../../schema";
import type { Principal } from "../../auth/principal";
import type { Language } from "../../domain/language";
import type { ServiceDeps } from "../deps";
import { currentMatcher } from "../matching/matcher.cache";
import { businessOf, loadForum, loadParticipant, participantProfiles } from "./forums.queries";
import { listForumParticipants } from "./participants.service";

export interface AgendaItem {
  meetingId: string;
  start: string;
  end: string;
  tableNo: number;
  partner: { id: string; name: string; sector: "service" | "industry"; offers: string; needs: string };
  /** Why the engine (or the two of them) put this meeting on the agenda. */
  reason: "locked" | "mutual" | "accepted" | "engine";
  /** The engine's reasons for the pair, from this participant's side. */
  why: string[];
  /** The participant's own rating, once given. */
  rating: string | null;
}

/**
 * One participant's agenda, in time order: time, table, partner, why, and what to bring up (the
 * partner's offers and needs).
 */
export async function participantAgenda(
  deps: ServiceDeps,
  input: { forumId: string; businessId: string; lang: Language },
): Promise<AgendaItem[]> {
  return agendaIn(deps, await loadForum(deps, input.forumId), input);
}

/** `participantAgenda` for a forum row the caller has already read. */
export async function agendaIn(
  deps: ServiceDeps,
  forum: ForumRow,
  input: { businessId: string; lang: Language },
): Promise<AgendaItem[]> {
  const rows = await deps.db
    .select()
    .from(forumMeetings)
    .where(
      and(
        eq(forumMeetings.forumId, forum.id),
        or(eq(forumMeetings.serviceId, input.businessId), eq(forumMeetings.industryId, input.businessId)),
      ),
    )
    .all();
  if (rows.length === 0) return [];
  const partnerIds = rows.map((m) => (m.serviceId === input.businessId ? m.industryId : m.serviceId));
  const byId = await participantProfiles(deps, partnerIds);
  const ratings = await deps.db
    .select()
    .from(forumRatings)
    .where(and(eq(forumRatings.forumId, forum.id), eq(forumRatings.raterId, input.businessId)))
    .all();
  const ratingOf = new Map(ratings.map((r) => [r.meetingId, r.rating]));
  const { matcher } = await currentMatcher(deps);
  const endOf = new Map(forum.slots.map((s) => [s.start, s.end]));
  return rows
    .sort((a, b) => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0))
    .map((m) => {
      const pid = m.serviceId === input.businessId ? m.industryId : m.serviceId;
      const p = byId.get(pid);
      return {
        meetingId: m.id,
        start: m.slot,
        end: endOf.get(m.slot) ?? m.slot,
        tableNo: m.tableNo,
        partner: {
          id: pid,
          name: p?.name ?? "—",
          sector: p?.sector ?? "service",
          offers: p?.offers ?? "",
          needs: p?.needs ?? "",
        },
        reason: m.reason,
        why: matcher.explainPair(input.businessId, pid, input.lang)?.reasons ?? [],
        rating: ratingOf.get(m.id) ?? null,
      };
    });
}

/**
 * The calling business's own agenda.
 * @throws 403 for an officer or a business not invited.
 */
export async function myForumAgenda(
  deps: ServiceDeps,
  input: { forumId: string; actor: Principal; lang: Language },
): Promise<AgendaItem[]> {
  const businessId = businessOf(input.actor);
  await loadParticipant(deps, input.forumId, businessId);
  return participantAgenda(deps, { forumId: input.forumId, businessId, lang: input.lang });
}

export interface TablePlanRow {
  start: string;
  end: string;
  tables: Array<{ tableNo: number; meetingId: string; locked: boolean; service: string; industry: string }>;
}

/** The officer's table plan: per slot, which two businesses sit at which table. */
export async function forumTablePlan(deps: ServiceDeps, input: { forumId: string }): Promise<TablePlanRow[]> {
  const forum = await loadForum(deps, input.forumId);
  const rows = await deps.db.select().from(forumMeetings).where(eq(forumMeetings.forumId, forum.id)).all();
  const profiles = await participantProfiles(
    deps,
    rows.flatMap((m) => [m.serviceId, m.industryId]),
  );
  return forum.slots.map((s) => ({
    start: s.start,
    end: s.end,
    tables: rows
      .filter((m) => m.slot === s.start)
      .sort((a, b) => a.tableNo - b.tableNo)
      .map((m) => ({
        tableNo: m.tableNo,
        meetingId: m.id,
        locked: m.locked,
        service: profiles.get(m.serviceId)?.name ?? "—",
        industry: profiles.get(m.industryId)?.name ?? "—",
      })),
  }));
}

export interface CheckInRow {
  businessId: string;
  name: string;
  status: string;
  checkedIn: boolean;
  meetings: number;
}

/** The door list: every participant, by name, with their meeting count. */
export async function forumCheckInList(deps: ServiceDeps, input: { forumId: string }): Promise<CheckInRow[]> {
  return (await listForumParticipants(deps, input)).map((p) => ({
    businessId: p.businessId,
    name: p.name,
    status: p.status,
    checkedIn: p.checkedIn,
    meetings: p.meetings,
  }));
}
