import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Principal } from "../../../../src/auth/principal";
import { createDb } from "../../../../src/db";
import { wibMidnight } from "../../../../src/domain/calendar";
import { MemoryMailer } from "../../../../src/email/mailer";
import {
  forumCheckInList,
  forumTablePlan,
  participantAgenda,
} from "../../../../src/services/forums/agenda.service";
import { sendForumAgendas } from "../../../../src/services/forums/agenda-emails.service";
import { answerInvitation, recordArrival } from "../../../../src/services/forums/attendance.service";
import { closeForum } from "../../../../src/services/forums/close.service";
import { forumStats } from "../../../../src/services/forums/forum-stats.service";
import { createForum } from "../../../../src/services/forums/forums.service";
import { inviteBusinesses } from "../../../../src/services/forums/invitations.service";
import { rateForumMeeting } from "../../../../src/services/forums/ratings.service";
import {
  answerMeetingRequest,
  markNotInterested,
  requestMeeting,
} from "../../../../src/services/forums/requests.service";
import { lockForumMeeting, runForumSchedule } from "../../../../src/services/forums/schedule.service";
import { unlockForumMeeting } from "../../../../src/services/forums/unlock-meeting.service";
import { sendDueNotifications } from "../../../../src/services/notifications/send";
import { DEFAULT_PARTNERSHIP_CONFIG } from "../../../../src/services/partnerships/partnership-config";
import { deps, industryBody, seedBusiness, serviceBody } from "../../helpers";
import { notificationDeps } from "../notifications/notifications.helpers";
import { confirmAll } from "./forums.helpers";

const officer: Principal = { kind: "officer", id: "off_forum", role: "officer" };
const as = (businessId: string): Principal => ({ kind: "business", businessId, keyId: null });

/** A forum of 2 shops and 3 makers, all invited by choice; 3 slots, 2 tables. */
async function forumWithFive() {
  const now = Date.now();
  const shops = [
    await seedBusiness(serviceBody({ name: "Toko Sepatu Prajurit", email: "f-s1@example.id" })),
    await seedBusiness(serviceBody({ name: "Grosir Alas Kaki Raden Wijaya", email: "f-s2@example.id" })),
  ].map((x) => x.business.id);
  const makers = [
    await seedBusiness(industryBody({ name: "UD Sepatu Miji Jaya", email: "f-i1@example.id" })),
    await seedBusiness(industryBody({ name: "Sandal Surodinawan", email: "f-i2@example.id" })),
    await seedBusiness(
      industryBody({
        name: "Onde-onde Bu Sri",
        kbli: [{ code: "10792", version: "2020" }],
        offers: "Kue onde-onde",
        needs: "Toko oleh-oleh",
        email: "f-i3@example.id",
      }),
    ),
  ].map((x) => x.business.id);
  const forum = await createForum(deps(), {
    actor: officer,
    name: "Sosialisasi Kemitraan Usaha",
    date: "2026-12-10",
    venue: "Pendopo Sabha Kridatama",
    meetingMinutes: 20,
    start: "09:00",
    end: "10:20",
    breaks: "09:40-10:00",
    tables: 2,
    now,
  });
  const invited = await inviteBusinesses(deps(), {
    forumId: forum.id,
    actor: officer,
    businessIds: [...shops, ...makers],
    now,
  });
  return { forum, shops, makers, invited, now };
}

describe("forums: from invitation to follow-up", () => {
  it("computes slots around breaks and refuses a day with no meeting in it", async () => {
    const { forum, invited } = await forumWithFive();
    expect(forum.slots.map((s) => s.start)).toEqual(["09:00", "09:20", "10:00"]);
    expect(invited.invited).toBe(5);
    await expect(
      createForum(deps(), {
        actor: officer,
        name: "x",
        date: "2026-12-10",
        venue: "y",
        meetingMinutes: 30,
        start: "09:00",
        end: "09:20",
        breaks: "",
        tables: 1,
        now: Date.now(),
      }),
    ).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("schedules a mutual request first, keeps declined pairs apart, and respects availability", async () => {
    const { forum, shops, makers, now } = await forumWithFive();
    const [s1, s2] = shops as [string, string];
    const [i1, i2, i3] = makers as [string, string, string];
    await answerInvitation(deps(), { forumId: forum.id, actor: as(s1), attending: true, available: [], now });
    await answerInvitation(deps(), {
      forumId: forum.id,
      actor: as(s2),
      attending: true,
      available: ["09:00"],
      now,
    });
    for (const i of [i1, i2, i3])
      await answerInvitation(deps(), {
        forumId: forum.id,
        actor: as(i),
        attending: true,
        available: [],
        now,
      });
    // s1 and i3 (onde-onde, a weak match for a shoe shop) both ask: a mutual request.
    await requestMeeting(deps(), { forumId: forum.id, actor: as(s1), toId: i3, now });
    expect(await requestMeeting(deps(), { forumId: forum.id, actor: as(i3), toId: s1, now })).toEqual({
      mutual: true,
    });
    // s2 asks i1, who accepts; i2 does not want s1.
    await requestMeeting(deps(), { forumId: forum.id, actor: as(s2), toId: i1, now });
    await answerMeetingRequest(deps(), { forumId: forum.id, actor: as(i1), fromId: s2, accept: true, now });
    await markNotInterested(deps(), { forumId: forum.id, actor: as(i2), otherId: s1, now });
    await expect(
      requestMeeting(deps(), { forumId: forum.id, actor: as(s1), toId: s2, now }),
    ).rejects.toMatchObject({ code: "same_sector" });

    const run = await runForumSchedule(deps(), { forumId: forum.id, actor: officer, now });
    expect(run.unscheduled).toEqual([]);
    const plan = await forumTablePlan(deps(), { forumId: forum.id });
    const all = plan.flatMap((s) => s.tables.map((t) => ({ ...t, start: s.start })));
    const pair = (a: string, b: string) => all.filter((t) => t.service === a && t.industry === b);
    expect(pair("Toko Sepatu Prajurit", "Onde-onde Bu Sri")).toHaveLength(1);
    expect(pair("Grosir Alas Kaki Raden Wijaya", "UD Sepatu Miji Jaya")).toEqual([
      expect.objectContaining({ start: "09:00" }),
    ]);
    expect(pair("Toko Sepatu Prajurit", "Sandal Surodinawan")).toEqual([]);
    for (const s of plan) expect(s.tables.length).toBeLessThanOrEqual(2);

    const agenda = await participantAgenda(deps(), { forumId: forum.id, businessId: s1, lang: "id" });
    const onde = agenda.find((a) => a.partner.id === i3);
    expect(onde).toMatchObject({ reason: "mutual", partner: { name: "Onde-onde Bu Sri" } });
    expect(agenda.map((a) => a.start)).toEqual([...agenda.map((a) => a.start)].sort());
    const shoe = agenda.find((a) => a.partner.id === i1);
    expect(shoe?.why.length).toBeGreaterThan(0);
  });

  it("keeps a moved, locked meeting where the officer put it on a re-run, and reschedules around a no-show", async () => {
    const { forum, shops, makers, now } = await forumWithFive();
    await confirmAll(forum.id, [...shops, ...makers], now);
    await runForumSchedule(deps(), { forumId: forum.id, actor: officer, now });
    const agenda = await participantAgenda(deps(), {
      forumId: forum.id,
      businessId: shops[0] as string,
      lang: "id",
    });
    const first = agenda[0];
    if (!first) throw new Error("no meeting for the first shop");
    const free = forum.slots.map((s) => s.start).find((s) => !agenda.some((a) => a.start === s));
    const target = free ?? first.start;
    // The table stays free in that slot only if nobody else sits there; pick table 2 when moving.
    const plan = await forumTablePlan(deps(), { forumId: forum.id });
    const used = new Set(plan.find((s) => s.start === target)?.tables.map((t) => t.tableNo));
    const table = [1, 2].find((t) => !used.has(t) || target === first.start) ?? 1;
    const partnerBusy = (
      await participantAgenda(deps(), { forumId: forum.id, businessId: first.partner.id, lang: "id" })
    ).some((a) => a.start === target && a.meetingId !== first.meetingId);
    const slot = partnerBusy ? first.start : target;
    const tableNo = partnerBusy ? first.tableNo : table;
    await lockForumMeeting(deps(), { meetingId: first.meetingId, actor: officer, slot, tableNo, now });
    await runForumSchedule(deps(), { forumId: forum.id, actor: officer, now: now + 1 });
    const after = await participantAgenda(deps(), {
      forumId: forum.id,
      businessId: shops[0] as string,
      lang: "id",
    });
    expect(after.find((a) => a.partner.id === first.partner.id)).toMatchObject({ start: slot, tableNo });
    const locked = (await forumTablePlan(deps(), { forumId: forum.id }))
      .flatMap((s) => s.tables)
      .filter((t) => t.locked);
    expect(locked.map((t) => t.meetingId)).toEqual([first.meetingId]);

    // A maker does not come: from 09:20 on nobody meets it.
    const gone = makers[1] as string;
    await recordArrival(deps(), {
      forumId: forum.id,
      businessId: gone,
      actor: officer,
      kind: "no_show",
      now,
    });
    await runForumSchedule(deps(), { forumId: forum.id, actor: officer, fromSlot: "09:20", now: now + 2 });
    const goneAgenda = await participantAgenda(deps(), { forumId: forum.id, businessId: gone, lang: "id" });
    expect(goneAgenda.filter((a) => a.start >= "09:20")).toEqual([]);
  });

  it("refuses a conflicting move", async () => {
    const { forum, shops, makers, now } = await forumWithFive();
    await confirmAll(forum.id, [...shops, ...makers], now);
    await runForumSchedule(deps(), { forumId: forum.id, actor: officer, now });
    const agenda = await participantAgenda(deps(), {
      forumId: forum.id,
      businessId: shops[0] as string,
      lang: "id",
    });
    const [a, b] = agenda;
    if (!a || !b) throw new Error("the first shop needs two meetings");
    // Moving one of its meetings into the slot of its other meeting double-books the shop.
    await expect(
      lockForumMeeting(deps(), { meetingId: a.meetingId, actor: officer, slot: b.start, tableNo: 2, now }),
    ).rejects.toMatchObject({ code: "meeting_conflict" });
  });

  it("unlocks a meeting: the next run replaces it like any other; refuses an unlocked meeting and a closed forum", async () => {
    const { forum, shops, makers, now } = await forumWithFive();
    await confirmAll(forum.id, [...shops, ...makers], now);
    await runForumSchedule(deps(), { forumId: forum.id, actor: officer, now });
    const ids = async () =>
      (await forumTablePlan(deps(), { forumId: forum.id })).flatMap((s) => s.tables.map((t) => t.meetingId));
    const [first] = await ids();
    if (!first) throw new Error("no meeting scheduled");
    await lockForumMeeting(deps(), { meetingId: first, actor: officer, now });
    await runForumSchedule(deps(), { forumId: forum.id, actor: officer, now: now + 1 });
    expect(await ids()).toContain(first);

    await expect(
      unlockForumMeeting(deps(), { meetingId: first, actor: as(shops[0] as string), now }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const unlocked = await unlockForumMeeting(deps(), { meetingId: first, actor: officer, now: now + 2 });
    expect(unlocked).toMatchObject({ id: first, locked: false });
    await expect(
      unlockForumMeeting(deps(), { meetingId: first, actor: officer, now: now + 2 }),
    ).rejects.toMatchObject({ code: "meeting_not_locked" });
    // Until the run the meeting stays where it was; the run replaces every unlocked meeting.
    expect(await ids()).toContain(first);
    await runForumSchedule(deps(), { forumId: forum.id, actor: officer, now: now + 3 });
    const rerun = await ids();
    expect(rerun).not.toContain(first);
    expect(rerun.length).toBeGreaterThan(0);

    const [again] = rerun;
    if (!again) throw new Error("no meeting after the re-run");
    await lockForumMeeting(deps(), { meetingId: again, actor: officer, now: now + 4 });
    await env.DB.prepare("update forums set status = 'closed' where id = ?").bind(forum.id).run();
    await expect(
      unlockForumMeeting(deps(), { meetingId: again, actor: officer, now: now + 5 }),
    ).rejects.toMatchObject({ code: "forum_not_open" });
  });

  it("closes a scheduled forum from 00:00 WIB of its day, once when two officers close it at the same time", async () => {
    const { forum, shops, makers, now } = await forumWithFive();
    const close = (at: number, actor: Principal = officer) =>
      closeForum(deps(), { forumId: forum.id, actor, now: at });
    // 10 December 2026 starts at 00:00 WIB, 17:00 UTC the day before.
    const dayStarts = wibMidnight(2026, 12, 10);
    expect(new Date(dayStarts).toISOString()).toBe("2026-12-09T17:00:00.000Z");
    await expect(close(dayStarts)).rejects.toMatchObject({ code: "forum_not_scheduled", status: 409 });
    await confirmAll(forum.id, [...shops, ...makers], now);
    await runForumSchedule(deps(), { forumId: forum.id, actor: officer, now });
    await expect(close(dayStarts - 1)).rejects.toMatchObject({ code: "forum_day_not_reached", status: 409 });
    await expect(close(dayStarts, as(shops[0] as string))).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      closeForum(deps(), { forumId: "frm_NOPE", actor: officer, now: dayStarts }),
    ).rejects.toMatchObject({ status: 404 });

    const both = await Promise.allSettled([close(dayStarts), close(dayStarts + 1)]);
    const won = both.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    expect(won[0]?.value).toMatchObject({ id: forum.id, status: "closed" });
    expect(both.find((r) => r.status === "rejected")?.reason).toMatchObject({ code: "forum_not_scheduled" });
    const row = await env.DB.prepare("select status from forums where id = ?").bind(forum.id).first();
    expect(row).toEqual({ status: "closed" });
    const audits = await env.DB.prepare(
      "select count(*) as n from audit_log where entity_id = ? and action = 'close'",
    )
      .bind(forum.id)
      .first<{ n: number }>();
    expect(audits?.n).toBe(1);
    // Closed is final: owners' changes are refused, the schedule is not run again.
    await expect(
      answerInvitation(deps(), {
        forumId: forum.id,
        actor: as(shops[0] as string),
        attending: false,
        available: [],
        now: dayStarts + 2,
      }),
    ).rejects.toMatchObject({ code: "forum_not_open" });
    await expect(
      runForumSchedule(deps(), { forumId: forum.id, actor: officer, now: dayStarts + 2 }),
    ).rejects.toMatchObject({ code: "forum_not_open" });
  });

  it("a schedule run that a close overtakes leaves the forum closed and its meetings as they were", async () => {
    const { forum, shops, makers, now } = await forumWithFive();
    await confirmAll(forum.id, [...shops, ...makers], now);
    await runForumSchedule(deps(), { forumId: forum.id, actor: officer, now });
    const meetings = async () =>
      (
        await env.DB.prepare("select id, slot, table_no from forum_meetings where forum_id = ? order by id")
          .bind(forum.id)
          .all()
      ).results;
    const before = await meetings();
    expect(before.length).toBeGreaterThan(0);
    // Another officer closes the forum after this run read it open, just before its batch runs.
    const closingFirst = {
      prepare: (query: string) => env.DB.prepare(query),
      batch: async (statements: D1PreparedStatement[]) => {
        await env.DB.prepare("update forums set status = 'closed' where id = ?").bind(forum.id).run();
        return env.DB.batch(statements);
      },
    } as unknown as D1Database;
    await expect(
      runForumSchedule({ db: createDb(closingFirst) }, { forumId: forum.id, actor: officer, now: now + 5 }),
    ).rejects.toMatchObject({ code: "forum_not_open", status: 409 });
    expect(await env.DB.prepare("select status from forums where id = ?").bind(forum.id).first()).toEqual({
      status: "closed",
    });
    expect(await meetings()).toEqual(before);
    const runs = await env.DB.prepare(
      "select count(*) as n from audit_log where entity_id = ? and action = 'schedule'",
    )
      .bind(forum.id)
      .first<{ n: number }>();
    expect(runs?.n).toBe(1);
  });

  it("checks in, rates, and opens one partnership request with the forum as origin when both say lanjut", async () => {
    const { forum, shops, makers, now } = await forumWithFive();
    await confirmAll(forum.id, [...shops, ...makers], now);
    await runForumSchedule(deps(), { forumId: forum.id, actor: officer, now });
    const s1 = shops[0] as string;
    const agenda = await participantAgenda(deps(), { forumId: forum.id, businessId: s1, lang: "id" });
    const m = agenda[0];
    if (!m) throw new Error("no meeting");
    for (const b of [s1, m.partner.id])
      await recordArrival(deps(), { forumId: forum.id, businessId: b, actor: officer, kind: "arrived", now });
    const list = await forumCheckInList(deps(), { forumId: forum.id });
    expect(
      list
        .filter((r) => r.checkedIn)
        .map((r) => r.businessId)
        .sort(),
    ).toEqual([s1, m.partner.id].sort());

    const config = { ...deps(), config: DEFAULT_PARTNERSHIP_CONFIG };
    const one = await rateForumMeeting(config, {
      meetingId: m.meetingId,
      actor: as(s1),
      rating: "lanjut",
      now,
    });
    expect(one.partnershipId).toBeNull();
    const two = await rateForumMeeting(config, {
      meetingId: m.meetingId,
      actor: as(m.partner.id),
      rating: "lanjut",
      now,
    });
    expect(two.partnershipId).toMatch(/^ptn_/);
    const row = await env.DB.prepare(
      "select origin, forum_id, requester_id, partner_id, status from partnerships where id = ?",
    )
      .bind(two.partnershipId)
      .first();
    expect(row).toEqual({
      origin: "forum",
      forum_id: forum.id,
      requester_id: m.partner.id,
      partner_id: s1,
      status: "requested",
    });
    // Rating again does not open a second request.
    const again = await rateForumMeeting(config, {
      meetingId: m.meetingId,
      actor: as(s1),
      rating: "lanjut",
      now,
    });
    expect(again).toMatchObject({ partnershipId: null, followUpRefused: "partnership_exists" });

    const stats = (await forumStats(deps())).find((s) => s.forumId === forum.id);
    expect(stats).toEqual(expect.objectContaining({ meetingsHeld: 1, followUps: 1, partnershipsStarted: 1 }));
    // Someone else's meeting is not found for a business that is not in it.
    await expect(
      rateForumMeeting(config, {
        meetingId: m.meetingId,
        actor: as(shops[1] as string),
        rating: "tidak",
        now,
      }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("mails each attendee its agenda once per schedule, through the outbox", async () => {
    const { forum, shops, makers, now } = await forumWithFive();
    // One maker declines: it gets no agenda.
    for (const b of [...shops, ...makers.slice(0, 2)])
      await answerInvitation(deps(), {
        forumId: forum.id,
        actor: as(b),
        attending: true,
        available: [],
        now,
      });
    await answerInvitation(deps(), {
      forumId: forum.id,
      actor: as(makers[2] as string),
      attending: false,
      available: [],
      now,
    });
    await expect(sendForumAgendas(deps(), { forumId: forum.id, actor: officer, now })).rejects.toMatchObject({
      code: "forum_not_open",
    });
    await runForumSchedule(deps(), { forumId: forum.id, actor: officer, now });
    const first = await sendForumAgendas(deps(), { forumId: forum.id, actor: officer, now });
    expect(first.enqueued).toBe(4);
    expect(await sendForumAgendas(deps(), { forumId: forum.id, actor: officer, now: now + 1 })).toEqual({
      enqueued: 0,
    });
    const { results } = await env.DB.prepare(
      "select recipient from notification_outbox where kind = 'forum_agenda' and subject_id = ? order by recipient",
    )
      .bind(forum.id)
      .all<{ recipient: string }>();
    expect(results.map((r) => r.recipient)).toEqual(
      [...shops, ...makers.slice(0, 2)].map((b) => `business:${b}`).sort(),
    );
    const mailer = new MemoryMailer();
    await sendDueNotifications(notificationDeps(mailer), { now: now + 2, limit: 50 });
    // Earlier tests of this file queued other news to the same addresses: look at agendas only.
    const agendas = mailer.sent.filter((m) => m.subject.startsWith("Agenda Anda"));
    const toShop = agendas.find((m) => m.to === "f-s1@example.id");
    expect(toShop?.subject).toBe("Agenda Anda di Sosialisasi Kemitraan Usaha");
    const agenda = await participantAgenda(deps(), {
      forumId: forum.id,
      businessId: shops[0] as string,
      lang: "id",
    });
    for (const a of agenda)
      expect(toShop?.text).toContain(`${a.start}-${a.end} · Meja ${a.tableNo} · ${a.partner.name}`);
    expect(agendas.map((m) => m.to).sort()).toEqual([
      "f-i1@example.id",
      "f-i2@example.id",
      "f-s1@example.id",
      "f-s2@example.id",
    ]);
    // A re-run changes the agendas: each is mailed once more.
    await runForumSchedule(deps(), { forumId: forum.id, actor: officer, now: now + 3 });
    expect(
      (await sendForumAgendas(deps(), { forumId: forum.id, actor: officer, now: now + 4 })).enqueued,
    ).toBe(4);
  });
});
