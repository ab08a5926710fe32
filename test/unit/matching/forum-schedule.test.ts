import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ForumLock,
  type ForumScheduleInput,
  greedyForumSchedule,
  randomForumSchedule,
  type ScheduledMeeting,
  scheduleForum,
} from "../../../src/matching/forum-schedule";

const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** Every rule the schedule must keep, checked on one input and its result. */
function expectValid(input: ForumScheduleInput, meetings: ScheduledMeeting[]): void {
  const byId = new Map(input.participants.map((p) => [p.id, p]));
  const locks = new Map((input.locked ?? []).map((l) => [key(l.serviceId, l.industryId), l]));
  const requested = new Set((input.requests ?? []).map((r) => key(r.a, r.b)));
  const excluded = new Set((input.excluded ?? []).map((x) => key(x.a, x.b)));
  const seat = new Set<string>();
  const table = new Set<string>();
  const pairs = new Set<string>();
  const count = new Map<string, number>();
  const lockCount = new Map<string, number>();
  for (const l of input.locked ?? [])
    for (const id of [l.serviceId, l.industryId]) lockCount.set(id, (lockCount.get(id) ?? 0) + 1);
  for (const m of meetings) {
    const s = byId.get(m.serviceId);
    const i = byId.get(m.industryId);
    expect(s?.side).toBe("service");
    expect(i?.side).toBe("industry");
    const k = key(m.serviceId, m.industryId);
    expect(pairs.has(k), `pair ${k} twice`).toBe(false);
    pairs.add(k);
    expect(m.table).toBeGreaterThanOrEqual(1);
    expect(m.table).toBeLessThanOrEqual(input.tables);
    expect(table.has(`${m.slot}#${m.table}`), `table ${m.table} twice in ${m.slot}`).toBe(false);
    table.add(`${m.slot}#${m.table}`);
    for (const id of [m.serviceId, m.industryId]) {
      expect(seat.has(`${id}@${m.slot}`), `${id} double booked at ${m.slot}`).toBe(false);
      seat.add(`${id}@${m.slot}`);
      count.set(id, (count.get(id) ?? 0) + 1);
    }
    const lock = locks.get(k);
    if (lock) {
      expect(m.reason).toBe("locked");
    } else {
      expect(s?.available).toContain(m.slot);
      expect(i?.available).toContain(m.slot);
      if (excluded.has(k)) expect(requested.has(k), `declined pair ${k} scheduled unasked`).toBe(true);
    }
  }
  for (const p of input.participants) {
    const allowed = Math.max(p.maxMeetings, lockCount.get(p.id) ?? 0);
    expect(count.get(p.id) ?? 0).toBeLessThanOrEqual(allowed);
  }
}

/** Random forums: a few of each side, random availability, pairs, requests, declines and locks. */
const forumArb = fc
  .record({
    services: fc.integer({ min: 1, max: 7 }),
    industries: fc.integer({ min: 1, max: 7 }),
    slots: fc.integer({ min: 1, max: 6 }),
    tables: fc.integer({ min: 0, max: 4 }),
  })
  .chain((shape) => {
    const slots = Array.from({ length: shape.slots }, (_, k) => `t${k}`);
    const ids = [
      ...Array.from({ length: shape.services }, (_, k) => ({ id: `s${k}`, side: "service" as const })),
      ...Array.from({ length: shape.industries }, (_, k) => ({ id: `i${k}`, side: "industry" as const })),
    ];
    const all = ids.flatMap((a) => ids.filter((b) => a.id < b.id).map((b) => [a.id, b.id] as const));
    const cross = ids
      .filter((a) => a.side === "service")
      .flatMap((a) => ids.filter((b) => b.side === "industry").map((b) => [a.id, b.id] as const));
    return fc.record({
      participants: fc.tuple(
        ...ids.map((p) =>
          fc.record({
            id: fc.constant(p.id),
            side: fc.constant(p.side),
            available: fc.subarray(slots),
            maxMeetings: fc.integer({ min: 0, max: 5 }),
          }),
        ),
      ),
      slots: fc.constant(slots),
      tables: fc.constant(shape.tables),
      pairs: fc.subarray(cross).chain((ps) =>
        fc.tuple(
          ...ps.map(([s, i]) =>
            fc.record({
              serviceId: fc.constant(s),
              industryId: fc.constant(i),
              score: fc.double({ min: 0, max: 1, noNaN: true }),
            }),
          ),
        ),
      ),
      requests: fc.subarray(all, { maxLength: Math.min(6, all.length) }).chain((ps) =>
        fc.tuple(
          ...ps.map(([a, b]) =>
            fc.record({
              a: fc.constant(a),
              b: fc.constant(b),
              kind: fc.constantFrom("mutual", "accepted"),
            }),
          ),
        ),
      ),
      excluded: fc.subarray(cross).map((ps) => ps.map(([a, b]) => ({ a, b }))),
      lockTries: fc.array(
        fc.record({
          pair: fc.constantFrom(...cross),
          slot: fc.constantFrom(...slots),
          table: fc.integer({ min: 1, max: Math.max(1, shape.tables) }),
        }),
        { maxLength: 4 },
      ),
    });
  })
  .map(({ lockTries, ...rest }): ForumScheduleInput => {
    // Keep only the locks an officer could make: no participant or table twice in a slot, no pair twice.
    const locked: ForumLock[] = [];
    const used = new Set<string>();
    for (const t of lockTries) {
      const [s, i] = t.pair;
      const marks = [`${s}@${t.slot}`, `${i}@${t.slot}`, `#${t.table}@${t.slot}`, key(s, i)];
      if (t.table > rest.tables || marks.some((m) => used.has(m))) continue;
      for (const m of marks) used.add(m);
      locked.push({ serviceId: s, industryId: i, slot: t.slot, table: t.table });
    }
    return { ...rest, participants: [...rest.participants], locked };
  });

describe("scheduleForum", () => {
  it("never double books, respects tables, availability and maxima, drops declined pairs and keeps locks", () => {
    fc.assert(
      fc.property(forumArb, (input) => {
        const r = scheduleForum(input);
        expectValid(input, r.meetings);
        for (const l of input.locked ?? []) {
          expect(r.meetings).toContainEqual(
            expect.objectContaining({
              serviceId: l.serviceId,
              industryId: l.industryId,
              slot: l.slot,
              table: l.table,
            }),
          );
        }
        expect(r.totalScore).toBeCloseTo(
          r.meetings.reduce((a, m) => a + m.score, 0),
          9,
        );
        expectValid(input, greedyForumSchedule(input).meetings);
        expectValid(input, randomForumSchedule(input, 1).meetings);
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same schedule for the same input in any order", () => {
    fc.assert(
      fc.property(forumArb, (input) => {
        const reversed = {
          ...input,
          participants: [...input.participants].reverse(),
          pairs: [...input.pairs].reverse(),
        };
        expect(scheduleForum(reversed).meetings).toEqual(scheduleForum(input).meetings);
      }),
      { numRuns: 100 },
    );
  });

  it("moves a meeting so that a mutual request fits, where first fit leaves it out", () => {
    const input: ForumScheduleInput = {
      participants: [
        { id: "s1", side: "service", available: ["a", "b"], maxMeetings: 3 },
        { id: "s2", side: "service", available: ["a"], maxMeetings: 3 },
        { id: "i1", side: "industry", available: ["a", "b"], maxMeetings: 3 },
        { id: "i2", side: "industry", available: ["a"], maxMeetings: 3 },
      ],
      slots: ["a", "b"],
      tables: 2,
      pairs: [{ serviceId: "s1", industryId: "i1", score: 0.9 }],
      requests: [
        { a: "s1", b: "i2", kind: "accepted" },
        { a: "i1", b: "s2", kind: "mutual" },
      ],
      locked: [],
    };
    const r = scheduleForum(input);
    const at = (s: string, i: string) => r.meetings.find((m) => m.serviceId === s && m.industryId === i);
    expect(at("s2", "i1")).toMatchObject({ slot: "a", reason: "mutual" });
    expect(at("s1", "i2")).toMatchObject({ slot: "a", reason: "accepted" });
    expect(at("s1", "i1")).toMatchObject({ slot: "b", reason: "engine" });
    expect(r.unscheduled).toEqual([]);
  });

  it("schedules declined pairs only when both asked, and reports a request that cannot fit", () => {
    const r = scheduleForum({
      participants: [
        { id: "s1", side: "service", available: ["a"], maxMeetings: 1 },
        { id: "i1", side: "industry", available: ["a"], maxMeetings: 1 },
        { id: "i2", side: "industry", available: ["a"], maxMeetings: 1 },
        { id: "i3", side: "industry", available: ["a"], maxMeetings: 1 },
      ],
      slots: ["a"],
      tables: 3,
      pairs: [
        { serviceId: "s1", industryId: "i1", score: 0.9 },
        { serviceId: "s1", industryId: "i2", score: 0.2 },
      ],
      requests: [
        { a: "s1", b: "i2", kind: "mutual" },
        { a: "s1", b: "i3", kind: "accepted" },
        { a: "i1", b: "i2", kind: "mutual" },
      ],
      excluded: [{ a: "s1", b: "i2" }],
    });
    expect(r.meetings.map((m) => `${m.serviceId}-${m.industryId}:${m.reason}`)).toEqual(["s1-i2:mutual"]);
    expect(r.unscheduled).toEqual(
      expect.arrayContaining([
        { a: "i1", b: "i2", kind: "mutual", why: "invalid" },
        { a: "s1", b: "i3", kind: "accepted", why: "full" },
      ]),
    );
  });

  it("lifts everyone to the floor by taking a popular participant's weakest meeting", () => {
    // s1 is everyone's best pair but can take 3 meetings; i4 matches s1 alone.
    const participants = [
      { id: "s1", side: "service" as const, available: ["a", "b", "c", "d"], maxMeetings: 3 },
      { id: "s2", side: "service" as const, available: ["a", "b", "c", "d"], maxMeetings: 3 },
      ...["i1", "i2", "i3", "i4"].map((id) => ({
        id,
        side: "industry" as const,
        available: ["a", "b", "c", "d"],
        maxMeetings: 2,
      })),
    ];
    const pairs = [
      { serviceId: "s1", industryId: "i1", score: 0.9 },
      { serviceId: "s1", industryId: "i2", score: 0.85 },
      { serviceId: "s1", industryId: "i3", score: 0.8 },
      { serviceId: "s1", industryId: "i4", score: 0.5 },
      { serviceId: "s2", industryId: "i1", score: 0.3 },
      { serviceId: "s2", industryId: "i2", score: 0.3 },
    ];
    const input = { participants, slots: ["a", "b", "c", "d"], tables: 4, pairs, config: { floor: 1 } };
    const r = scheduleForum(input);
    const met = new Set(r.meetings.flatMap((m) => [m.serviceId, m.industryId]));
    expect([...met].sort()).toEqual(["i1", "i2", "i3", "i4", "s1", "s2"]);
    // Greedy gives s1 its three best and leaves i4 alone.
    expect(greedyForumSchedule(input).meetings.some((m) => m.industryId === "i4")).toBe(false);
  });

  it("beats first-fit greedy when the best pair takes the only slot a weaker pair could use", () => {
    const input: ForumScheduleInput = {
      participants: [
        { id: "s1", side: "service", available: ["09:00", "09:20"], maxMeetings: 2 },
        { id: "i1", side: "industry", available: ["09:00"], maxMeetings: 2 },
        { id: "i2", side: "industry", available: ["09:00", "09:20"], maxMeetings: 2 },
      ],
      slots: ["09:00", "09:20"],
      tables: 1,
      pairs: [
        { serviceId: "s1", industryId: "i2", score: 0.9 },
        { serviceId: "s1", industryId: "i1", score: 0.5 },
      ],
    };
    const r = scheduleForum(input);
    expect(r.meetings.map((m) => `${m.slot} ${m.table} ${m.industryId}`)).toEqual([
      "09:00 1 i1",
      "09:20 1 i2",
    ]);
    expect(r.totalScore).toBeCloseTo(1.4);
    expect(r.greedyTotal).toBeCloseTo(0.9);
  });

  it("swaps a full participant's weak meeting for a better pair", () => {
    const input: ForumScheduleInput = {
      participants: [
        { id: "s1", side: "service", available: ["a", "b"], maxMeetings: 1 },
        { id: "s2", side: "service", available: ["a", "b"], maxMeetings: 1 },
        { id: "i1", side: "industry", available: ["a", "b"], maxMeetings: 1 },
        { id: "i2", side: "industry", available: ["a", "b"], maxMeetings: 1 },
      ],
      slots: ["a", "b"],
      tables: 2,
      pairs: [
        { serviceId: "s1", industryId: "i1", score: 0.8 },
        { serviceId: "s1", industryId: "i2", score: 0.7 },
        { serviceId: "s2", industryId: "i1", score: 0.7 },
      ],
      config: { floor: 0 },
    };
    const r = scheduleForum(input);
    expect(r.totalScore).toBeCloseTo(1.4);
    expect(r.greedyTotal).toBeCloseTo(0.8);
  });
});
