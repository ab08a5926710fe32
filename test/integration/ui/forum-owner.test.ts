import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { forumParticipants, forumRequests, partnerships } from "../../../schema";
import { isoDay, wibDate } from "../../../src/domain/calendar";
import { inviteBusinesses } from "../../../src/services/forums/invitations.service";
import { answerMeetingRequest, requestMeeting } from "../../../src/services/forums/requests.service";
import { runForumSchedule } from "../../../src/services/forums/schedule.service";
import { DEFAULT_PARTNERSHIP_CONFIG } from "../../../src/services/partnerships/partnership-config";
import { createPartnership } from "../../../src/services/partnerships/request.service";
import { deps, industryBody, seedBusiness, serviceBody } from "../helpers";
import { asBusiness, confirmAll, forumOfficer, newForum } from "../services/forums/forums.helpers";
import { officerClient, ownerClient } from "./console.helpers";

/**
 * The owner's forum pages (/ui/me/forum...), through the console as a browser posts them: the
 * invitation and its answer, suggested partners and requests (with the forum's limit), the
 * agenda and its A4 page, ratings and the follow-up partnership request.
 */

const today = () => isoDay(wibDate(Date.now()));

/** Two shops and two makers invited to one forum; the shop owner signed in. */
async function invited(tag: string, overrides: Parameters<typeof newForum>[0] = {}) {
  const s1 = await seedBusiness(serviceBody({ name: `Toko Sepatu ${tag}`, email: `${tag}-s1@example.id` }));
  const s2 = await seedBusiness(
    serviceBody({ name: `Grosir Alas Kaki ${tag}`, email: `${tag}-s2@example.id` }),
  );
  const i1 = await seedBusiness(industryBody({ name: `UD Sepatu ${tag}`, email: `${tag}-i1@example.id` }));
  const i2 = await seedBusiness(
    industryBody({
      name: `Sandal ${tag}`,
      email: `${tag}-i2@example.id`,
      offers: "Sandal jepit dan sandal kulit",
    }),
  );
  const ids = [s1, s2, i1, i2].map((b) => b.business.id) as [string, string, string, string];
  const forum = await newForum(overrides);
  await inviteBusinesses(deps(), {
    forumId: forum.id,
    actor: forumOfficer,
    businessIds: ids,
    now: Date.now(),
  });
  return {
    forum,
    s1: ids[0],
    s2: ids[1],
    i1: ids[2],
    i2: ids[3],
    emails: (n: string) => `${tag}-${n}@example.id`,
  };
}

async function participant(forumId: string, businessId: string) {
  return deps()
    .db.select()
    .from(forumParticipants)
    .where(and(eq(forumParticipants.forumId, forumId), eq(forumParticipants.businessId, businessId)))
    .get();
}

async function request(forumId: string, fromId: string, toId: string) {
  return deps()
    .db.select()
    .from(forumRequests)
    .where(
      and(eq(forumRequests.forumId, forumId), eq(forumRequests.fromId, fromId), eq(forumRequests.toId, toId)),
    )
    .get();
}

describe("owner forum pages: the invitation", () => {
  it("lists the invitation from the owner's page and answers it; bad input keeps what was chosen", async () => {
    const { forum, s1, emails } = await invited("fw-inv");
    const owner = await ownerClient(emails("s1"));
    await owner.get("/ui/me");
    expect(owner.lastHtml).toContain('href="/ui/me/forum"');
    // The unanswered invitation shows beside the link, and says so to a screen reader.
    expect(owner.lastHtml).toContain('aria-label="Forum kemitraan: 1 undangan belum dijawab"');
    expect(owner.lastHtml).toContain('<strong class="count">(1)</strong>');
    expect((await owner.get("/ui/me/forum")).status).toBe(200);
    expect(owner.lastHtml).toContain(`href="/ui/me/forum/${forum.id}"`);
    expect(owner.lastHtml).toContain("Sosialisasi Kemitraan Usaha");
    expect(owner.lastHtml).toContain("10 Desember 2026");
    expect(owner.lastHtml).toContain("Belum dijawab");
    await owner.get("/ui/me/forum?lang=en");
    expect(owner.lastHtml).toContain("My partnership forums");
    expect(owner.lastHtml).toContain("10 December 2026");
    await owner.get("/ui/me/forum?lang=id");

    expect((await owner.get(`/ui/me/forum/${forum.id}`)).status).toBe(200);
    expect(owner.lastHtml).toContain("Konfirmasi kehadiran Anda dulu");
    // No answer chosen: the page again, the slot kept, the message at the field.
    let res = await owner.post(`/ui/me/forum/${forum.id}/hadir`, { slot: "09:20" });
    expect(res.status).toBe(422);
    expect(owner.lastHtml).toContain("Pilih datang atau tidak.");
    expect(owner.lastHtml).toMatch(/value="09:20" checked/);
    expect(owner.lastHtml).not.toMatch(/value="09:00" checked/);
    // A slot the forum does not have (a tampered form).
    res = await owner.post(`/ui/me/forum/${forum.id}/hadir`, { attending: "ya", slot: "08:00" });
    expect(res.status).toBe(422);
    expect(owner.lastHtml).toContain("Pilih hanya jam yang ada di daftar ini.");
    expect(owner.lastHtml).toMatch(/value="ya" checked/);
    expect((await participant(forum.id, s1))?.status).toBe("invited");

    res = await owner.post(`/ui/me/forum/${forum.id}/hadir`, { attending: "ya", slot: "09:20" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/ui/me/forum/${forum.id}?done=answered#hadir`);
    expect(await participant(forum.id, s1)).toMatchObject({ status: "confirmed", available: ["09:20"] });
    await owner.get(`/ui/me/forum/${forum.id}?done=answered`);
    expect(owner.lastHtml).toContain("Jawaban Anda tersimpan.");
    expect(owner.lastHtml).toMatch(/data-participation="confirmed"/);
    await owner.get("/ui/me");
    expect(owner.lastHtml).toContain('href="/ui/me/forum"');
    expect(owner.lastHtml).not.toContain("undangan belum dijawab");

    // None chosen = every slot.
    res = await owner.post(`/ui/me/forum/${forum.id}/hadir`, { attending: "ya" });
    expect(res.status).toBe(303);
    expect((await participant(forum.id, s1))?.available).toEqual(["09:00", "09:20", "09:40"]);
    res = await owner.post(`/ui/me/forum/${forum.id}/hadir`, { attending: "tidak" });
    expect(res.status).toBe(303);
    expect(await participant(forum.id, s1)).toMatchObject({ status: "declined", available: [] });
  });

  it("refuses a forum the business is not invited to, and an unknown one", async () => {
    const { forum } = await invited("fw-ref");
    await seedBusiness(serviceBody({ name: "Toko Luar", email: "fw-ref-out@example.id" }));
    const outsider = await ownerClient("fw-ref-out@example.id");
    await outsider.get("/ui/me/forum");
    expect(outsider.lastHtml).toContain("Belum ada undangan forum");
    let res = await outsider.get(`/ui/me/forum/${forum.id}`);
    expect(res.status).toBe(403);
    expect(outsider.lastHtml).toContain("Usaha Anda tidak diundang ke forum ini.");
    res = await outsider.get(`/ui/me/forum/${forum.id}/agenda`);
    expect(res.status).toBe(403);
    await outsider.get("/ui/me/forum");
    res = await outsider.post(`/ui/me/forum/${forum.id}/hadir`, { attending: "ya" });
    expect(res.status).toBe(403);
    expect((await outsider.get("/ui/me/forum/frm_NOPE")).status).toBe(404);
    const officer = await officerClient();
    expect((await officer.get(`/ui/me/forum/${forum.id}`)).status).toBe(403);
  });
});

describe("owner forum pages: partners and requests", () => {
  it("suggests confirmed attendees with the why, asks up to the limit, marks tidak berminat, answers requests", async () => {
    const { forum, s1, s2, i1, i2, emails } = await invited("fw-req", { maxRequests: 1 });
    await confirmAll(forum.id, [s1, s2, i1, i2]);
    const shop = await ownerClient(emails("s1"));
    await shop.get(`/ui/me/forum/${forum.id}`);
    expect(shop.lastHtml).toContain(`data-partner="${i1}"`);
    expect(shop.lastHtml).toContain(`data-partner="${i2}"`);
    expect(shop.lastHtml).not.toContain(`data-partner="${s2}"`);
    expect(shop.lastHtml).toContain("Kenapa cocok:");
    expect(shop.lastHtml).toContain("Permintaan terkirim: 0 dari 1.");

    let res = await shop.post(`/ui/me/forum/${forum.id}/minta`, { partnerId: i1 });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/ui/me/forum/${forum.id}?done=requested&card=${i1}#card-${i1}`);
    expect((await request(forum.id, s1, i1))?.status).toBe("requested");
    await shop.get(res.headers.get("Location") ?? "");
    expect(shop.lastHtml).toContain("Permintaan bertemu terkirim.");
    expect(shop.lastHtml).toContain("Permintaan terkirim: 1 dari 1.");
    expect(shop.lastHtml).toContain("Anda sudah meminta bertemu; menunggu jawaban.");

    // The limit: the page again, the refusal at the card, nothing sent.
    res = await shop.post(`/ui/me/forum/${forum.id}/minta`, { partnerId: i2 });
    expect(res.status).toBe(409);
    const card = shop.lastHtml.slice(shop.lastHtml.indexOf(`data-partner="${i2}"`));
    expect(card.slice(0, 600)).toContain("Batas permintaan di forum ini sudah tercapai (1 permintaan).");
    expect(await request(forum.id, s1, i2)).toBeUndefined();
    // A business of the same sector is refused in words.
    res = await shop.post(`/ui/me/forum/${forum.id}/minta`, { partnerId: s2 });
    expect(res.status).toBe(422);
    expect(shop.lastHtml).toContain("usaha ini sejenis dengan Anda");
    // Withdrawn: the slot is free again, nothing left to withdraw; then asked again.
    res = await shop.post(`/ui/me/forum/${forum.id}/batal`, { partnerId: i1 });
    expect(res.status).toBe(303);
    expect(await request(forum.id, s1, i1)).toBeUndefined();
    await shop.get(res.headers.get("Location") ?? "");
    expect(shop.lastHtml).toContain("Permintaan dibatalkan; jatah permintaan Anda bertambah satu.");
    expect(shop.lastHtml).toContain("Permintaan terkirim: 0 dari 1.");
    res = await shop.post(`/ui/me/forum/${forum.id}/batal`, { partnerId: i1 });
    expect(res.status).toBe(404);
    res = await shop.post(`/ui/me/forum/${forum.id}/minta`, { partnerId: i1 });
    expect(res.status).toBe(303);
    expect((await request(forum.id, s1, i1))?.status).toBe("requested");

    // The maker sees the request and accepts it.
    const maker = await ownerClient(emails("i1"));
    await maker.get(`/ui/me/forum/${forum.id}`);
    expect(maker.lastHtml).toContain(`data-received="${s1}"`);
    expect(maker.lastHtml).toContain("Menunggu jawaban Anda.");
    res = await maker.post(`/ui/me/forum/${forum.id}/permintaan`, { fromId: s1, answer: "terima" });
    expect(res.status).toBe(303);
    expect((await request(forum.id, s1, i1))?.status).toBe("accepted");
    // Answering it again: the request is no longer open.
    res = await maker.post(`/ui/me/forum/${forum.id}/permintaan`, { fromId: s1, answer: "tolak" });
    expect(res.status).toBe(404);
    expect(maker.lastHtml).toContain("muat ulang halaman");
    expect((await request(forum.id, s1, i1))?.status).toBe("accepted");

    // The other maker does not want the shop: marked, and gone from its suggestions.
    const other = await ownerClient(emails("i2"));
    await other.get(`/ui/me/forum/${forum.id}`);
    expect(other.lastHtml).toContain(`data-partner="${s1}"`);
    res = await other.post(`/ui/me/forum/${forum.id}/tidak-berminat`, { partnerId: s1 });
    expect(res.status).toBe(303);
    expect((await request(forum.id, i2, s1))?.status).toBe("not_interested");
    await other.get(res.headers.get("Location") ?? "");
    expect(other.lastHtml).toContain("Dicatat: Anda tidak akan dijadwalkan dengan usaha ini.");
    expect(other.lastHtml).not.toContain(`data-partner="${s1}"`);
  });
});

describe("owner forum pages: withdrawing an accepted request", () => {
  it("withdraws it after a confirmation until the schedule is run; then says to ask the officer", async () => {
    const { forum, s1, s2, i1, i2, emails } = await invited("fw-wda");
    await confirmAll(forum.id, [s1, s2, i1, i2]);
    const accept = async () => {
      await requestMeeting(deps(), { forumId: forum.id, actor: asBusiness(s1), toId: i1, now: Date.now() });
      await answerMeetingRequest(deps(), {
        forumId: forum.id,
        actor: asBusiness(i1),
        fromId: s1,
        accept: true,
        now: Date.now(),
      });
    };
    await accept();
    const shop = await ownerClient(emails("s1"));
    await shop.get(`/ui/me/forum/${forum.id}`);
    const cardOf = (html: string) => html.slice(html.indexOf(`data-partner="${i1}"`)).slice(0, 2500);
    let card = cardOf(shop.lastHtml);
    expect(card).toContain("Mereka menerima permintaan Anda.");
    expect(card).toContain('data-testid="forum-withdraw-accepted"');
    expect(card).toContain("<summary>Batalkan permintaan yang sudah diterima</summary>");
    expect(card).toContain("Ya, batalkan permintaan ini");
    let res = await shop.post(`/ui/me/forum/${forum.id}/batal`, { partnerId: i1 });
    expect(res.status).toBe(303);
    expect(await request(forum.id, s1, i1)).toBeUndefined();
    await shop.get(res.headers.get("Location") ?? "");
    expect(shop.lastHtml).toContain("Permintaan dibatalkan; jatah permintaan Anda bertambah satu.");
    expect(cardOf(shop.lastHtml)).not.toContain('data-testid="forum-withdraw-accepted"');

    // Accepted again, then scheduled: no button, a line saying whom to ask, and a refusal at the card.
    await accept();
    await runForumSchedule(deps(), { forumId: forum.id, actor: forumOfficer, now: Date.now() });
    await shop.get(`/ui/me/forum/${forum.id}`);
    card = cardOf(shop.lastHtml);
    expect(card).not.toContain('data-testid="forum-withdraw-accepted"');
    expect(card).toContain("Jadwal sudah disusun; untuk membatalkan pertemuan ini, hubungi petugas forum.");
    res = await shop.post(`/ui/me/forum/${forum.id}/batal`, { partnerId: i1 });
    expect(res.status).toBe(409);
    expect(cardOf(shop.lastHtml)).toContain("permintaan yang sudah diterima tidak bisa dibatalkan lagi");
    expect((await request(forum.id, s1, i1))?.status).toBe("accepted");

    // English strings come from the same i18n file.
    const en = await ownerClient(emails("s1"));
    await en.get(`/ui/me/forum/${forum.id}?lang=en`);
    expect(cardOf(en.lastHtml)).toContain(
      "The schedule has been made; to cancel this meeting, ask the forum",
    );

    // Once the forum is closed there is nothing left to cancel: neither the button nor the line.
    await env.DB.prepare("update forums set status = 'closed' where id = ?").bind(forum.id).run();
    await shop.get(`/ui/me/forum/${forum.id}`);
    card = cardOf(shop.lastHtml);
    expect(card).toContain("Mereka menerima permintaan Anda.");
    expect(card).not.toContain('data-testid="forum-withdraw-accepted"');
    expect(card).not.toContain("hubungi petugas forum");
  });
});

describe("owner forum pages: agenda and ratings", () => {
  it("shows the agenda before and after the schedule, prints it, and rates meetings into a follow-up", async () => {
    const { forum, s1, s2, i1, i2, emails } = await invited("fw-agd", { date: today() });
    await confirmAll(forum.id, [s1, s2, i1, i2]);
    const shop = await ownerClient(emails("s1"));
    await shop.get(`/ui/me/forum/${forum.id}/agenda`);
    expect(shop.lastHtml).toContain("Jadwal belum keluar.");
    const now = Date.now();
    await requestMeeting(deps(), { forumId: forum.id, actor: asBusiness(s1), toId: i1, now });
    await requestMeeting(deps(), { forumId: forum.id, actor: asBusiness(i1), toId: s1, now });
    await runForumSchedule(deps(), { forumId: forum.id, actor: forumOfficer, now });

    expect((await shop.get(`/ui/me/forum/${forum.id}/agenda`)).status).toBe(200);
    const meetingId = /data-meeting="(fmt_[0-9A-Z]+)"/.exec(
      shop.lastHtml.slice(shop.lastHtml.indexOf("UD Sepatu fw-agd") - 400),
    )?.[1];
    expect(meetingId).toBeDefined();
    expect(shop.lastHtml).toMatch(/\d\d:\d\d–\d\d:\d\d · Meja \d/);
    expect(shop.lastHtml).toContain("Kalian saling meminta");
    expect(shop.lastHtml).toContain("Mereka menawarkan: Produksi sepatu kulit dan sandal untuk grosir");
    expect(shop.lastHtml).toContain(`href="/ui/me/forum/${forum.id}/agenda/cetak"`);
    await shop.get(`/ui/me/forum/${forum.id}`);
    expect(shop.lastHtml).toContain(`href="/ui/me/forum/${forum.id}/agenda"`);

    expect((await shop.get(`/ui/me/forum/${forum.id}/agenda/cetak`)).status).toBe(200);
    expect(shop.lastHtml).toContain('<table class="agenda">');
    expect(shop.lastHtml).toContain("Agenda untuk Toko Sepatu fw-agd");
    expect(shop.lastHtml).toContain(`data-meeting="${meetingId}"`);

    await shop.get(`/ui/me/forum/${forum.id}/agenda`);
    // No choice: the agenda again with the message at the meeting.
    let res = await shop.post(`/ui/me/forum/${forum.id}/nilai`, { meetingId: meetingId ?? "" });
    expect(res.status).toBe(422);
    expect(shop.lastHtml).toContain("Pilih lanjut, mungkin atau tidak.");
    res = await shop.post(`/ui/me/forum/${forum.id}/nilai`, { meetingId: meetingId ?? "", rating: "lanjut" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(
      `/ui/me/forum/${forum.id}/agenda?done=rated&card=${meetingId}#m-${meetingId}`,
    );
    await shop.get(res.headers.get("Location") ?? "");
    expect(shop.lastHtml).toContain("Penilaian tersimpan.");
    expect(shop.lastHtml).toMatch(/value="lanjut" checked/);
    expect(shop.lastHtml).not.toContain("data-follow-up=");

    // Someone else's meeting is not found.
    const stranger = await ownerClient(emails("s2"));
    await stranger.get(`/ui/me/forum/${forum.id}/agenda`);
    res = await stranger.post(`/ui/me/forum/${forum.id}/nilai`, {
      meetingId: meetingId ?? "",
      rating: "tidak",
    });
    expect(res.status).toBe(404);

    const maker = await ownerClient(emails("i1"));
    await maker.get(`/ui/me/forum/${forum.id}/agenda`);
    res = await maker.post(`/ui/me/forum/${forum.id}/nilai`, {
      meetingId: meetingId ?? "",
      rating: "lanjut",
    });
    expect(res.status).toBe(303);
    const follow = await deps()
      .db.select()
      .from(partnerships)
      .where(and(eq(partnerships.forumId, forum.id), eq(partnerships.origin, "forum")))
      .all();
    expect(follow).toHaveLength(1);
    await maker.get(res.headers.get("Location") ?? "");
    expect(maker.lastHtml).toContain("Kalian berdua memilih lanjut: permintaan kemitraan sudah dibuka.");
    expect(maker.lastHtml).toContain(`href="/ui/me#card-${follow[0]?.id}"`);
    await shop.get(`/ui/me/forum/${forum.id}/agenda`);
    expect(shop.lastHtml).toContain(`data-follow-up="${follow[0]?.id}"`);
  });

  it("says why no follow-up opened when the pair already has a request", async () => {
    const { forum, s1, i1, emails } = await invited("fw-fup", { date: today() });
    await confirmAll(forum.id, [s1, i1]);
    const now = Date.now();
    await runForumSchedule(deps(), { forumId: forum.id, actor: forumOfficer, now });
    await createPartnership(
      { ...deps(), config: DEFAULT_PARTNERSHIP_CONFIG },
      { actor: asBusiness(s1), partnerId: i1, pattern: "rantai_pasok", message: "", now },
    );
    const shop = await ownerClient(emails("s1"));
    await shop.get(`/ui/me/forum/${forum.id}/agenda`);
    const meetingId = /data-meeting="(fmt_[0-9A-Z]+)"/.exec(shop.lastHtml)?.[1] ?? "";
    expect(meetingId).not.toBe("");
    await shop.post(`/ui/me/forum/${forum.id}/nilai`, { meetingId, rating: "lanjut" });
    const maker = await ownerClient(emails("i1"));
    await maker.get(`/ui/me/forum/${forum.id}/agenda`);
    const res = await maker.post(`/ui/me/forum/${forum.id}/nilai`, { meetingId, rating: "lanjut" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toContain("refused=partnership_exists");
    await maker.get(res.headers.get("Location") ?? "");
    expect(maker.lastHtml).toContain("kalian sudah punya permintaan atau kemitraan yang berjalan");
  });

  it("keeps ratings closed before the forum's day", async () => {
    const { forum, s1, i1, emails } = await invited("fw-early");
    await confirmAll(forum.id, [s1, i1]);
    await runForumSchedule(deps(), { forumId: forum.id, actor: forumOfficer, now: Date.now() });
    const shop = await ownerClient(emails("s1"));
    await shop.get(`/ui/me/forum/${forum.id}/agenda`);
    expect(shop.lastHtml).toContain("data-meeting=");
    expect(shop.lastHtml).toContain("Penilaian dibuka pada hari forum.");
    expect(shop.lastHtml).not.toContain('name="rating"');
  });
});

describe("owner email settings", () => {
  it("has the forum agenda switch, and turning it off sticks", async () => {
    await seedBusiness(serviceBody({ email: "fw-notify@example.id" }));
    const owner = await ownerClient("fw-notify@example.id");
    await owner.get("/ui/me/notifikasi");
    expect(owner.lastHtml).toMatch(/name="forumAgenda" value="on" checked/);
    const res = await owner.post("/ui/me/notifikasi", { cadence: "weekly", incomingRequest: "on" });
    expect(res.status).toBe(303);
    await owner.get("/ui/me/notifikasi");
    expect(owner.lastHtml).toContain('name="forumAgenda" value="on"');
    expect(owner.lastHtml).not.toMatch(/name="forumAgenda" value="on" checked/);
  });
});
