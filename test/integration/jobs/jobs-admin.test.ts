import { describe, expect, it } from "vitest";
import { call, expectProblem, industryBody, officerKey, seedBusiness } from "../helpers";

interface JobRunJson {
  job: string;
  trigger: string;
  report: Record<string, unknown>;
  continuesInSeconds: number | null;
}

describe("POST /v1/admin/jobs/{name}", () => {
  it("runs a job for an admin and returns its report", async () => {
    const admin = await officerKey("admin");
    const res = await call("/v1/admin/jobs/expire-requests", { key: admin, method: "POST" });
    expect(res.status).toBe(200);
    const run = (await res.json()) as JobRunJson;
    expect(run.job).toBe("expire-requests");
    expect(run.trigger).toMatch(/^admin:/);
    expect(run.report).toMatchObject({
      expired: expect.any(Number),
      reminded: expect.any(Number),
      remaining: 0,
    });
    expect(run.continuesInSeconds).toBeNull();

    await seedBusiness(industryBody({ email: "admin-digest@example.id" }));
    const digests = (await (
      await call("/v1/admin/jobs/send-digests", { key: admin, method: "POST" })
    ).json()) as JobRunJson;
    expect(digests.report).toMatchObject({
      sent: expect.any(Number),
      skipped: expect.any(Number),
      failed: 0,
      remaining: 0,
    });
  });

  it("is for admins only: 401 anonymous, 403 for officers and businesses, 404 for an unknown job", async () => {
    const { apiKey } = await seedBusiness(industryBody({ email: "not-admin@example.id" }));
    await expectProblem(await call("/v1/admin/jobs/send-digests", { method: "POST" }), 401);
    await expectProblem(await call("/v1/admin/jobs/send-digests", { key: apiKey, method: "POST" }), 403);
    await expectProblem(
      await call("/v1/admin/jobs/send-digests", { key: await officerKey("officer"), method: "POST" }),
      403,
    );
    const admin = await officerKey("admin");
    await expectProblem(await call("/v1/admin/jobs/no-such-job", { key: admin, method: "POST" }), 404);
    await expectProblem(await call("/v1/admin/jobs/Bad_Name", { key: admin, method: "POST" }), 422);
  });

  it("lists the jobs and their crons to officers", async () => {
    const res = await call("/v1/admin/jobs", { key: await officerKey() });
    expect(res.status).toBe(200);
    const { jobs } = (await res.json()) as { jobs: Array<{ name: string; crons: string[] }> };
    expect(jobs.map((j) => [j.name, j.crons])).toEqual([
      ["recompute-incremental", ["0 19 * * *"]],
      ["recompute-full", ["0 20 * * 6"]],
      ["expire-requests", ["0 23 * * *"]],
      ["expire-sign-ups", ["0 23 * * *"]],
      ["propose-pairings", ["0 0 * * 1"]],
      ["send-digests", ["0 0 * * 1"]],
      ["send-notifications", ["*/5 * * * *"]],
      ["officer-summary", ["0 23 * * *"]],
    ]);
  });
});
