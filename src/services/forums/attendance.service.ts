import { and, eq } from "drizzle-orm";
import { forumParticipants } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { ApiError, validationError } from "../../errors";
import { auditInsert } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { assertOpen, businessOf, forumAudit, loadForum, loadParticipant } from "./forums.queries";

function participantKey(forumId: string, businessId: string) {
  return and(eq(forumParticipants.forumId, forumId), eq(forumParticipants.businessId, businessId));
}

/**
 * An invited owner answers: coming (with the slots they can meet in; none chosen = all) or not.
 * @throws 403 `not_a_participant`, 409 `forum_not_open`, 422 a slot the forum does not have.
 */
export async function answerInvitation(
  deps: ServiceDeps,
  input: { forumId: string; actor: Principal; attending: boolean; available: readonly string[]; now: number },
): Promise<{ status: "confirmed" | "declined"; available: string[] }> {
  const businessId = businessOf(input.actor);
  const forum = await loadForum(deps, input.forumId);
  assertOpen(forum);
  const before = await loadParticipant(deps, forum.id, businessId);
  const starts = forum.slots.map((s) => s.start);
  const unknown = input.available.filter((s) => !starts.includes(s));
  if (unknown.length)
    throw validationError([
      { path: "available", message: `Not a slot of this forum: ${unknown.join(", ")}` },
    ]);
  const status = input.attending ? ("confirmed" as const) : ("declined" as const);
  const available = !input.attending
    ? []
    : input.available.length
      ? starts.filter((s) => input.available.includes(s))
      : starts;
  await deps.db.batch([
    deps.db
      .update(forumParticipants)
      .set({ status, available, answeredAt: input.now, agendaSentAt: null })
      .where(participantKey(forum.id, businessId)),
    auditInsert(deps.db, {
      ...forumAudit(forum.id, input),
      action: "answer_invitation",
      fromState: before.status,
      toState: status,
      details: { businessId, slots: available.length },
    }),
  ]);
  return { status, available };
}

/**
 * On the day, at the door. `arrived`: checked in (a walk-in who never answered is confirmed with
 * the slots from `from` on); `late`: the same with the slots before `from` dropped; `no_show`: out of
 * the schedule's next run (its meetings are rescheduled for the partners).
 */
export async function recordArrival(
  deps: ServiceDeps,
  input: {
    forumId: string;
    businessId: string;
    actor: Principal;
    kind: "arrived" | "no_show";
    /** First slot start ("HH:MM") the participant can still meet in; absent = all slots. */
    from?: string | undefined;
    now: number;
  },
): Promise<void> {
  if (input.actor.kind !== "officer") throw new ApiError("forbidden", "Officers check participants in.");
  const forum = await loadForum(deps, input.forumId);
  assertOpen(forum);
  const before = await loadParticipant(deps, forum.id, input.businessId);
  const starts = forum.slots.map((s) => s.start);
  if (input.from !== undefined && !starts.includes(input.from))
    throw validationError([{ path: "from", message: "Not a slot of this forum." }]);
  const set =
    input.kind === "no_show"
      ? { status: "no_show" as const, available: [], checkedInAt: null }
      : {
          status: "confirmed" as const,
          checkedInAt: input.now,
          available: (before.available.length ? before.available : starts).filter(
            (s) => input.from === undefined || s >= input.from,
          ),
        };
  await deps.db.batch([
    deps.db.update(forumParticipants).set(set).where(participantKey(forum.id, input.businessId)),
    auditInsert(deps.db, {
      ...forumAudit(forum.id, input),
      action: input.kind === "no_show" ? "no_show" : "check_in",
      fromState: before.status,
      toState: set.status,
      details: { businessId: input.businessId, from: input.from ?? null },
    }),
  ]);
}
