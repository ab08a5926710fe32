import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { isoDay, wibDate } from "../../../src/domain/calendar";
import { inviteBusinesses } from "../../../src/services/forums/invitations.service";
import { runForumSchedule } from "../../../src/services/forums/schedule.service";
import { call, deps, expectProblem, industryBody, officerKey, seedBusiness, serviceBody } from "../helpers";
import { forumOfficer, newForum } from "../services/forums/forums.helpers";

/** The owner's forum API (src/routes/forum-participation.routes.ts), called with business keys. */

async function setup(tag: string, overrides: Parameters<typeof newForum>[0] = {}) {
  const shop = await seedBusiness(serviceBody({ name: `Toko ${tag}`, email: `${tag}-s@example.id` }));
  const maker = await seedBusiness(industryBody({ name: `UD ${tag}`, email: `${tag}-i@example.id` }));
  const maker2 = await seedBusiness(
    industryBody({ name: `Sandal ${tag}`, email: `${tag}-i2@example.id`, offers: "Sandal kulit" }),
  );
  const outsider = await seedBusiness(serviceBody({ name: `Luar ${tag}`, email: `${tag}-o@example.id` }));
  const forum = await newForum(overrides);
  await inviteBusinesses(deps(), {
    forumId: forum.id,
    actor: forumOfficer,
    businessIds: [shop, maker, maker2].map((b) => b.business.id),
    now: Date.now(),
  });
  return { forum, shop, maker, maker2, outsider };
}

const post = (path: string, key: string, body: unknown) => call(path, { key, body });

describe("owner forum API", () => {
  it("answers the invitation; refuses an officer, a business not invited and an unknown slot", async () => {
    const { forum, shop, outsider } = await setup("api-inv");
    const path = `/v1/forums/${forum.id}/invitation`;
    let res = await post(path, shop.apiKey, { attending: true, available: ["09:20"] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "confirmed", available: ["09:20"] });
    res = await post(path, shop.apiKey, { attending: true });
    expect(await res.json()).toEqual({ status: "confirmed", available: ["09:00", "09:20", "09:40"] });
    await expectProblem(
      await post(path, shop.apiKey, { attending: true, available: ["08:00"] }),
      422,
      "validation_failed",
    );
    await expectProblem(await post(path, shop.apiKey, { available: [] }), 422, "validation_failed");
    await expectProblem(await post(path, outsider.apiKey, { attending: true }), 403, "not_a_participant");
    await expectProblem(await post(path, await officerKey(), { attending: true }), 403, "forbidden");
    await expectProblem(await post(path, "", { attending: true }), 401);
    await expectProblem(await post("/v1/forums/frm_NOPE/invitation", shop.apiKey, { attending: true }), 404);
  });

  it("keeps a partner the owner asked on the list below the limit, so the request can be withdrawn", async () => {
    const { forum, shop, maker, maker2 } = await setup("api-asked");
    for (const b of [shop, maker, maker2])
      expect((await post(`/v1/forums/${forum.id}/invitation`, b.apiKey, { attending: true })).status).toBe(
        200,
      );
    type Partners = { suggestions: Array<{ id: string; mine: string | null }> };
    const partners = async () =>
      (
        (await (
          await call(`/v1/forums/${forum.id}/partners?limit=1`, { key: shop.apiKey })
        ).json()) as Partners
      ).suggestions;
    const [first, ...rest] = await partners();
    expect(rest).toEqual([]);
    const lower = [maker, maker2].find((b) => b.business.id !== first?.id);
    if (!first || !lower) throw new Error("two makers expected");
    expect(
      (await post(`/v1/forums/${forum.id}/meeting-requests`, shop.apiKey, { toId: lower.business.id }))
        .status,
    ).toBe(201);
    expect(await partners()).toEqual([
      expect.objectContaining({ id: first.id, mine: null }),
      expect.objectContaining({ id: lower.business.id, mine: "requested" }),
    ]);
    const withdraw = `/v1/forums/${forum.id}/meeting-requests/${lower.business.id}`;
    expect((await call(withdraw, { key: shop.apiKey, method: "DELETE" })).status).toBe(200);
    expect((await partners()).map((p) => p.id)).toEqual([first.id]);
  });

  it("suggests partners among confirmed attendees, requests up to the limit, answers and marks", async () => {
    const { forum, shop, maker, maker2, outsider } = await setup("api-req", { maxRequests: 1 });
    for (const b of [shop, maker, maker2])
      expect((await post(`/v1/forums/${forum.id}/invitation`, b.apiKey, { attending: true })).status).toBe(
        200,
      );
    let res = await call(`/v1/forums/${forum.id}/partners?lang=en`, { key: shop.apiKey });
    expect(res.status).toBe(200);
    const partners = (await res.json()) as {
      suggestions: Array<{ id: string; why: string[]; mine: string | null }>;
      sentCounted: number;
      maxRequests: number;
    };
    expect(partners.suggestions.map((p) => p.id).sort()).toEqual(
      [maker.business.id, maker2.business.id].sort(),
    );
    expect(partners.suggestions[0]?.why.length).toBeGreaterThan(0);
    expect(partners).toMatchObject({ sentCounted: 0, maxRequests: 1 });
    await expectProblem(
      await call(`/v1/forums/${forum.id}/partners`, { key: outsider.apiKey }),
      403,
      "not_a_participant",
    );

    const requests = `/v1/forums/${forum.id}/meeting-requests`;
    res = await post(requests, shop.apiKey, { toId: maker.business.id });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ mutual: false });
    await expectProblem(
      await post(requests, shop.apiKey, { toId: maker2.business.id }),
      409,
      "too_many_meeting_requests",
    );
    await expectProblem(await post(requests, maker.apiKey, { toId: maker2.business.id }), 422, "same_sector");
    // Withdrawing an unanswered request frees the slot; withdrawing it again finds none.
    const withdraw = `${requests}/${maker.business.id}`;
    res = await call(withdraw, { key: shop.apiKey, method: "DELETE" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "withdrawn", was: "requested" });
    await expectProblem(await call(withdraw, { key: shop.apiKey, method: "DELETE" }), 404);
    res = await call(`/v1/forums/${forum.id}/partners`, { key: shop.apiKey });
    expect(((await res.json()) as { sentCounted: number }).sentCounted).toBe(0);
    expect((await post(requests, shop.apiKey, { toId: maker.business.id })).status).toBe(201);

    res = await call(`/v1/forums/${forum.id}/partners`, { key: maker.apiKey });
    const received = ((await res.json()) as { received: Array<{ id: string; theirs: string }> }).received;
    expect(received).toEqual([expect.objectContaining({ id: shop.business.id, theirs: "requested" })]);
    const answer = `${requests}/${shop.business.id}/answer`;
    res = await post(answer, maker.apiKey, { accept: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "accepted" });
    await expectProblem(await post(answer, maker.apiKey, { accept: false }), 404);

    res = await post(`/v1/forums/${forum.id}/not-interested`, maker2.apiKey, { otherId: shop.business.id });
    expect(res.status).toBe(200);
    res = await call(`/v1/forums/${forum.id}/partners`, { key: maker2.apiKey });
    const after = (await res.json()) as { suggestions: Array<{ id: string }> };
    expect(after.suggestions.map((p) => p.id)).not.toContain(shop.business.id);
  });

  it("withdraws an accepted request until the schedule is run; refuses none of one's own, after the run, once closed", async () => {
    const { forum, shop, maker, maker2, outsider } = await setup("api-wda");
    for (const b of [shop, maker, maker2])
      expect((await post(`/v1/forums/${forum.id}/invitation`, b.apiKey, { attending: true })).status).toBe(
        200,
      );
    const requests = `/v1/forums/${forum.id}/meeting-requests`;
    const accepted = async () => {
      expect((await post(requests, shop.apiKey, { toId: maker.business.id })).status).toBe(201);
      const res = await post(`${requests}/${shop.business.id}/answer`, maker.apiKey, { accept: true });
      expect(res.status).toBe(200);
    };
    const withdraw = `${requests}/${maker.business.id}`;
    await accepted();
    // Only the sender withdraws its own request: the maker has none to the shop, an outsider no part.
    await expectProblem(
      await call(`${requests}/${shop.business.id}`, { key: maker.apiKey, method: "DELETE" }),
      404,
    );
    await expectProblem(
      await call(withdraw, { key: outsider.apiKey, method: "DELETE" }),
      403,
      "not_a_participant",
    );
    let res = await call(withdraw, { key: shop.apiKey, method: "DELETE" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "withdrawn", was: "accepted" });
    res = await call(`/v1/forums/${forum.id}/partners`, { key: shop.apiKey });
    expect(((await res.json()) as { sentCounted: number }).sentCounted).toBe(0);
    res = await call(`/v1/forums/${forum.id}/partners`, { key: maker.apiKey });
    expect(((await res.json()) as { received: unknown[] }).received).toEqual([]);
    const { results } = await env.DB.prepare(
      "select from_state as fromState, details from audit_log where entity_type = 'forum' and entity_id = ? and action = 'withdraw_meeting_request'",
    )
      .bind(forum.id)
      .all<{ fromState: string; details: string }>();
    expect(results.map((r) => [r.fromState, JSON.parse(r.details)])).toEqual([
      ["accepted", { fromId: shop.business.id, toId: maker.business.id }],
    ]);

    // After the schedule run an accepted request stays (the officer changes the schedule)...
    await accepted();
    await runForumSchedule(deps(), { forumId: forum.id, actor: forumOfficer, now: Date.now() });
    await expectProblem(await call(withdraw, { key: shop.apiKey, method: "DELETE" }), 409, "forum_scheduled");
    res = await call(`/v1/forums/${forum.id}/partners`, { key: shop.apiKey });
    expect(((await res.json()) as { sentCounted: number }).sentCounted).toBe(1);
    // ...while an unanswered one can still be withdrawn.
    expect((await post(requests, shop.apiKey, { toId: maker2.business.id })).status).toBe(201);
    res = await call(`${requests}/${maker2.business.id}`, { key: shop.apiKey, method: "DELETE" });
    expect(await res.json()).toEqual({ status: "withdrawn", was: "requested" });

    // A closed forum takes no change.
    await env.DB.prepare("update forums set status = 'closed' where id = ?").bind(forum.id).run();
    await expectProblem(await call(withdraw, { key: shop.apiKey, method: "DELETE" }), 409, "forum_not_open");
  });

  it("rates a meeting; two lanjut open a partnership request; another business's meeting is a 404", async () => {
    const { forum, shop, maker, outsider } = await setup("api-rate", { date: isoDay(wibDate(Date.now())) });
    for (const b of [shop, maker])
      expect((await post(`/v1/forums/${forum.id}/invitation`, b.apiKey, { attending: true })).status).toBe(
        200,
      );
    await runForumSchedule(deps(), { forumId: forum.id, actor: forumOfficer, now: Date.now() });
    const agenda = (await (await call(`/v1/forums/${forum.id}/agenda`, { key: shop.apiKey })).json()) as {
      items: Array<{ meetingId: string }>;
    };
    const meetingId = agenda.items[0]?.meetingId ?? "";
    expect(meetingId).toMatch(/^fmt_/);
    const rate = `/v1/forum-meetings/${meetingId}/rating`;
    await expectProblem(await post(rate, shop.apiKey, { rating: "bagus" }), 422, "validation_failed");
    await expectProblem(await post(rate, outsider.apiKey, { rating: "lanjut" }), 404);
    let res = await post(rate, shop.apiKey, { rating: "lanjut" });
    expect(await res.json()).toEqual({ rating: "lanjut", partnershipId: null, followUpRefused: null });
    res = await post(rate, maker.apiKey, { rating: "lanjut" });
    expect(res.status).toBe(200);
    const result = (await res.json()) as { partnershipId: string; followUpRefused: null };
    expect(result.partnershipId).toMatch(/^ptn_/);
    const p = await call(`/v1/partnerships/${result.partnershipId}`, { key: shop.apiKey });
    expect(await p.json()).toMatchObject({ status: "requested", origin: "forum" });
  });
});
