import { env } from "cloudflare:workers";
import { vi } from "vitest";

/**
 * Counts D1 round trips made from now on, whatever binding instance makes them: batches, and
 * statements run on their own. The returned function reads the counts and removes the spies.
 */
export function countD1RoundTrips(): () => { batches: number; single: number } {
  const statement = Object.getPrototypeOf(env.DB.prepare("select 1")) as D1PreparedStatement;
  const spies = {
    batch: vi.spyOn(Object.getPrototypeOf(env.DB) as D1Database, "batch"),
    single: (["all", "raw", "run", "first"] as const).map((m) => vi.spyOn(statement, m)),
  };
  return () => {
    const counts = {
      batches: spies.batch.mock.calls.length,
      single: spies.single.reduce((n, spy) => n + spy.mock.calls.length, 0),
    };
    spies.batch.mockRestore();
    for (const spy of spies.single) spy.mockRestore();
    return counts;
  };
}
