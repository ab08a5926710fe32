import { runAfter, type ServiceDeps } from "../deps";

/**
 * How long a scheduled refresh waits for more businesses before it runs. Requests arriving in the
 * window join the same run: one matcher catch-up and one D1 batch for all of them instead of one
 * each (`npm run load`: BENCHMARKS.md, "eighth session").
 */
export const REFRESH_BATCH_WINDOW_MS = 50;

/**
 * After this long a scheduled run that has not taken its ids is taken for lost (its request's
 * `waitUntil` was cut off, the isolate kept running): the next business schedules a new one. A run
 * takes its ids when its window ends, so this need only be far longer than the window.
 */
const LOST_AFTER_MS = 10_000;

/** What a run does with the businesses gathered in its window, at `now` (epoch ms, when it starts). */
export type RefreshRun = (ids: string[], now: number) => Promise<void>;

interface Pending {
  ids: Set<string>;
  /** When the run that will take `ids` was scheduled; null when none is. */
  scheduledAt: number | null;
}

/** Pending businesses per kind of refresh and deployment (shard), in this isolate. */
const pending = new Map<string, Pending>();
/** Runs scheduled or running in this isolate (tests wait for none: `refreshesSettled`). */
let inFlight = 0;

/**
 * Runs `run` for `id` after the response, together with the other businesses of the same `kind`
 * that requests of this isolate hand over within {@link REFRESH_BATCH_WINDOW_MS}. The run belongs
 * to the request that scheduled it (its `defer`, i.e. `waitUntil`); later requests only add ids, so
 * no request waits on another's I/O (workerd forbids it: matcher.cache.ts). Without `defer` (tests,
 * scripts) the run is awaited at once for `id` alone, so its effects are visible on return.
 *
 * Best effort, as every follow-up of a write: a failed run is logged and its ids dropped. What a
 * run keeps up to date is also marked in D1 (stale sets stay stale until a recompute clears them),
 * so a lost run leaves work for the next read or the nightly recompute, never a wrong answer.
 */
export async function refreshLater(
  deps: ServiceDeps,
  kind: string,
  id: string,
  run: RefreshRun,
): Promise<void> {
  if (!deps.defer) {
    await runAfter(deps, kind, () => run([id], Date.now()));
    return;
  }
  const key = `${kind}|${deps.shard?.name ?? ""}`;
  let queue = pending.get(key);
  if (!queue) {
    queue = { ids: new Set(), scheduledAt: null };
    pending.set(key, queue);
  }
  queue.ids.add(id);
  const now = Date.now();
  if (queue.scheduledAt !== null && now - queue.scheduledAt < LOST_AFTER_MS) return;
  queue.scheduledAt = now;
  const q = queue;
  inFlight++;
  await runAfter(deps, kind, async () => {
    try {
      await new Promise((resolve) => setTimeout(resolve, REFRESH_BATCH_WINDOW_MS));
      const ids = [...q.ids];
      q.ids.clear();
      q.scheduledAt = null;
      if (ids.length > 0) await run(ids, Date.now());
    } finally {
      inFlight--;
    }
  });
}

/** True when no refresh is waiting or running in this isolate (tests poll it; never awaited). */
export function refreshesSettled(): boolean {
  return inFlight === 0;
}
