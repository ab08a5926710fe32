import { type Period, type PeriodKind, resolvePeriod } from "../../domain/calendar";
import { validationError } from "../../errors";

const MESSAGES = {
  missing: "Give a date (YYYY-MM-DD).",
  invalid: "Not a calendar date (YYYY-MM-DD).",
  order: "The end date is before the start date.",
} as const;

/**
 * The report period a query asks for: `period` (default `this_month`), or `custom` with `from` and
 * `to` (WIB dates, both included); `from`/`to` without `period` mean custom.
 *
 * @throws ApiError validation_failed naming `from`/`to` when a custom period is not a valid range.
 */
export function reportPeriod(
  query: { period?: PeriodKind | undefined; from?: string | undefined; to?: string | undefined },
  now: number,
): Period {
  const kind = query.period ?? (query.from || query.to ? "custom" : "this_month");
  const resolved = resolvePeriod({ kind, from: query.from, to: query.to }, now);
  if ("issues" in resolved)
    throw validationError(
      resolved.issues.map((i) => ({ path: i.field, message: MESSAGES[i.problem] })),
      "Invalid report period.",
    );
  return resolved.period;
}
