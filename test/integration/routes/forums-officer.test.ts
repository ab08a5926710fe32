import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DAY_MS, isoDay, wibDate } from "../../../src/domain/calendar";
import { call, expectProblem, industryBody, officerKey, seedBusiness, serviceBody } from "../helpers";
import { confirmAll } from "../services/forums/forums.helpers";

/**
 * The officers' forum API past create and schedule: invitations, agendas, lock/move, arrivals,
 * lists, closing.
 */

let n = 0;
const tag = () => `${Date.now().toString(36)}${++n}`;

/** The WIB date `days` days from now ("YYYY-MM-DD"; negative for the past). */
const dayFromNow = (days: number) => isoDay(wibDate(Date.now() + days * DAY_MS));

async function newForum(key: string, date = "2026-12-10"): Promise<string> {
  const res = await call("/v1/forums", {
    key,
    body: {
      name: `Forum ${tag()}`,
      date,
      venue: "Pendopo Sabha Kridatama",
      meetingMinutes: 20,
      start: "09:00",
      end: "10:20",
      breaks: "09:40-10:00",
      tables: 2,
    },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function four() {
  const shops = [
    await seedBusiness(serviceBody({ name: `Toko Sepatu ${tag()}`, email: `as-${tag()}@example.id` })),
    await seedBusiness(serviceBody({ name: `Toko Sandal ${tag()}`, email: `as-${tag()}@example.id` })),
  ];
  const makers = [
    await seedBusiness(industryBody({ name: `UD Sepatu ${tag()}`, email: `ai-${tag()}@example.id` })),
    await seedBusiness(industryBody({ name: `UD Sandal ${tag()}`, email: `ai-${tag()}@example.id` })),
  ];
  return { shops, makers, ids: [...shops, ...makers].map((x) => x.business.id) };
}

interface Plan {
  slots: Array<{ start: string; tables: Array<{ tableNo: number; meetingId: string; locked: boolean }> }>;
}

describe("forum officer API", () => {
  it("invites chosen businesses or by filters; refuses no filter, a bad KBLI and a business key", async () => {
    const key = await officerKey();
    const { shops, ids } = await four();
    const id = await newForum(key);
    const chosen = await call(`/v1/forums/${id}/invitations`, {
      key,
      body: { businessIds: ids.slice(0, 2) },
    });
    expect(chosen.status).toBe(200);
    expect(await chosen.json()).toEqual({ invited: 2 });
    const again = await call(`/v1/forums/${id}/invitations`, { key, body: { businessIds: ids } });
    expect(await again.json()).toEqual({ invited: 2 });
    const byFilter = await call(`/v1/forums/${id}/invitations`, {
      key,
      body: { filters: { sector: "industry", kbli: "15201" } },
    });
    expect(byFilter.status).toBe(200);
    const none = await call(`/v1/forums/${id}/invitations`, { key, body: {} });
    const p = await expectProblem(none, 422, "validation_failed");
    expect(JSON.stringify(p)).toContain("filters");
    await expectProblem(
      await call(`/v1/forums/${id}/invitations`, { key, body: { filters: { kbli: "1x" } } }),
      422,
      "validation_failed",
    );
    await expectProblem(
      await call(`/v1/forums/${id}/invitations`, { key: shops[0]?.apiKey, body: { businessIds: ids } }),
      403,
    );
    await expectProblem(
      await call("/v1/forums/frm_nope/invitations", { key, body: { businessIds: ids } }),
      404,
    );

    const parts = await call(`/v1/forums/${id}/participants`, { key });
    expect(parts.status).toBe(200);
    const items = ((await parts.json()) as { items: Array<{ businessId: string; status: string }> }).items;
    for (const b of ids) expect(items.find((i) => i.businessId === b)?.status).toBe("invited");
  });

  it("sends agendas only after a schedule; locks, moves and refuses clashes; the table plan shows it", async () => {
    const key = await officerKey();
    const { ids } = await four();
    const id = await newForum(key);
    await call(`/v1/forums/${id}/invitations`, { key, body: { businessIds: ids } });
    await confirmAll(id, ids);
    await expectProblem(
      await call(`/v1/forums/${id}/agendas`, { key, method: "POST" }),
      409,
      "forum_not_open",
    );
    expect((await call(`/v1/forums/${id}/schedule`, { key, body: {} })).status).toBe(200);
    const sent = await call(`/v1/forums/${id}/agendas`, { key, method: "POST" });
    expect(await sent.json()).toEqual({ enqueued: 4 });

    const plan = (await (await call(`/v1/forums/${id}/table-plan`, { key })).json()) as Plan;
    expect(plan.slots.map((s) => s.start)).toEqual(["09:00", "09:20", "10:00"]);
    const first = plan.slots[0]?.tables[0];
    if (!first) throw new Error("no meeting in the first slot");
    const lock = await call(`/v1/forums/${id}/meetings/${first.meetingId}/lock`, { key, body: {} });
    expect(lock.status).toBe(200);
    expect(await lock.json()).toMatchObject({
      id: first.meetingId,
      slot: "09:00",
      tableNo: first.tableNo,
      locked: true,
    });

    await expectProblem(
      await call(`/v1/forums/${id}/meetings/${first.meetingId}/lock`, { key, body: { tableNo: 3 } }),
      422,
      "validation_failed",
    );
    const other = plan.slots[0]?.tables[1];
    if (other) {
      await expectProblem(
        await call(`/v1/forums/${id}/meetings/${other.meetingId}/lock`, {
          key,
          body: { tableNo: first.tableNo },
        }),
        409,
        "meeting_conflict",
      );
    }
    // A meeting is addressed through its own forum only.
    const elsewhere = await newForum(key);
    await expectProblem(
      await call(`/v1/forums/${elsewhere}/meetings/${first.meetingId}/lock`, { key, body: {} }),
      404,
    );
    const after = (await (await call(`/v1/forums/${id}/table-plan`, { key })).json()) as Plan;
    expect(after.slots[0]?.tables.find((t) => t.meetingId === first.meetingId)?.locked).toBe(true);
  });

  it("unlocks a locked meeting, audits it, and refuses an unlocked one, another forum's and a business", async () => {
    const key = await officerKey();
    const { shops, ids } = await four();
    const id = await newForum(key);
    await call(`/v1/forums/${id}/invitations`, { key, body: { businessIds: ids } });
    await confirmAll(id, ids);
    expect((await call(`/v1/forums/${id}/schedule`, { key, body: {} })).status).toBe(200);
    const plan = (await (await call(`/v1/forums/${id}/table-plan`, { key })).json()) as Plan;
    const first = plan.slots[0]?.tables[0];
    if (!first) throw new Error("no meeting in the first slot");
    const unlockPath = `/v1/forums/${id}/meetings/${first.meetingId}/unlock`;
    // Not locked yet: nothing to unlock.
    await expectProblem(await call(unlockPath, { key, method: "POST" }), 409, "meeting_not_locked");
    await call(`/v1/forums/${id}/meetings/${first.meetingId}/lock`, { key, body: {} });
    await expectProblem(await call(unlockPath, { key: shops[0]?.apiKey, method: "POST" }), 403, "forbidden");
    const elsewhere = await newForum(key);
    await expectProblem(
      await call(`/v1/forums/${elsewhere}/meetings/${first.meetingId}/unlock`, { key, method: "POST" }),
      404,
    );
    const res = await call(unlockPath, { key, method: "POST" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: first.meetingId,
      slot: "09:00",
      tableNo: first.tableNo,
      locked: false,
    });
    const after = (await (await call(`/v1/forums/${id}/table-plan`, { key })).json()) as Plan;
    expect(after.slots[0]?.tables.find((t) => t.meetingId === first.meetingId)?.locked).toBe(false);
    // Twice is a refusal, and only the one that unlocked wrote an audit row.
    await expectProblem(await call(unlockPath, { key, method: "POST" }), 409, "meeting_not_locked");
    const { results } = await env.DB.prepare(
      "select action, from_state as fromState, details from audit_log where entity_type = 'forum' and entity_id = ? and action like '%lock_meeting' order by id",
    )
      .bind(id)
      .all<{ action: string; fromState: string; details: string }>();
    expect(results.map((r) => [r.action, r.fromState])).toEqual([
      ["lock_meeting", `09:00#${first.tableNo}`],
      ["unlock_meeting", `09:00#${first.tableNo}`],
    ]);
    expect(JSON.parse(results[1]?.details ?? "{}")).toEqual({ meetingId: first.meetingId });
  });

  it("records arrivals (late from a slot, no-show) and lists them for the door", async () => {
    const key = await officerKey();
    const { ids, shops } = await four();
    const id = await newForum(key);
    await call(`/v1/forums/${id}/invitations`, { key, body: { businessIds: ids } });
    await confirmAll(id, ids);
    const [a, b, c] = ids as [string, string, string];
    const arrived = await call(`/v1/forums/${id}/arrivals`, {
      key,
      body: { businessId: a, kind: "arrived" },
    });
    expect(await arrived.json()).toEqual({ businessId: a, kind: "arrived", from: null });
    await expectProblem(
      await call(`/v1/forums/${id}/arrivals`, { key, body: { businessId: b, kind: "late" } }),
      422,
      "validation_failed",
    );
    await expectProblem(
      await call(`/v1/forums/${id}/arrivals`, { key, body: { businessId: b, kind: "late", from: "11:00" } }),
      422,
      "validation_failed",
    );
    const late = await call(`/v1/forums/${id}/arrivals`, {
      key,
      body: { businessId: b, kind: "late", from: "10:00" },
    });
    expect(await late.json()).toEqual({ businessId: b, kind: "late", from: "10:00" });
    expect(
      (await call(`/v1/forums/${id}/arrivals`, { key, body: { businessId: c, kind: "no_show" } })).status,
    ).toBe(200);
    const stranger = await seedBusiness(
      serviceBody({ name: `Toko ${tag()}`, email: `st-${tag()}@example.id` }),
    );
    await expectProblem(
      await call(`/v1/forums/${id}/arrivals`, {
        key,
        body: { businessId: stranger.business.id, kind: "arrived" },
      }),
      403,
      "not_a_participant",
    );
    await expectProblem(
      await call(`/v1/forums/${id}/arrivals`, {
        key: shops[0]?.apiKey,
        body: { businessId: a, kind: "arrived" },
      }),
      403,
    );

    const list = (await (await call(`/v1/forums/${id}/check-in`, { key })).json()) as {
      items: Array<{ businessId: string; status: string; checkedIn: boolean }>;
    };
    expect(list.items.find((i) => i.businessId === a)).toMatchObject({
      status: "confirmed",
      checkedIn: true,
    });
    expect(list.items.find((i) => i.businessId === b)).toMatchObject({
      status: "confirmed",
      checkedIn: true,
    });
    expect(list.items.find((i) => i.businessId === c)).toMatchObject({ status: "no_show", checkedIn: false });
    const parts = (await (await call(`/v1/forums/${id}/participants`, { key })).json()) as {
      items: Array<{ businessId: string; available: string[] }>;
    };
    expect(parts.items.find((i) => i.businessId === b)?.available).toEqual(["10:00"]);
  });

  it("closes a scheduled forum from its day on and audits it; refuses too early, unscheduled, twice, a business, an unknown forum", async () => {
    const key = await officerKey();
    const { shops, makers, ids } = await four();
    const close = (forumId: string, k: string | undefined = key) =>
      call(`/v1/forums/${forumId}/close`, { key: k, method: "POST" });

    // Tomorrow's forum: not scheduled yet, then scheduled but its day has not come.
    const tomorrow = dayFromNow(1);
    const early = await newForum(key, tomorrow);
    const open = await expectProblem(await close(early), 409, "forum_not_scheduled");
    expect(open.detail).toContain("no schedule yet");
    await call(`/v1/forums/${early}/invitations`, { key, body: { businessIds: ids } });
    await confirmAll(early, ids);
    expect((await call(`/v1/forums/${early}/schedule`, { key, body: {} })).status).toBe(200);
    const tooEarly = await expectProblem(await close(early), 409, "forum_day_not_reached");
    expect(tooEarly.detail).toContain(tomorrow);

    // Yesterday's forum, scheduled, with an unanswered request from a shop to a maker.
    const id = await newForum(key, dayFromNow(-1));
    await call(`/v1/forums/${id}/invitations`, { key, body: { businessIds: ids } });
    await confirmAll(id, ids);
    const [shop, maker] = [shops[0], makers[0]];
    if (!shop || !maker) throw new Error("four businesses expected");
    const asked = await call(`/v1/forums/${id}/meeting-requests`, {
      key: shop.apiKey,
      body: { toId: maker.business.id },
    });
    expect(asked.status).toBe(201);
    expect((await call(`/v1/forums/${id}/schedule`, { key, body: {} })).status).toBe(200);

    await expectProblem(await close(id, shop.apiKey), 403, "forbidden");
    await expectProblem(await close("frm_NOPE"), 404);
    const res = await close(id);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, date: dayFromNow(-1), status: "closed" });
    const listed = (await (await call("/v1/forums", { key })).json()) as {
      items: Array<{ id: string; status: string }>;
    };
    expect(listed.items.find((f) => f.id === id)?.status).toBe("closed");
    // Twice is a refusal, and only the close that wrote has an audit row.
    const twice = await expectProblem(await close(id), 409, "forum_not_scheduled");
    expect(twice.detail).toContain("closed already");
    const { results } = await env.DB.prepare(
      "select from_state as fromState, to_state as toState, details from audit_log where entity_type = 'forum' and entity_id = ? and action = 'close'",
    )
      .bind(id)
      .all<{ fromState: string; toState: string; details: string }>();
    expect(results.map((r) => [r.fromState, r.toState])).toEqual([["scheduled", "closed"]]);
    expect(JSON.parse(results[0]?.details ?? "{}")).toEqual({ date: dayFromNow(-1) });

    // Closed: the owner's withdrawal is refused as for any closed forum, a rating is still taken.
    await expectProblem(
      await call(`/v1/forums/${id}/meeting-requests/${maker.business.id}`, {
        key: shop.apiKey,
        method: "DELETE",
      }),
      409,
      "forum_not_open",
    );
    const agenda = (await (await call(`/v1/forums/${id}/agenda`, { key: shop.apiKey })).json()) as {
      items: Array<{ meetingId: string }>;
    };
    const meetingId = agenda.items[0]?.meetingId;
    if (!meetingId) throw new Error("the shop has no meeting");
    const rated = await call(`/v1/forum-meetings/${meetingId}/rating`, {
      key: shop.apiKey,
      body: { rating: "mungkin" },
    });
    expect(rated.status).toBe(200);
    expect(await rated.json()).toMatchObject({ rating: "mungkin" });
    // Nor is the schedule run again.
    await expectProblem(await call(`/v1/forums/${id}/schedule`, { key, body: {} }), 409, "forum_not_open");
  });
});
