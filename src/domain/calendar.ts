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
