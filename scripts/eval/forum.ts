/**
 * `npm run eval -- --forum [--json]`: schedules generated business-matching forums of 80 and 500
 * participants (demo registry businesses, pair scores from the real engine) and reports what the
 * issue measures: mutual requests scheduled, meetings per attendee, total score against greedy and
 * random, idle table-slots and the time to schedule.
 */
import { createMatcher, type MatchProfile } from "../../src/matching";
import {
  type ForumParticipant,
  type ForumRequestPair,
  type ForumScheduleInput,
  randomForumSchedule,
  scheduleForum,
} from "../../src/matching/forum-schedule";
import { generateDemoRegistry } from "../demo/generate";
import { mulberry32 } from "../lib/random";

export interface ForumEvalRow {
  participants: number;
  slots: number;
  mutualScheduledShare: number;
  minMeetings: number;
  medianMeetings: number;
  totalScore: number;
  greedyTotal: number;
  randomTotal: number;
  idleShare: number;
  scheduleMs: number;
}

export interface ForumShape {
  participants: number;
  slots: number;
  tables: number;
  seed: number;
}

/** The two forums the issue names: the city's ~80 invitees, and a large 500-participant event. */
export const FORUM_SHAPES: readonly ForumShape[] = [
  { participants: 80, slots: 12, tables: 30, seed: 15 },
  { participants: 500, slots: 24, tables: 160, seed: 16 },
];

/** Pairs each attendee brings from the engine (its top suggestions among the attendees). */
const PAIRS_PER_ATTENDEE = 30;

/**
 * A generated forum: attendees from the demo registry; 1 in 5 arrives late or leaves early (a
 * missing block of slots); 6-10 meetings each at most; 1 in 8 makes a mutual request and 1 in 5 a
 * one-sided request the other accepted, each with one of its 5 best engine partners.
 */
export function generateForum(shape: ForumShape): ForumScheduleInput {
  const rng = mulberry32(shape.seed);
  const businesses = generateDemoRegistry({ count: shape.participants, seed: shape.seed });
  const profiles: MatchProfile[] = businesses.map((b) => ({ ...b }));
  const matcher = createMatcher(profiles);
  const slots = Array.from({ length: shape.slots }, (_, k) => {
    const minutes = 9 * 60 + k * 20;
    return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  });
  const participants: ForumParticipant[] = profiles.map((p) => {
    let available = slots;
    if (rng() < 0.2) {
      const cut = 1 + Math.floor(rng() * Math.floor(shape.slots / 3));
      available = rng() < 0.5 ? slots.slice(cut) : slots.slice(0, slots.length - cut);
    }
    return { id: p.id, side: p.sector, available, maxMeetings: 6 + Math.floor(rng() * 5) };
  });
  const pairs: Array<ForumScheduleInput["pairs"][number]> = [];
  const top = new Map<string, string[]>();
  for (const p of profiles) {
    const ranked = matcher.rank(p.id, { limit: PAIRS_PER_ATTENDEE });
    top.set(
      p.id,
      ranked.slice(0, 5).map((s) => s.id),
    );
    for (const s of ranked) {
      pairs.push(
        p.sector === "service"
          ? { serviceId: p.id, industryId: s.id, score: s.score }
          : { serviceId: s.id, industryId: p.id, score: s.score },
      );
    }
  }
  const requests: ForumRequestPair[] = [];
  for (const p of profiles) {
    const best = top.get(p.id) ?? [];
    if (best.length === 0) continue;
    const r = rng();
    const other = best[Math.floor(rng() * best.length)] as string;
    if (r < 0.125) requests.push({ a: p.id, b: other, kind: "mutual" });
    else if (r < 0.325) requests.push({ a: p.id, b: other, kind: "accepted" });
  }
  return { participants, slots, tables: shape.tables, pairs, requests };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Schedules one generated forum and measures it. */
export function evaluateForum(shape: ForumShape): ForumEvalRow {
  const input = generateForum(shape);
  const started = performance.now();
  const result = scheduleForum(input);
  const scheduleMs = Math.round(performance.now() - started);
  const counts = new Map(input.participants.map((p) => [p.id, 0]));
  for (const m of result.meetings) {
    for (const id of [m.serviceId, m.industryId]) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const mutual = new Set<string>();
  for (const r of input.requests ?? []) if (r.kind === "mutual") mutual.add([r.a, r.b].sort().join("|"));
  const met = new Set(result.meetings.map((m) => [m.serviceId, m.industryId].sort().join("|")));
  const mutualMet = [...mutual].filter((k) => met.has(k)).length;
  const attendees = input.participants
    .filter((p) => p.available.length > 0)
    .map((p) => counts.get(p.id) ?? 0);
  return {
    participants: shape.participants,
    slots: shape.slots,
    mutualScheduledShare: mutual.size === 0 ? 1 : round(mutualMet / mutual.size),
    minMeetings: Math.min(...attendees),
    medianMeetings: median(attendees),
    totalScore: round(result.totalScore),
    greedyTotal: round(result.greedyTotal),
    randomTotal: round(randomForumSchedule(input, shape.seed).totalScore),
    idleShare: round(1 - result.meetings.length / (shape.tables * shape.slots)),
    scheduleMs,
  };
}

export function evaluateForums(shapes: readonly ForumShape[] = FORUM_SHAPES): { forums: ForumEvalRow[] } {
  return { forums: shapes.map(evaluateForum) };
}

export function printForums(report: { forums: ForumEvalRow[] }): void {
  console.log("forum schedules (generated from the demo registry, engine pair scores)");
  console.log("participants slots  mutual  min  median  total    greedy   random   idle   ms");
  for (const f of report.forums) {
    console.log(
      `${String(f.participants).padStart(12)} ${String(f.slots).padStart(5)}  ${f.mutualScheduledShare.toFixed(3)}  ` +
        `${String(f.minMeetings).padStart(3)}  ${String(f.medianMeetings).padStart(6)}  ${f.totalScore.toFixed(2).padStart(7)}  ` +
        `${f.greedyTotal.toFixed(2).padStart(7)}  ${f.randomTotal.toFixed(2).padStart(7)}  ${f.idleShare.toFixed(3)}  ${f.scheduleMs}`,
    );
  }
}
