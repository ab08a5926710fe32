import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CRON_JOBS, findJob, isJobsQueue, JOBS } from "../../../src/jobs/registry";
import { periodKeys } from "../../../src/services/digests/digest-config";
import { digestBackoffMs } from "../../../src/services/notifications/outbox-lease";

describe("job registry", () => {
  it("maps exactly the crons in wrangler.toml, each to registered jobs", () => {
    const toml = readFileSync(new URL("../../../wrangler.toml", import.meta.url), "utf8");
    const line = /^crons = (\[.*\])$/m.exec(toml)?.[1];
    const crons = JSON.parse(line ?? "[]") as string[];
    expect(crons.length).toBeGreaterThan(0);
    expect(Object.keys(CRON_JOBS).sort()).toEqual([...crons].sort());
    for (const names of Object.values(CRON_JOBS)) {
      for (const name of names) expect(findJob(name), name).toBeDefined();
    }
    // Every job has a stable kebab-case name, once.
    expect(new Set(JOBS.map((j) => j.name)).size).toBe(JOBS.length);
    for (const job of JOBS) expect(job.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("documents each cron's Asia/Jakarta time next to it in wrangler.toml", () => {
    const toml = readFileSync(new URL("../../../wrangler.toml", import.meta.url), "utf8");
    for (const cron of Object.keys(CRON_JOBS)) {
      expect(toml).toMatch(new RegExp(`# "${cron.replace(/\*/g, "\\*")}" .* WIB`));
    }
  });
});

describe("digest periods (Asia/Jakarta calendar)", () => {
  it("names the ISO week and the month of the WIB date", () => {
    // Monday 7 Dec 2026 07:00 WIB.
    expect(periodKeys(Date.UTC(2026, 11, 7, 0, 0))).toEqual({ weekly: "2026-W50", monthly: "2026-12" });
    // Sunday 6 Dec 2026 17:00 UTC is already Monday 00:00 WIB.
    expect(periodKeys(Date.UTC(2026, 11, 6, 17, 0)).weekly).toBe("2026-W50");
    expect(periodKeys(Date.UTC(2026, 11, 6, 16, 59)).weekly).toBe("2026-W49");
    // Friday 1 Jan 2027 belongs to ISO week 53 of 2026; Monday 4 Jan 2027 starts 2027-W01.
    expect(periodKeys(Date.UTC(2027, 0, 1, 3, 0))).toEqual({ weekly: "2026-W53", monthly: "2027-01" });
    expect(periodKeys(Date.UTC(2027, 0, 4, 0, 0)).weekly).toBe("2027-W01");
    // 31 Dec 2026 20:00 UTC is 1 Jan 2027 WIB.
    expect(periodKeys(Date.UTC(2026, 11, 31, 20, 0)).monthly).toBe("2027-01");
  });

  it("tells the jobs queue from the recompute queue, a shard deployment's own names too", () => {
    const toml = readFileSync(new URL("../../../wrangler.toml", import.meta.url), "utf8");
    const consumed = [...toml.matchAll(/\[\[queues\.consumers\]\]\s*\nqueue = "([^"]+)"/g)].map((m) => m[1]);
    expect(consumed.filter((q) => isJobsQueue(q as string))).toEqual(["kemitraan-jobs"]);
    expect(consumed.filter((q) => !isJobsQueue(q as string))).toEqual(["kemitraan-recompute"]);
    expect(isJobsQueue("kemitraan-jombang-jobs")).toBe(true);
    expect(isJobsQueue("kemitraan-jombang-recompute")).toBe(false);
  });

  it("backs off 1 min, 5 min, 30 min, then 2 h", () => {
    expect([1, 2, 3, 4, 5].map(digestBackoffMs)).toEqual([60_000, 300_000, 1_800_000, 7_200_000, 7_200_000]);
  });
});
