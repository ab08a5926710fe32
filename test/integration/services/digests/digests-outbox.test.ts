import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { EmailMessage, Mailer } from "../../../../src/email/mailer";
import { MemoryMailer } from "../../../../src/email/mailer";
import { periodKeys } from "../../../../src/services/digests/digest-config";
import { runDigestChunk } from "../../../../src/services/digests/digest-run.service";
import { sendDueDigests } from "../../../../src/services/digests/digest-send.service";
import { LEASE_MS, MAX_ATTEMPTS } from "../../../../src/services/notifications/outbox-lease";
import {
  digestDeps,
  expectExactlyOnce,
  FlakyMailer,
  monday,
  outboxRows,
  runUntilIdle,
  seedMatchedPair,
} from "./digests.helpers";

/**
 * Exactly once per recipient and period. Every test here runs in its own week (its own period), and
 * checks every recipient of that period, including the businesses earlier tests seeded.
 */
describe("digest outbox", () => {
  it("sends each recipient one digest however often the job runs in a period", async () => {
    await seedMatchedPair();
    await seedMatchedPair();
    const now = monday(0);
    const period = periodKeys(now).weekly;
    const mailer = new MemoryMailer();
    const first = await runUntilIdle(digestDeps(mailer), now);
    expect(first.at(-1)?.remaining).toBe(0);
    expect(first.reduce((n, r) => n + r.sent, 0)).toBe(mailer.sent.length);
    await expectExactlyOnce(period, mailer.sent);

    // The cron fires again, an admin reruns it, a continuation arrives late: nothing more is sent.
    const again = await runUntilIdle(digestDeps(mailer), now + 60_000);
    expect(again.map((r) => [r.planned, r.sent])).toEqual([[0, 0]]);
    await runUntilIdle(digestDeps(mailer), now + 3 * 24 * 3600_000);
    await expectExactlyOnce(period, mailer.sent);
  });

  it("never sends twice when two runs race", async () => {
    await seedMatchedPair();
    const now = monday(1);
    const mailer = new MemoryMailer();
    await Promise.all([
      runUntilIdle(digestDeps(mailer, 2), now),
      runUntilIdle(digestDeps(mailer, 2), now),
      runUntilIdle(digestDeps(mailer, 3), now),
    ]);
    await expectExactlyOnce(periodKeys(now).weekly, mailer.sent);
  });

  it("retries the sends that failed half-way, after their backoff, and records the error", async () => {
    await seedMatchedPair();
    const now = monday(2);
    const period = periodKeys(now).weekly;
    // Every other send fails.
    const mailer = new FlakyMailer((call) => call % 2 === 0);
    const first = await runUntilIdle(digestDeps(mailer), now);
    const report = first.at(-1);
    expect(report?.retrying).toBeGreaterThan(0);
    expect(report?.continueInSeconds).toBe(60);
    const pending = (await outboxRows(period)).filter((r) => r.status === "pending");
    expect(pending.length).toBeGreaterThan(0);
    for (const r of pending) {
      expect(r.attempts).toBe(1);
      expect(r.last_error).toMatch(/SMTP 451/);
      expect(r.next_attempt_at).toBe(now + 60_000);
    }
    // Before the backoff nothing is retried.
    const early = await runDigestChunk(digestDeps(new MemoryMailer()), { now: now + 30_000 });
    expect(early.sent).toBe(0);
    // After it, with a healthy mailer, every one of them goes, once.
    const healthy = new MemoryMailer();
    await runUntilIdle(digestDeps(healthy), now + 61_000);
    expect(healthy.sent.length).toBe(pending.length);
    await expectExactlyOnce(period, [...mailer.delivered.sent, ...healthy.sent]);
  });

  it("resends what a run that died half-way had claimed, once its lease lapsed", async () => {
    await seedMatchedPair();
    await seedMatchedPair();
    const now = monday(3);
    const period = periodKeys(now).weekly;
    // The second send never returns: the invocation is killed with rows claimed but not sent.
    const delivered: EmailMessage[] = [];
    let calls = 0;
    const dying: Mailer = {
      send(message) {
        calls += 1;
        if (calls >= 2) return new Promise(() => {});
        delivered.push(message);
        return Promise.resolve();
      },
    };
    const killed = runDigestChunk(digestDeps(dying), { now });
    await Promise.race([killed, new Promise((resolve) => setTimeout(resolve, 300))]);
    const stuck = (await outboxRows(period)).filter((r) => r.status === "sending");
    expect(stuck.length).toBeGreaterThan(0);

    // Inside the lease another run leaves them alone...
    const inside = new MemoryMailer();
    await runDigestChunk(digestDeps(inside), { now: now + LEASE_MS - 1000 });
    expect(inside.sent.filter((m) => stuck.some((r) => r.email === m.to))).toEqual([]);
    // ...after it, they are sent, and nobody gets two.
    const after = new MemoryMailer();
    await runUntilIdle(digestDeps(after), now + LEASE_MS + 1000);
    await expectExactlyOnce(period, [...delivered, ...inside.sent, ...after.sent]);
  });

  it("works through any number of recipients in bounded chunks", async () => {
    for (let i = 0; i < 3; i++) await seedMatchedPair();
    const now = monday(4);
    const mailer = new MemoryMailer();
    const reports = await runUntilIdle(digestDeps(mailer, 2), now);
    expect(reports.length).toBeGreaterThan(3);
    for (const r of reports) {
      expect(r.planned + r.skipped).toBeLessThanOrEqual(2);
      expect(r.sent).toBeLessThanOrEqual(2);
    }
    expect(reports[0]?.continueInSeconds).toBe(0);
    expect(reports[0]?.remaining).toBeGreaterThan(0);
    expect(reports.at(-1)).toMatchObject({ remaining: 0, continueInSeconds: null });
    await expectExactlyOnce(periodKeys(now).weekly, mailer.sent);
  });

  it("marks a digest failed after its last attempt and stops retrying it", async () => {
    await seedMatchedPair();
    const now = monday(5);
    const period = periodKeys(now).weekly;
    const broken: Mailer = {
      async send() {
        throw new Error("connection refused");
      },
    };
    let t = now;
    await runDigestChunk(digestDeps(broken), { now: t });
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      t += 3 * 3600_000;
      await sendDueDigests(digestDeps(broken), { now: t, limit: 100 });
    }
    const rows = (await outboxRows(period)).filter((r) => r.status !== "skipped");
    expect(rows.every((r) => r.status === "failed" && r.attempts === MAX_ATTEMPTS)).toBe(true);
    const report = await runDigestChunk(digestDeps(new MemoryMailer()), { now: t + 24 * 3600_000 });
    expect(report).toMatchObject({ sent: 0, remaining: 0, continueInSeconds: null });
    const stored = await env.DB.prepare(
      "select last_error from digest_outbox where period = ? and status = 'failed'",
    )
      .bind(period)
      .first<{ last_error: string }>();
    expect(stored?.last_error).toBe("connection refused");
  });
});
