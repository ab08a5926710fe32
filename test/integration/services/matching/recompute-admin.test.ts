import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../../../../src/index";
import { call, expectProblem, industryBody, officerKey, seedBusiness, serviceBody } from "../../helpers";

interface RunJson {
  runId: string;
  mode: string;
  trigger: string;
  messages: number;
  doneMessages: number;
  businesses: number;
  finishedAt: string | null;
}

async function latestRun(trigger: string) {
  return env.DB.prepare("select * from recompute_runs where trigger = ? order by started_at desc limit 1")
    .bind(trigger)
    .first<{ id: string; mode: string; messages: number; businesses: number }>();
}

describe("POST /v1/admin/recompute", () => {
  it("starts a full run on the queue, which the consumer then finishes", async () => {
    const key = await officerKey();
    const maker = await seedBusiness(industryBody());
    await seedBusiness(serviceBody());
    const res = await call("/v1/admin/recompute", { key, body: { mode: "full" } });
    expect(res.status).toBe(202);
    const started = (await res.json()) as {
      runId: string;
      enqueued: { messages: number; businesses: number };
    };
    const active = await env.DB.prepare("select count(*) as n from businesses where active = 1").first<{
      n: number;
    }>();
    expect(started.enqueued.businesses).toBe(active?.n);
    expect(started.enqueued.messages).toBe(Math.ceil((active?.n ?? 0) / Number(env.RECOMPUTE_CHUNK_SIZE)));

    // Miniflare delivers the messages to this Worker's queue handler.
    const run = await vi.waitFor(
      async () => {
        const r = await call(`/v1/admin/recompute/${started.runId}`, { key });
        expect(r.status).toBe(200);
        const body = (await r.json()) as RunJson;
        expect(body.finishedAt).not.toBeNull();
        return body;
      },
      { timeout: 20_000, interval: 250 },
    );
    expect(run).toMatchObject({ mode: "full", doneMessages: started.enqueued.messages });
    const set = await env.DB.prepare("select run_id from suggestion_sets where business_id = ?")
      .bind(maker.business.id)
      .first<{ run_id: string }>();
    expect(set?.run_id).toBe(started.runId);
  });

  it("defaults to an incremental run", async () => {
    const key = await officerKey();
    const res = await call("/v1/admin/recompute", { key, body: {} });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    const run = (await (await call(`/v1/admin/recompute/${runId}`, { key })).json()) as RunJson;
    expect(run.mode).toBe("incremental");
    expect(run.trigger).toMatch(/^officer:/);
  });

  it("rejects anonymous callers with 401 and business keys with 403", async () => {
    const business = await seedBusiness(industryBody());
    await expectProblem(await call("/v1/admin/recompute", { body: { mode: "full" } }), 401);
    await expectProblem(
      await call("/v1/admin/recompute", { key: business.apiKey, body: { mode: "full" } }),
      403,
    );
    await expectProblem(await call("/v1/admin/recompute/run_x", { key: business.apiKey }), 403);
  });

  it("rejects an unknown mode with 422 and an unknown run with 404", async () => {
    const key = await officerKey();
    const problem = await expectProblem(
      await call("/v1/admin/recompute", { key, body: { mode: "all" } }),
      422,
    );
    expect(problem.errors?.map((e) => e.path)).toEqual(["mode"]);
    await expectProblem(await call("/v1/admin/recompute/run_nope", { key }), 404);
  });
});

describe("scheduled recompute", () => {
  it("starts an incremental run at 02:00 WIB (19:00 UTC) and a full one on Sundays", async () => {
    await seedBusiness(industryBody());
    for (const [cron, mode] of [
      ["0 19 * * *", "incremental"],
      ["0 20 * * 6", "full"],
    ] as const) {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron, scheduledTime: Date.now() }), env, ctx);
      await waitOnExecutionContext(ctx);
      expect((await latestRun(`cron:${cron}`))?.mode).toBe(mode);
    }
    const full = await latestRun("cron:0 20 * * 6");
    const active = await env.DB.prepare("select count(*) as n from businesses where active = 1").first<{
      n: number;
    }>();
    expect(full?.businesses).toBe(active?.n);
  });

  it("ignores a cron it does not know", async () => {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "*/5 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await latestRun("cron:*/5 * * * *")).toBeNull();
  });
});
