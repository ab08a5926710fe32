import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../../../src/index";
import { updateBusiness } from "../../../../src/services/businesses/update.service";
import { resetMatcherCache } from "../../../../src/services/matching/matches.service";
import {
  type RecomputeMessage,
  retryDelaySeconds,
  startRecompute,
} from "../../../../src/services/matching/recompute.service";
import { deps, industryBody, seedBusiness, serviceBody } from "../../helpers";

/** A stand-in producer that keeps what was sent, so tests can deliver it to the consumer. */
function fakeQueue() {
  const sent: RecomputeMessage[] = [];
  return {
    sent,
    queue: {
      async sendBatch(messages: Iterable<MessageSendRequest<RecomputeMessage>>) {
        for (const m of messages) sent.push(m.body);
        return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } } as QueueSendBatchResponse;
      },
    },
  };
}

let messageCounter = 0;
/** Delivers bodies to the Worker's own `queue` handler and returns the ack/retry result. */
async function deliver(bodies: unknown[], attempts = 1) {
  const batch = createMessageBatch(
    "kemitraan-recompute",
    bodies.map((body) => {
      messageCounter += 1;
      return { id: `msg-${messageCounter}`, timestamp: new Date(), attempts, body };
    }),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return { result: await getQueueResult(batch, ctx), ids: batch.messages.map((m) => m.id) };
}

async function activeCount(): Promise<number> {
  const row = await env.DB.prepare("select count(*) as n from businesses where active = 1").first<{
    n: number;
  }>();
  return row?.n ?? 0;
}

async function run(runId: string) {
  return env.DB.prepare("select * from recompute_runs where id = ?").bind(runId).first<{
    messages: number;
    businesses: number;
    done_messages: number;
    finished_at: number | null;
    trigger: string;
  }>();
}

async function setRow(businessId: string) {
  return env.DB.prepare("select run_id, stale_since from suggestion_sets where business_id = ?")
    .bind(businessId)
    .first<{ run_id: string | null; stale_since: number | null }>();
}

async function seedSome(n: number) {
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push(await seedBusiness(industryBody({ name: `Sepatu ${i}` })));
    out.push(await seedBusiness(serviceBody({ name: `Toko ${i}` })));
  }
  return out;
}

/** Runs a full recompute through the fake queue and the real consumer, so every set is fresh. */
async function settleAll(now: number) {
  const { sent, queue } = fakeQueue();
  const started = await startRecompute(
    { ...deps(), queue, chunkSize: 50 },
    { mode: "full", now, trigger: "test" },
  );
  await deliver(sent);
  return started;
}

describe("recompute queue", () => {
  it("backs off 10 s, 20 s, 40 s ... up to 5 minutes between retries", () => {
    expect([1, 2, 3, 10].map(retryDelaySeconds)).toEqual([10, 20, 40, 300]);
  });

  it("enqueues every active business in chunks for a full run", async () => {
    await seedSome(3);
    const active = await activeCount();
    const { sent, queue } = fakeQueue();
    const started = await startRecompute(
      { ...deps(), queue, chunkSize: 2 },
      { mode: "full", now: Date.now(), trigger: "test" },
    );
    expect(started.enqueued).toEqual({ messages: Math.ceil(active / 2), businesses: active });
    expect(sent).toHaveLength(Math.ceil(active / 2));
    expect(sent.map((m) => m.seq)).toEqual(sent.map((_, i) => i));
    for (const m of sent) {
      expect(m).toMatchObject({ v: 1, runId: started.runId, mode: "full" });
      expect(m.ids.length).toBeLessThanOrEqual(2);
    }
    expect(new Set(sent.flatMap((m) => m.ids)).size).toBe(active);
    expect(await run(started.runId)).toMatchObject({
      messages: sent.length,
      businesses: active,
      finished_at: null,
    });
  });

  it("consumes messages: writes every set, finishes the run, and counts a redelivery once", async () => {
    const seeded = await seedSome(2);
    const { sent, queue } = fakeQueue();
    const started = await startRecompute(
      { ...deps(), queue, chunkSize: 3 },
      { mode: "full", now: Date.now(), trigger: "test" },
    );
    const { result, ids } = await deliver(sent);
    expect(result.explicitAcks.sort()).toEqual([...ids].sort());
    expect(result.retryMessages).toEqual([]);
    for (const b of seeded) {
      expect(await setRow(b.business.id)).toEqual({ run_id: started.runId, stale_since: null });
    }
    const finished = await run(started.runId);
    expect(finished?.done_messages).toBe(sent.length);
    expect(finished?.finished_at).not.toBeNull();

    const id = seeded[0]?.business.id ?? "";
    const rowsBefore = await env.DB.prepare(
      "select * from suggestions where business_id = ? order by score desc, candidate_id",
    )
      .bind(id)
      .all();
    const again = await deliver([sent[0]]);
    expect(again.result.explicitAcks).toEqual(again.ids);
    const rowsAfter = await env.DB.prepare(
      "select * from suggestions where business_id = ? order by score desc, candidate_id",
    )
      .bind(id)
      .all();
    expect(rowsAfter.results).toEqual(rowsBefore.results);
    expect((await run(started.runId))?.done_messages).toBe(sent.length);
  });

  it("enqueues nothing incrementally when every set is fresh, and only what an edit affected after one", async () => {
    const seeded = await seedSome(2);
    await settleAll(Date.now());
    const { sent, queue } = fakeQueue();
    const idle = await startRecompute(
      { ...deps(), queue, chunkSize: 2 },
      { mode: "incremental", now: Date.now(), trigger: "test" },
    );
    expect(idle.enqueued).toEqual({ messages: 0, businesses: 0 });
    expect(sent).toEqual([]);
    expect((await run(idle.runId))?.finished_at).not.toBeNull();

    const edited = seeded[1]?.business.id ?? "";
    await updateBusiness(deps(), {
      id: edited,
      patch: { needs: "Mencari pemasok sandal kulit" },
      actor: { kind: "officer", id: "test", role: "officer" },
      now: Date.now(),
    });
    const after = fakeQueue();
    const incremental = await startRecompute(
      { ...deps(), queue: after.queue, chunkSize: 2 },
      { mode: "incremental", now: Date.now(), trigger: "test" },
    );
    const ids = after.sent.flatMap((m) => m.ids);
    const active = await activeCount();
    expect(incremental.enqueued.businesses).toBe(ids.length);
    expect(incremental.enqueued.messages).toBe(Math.ceil(ids.length / 2));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(active);
    // The industries that listed the edited shop (all of this file's, at this size) are picked up...
    for (const b of seeded.filter((x) => x.business.sector === "industry"))
      expect(ids).toContain(b.business.id);
    // ...while the edited business itself was rescored at once and needs nothing.
    expect(ids).not.toContain(edited);
  });

  it("retries a chunk whose write fails, with a delay, and acks nothing", async () => {
    const seeded = await seedSome(1);
    const body: RecomputeMessage = {
      v: 1,
      runId: "run_missing",
      mode: "full",
      seq: 0,
      ids: [seeded[0]?.business.id ?? ""],
    };
    await env.DB.exec("ALTER TABLE suggestions RENAME TO suggestions_away");
    let outcome: Awaited<ReturnType<typeof deliver>>;
    try {
      outcome = await deliver([body], 2);
    } finally {
      await env.DB.exec("ALTER TABLE suggestions_away RENAME TO suggestions");
    }
    expect(outcome.result.explicitAcks).toEqual([]);
    expect(outcome.result.retryMessages.map((m) => m.msgId)).toEqual(outcome.ids);
    // Once the fault is gone, the same message succeeds.
    const retried = await deliver([body], 3);
    expect(retried.result.explicitAcks).toEqual(retried.ids);
  });

  it("acks a poisoned message after sending it to the dead-letter queue, without retrying it", async () => {
    const seeded = await seedSome(1);
    const good: RecomputeMessage = {
      v: 1,
      runId: "run_x",
      mode: "full",
      seq: 0,
      ids: [seeded[0]?.business.id ?? ""],
    };
    const { result, ids } = await deliver([{ hello: "world" }, "not even an object", good]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks.sort()).toEqual([...ids].sort());
    expect(await setRow(seeded[0]?.business.id ?? "")).toMatchObject({ run_id: "run_x" });
  });

  it("removes the stored set of a business that is no longer active instead of failing", async () => {
    const [maker] = await seedSome(1);
    const id = maker?.business.id ?? "";
    // Behind the API's back (no revision bump), so the isolate's matcher must be told to reload.
    await env.DB.prepare("update businesses set active = 0 where id = ?").bind(id).run();
    resetMatcherCache();
    const { result, ids } = await deliver([{ v: 1, runId: "run_y", mode: "full", seq: 0, ids: [id] }]);
    expect(result.explicitAcks).toEqual(ids);
    expect(await setRow(id)).toBeNull();
  });
});
