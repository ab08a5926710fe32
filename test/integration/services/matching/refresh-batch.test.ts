import { afterEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../../../../src/db";
import type { ServiceDeps } from "../../../../src/services/deps";
import {
  REFRESH_BATCH_WINDOW_MS,
  refreshesSettled,
  refreshLater,
} from "../../../../src/services/matching/refresh-batch";

/** Deps whose `defer` keeps what it is handed (as `waitUntil` would), for the test to await. */
function deferringDeps(shard?: string) {
  const deferred: Promise<unknown>[] = [];
  const deps: ServiceDeps = {
    db: {} as Database,
    defer: (work) => {
      deferred.push(work);
    },
    ...(shard ? { shard: { name: shard, neighbours: [] } as unknown as ServiceDeps["shard"] } : {}),
  };
  return { deps, deferred };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("refreshLater: follow-up work batched per isolate", () => {
  it("runs at once for the one id when the caller cannot defer", async () => {
    const runs: string[][] = [];
    await refreshLater({ db: {} as Database }, "t-inline", "a", async (ids) => {
      runs.push(ids);
    });
    expect(runs).toEqual([["a"]]);
  });

  it("gathers the ids handed over within the window into one run, owned by the first request", async () => {
    const runs: Array<{ ids: string[]; now: number }> = [];
    const run = async (ids: string[], now: number) => {
      runs.push({ ids, now });
    };
    const first = deferringDeps();
    const second = deferringDeps();
    const started = Date.now();
    await refreshLater(first.deps, "t-batch", "a", run);
    await refreshLater(second.deps, "t-batch", "b", run);
    await refreshLater(second.deps, "t-batch", "a", run);
    // The responses are not held up: nothing ran yet, and only the first request deferred a run.
    expect(runs).toEqual([]);
    expect(first.deferred).toHaveLength(1);
    expect(second.deferred).toHaveLength(0);
    expect(refreshesSettled()).toBe(false);
    await Promise.all(first.deferred);
    expect(runs.map((r) => r.ids)).toEqual([["a", "b"]]);
    expect(runs[0]?.now).toBeGreaterThanOrEqual(started + REFRESH_BATCH_WINDOW_MS - 1);
    expect(refreshesSettled()).toBe(true);

    // The next id opens a new window, with a run of its own.
    const third = deferringDeps();
    await refreshLater(third.deps, "t-batch", "c", run);
    expect(third.deferred).toHaveLength(1);
    await Promise.all(third.deferred);
    expect(runs.map((r) => r.ids)).toEqual([["a", "b"], ["c"]]);
  });

  it("keeps kinds and shards apart: each runs with its own deps", async () => {
    const runs: string[] = [];
    const own = deferringDeps();
    const jombang = deferringDeps("jombang");
    await refreshLater(own.deps, "t-apart", "a", async (ids) => {
      runs.push(`own:${ids.join()}`);
    });
    await refreshLater(jombang.deps, "t-apart", "b", async (ids) => {
      runs.push(`jombang:${ids.join()}`);
    });
    await refreshLater(own.deps, "t-apart-other", "c", async (ids) => {
      runs.push(`other:${ids.join()}`);
    });
    expect([own.deferred.length, jombang.deferred.length]).toEqual([2, 1]);
    await Promise.all([...own.deferred, ...jombang.deferred]);
    expect(runs.sort()).toEqual(["jombang:b", "other:c", "own:a"]);
  });

  it("schedules a new run when the scheduled one never started (its request was cut off)", async () => {
    const runs: string[][] = [];
    const run = async (ids: string[]) => {
      runs.push(ids);
    };
    const lost = { deps: { db: {} as Database, defer: () => {} } as ServiceDeps };
    // The first run is scheduled, then the clock jumps past the time a run may take to start.
    const realNow = Date.now.bind(Date);
    await refreshLater(lost.deps, "t-lost", "a", run);
    vi.spyOn(Date, "now").mockImplementation(() => realNow() + 11_000);
    const next = deferringDeps();
    await refreshLater(next.deps, "t-lost", "b", run);
    expect(next.deferred).toHaveLength(1);
    vi.restoreAllMocks();
    await Promise.all(next.deferred);
    // Whichever run took them, both ids ran once.
    await new Promise((resolve) => setTimeout(resolve, REFRESH_BATCH_WINDOW_MS * 2));
    expect(runs.flat().sort()).toEqual(["a", "b"]);
  });

  it("logs a failed run and lets the next window run", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const failing = deferringDeps();
    await refreshLater(failing.deps, "t-fail", "a", async () => {
      throw new Error("D1 unavailable");
    });
    await Promise.all(failing.deferred);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining("D1 unavailable"));
    const runs: string[][] = [];
    const next = deferringDeps();
    await refreshLater(next.deps, "t-fail", "b", async (ids) => {
      runs.push(ids);
    });
    await Promise.all(next.deferred);
    expect(runs).toEqual([["b"]]);
  });
});
