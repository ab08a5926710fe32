/**
 * The city's calendar: Kota Mojokerto keeps Asia/Jakarta time (WIB, UTC+7 all year, no daylight
 * saving), so "this week" and "this month" are WIB dates even though the Worker runs in UTC. Pure
 * arithmetic on epoch milliseconds, no Intl: the result must not depend on the runtime's time zone
 * or locale data.
 */

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;
/** Asia/Jakarta (WIB) is UTC+7 all year. */
export const WIB_OFFSET_MS = 7 * HOUR_MS;

/** The WIB calendar date of an instant. */
export interface WibDate {
  year: number;
  /** 1 (January) to 12. */
  month: number;
  /** Day of the month, 1 to 31. */
  day: number;
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: number;
}

/** The WIB calendar date that the epoch-ms instant `ms` falls on. */
export function wibDate(ms: number): WibDate {
  // Shifted by the offset, the UTC fields of the instant read as WIB wall-clock fields.
  const d = new Date(ms + WIB_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay() || 7,
  };
}

const two = (n: number) => String(n).padStart(2, "0");

/**
 * The ISO 8601 week of the WIB date of `ms`, e.g. "2026-W49". Weeks start on Monday and week 1 is
 * the one holding the year's first Thursday, so the week's Thursday decides the year: Friday
 * 1 January 2027 is in "2026-W53", Monday 30 December 2024 in "2025-W01".
 */
export function isoWeekKey(ms: number): string {
  const { year, month, day, weekday } = wibDate(ms);
  const thursday = Date.UTC(year, month - 1, day + 4 - weekday);
  const isoYear = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(isoYear, 0, 1)) / WEEK_MS) + 1;
  return `${isoYear}-W${two(week)}`;
}

/** The WIB month of `ms`, e.g. "2026-12". */
export function monthKey(ms: number): string {
  const { year, month } = wibDate(ms);
  return `${year}-${two(month)}`;
}

/** Epoch ms of 00:00 WIB on a WIB calendar date (months and days may overflow, as in Date.UTC). */
export function wibMidnight(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) - WIB_OFFSET_MS;
}

/** The periods a report can cover; `custom` takes WIB dates, both days included. */
export const PERIOD_KINDS = ["this_month", "last_month", "this_year", "all", "custom"] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/**
 * A reporting period: [from, to) in epoch ms, and the WIB dates it spans (inclusive) to show and
 * to link back to. `all` has no bounds.
 */
export interface Period {
  kind: PeriodKind;
  /** Inclusive start (epoch ms, 00:00 WIB), null for `all`. */
  from: number | null;
  /** Exclusive end (epoch ms, 00:00 WIB of the day after the last day), null for `all`. */
  to: number | null;
  /** First and last WIB day, "YYYY-MM-DD", null for `all`. */
  firstDay: string | null;
  lastDay: string | null;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "YYYY-MM-DD" of a WIB date. */
export function isoDay(d: { year: number; month: number; day: number }): string {
  return `${String(d.year).padStart(4, "0")}-${two(d.month)}-${two(d.day)}`;
}

/** Parses "YYYY-MM-DD" as a real calendar date (2026-02-30 is not one); null otherwise. */
export function parseIsoDay(text: string): { year: number; month: number; day: number } | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (year < 2000 || year > 2100) return null;
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** Why a custom period was refused, per field. */
export type PeriodIssue = { field: "from" | "to"; problem: "missing" | "invalid" | "order" };

/**
 * Resolves a period choice at `now` on the WIB calendar: this month and this year run up to their
 * end (nothing after now exists yet), last month is the whole previous month, custom runs from the
 * start of `from` to the end of `to`.
 */
export function resolvePeriod(
  input: { kind: PeriodKind; from?: string; to?: string },
  now: number,
): { period: Period } | { issues: PeriodIssue[] } {
  const today = wibDate(now);
  const span = (kind: PeriodKind, from: number, to: number): { period: Period } => ({
    period: { kind, from, to, firstDay: isoDay(wibDate(from)), lastDay: isoDay(wibDate(to - DAY_MS)) },
  });
  switch (input.kind) {
    case "all":
      return { period: { kind: "all", from: null, to: null, firstDay: null, lastDay: null } };
    case "this_month":
      return span(
        "this_month",
        wibMidnight(today.year, today.month, 1),
        wibMidnight(today.year, today.month + 1, 1),
      );
    case "last_month":
      return span(
        "last_month",
        wibMidnight(today.year, today.month - 1, 1),
        wibMidnight(today.year, today.month, 1),
      );
    case "this_year":
      return span("this_year", wibMidnight(today.year, 1, 1), wibMidnight(today.year + 1, 1, 1));
    case "custom": {
      const issues: PeriodIssue[] = [];
      const from = input.from ? parseIsoDay(input.from) : null;
      const to = input.to ? parseIsoDay(input.to) : null;
      if (!input.from) issues.push({ field: "from", problem: "missing" });
      else if (!from) issues.push({ field: "from", problem: "invalid" });
      if (!input.to) issues.push({ field: "to", problem: "missing" });
      else if (!to) issues.push({ field: "to", problem: "invalid" });
      if (from && to && isoDay(from) > isoDay(to)) issues.push({ field: "to", problem: "order" });
      if (issues.length > 0 || !from || !to) return { issues };
      return span(
        "custom",
        wibMidnight(from.year, from.month, from.day),
        wibMidnight(to.year, to.month, to.day + 1),
      );
    }
  }
}
