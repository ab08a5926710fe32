import { describe, expect, it } from "vitest";
import { evaluateForums, FORUM_SHAPES, generateForum } from "../../scripts/eval/forum";

describe("npm run eval -- --forum", () => {
  it("reports the issue's fields for the 80-participant forum, above greedy and random, with the floor met", () => {
    const shape = FORUM_SHAPES[0];
    if (!shape) throw new Error("no forum shape");
    const { forums } = evaluateForums([shape]);
    expect(forums).toHaveLength(1);
    const f = forums[0];
    expect(Object.keys(f ?? {}).sort()).toEqual(
      [
        "participants",
        "slots",
        "mutualScheduledShare",
        "minMeetings",
        "medianMeetings",
        "totalScore",
        "greedyTotal",
        "randomTotal",
        "idleShare",
        "scheduleMs",
      ].sort(),
    );
    expect(f).toMatchObject({ participants: 80, slots: 12, mutualScheduledShare: 1 });
    expect(f?.minMeetings).toBeGreaterThanOrEqual(3);
    expect(f?.totalScore).toBeGreaterThan(f?.greedyTotal ?? Number.POSITIVE_INFINITY);
    expect(f?.greedyTotal).toBeGreaterThan(f?.randomTotal ?? Number.POSITIVE_INFINITY);
    expect(f?.idleShare).toBeGreaterThanOrEqual(0);
    expect(f?.idleShare).toBeLessThan(1);
  });

  it("generates requests of both kinds between participants of opposite sides", () => {
    const shape = FORUM_SHAPES[0];
    if (!shape) throw new Error("no forum shape");
    const input = generateForum(shape);
    const side = new Map(input.participants.map((p) => [p.id, p.side]));
    const kinds = new Set((input.requests ?? []).map((r) => r.kind));
    expect([...kinds].sort()).toEqual(["accepted", "mutual"]);
    for (const r of input.requests ?? []) expect(side.get(r.a)).not.toBe(side.get(r.b));
  });
});
