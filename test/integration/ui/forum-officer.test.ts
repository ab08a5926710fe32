import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DAY_MS, isoDay, wibDate } from "../../../src/domain/calendar";
import { industryBody, seedBusiness, serviceBody } from "../helpers";
import { confirmAll } from "../services/forums/forums.helpers";
import { ConsoleClient, officerClient } from "./console.helpers";

/**
 * The officers' forum pages (docs/FORUMS.md): create (and bad input kept), invite by filters and by
 * choice, the schedule, the table plan with lock and move, the print page, agendas by email, the
 * check-in list, the figures on the forum page and the dashboard, and closing the forum after its
 * day. Every step is a form post.
 */

let n = 0;
const tag = () => `${Date.now().toString(36)}${++n}`;
const amp = (s: string) => s.replace(/&amp;/g, "&");

const FORUM = {
  name: "Sosialisasi Kemitraan Usaha",
  date: "2026-12-10",
  venue: "Pendopo Sabha Kridatama",
  meetingMinutes: "20",
  start: "09:00",
  end: "10:20",
  breaks: "09:40-10:00",
  tables: "2",
  maxMeetings: "3",
  maxRequests: "5",
};

async function createdForum(
  client: ConsoleClient,
  name = `Forum ${tag()}`,
  date = FORUM.date,
): Promise<string> {
  await client.get("/ui/forum");
  const res = await client.post("/ui/forum", { ...FORUM, name, date });
  expect(res.status).toBe(303);
  const id = /^\/ui\/forum\/(frm_[0-9A-Za-z]+)$/.exec(res.headers.get("Location") ?? "")?.[1];
  expect(id).toBeDefined();
  return id ?? "";
}

/** Two shops and two makers with a unique word in their offers, so a search finds them alone. */
async function fourBusinesses() {
  const word = `forumkata${tag()}`;
  const shops = [
    await seedBusiness(serviceBody({ name: `Toko Sepatu ${word} A`, email: `fs-${tag()}@example.id` })),
    await seedBusiness(serviceBody({ name: `Toko Sepatu ${word} B`, email: `fs-${tag()}@example.id` })),
  ];
  const makers = [
    await seedBusiness(industryBody({ name: `UD Sepatu ${word} C`, email: `fi-${tag()}@example.id` })),
    await seedBusiness(industryBody({ name: `UD Sandal ${word} D`, email: `fi-${tag()}@example.id` })),
  ];
  return { word, shops: shops.map((x) => x.business.id), makers: makers.map((x) => x.business.id) };
}

/** A forum with the four invited through the page (one by one) and confirmed with all slots. */
async function forumOfFour(client: ConsoleClient, date = FORUM.date) {
  const four = await fourBusinesses();
  const id = await createdForum(client, undefined, date);
  await client.get(`/ui/forum/${id}`);
  const all = [...four.shops, ...four.makers];
  for (const b of all) await client.post(`/ui/forum/${id}/undang`, { business: b });
  await confirmAll(id, all);
  return { ...four, id };
}

async function meetingsOf(forumId: string) {
  const r = await env.DB.prepare(
    "select id, slot, table_no as tableNo, service_id as s, industry_id as i, locked from forum_meetings where forum_id = ? order by slot, table_no",
  )
    .bind(forumId)
    .all<{ id: string; slot: string; tableNo: number; s: string; i: string; locked: number }>();
  return r.results;
}

describe("officer forum pages", () => {
  it("lists forums and creates one; bad input re-renders the form with the values and messages at the fields", async () => {
    const client = await officerClient();
    const list = await client.get("/ui/forum");
    expect(list.status).toBe(200);
    expect(client.lastHtml).toContain('data-testid="forum-create"');
    expect(client.lastHtml).toContain('href="/ui/forum"'); // the officer's menu

    const bad = await client.post("/ui/forum", {
      ...FORUM,
      name: "",
      venue: "Balai Kota Lama",
      tables: "0",
      breaks: "siang",
      maxMeetings: "99",
    });
    expect(bad.status).toBe(422);
    const html = client.lastHtml;
    expect(html).toContain('value="Balai Kota Lama"');
    expect(html).toContain('value="siang"');
    for (const field of ["name", "tables", "breaks", "maxMeetings"])
      expect(html).toContain(`id="fo-${field}-error" data-code="validation_failed"`);
    expect(html).toContain("Wajib diisi.");
    expect(html).not.toContain('id="fo-venue-error"');

    const name = `Forum ${tag()}`;
    const id = await createdForum(client, name);
    const page = await client.get(`/ui/forum/${id}`);
    expect(page.status).toBe(200);
    expect(client.lastHtml).toContain(name);
    expect(client.lastHtml).toContain("3 sesi × 2 meja");
    await client.get("/ui/forum");
    expect(client.lastHtml).toContain(`href="/ui/forum/${id}"`);

    // In English too, field messages included.
    await client.get("/ui/forum?lang=en");
    expect(client.lastHtml).toContain("New forum");
    expect((await client.post("/ui/forum", { ...FORUM, tables: "" })).status).toBe(422);
    expect(client.lastHtml).toContain("Between 1 and 500.");
    await client.get("/ui/forum?lang=id");
  });

  it("invites by filters and by a search; a filter form with nothing chosen keeps its values", async () => {
    const client = await officerClient();
    const { word, shops, makers } = await fourBusinesses();
    const id = await createdForum(client);

    await client.get(`/ui/forum/${id}`);
    const none = await client.post(`/ui/forum/${id}/undang`, { kecamatan: "", sector: "", kbli: "" });
    expect(none.status).toBe(422);
    expect(client.lastHtml).toContain('id="fo-filters-error" data-code="validation_failed"');
    const badKbli = await client.post(`/ui/forum/${id}/undang`, {
      kecamatan: "",
      sector: "industry",
      kbli: "ab",
    });
    expect(badKbli.status).toBe(422);
    expect(client.lastHtml).toContain('id="fo-kbli-error" data-code="validation_failed"');
    expect(client.lastHtml).toContain('value="ab"');
    expect(client.lastHtml).toMatch(/<option value="industry" selected="">/);

    // A search lists the businesses to choose; the chosen two are invited.
    await client.get(`/ui/forum/${id}?q=${word}`);
    for (const b of [...shops, ...makers]) expect(client.lastHtml).toContain(`value="${b}"`);
    const res = await client.post(`/ui/forum/${id}/undang`, { business: shops[0] ?? "" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/ui/forum/${id}?invited=1`);
    await client.get(amp(res.headers.get("Location") ?? ""));
    expect(client.lastHtml).toContain("1 usaha baru diundang.");
    expect(client.lastHtml).toContain(`data-business="${shops[0]}" data-status="invited"`);

    // By filters: every published maker with KBLI 152.. (the fixtures' makers among them).
    const byKbli = await client.post(`/ui/forum/${id}/undang`, { sector: "industry", kbli: "152" });
    expect(byKbli.status).toBe(303);
    const invited = Number(/invited=(\d+)/.exec(byKbli.headers.get("Location") ?? "")?.[1]);
    expect(invited).toBeGreaterThanOrEqual(2);
    await client.get(`/ui/forum/${id}`);
    for (const m of makers) expect(client.lastHtml).toContain(`data-business="${m}" data-status="invited"`);
    expect(client.lastHtml).not.toContain(`data-business="${shops[1]}"`);
  });

  it("runs the schedule, shows the table plan, locks and moves a meeting, refuses a clash, prints, and mails agendas", async () => {
    const client = await officerClient();
    const { id } = await forumOfFour(client);

    await client.get(`/ui/forum/${id}`);
    expect(client.lastHtml).toContain('data-testid="forum-run-schedule"');
    expect(client.lastHtml).not.toContain('data-testid="forum-send-agendas"');
    const run = await client.post(`/ui/forum/${id}/jadwal`, {});
    expect(run.status).toBe(303);
    const loc = run.headers.get("Location") ?? "";
    expect(loc).toMatch(new RegExp(`^/ui/forum/${id}\\?meetings=\\d+&attendees=4$`));
    const meetings = await meetingsOf(id);
    expect(meetings.length).toBeGreaterThanOrEqual(4);
    await client.get(loc);
    expect(client.lastHtml).toContain(`Jadwal tersusun: ${meetings.length} pertemuan untuk 4 peserta.`);

    // The table plan shows each meeting at its slot and table with both partners.
    await client.get(`/ui/forum/${id}/meja`);
    for (const m of meetings)
      expect(client.lastHtml).toContain(`data-meeting="${m.id}" data-table="${m.tableNo}"`);
    expect(client.lastHtml).toContain("Toko Sepatu");

    // Lock one where it is.
    const [first, second] = meetings;
    if (!first || !second) throw new Error("need two meetings");
    const lock = await client.post(`/ui/forum/${id}/rapat/${first.id}/kunci`, {});
    expect(lock.status).toBe(303);
    expect((await meetingsOf(id)).find((m) => m.id === first.id)?.locked).toBe(1);

    // Moving onto a taken table in the same slot is refused at the form, values kept.
    const taken = meetings.find((m) => m.slot === first.slot && m.id !== first.id);
    if (taken) {
      await client.get(`/ui/forum/${id}/meja`);
      const clash = await client.post(`/ui/forum/${id}/rapat/${taken.id}/kunci`, {
        slot: first.slot,
        tableNo: String(first.tableNo),
      });
      expect(clash.status).toBe(409);
      expect(client.lastHtml).toContain('data-code="meeting_conflict"');
    }
    await client.get(`/ui/forum/${id}/meja`);
    const badTable = await client.post(`/ui/forum/${id}/rapat/${second.id}/kunci`, {
      slot: second.slot,
      tableNo: "9",
    });
    expect(badTable.status).toBe(422);
    expect(client.lastHtml).toContain('value="9"');
    expect(client.lastHtml).toContain("Nomor meja tidak ada di forum ini.");

    // Move the second to the last slot at table 2 (a free place for the pair, or refused as a clash).
    const free = ["09:00", "09:20", "10:00"].find(
      (slot) =>
        !meetings.some(
          (m) =>
            m.id !== second.id &&
            m.slot === slot &&
            (m.tableNo === 2 || [m.s, m.i].some((x) => x === second.s || x === second.i)),
        ),
    );
    if (free) {
      const moved = await client.post(`/ui/forum/${id}/rapat/${second.id}/kunci`, {
        slot: free,
        tableNo: "2",
      });
      expect(moved.status).toBe(303);
      const after = (await meetingsOf(id)).find((m) => m.id === second.id);
      expect(after).toMatchObject({ slot: free, tableNo: 2, locked: 1 });
    }

    // Re-run around the locks: the locked meeting stays where it was.
    await client.get(`/ui/forum/${id}/meja`);
    const rerun = await client.post(`/ui/forum/${id}/jadwal`, { next: "meja" });
    expect(rerun.headers.get("Location")).toMatch(new RegExp(`^/ui/forum/${id}/meja\\?meetings=`));
    const kept = (await meetingsOf(id)).find((m) => m.id === first.id);
    expect(kept).toMatchObject({ slot: first.slot, tableNo: first.tableNo, locked: 1 });

    // Unlock it: the button sits at the locked meeting; it stays put until the next run.
    await client.get(`/ui/forum/${id}/meja`);
    expect(client.lastHtml).toContain(`action="/ui/forum/${id}/rapat/${first.id}/buka"`);
    expect(client.lastHtml).toContain("Buka kunci");
    const unlock = await client.post(`/ui/forum/${id}/rapat/${first.id}/buka`, {});
    expect(unlock.status).toBe(303);
    expect(unlock.headers.get("Location")).toBe(`/ui/forum/${id}/meja?unlocked=1`);
    expect((await meetingsOf(id)).find((m) => m.id === first.id)).toMatchObject({
      slot: first.slot,
      tableNo: first.tableNo,
      locked: 0,
    });
    await client.get(`/ui/forum/${id}/meja?unlocked=1`);
    expect(client.lastHtml).toContain("Kunci dibuka.");
    expect(client.lastHtml).not.toContain(`action="/ui/forum/${id}/rapat/${first.id}/buka"`);
    const twice = await client.post(`/ui/forum/${id}/rapat/${first.id}/buka`, {});
    expect(twice.status).toBe(409);
    expect(client.lastHtml).toContain('data-code="meeting_not_locked"');
    expect(client.lastHtml).toContain("Pertemuan ini tidak dikunci");

    // The print page: every slot with every table, no forms.
    const print = await client.get(`/ui/forum/${id}/meja/cetak`);
    expect(print.status).toBe(200);
    const printHtml = client.lastHtml;
    expect(printHtml).toContain('data-testid="forum-print"');
    expect(printHtml.match(/class="fo-print-slot"/g)?.length).toBe(3);
    expect(printHtml).not.toContain("/kunci");

    // Agendas: each participant with meetings, once.
    await client.get(`/ui/forum/${id}`);
    expect(client.lastHtml).toContain('data-testid="forum-send-agendas"');
    const sent = await client.post(`/ui/forum/${id}/kirim-agenda`, {});
    expect(sent.headers.get("Location")).toBe(`/ui/forum/${id}?sent=4`);
    await client.get(`/ui/forum/${id}`);
    const again = await client.post(`/ui/forum/${id}/kirim-agenda`, {});
    expect(again.headers.get("Location")).toBe(`/ui/forum/${id}?sent=0`);
  });

  it("checks participants in (arrived, late from a slot, no-show), re-runs from a slot, and shows the figures", async () => {
    const client = await officerClient();
    const { shops, makers, id } = await forumOfFour(client);
    await client.post(`/ui/forum/${id}/jadwal`, {});

    const [s1, s2] = shops as [string, string];
    const [m1, m2] = makers as [string, string];
    await client.get(`/ui/forum/${id}/hadir`);
    expect(client.lastHtml).toContain(`data-business="${s1}"`);
    for (const b of [s1, m1]) {
      const r = await client.post(`/ui/forum/${id}/hadir/${b}`, { kind: "arrived", from: "09:00" });
      expect(r.status).toBe(303);
      expect(r.headers.get("Location")).toBe(`/ui/forum/${id}/hadir?arrival=1`);
    }
    expect((await client.post(`/ui/forum/${id}/hadir/${m2}`, { kind: "late", from: "10:00" })).status).toBe(
      303,
    );
    expect(
      (await client.post(`/ui/forum/${id}/hadir/${s2}`, { kind: "no_show", from: "09:00" })).status,
    ).toBe(303);
    const late = await env.DB.prepare(
      "select status, available, checked_in_at from forum_participants where forum_id = ? and business_id = ?",
    )
      .bind(id, m2)
      .first<{ status: string; available: string; checked_in_at: number | null }>();
    expect(late?.status).toBe("confirmed");
    expect(JSON.parse(late?.available ?? "[]")).toEqual(["10:00"]);
    await client.get(`/ui/forum/${id}/hadir?arrival=1`);
    expect(client.lastHtml).toContain("Kehadiran dicatat.");
    expect(client.lastHtml).toContain(`data-business="${s2}" data-status="no_show"`);
    expect(client.lastHtml).toContain(`data-business="${s1}" data-status="confirmed" data-checked-in="1"`);

    // A bad arrival is refused on the page: an unknown kind, late without a slot.
    expect((await client.post(`/ui/forum/${id}/hadir/${s1}`, { kind: "pulang" })).status).toBe(422);
    expect(client.lastHtml).toContain("Pilih datang, terlambat atau tidak hadir.");
    expect((await client.post(`/ui/forum/${id}/hadir/${s1}`, { kind: "late", from: "" })).status).toBe(422);
    expect((await client.post(`/ui/forum/${id}/hadir/${s1}`, { kind: "late", from: "11:11" })).status).toBe(
      422,
    );

    // Re-run from the second slot: nobody meets the no-show from then on.
    const rerun = await client.post(`/ui/forum/${id}/jadwal`, { fromSlot: "09:20", next: "hadir" });
    expect(rerun.headers.get("Location")).toMatch(new RegExp(`^/ui/forum/${id}/hadir\\?meetings=`));
    const later = (await meetingsOf(id)).filter((m) => m.slot >= "09:20");
    expect(later.some((m) => m.s === s2 || m.i === s2)).toBe(false);
    expect(later.some((m) => m.i === m2 && m.slot < "10:00")).toBe(false);

    // Figures: meetings held are those both of whose businesses checked in (s1, m1, and m2 late).
    const held = (await meetingsOf(id)).filter((m) => m.s === s1 && [m1, m2].includes(m.i)).length;
    expect(held).toBeGreaterThan(0);
    await client.get(`/ui/forum/${id}`);
    expect(client.lastHtml).toContain(`data-metric="forum-meetings-held">${held}<`);
    await client.get("/ui/dashboard");
    expect(client.lastHtml).toContain('data-testid="dashboard-forums"');
    expect(client.lastHtml).toContain(`href="/ui/forum/${id}"`);
  });

  it("closes a scheduled forum from its day on ('Tutup forum', asked first); then shows it closed", async () => {
    const client = await officerClient();
    const day = (days: number) => isoDay(wibDate(Date.now() + days * DAY_MS));
    const { id } = await forumOfFour(client, day(0));
    const closeForm = `action="/ui/forum/${id}/tutup"`;

    // Open (not scheduled): no button, and a post is refused on the page with its code.
    await client.get(`/ui/forum/${id}`);
    expect(client.lastHtml).not.toContain('data-testid="forum-close"');
    const unscheduled = await client.post(`/ui/forum/${id}/tutup`, {});
    expect(unscheduled.status).toBe(409);
    expect(client.lastHtml).toContain('data-code="forum_not_scheduled"');
    expect(client.lastHtml).toContain("Hanya forum yang sudah terjadwal yang bisa ditutup");

    // Scheduled and its day has come: the action, inside a <details> that asks first.
    await client.post(`/ui/forum/${id}/jadwal`, {});
    await client.get(`/ui/forum/${id}`);
    const html = client.lastHtml;
    expect(html).toContain('<details data-testid="forum-close"><summary>Tutup forum</summary>');
    expect(html).toContain(closeForm);
    expect(html).toContain("Ya, tutup forum ini");
    await client.get(`/ui/forum/${id}?lang=en`);
    expect(client.lastHtml).toContain("<summary>Close the forum</summary>");
    await client.get(`/ui/forum/${id}?lang=id`);

    // A scheduled forum whose day is tomorrow: no button, and a post is refused.
    const later = (await forumOfFour(client, day(1))).id;
    await client.post(`/ui/forum/${later}/jadwal`, {});
    await client.get(`/ui/forum/${later}`);
    expect(client.lastHtml).toContain('data-testid="forum-run-schedule"');
    expect(client.lastHtml).not.toContain('data-testid="forum-close"');
    const early = await client.post(`/ui/forum/${later}/tutup`, {});
    expect(early.status).toBe(409);
    expect(client.lastHtml).toContain('data-code="forum_day_not_reached"');
    expect(client.lastHtml).toContain("Forum baru bisa ditutup pada harinya (WIB) atau sesudahnya.");

    // Close today's: the page shows it closed, with nothing left to run or invite.
    await client.get(`/ui/forum/${id}`);
    const closed = await client.post(`/ui/forum/${id}/tutup`, {});
    expect(closed.status).toBe(303);
    expect(closed.headers.get("Location")).toBe(`/ui/forum/${id}?closed=1`);
    const row = await env.DB.prepare("select status from forums where id = ?").bind(id).first();
    expect(row).toEqual({ status: "closed" });
    await client.get(`/ui/forum/${id}?closed=1`);
    const after = client.lastHtml;
    expect(after).toContain("Forum ditutup.");
    expect(after).toContain('data-status="closed"');
    expect(after).toContain('<span class="badge">selesai</span>');
    expect(after).toContain('data-testid="forum-closed"');
    expect(after).toContain("Forum ini sudah ditutup");
    for (const gone of ["forum-close", "forum-run-schedule", "forum-send-agendas", "forum-invite-filters"])
      expect(after).not.toContain(`data-testid="${gone}"`);
    await client.get(`/ui/forum/${id}?lang=en`);
    expect(client.lastHtml).toContain("This forum is closed");
    await client.get(`/ui/forum/${id}?lang=id`);
    // The table plan and the check-in list only show: no lock, move, re-run or arrival forms.
    await client.get(`/ui/forum/${id}/meja`);
    expect(client.lastHtml).toContain('data-testid="forum-closed"');
    expect(client.lastHtml).toContain("data-meeting=");
    for (const gone of ["/kunci", "/buka", "/jadwal"]) expect(client.lastHtml).not.toContain(gone);
    await client.get(`/ui/forum/${id}/hadir`);
    expect(client.lastHtml).toContain('data-testid="forum-closed"');
    expect(client.lastHtml).toContain("data-business=");
    for (const gone of ["/hadir/", "/jadwal"]) expect(client.lastHtml).not.toContain(gone);
    await client.get(`/ui/forum/${id}`);
    // Posted again (a stale page): refused, and the page says why.
    const twice = await client.post(`/ui/forum/${id}/tutup`, {});
    expect(twice.status).toBe(409);
    expect(client.lastHtml).toContain('data-code="forum_not_scheduled"');
  });

  it("refuses a business: the refusal page with its code for every page and form", async () => {
    const shop = await seedBusiness(serviceBody({ name: `Toko ${tag()}`, email: `fr-${tag()}@example.id` }));
    const officer = await officerClient();
    const id = await createdForum(officer);
    const owner = new ConsoleClient();
    const auth = { Authorization: `Bearer ${shop.apiKey}` };
    for (const path of [
      "/ui/forum",
      `/ui/forum/${id}`,
      `/ui/forum/${id}/meja`,
      `/ui/forum/${id}/meja/cetak`,
      `/ui/forum/${id}/hadir`,
    ]) {
      const res = await owner.get(path, auth);
      expect(res.status).toBe(403);
      expect(owner.lastHtml).toContain('data-code="forbidden"');
    }
    await owner.get("/ui/me", auth);
    for (const path of [
      "/ui/forum",
      `/ui/forum/${id}/undang`,
      `/ui/forum/${id}/jadwal`,
      `/ui/forum/${id}/kirim-agenda`,
      `/ui/forum/${id}/tutup`,
    ]) {
      const res = await owner.post(path, { name: "x", business: shop.business.id }, { headers: auth });
      expect(res.status).toBe(403);
      expect(owner.lastHtml).toContain('data-code="forbidden"');
    }
    const forums = await env.DB.prepare("select count(*) as n from forum_participants where forum_id = ?")
      .bind(id)
      .first<{ n: number }>();
    expect(forums?.n).toBe(0);
  });

  it("answers 404 for a forum that does not exist", async () => {
    const client = await officerClient();
    const res = await client.get("/ui/forum/frm_nope");
    expect(res.status).toBe(404);
  });
});
