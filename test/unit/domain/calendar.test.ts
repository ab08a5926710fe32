import { describe, expect, it } from "vitest";
import { DAY_MS, isoWeekKey, monthKey, WIB_OFFSET_MS, wibDate } from "../../../src/domain/calendar";
import { periodKeys } from "../../../src/services/digests/digest-config";
import { proposalPeriod } from "../../../src/services/partnerships/proposals-config";

/** The instant of a WIB wall-clock time (months 1-12). */
const wib = (y: number, m: number, d: number, h = 0, min = 0) =>
  Date.UTC(y, m - 1, d, h, min) - WIB_OFFSET_MS;

describe("the WIB calendar", () => {
  it("is seven hours ahead of UTC, so a UTC evening is already the next WIB day", () => {
    expect(WIB_OFFSET_MS).toBe(7 * 60 * 60 * 1000);
    // Thursday 31 December 2026, 16:59 and 17:00 UTC.
    expect(wibDate(Date.UTC(2026, 11, 31, 16, 59))).toEqual({ year: 2026, month: 12, day: 31, weekday: 4 });
    expect(wibDate(Date.UTC(2026, 11, 31, 17, 0))).toEqual({ year: 2027, month: 1, day: 1, weekday: 5 });
  });

  it("names the month of the WIB date across the year boundary", () => {
    expect(monthKey(Date.UTC(2026, 11, 31, 16, 59))).toBe("2026-12");
    expect(monthKey(Date.UTC(2026, 11, 31, 17, 0))).toBe("2027-01");
    expect(monthKey(wib(2024, 2, 29, 23, 59))).toBe("2024-02");
    expect(monthKey(wib(2024, 3, 1))).toBe("2024-03");
  });

  it("names ISO weeks whose year is not the calendar year", () => {
    // 2026 starts on a Thursday: it has a week 53, which runs into January 2027.
    expect(isoWeekKey(wib(2026, 12, 28))).toBe("2026-W53");
    expect(isoWeekKey(wib(2027, 1, 1, 12))).toBe("2026-W53");
    expect(isoWeekKey(wib(2027, 1, 3, 23, 59))).toBe("2026-W53");
    expect(isoWeekKey(wib(2027, 1, 4))).toBe("2027-W01");
    // Monday 30 December 2024 belongs to 2025's first week; Sunday 3 January 2021 to 2020-W53.
    expect(isoWeekKey(wib(2024, 12, 30))).toBe("2025-W01");
    expect(isoWeekKey(wib(2021, 1, 3))).toBe("2020-W53");
    expect(isoWeekKey(wib(2021, 1, 4))).toBe("2021-W01");
  });

  it("starts the week at Monday 00:00 WIB (Sunday 17:00 UTC)", () => {
    expect(isoWeekKey(Date.UTC(2026, 11, 6, 16, 59))).toBe("2026-W49");
    expect(isoWeekKey(Date.UTC(2026, 11, 6, 17, 0))).toBe("2026-W50");
  });

  it("counts weeks 1, 2, ... up by one each Monday and 52 or 53 weeks a year, 2020-2040", () => {
    let previous = isoWeekKey(wib(2020, 1, 1, 12));
    const weeksInYear = new Map<number, number>();
    for (let t = wib(2020, 1, 2, 12); t < wib(2041, 1, 1); t += DAY_MS) {
      const key = isoWeekKey(t);
      const [year, week] = key.split("-W").map(Number) as [number, number];
      const [prevYear, prevWeek] = previous.split("-W").map(Number) as [number, number];
      if (wibDate(t).weekday === 1) {
        expect(
          key === `${prevYear}-W${String(prevWeek + 1).padStart(2, "0")}` ||
            (week === 1 && year === prevYear + 1),
          key,
        ).toBe(true);
      } else {
        expect(key).toBe(previous);
      }
      weeksInYear.set(year, Math.max(weeksInYear.get(year) ?? 0, week));
      previous = key;
    }
    for (const [year, weeks] of weeksInYear) {
      if (year < 2021 || year > 2040) continue;
      // A year has 53 ISO weeks when it starts on a Thursday, or a Wednesday in a leap year.
      const jan1 = wibDate(wib(year, 1, 1)).weekday;
      const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
      expect(weeks, String(year)).toBe(jan1 === 4 || (leap && jan1 === 3) ? 53 : 52);
    }
  });

  it("is the one period rule of digests and pairing proposals", () => {
    for (const t of [wib(2026, 12, 31, 23, 59), wib(2027, 1, 4), wib(2024, 12, 30, 6)]) {
      expect(periodKeys(t)).toEqual({ weekly: isoWeekKey(t), monthly: monthKey(t) });
      expect(proposalPeriod(t)).toBe(isoWeekKey(t));
    }
  });
});
