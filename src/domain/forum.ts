/**
 * A business-matching forum's day: its meeting slots between a start and an end, skipping breaks,
 * and the words participants rate meetings with. Times are local ("HH:MM", Asia/Jakarta).
 */

import { isoDay, wibDate } from "./calendar";

/** How a participant rates a meeting afterwards: go on ("lanjut"), maybe, or not. */
export const FORUM_RATINGS = ["lanjut", "mungkin", "tidak"] as const;
export type ForumRating = (typeof FORUM_RATINGS)[number];

/** Forum statuses before the first schedule run. */
export const BEFORE_SCHEDULE = ["draft", "open"] as const;

/**
 * Whether an owner can still withdraw a meeting request the other side accepted: only until the
 * schedule is run, so no scheduled meeting comes from a withdrawn request.
 */
export function canWithdrawAccepted(forumStatus: string): boolean {
  return (BEFORE_SCHEDULE as readonly string[]).includes(forumStatus);
}

/** Why a forum cannot be closed now (the problem codes the service answers with). */
export const CLOSE_REFUSALS = ["forum_not_scheduled", "forum_day_not_reached"] as const;
export type CloseRefusal = (typeof CLOSE_REFUSALS)[number];

export function isCloseRefusal(code: string): code is CloseRefusal {
  return (CLOSE_REFUSALS as readonly string[]).includes(code);
}

/**
 * Why an officer cannot close the forum at the instant `now`, or null when it can: only a scheduled
 * forum (a draft or open one has no schedule yet, a closed one is closed already), and only from its
 * day on, in WIB (the forum's `date` is a WIB calendar day).
 */
export function closeRefusal(forum: { status: string; date: string }, now: number): CloseRefusal | null {
  if (forum.status !== "scheduled") return "forum_not_scheduled";
  if (isoDay(wibDate(now)) < forum.date) return "forum_day_not_reached";
  return null;
}

/** Whether an officer can close the forum at `now` (see `closeRefusal`). */
export function canCloseForum(forum: { status: string; date: string }, now: number): boolean {
  return closeRefusal(forum, now) === null;
}

export interface DaySlot {
  start: string;
  end: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since midnight of "HH:MM", or null when malformed. */
export function minutesOf(hhmm: string): number | null {
  const m = HHMM.exec(hhmm.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/**
 * Parses breaks written as "10:30-10:45, 12:00-13:00" (commas, semicolons or new lines between);
 * null when any part is malformed or ends before it starts.
 */
export function parseBreaks(text: string): DaySlot[] | null {
  const out: DaySlot[] = [];
  for (const part of text.split(/[,;\n]/)) {
    const t = part.trim();
    if (!t) continue;
    const [a, b] = t.split(/\s*[-–]\s*/);
    const s = minutesOf(a ?? "");
    const e = minutesOf(b ?? "");
    if (s === null || e === null || e <= s) return null;
    out.push({ start: hhmm(s), end: hhmm(e) });
  }
  return out.sort((x, y) => (x.start < y.start ? -1 : 1));
}

/**
 * The meeting slots of a day: back to back from `start`, each `meetingMinutes` long, a slot that
 * would overlap a break starting after that break, the last ending by `end`.
 * @example daySlots("09:00", "10:30", 20, [{ start: "09:40", end: "10:00" }])
 * // [09:00-09:20, 09:20-09:40, 10:00-10:20]
 */
export function daySlots(
  start: string,
  end: string,
  meetingMinutes: number,
  breaks: readonly DaySlot[],
): DaySlot[] {
  const s = minutesOf(start);
  const e = minutesOf(end);
  if (s === null || e === null || meetingMinutes < 5) return [];
  const bs = breaks.map((b) => [minutesOf(b.start) ?? 0, minutesOf(b.end) ?? 0] as const);
  const out: DaySlot[] = [];
  let t = s;
  while (t + meetingMinutes <= e && out.length < 200) {
    const clash = bs.find(([bs0, be]) => t < be && t + meetingMinutes > bs0);
    if (clash) {
      t = clash[1];
      continue;
    }
    out.push({ start: hhmm(t), end: hhmm(t + meetingMinutes) });
    t += meetingMinutes;
  }
  return out;
}
