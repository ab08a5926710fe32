import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../../src/index";
import { CRON_JOBS, JOBS_QUEUE_NAME } from "../../../src/jobs/registry";
import { periodKeys } from "../../../src/services/digests/digest-config";
import { DAY, monday, outboxRows, requestAt, seedMatchedPair } from "../services/digests/digests.helpers";

/** Fires a cron at the Worker's own scheduled handler; returns the names of the jobs that finished. */
async function fire(cron: string, scheduledTime: number): Promise<string[]> {
  const log = vi.spyOn(console, "log");
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron, scheduledTime }), env, ctx);
  await waitOnExecutionContext(ctx);
  const finished = log.mock.calls
    .map(([line]) => (typeof line === "string" && line.startsWith("{") ? JSON.parse(line) : null))
    .filter((entry) => entry?.msg === "job finished")
    .map((entry) => `${entry.job} ${entry.trigger}`);
  log.mockRestore();
  return finished;
}

afterEach(() => vi.restoreAllMocks());

describe("crons", () => {
  it("each cron runs its jobs, in order, triggered as cron:<expression>", async () => {
    await seedMatchedPair();
    for (const [cron, names] of Object.entries(CRON_JOBS)) {
      expect(await fire(cron, Date.now())).toEqual(names.map((name) => `${name} cron:${cron}`));
    }
  });

  it("the daily cron (06:00 WIB) expires overdue requests and reminds partners of those about to expire", async () => {
    const now = Date.UTC(2027, 0, 10, 23, 0);
    const overdue = await seedMatchedPair();
    const expired = await requestAt(overdue.shop.id, overdue.maker.id, now - 15 * DAY);
    const soon = await seedMatchedPair();
    const expiring = await requestAt(soon.shop.id, soon.maker.id, now - 12 * DAY);
    await fire("0 23 * * *", now);
    const rows = await env.DB.prepare("select id, status, reminded_at from partnerships where id in (?, ?)")
      .bind(expired.id, expiring.id)
      .all<{ id: string; status: string; reminded_at: number | null }>();
    const byId = new Map(rows.results.map((r) => [r.id, r]));
    expect(byId.get(expired.id)).toMatchObject({ status: "expired", reminded_at: null });
    expect(byId.get(expiring.id)).toMatchObject({ status: "requested", reminded_at: now });
    // The same cron again (a retry, a second fire) changes nothing more.
    await fire("0 23 * * *", now + 60_000);
    const again = await env.DB.prepare("select reminded_at from partnerships where id = ?")
      .bind(expiring.id)
      .first<{ reminded_at: number }>();
    expect(again?.reminded_at).toBe(now);
  });

  it("the Monday cron (07:00 WIB) sends the week's digests once, through the deployment's mailer", async () => {
    await seedMatchedPair();
    const now = monday(60);
    await fire("0 0 * * 1", now);
    const period = periodKeys(now).weekly;
    const rows = (await outboxRows(period)).filter((r) => r.status !== "skipped");
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
    await fire("0 0 * * 1", now + 5 * 60_000);
    const after = (await outboxRows(period)).filter((r) => r.status !== "skipped");
    expect(after.map((r) => [r.id, r.attempts])).toEqual(rows.map((r) => [r.id, 1]));
  });

  it("logs and ignores a cron it does not know", async () => {
    const warn = vi.spyOn(console, "warn");
    // Not in wrangler.toml (every 5 minutes is now send-notifications' cron).
    expect(await fire("7 7 7 7 *", Date.now())).toEqual([]);
    expect(warn.mock.calls.some(([line]) => String(line).includes('"unknown cron"'))).toBe(true);
  });
});

describe("jobs queue", () => {
  async function deliver(body: unknown) {
    const batch = createMessageBatch(JOBS_QUEUE_NAME, [
      { id: `job-${Math.random()}`, timestamp: new Date(), attempts: 1, body },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    return getQueueResult(batch, ctx);
  }

  it("runs a continuation in its run's period, on the run's clock", async () => {
    await seedMatchedPair();
    const runAt = monday(61);
    const enqueuedAt = Date.now() - 5_000;
    const result = await deliver({
      v: 1,
      job: "send-digests",
      trigger: "cron:0 0 * * 1",
      now: runAt,
      enqueuedAt,
    });
    expect(result.explicitAcks.length).toBe(1);
    const rows = (await outboxRows(periodKeys(runAt).weekly)).filter((r) => r.status === "sent");
    expect(rows.length).toBeGreaterThan(0);
    // Five seconds passed between enqueue and delivery: the clock moved on with them.
    const sentAt = await env.DB.prepare("select min(sent_at) as t from digest_outbox where period = ?")
      .bind(periodKeys(runAt).weekly)
      .first<{ t: number }>();
    expect(sentAt?.t).toBeGreaterThanOrEqual(runAt + 5_000);
    expect(sentAt?.t).toBeLessThan(runAt + 60_000);
  });

  it("acks and logs a message it can never run", async () => {
    const error = vi.spyOn(console, "error");
    for (const body of [
      { v: 1, job: "no-such-job", trigger: "x", now: 1, enqueuedAt: 1 },
      { hello: "world" },
    ]) {
      const result = await deliver(body);
      expect(result.explicitAcks.length).toBe(1);
      expect(result.retryMessages).toEqual([]);
    }
    expect(error.mock.calls.filter(([line]) => String(line).includes("poisoned job message"))).toHaveLength(
      2,
    );
  });
});
