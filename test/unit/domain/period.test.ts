import { describe, expect, it } from "vitest";
import { resolvePeriod, wibMidnight } from "../../../src/domain/calendar";

const HOUR = 3_600_000;

describe("resolvePeriod (WIB calendar)", () => {
  it("takes the WIB month even when UTC is still in the previous one", () => {
    // 31 December 2026 20:00 UTC is 1 January 2027 03:00 WIB.
    const now = Date.UTC(2026, 11, 31, 20);
    expect(resolvePeriod({ kind: "this_month" }, now)).toEqual({
      period: {
        kind: "this_month",
        from: Date.UTC(2026, 11, 31, 17),
        to: Date.UTC(2027, 0, 31, 17),
        firstDay: "2027-01-01",
        lastDay: "2027-01-31",
      },
    });
    const last = resolvePeriod({ kind: "last_month" }, now);
    expect("period" in last && [last.period.firstDay, last.period.lastDay]).toEqual([
      "2026-12-01",
      "2026-12-31",
    ]);
    const year = resolvePeriod({ kind: "this_year" }, now);
    expect("period" in year && [year.period.firstDay, year.period.lastDay]).toEqual([
      "2027-01-01",
      "2027-12-31",
    ]);
  });

  it("includes both days of a custom period, from 00:00 WIB to the next midnight", () => {
    const r = resolvePeriod({ kind: "custom", from: "2026-02-01", to: "2026-02-28" }, 0);
    expect("period" in r && r.period.from).toBe(wibMidnight(2026, 2, 1));
    expect("period" in r && r.period.to).toBe(wibMidnight(2026, 3, 1));
    expect(wibMidnight(2026, 3, 1)).toBe(Date.UTC(2026, 1, 28, 17));
    expect(wibMidnight(2026, 2, 1) + 7 * HOUR).toBe(Date.UTC(2026, 1, 1));
  });

  it("has no bounds for all time, and refuses impossible dates", () => {
    expect(resolvePeriod({ kind: "all" }, 0)).toEqual({
      period: { kind: "all", from: null, to: null, firstDay: null, lastDay: null },
    });
    expect(resolvePeriod({ kind: "custom", from: "2026-02-29", to: "2026-13-01" }, 0)).toEqual({
      issues: [
        { field: "from", problem: "invalid" },
        { field: "to", problem: "invalid" },
      ],
    });
  });
});
