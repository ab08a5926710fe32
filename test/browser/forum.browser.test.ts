import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db";
import { isoDay, wibDate } from "../../src/domain/calendar";
import { recordArrival } from "../../src/services/forums/attendance.service";
import { inviteBusinesses } from "../../src/services/forums/invitations.service";
import {
  DESKTOP,
  expectNoHorizontalOverflow,
  PHONE,
  shoeMaker,
  shoeShop,
  text,
  useBrowserHarness,
} from "./harness";

/**
 * A business-matching forum in the browser (docs/FORUMS.md): an officer creates a forum and invites
 * a shop and a maker; both owners, on a 360 px phone, confirm and ask to meet each other; the
 * officer runs the schedule; both see their agenda (and its A4 page); the officer checks them in;
 * both rate the meeting "lanjut", and the partnership request it opens shows on the owners' page
 * and the officers' partnerships page.
 *
 * The owners' steps go through their pages' forms. The officer's steps go through the officer
 * API and services (the officer's forum pages are built on another branch).
 * Screenshots: test-results/screenshots/forum/<step>.png.
 */

const h = useBrowserHarness("forum officer");

const SHOP = { name: "Toko Sepatu Forum Kranggan", email: "shop@forum.example.id" };
const MAKER = { name: "UD Sepatu Kulit Forum Miji", email: "maker@forum.example.id" };
const ids = { shop: "", maker: "" };

beforeAll(async () => {
  ids.shop = (await h.createBusiness(shoeShop(SHOP.name, "Kranggan", { email: SHOP.email }))).id;
  ids.maker = (
    await h.createBusiness(
      shoeMaker(MAKER.name, "Miji", {
        offers: "Produksi sepatu kulit dan sandal kulit untuk toko",
        email: MAKER.email,
      }),
    )
  ).id;
});

let n = 0;
async function step(page: Page, name: string): Promise<void> {
  n += 1;
  if (page.viewportSize()?.width === PHONE.width) await expectNoHorizontalOverflow(page);
  await h.shot(page, `forum/${String(n).padStart(2, "0")}-${name}.png`, true);
}

const db = () => createDb(h.env.DB);
const officerPrincipal = { kind: "officer", id: "off_browser_forum", role: "officer" } as const;

/** The officer creates today's forum (WIB) through the API and invites both businesses. */
async function officerCreatesAndInvites(): Promise<string> {
  const forum = await h.api("/v1/forums", h.officerKey, {
    name: "Sosialisasi Kemitraan Usaha",
    date: isoDay(wibDate(Date.now())),
    venue: "Pendopo Sabha Kridatama",
    meetingMinutes: 20,
    start: "09:00",
    end: "10:00",
    breaks: "",
    tables: 4,
  });
  const id = forum.id as string;
  const r = await inviteBusinesses(
    { db: db() },
    { forumId: id, actor: officerPrincipal, businessIds: [ids.shop, ids.maker], now: Date.now() },
  );
  expect(r.invited).toBe(2);
  return id;
}

async function officerSchedules(forumId: string): Promise<void> {
  const run = await h.api(`/v1/forums/${forumId}/schedule`, h.officerKey, {});
  expect(run.meetings).toBeGreaterThanOrEqual(1);
  expect(run.unscheduled).toEqual([]);
}

async function officerChecksIn(forumId: string): Promise<void> {
  for (const businessId of [ids.shop, ids.maker])
    await recordArrival(
      { db: db() },
      { forumId, businessId, actor: officerPrincipal, kind: "arrived", now: Date.now() },
    );
  const row = await h.env.DB.prepare(
    "select count(*) as n from forum_participants where forum_id = ? and checked_in_at is not null",
  )
    .bind(forumId)
    .first<{ n: number }>();
  expect(row?.n).toBe(2);
}

/** An owner opens the forum from their page and confirms with every slot. */
async function confirm(page: Page, forumId: string, who: string): Promise<void> {
  await page.click('a[href="/ui/me/forum"]');
  await page.waitForURL(`${h.base}/ui/me/forum`);
  expect(await text(page.locator(`[data-forum="${forumId}"]`))).toContain("Belum dijawab");
  await step(page, `${who}-invitations`);
  await page.click(`[data-forum="${forumId}"] a.button`);
  await page.waitForURL(`${h.base}/ui/me/forum/${forumId}`);
  await page.check('input[name="attending"][value="ya"]');
  await step(page, `${who}-attendance`);
  await page.click("form#hadir button");
  expect(await text(page.locator('[role="status"]'))).toBe("Jawaban Anda tersimpan.");
  expect(await text(page.locator("[data-participation]"))).toBe("Hadir");
}

/** An owner asks the other for a meeting from the suggested partners. */
async function ask(page: Page, forumId: string, otherId: string, who: string): Promise<string> {
  await page.goto(`${h.base}/ui/me/forum/${forumId}`);
  const card = page.locator(`article[data-partner="${otherId}"]`);
  expect(await text(card)).toContain("Kenapa cocok");
  await card.locator('form[action$="/minta"] button').click();
  const note = await text(page.locator(`article[data-partner="${otherId}"] [role="status"]`));
  await step(page, `${who}-asked`);
  return note;
}

/** An owner rates their meeting with `partner` "lanjut" on the agenda page. */
async function rateLanjut(page: Page, forumId: string, partner: string): Promise<void> {
  await page.goto(`${h.base}/ui/me/forum/${forumId}/agenda`);
  const meeting = page.locator("article.meeting", { hasText: partner });
  await meeting.locator('input[name="rating"][value="lanjut"]').check();
  await meeting.locator("form.rate button").click();
  await page.waitForURL(/done=rated/);
  expect(await text(page.locator("article.meeting", { hasText: partner }).locator('[role="status"]'))).toBe(
    "Penilaian tersimpan.",
  );
}

describe("a business-matching forum", () => {
  it("from invitation to the follow-up partnership request", async () => {
    // 1. The officer creates the forum and invites the two businesses.
    const forumId = await officerCreatesAndInvites();

    // 2. Both owners, on a phone, confirm and ask to meet each other.
    const shop = await h.newPage(PHONE);
    const maker = await h.newPage(PHONE);
    await h.signInOwner(shop, SHOP.email);
    await h.signInOwner(maker, MAKER.email);
    await confirm(shop, forumId, "shop");
    await confirm(maker, forumId, "maker");
    expect(await ask(shop, forumId, ids.maker, "shop")).toBe("Permintaan bertemu terkirim.");
    await maker.goto(`${h.base}/ui/me/forum/${forumId}`);
    expect(await text(maker.locator(`article[data-received="${ids.shop}"]`))).toContain(
      "Menunggu jawaban Anda.",
    );
    expect(await ask(maker, forumId, ids.shop, "maker")).toContain("Mereka juga ingin bertemu Anda");

    // 3. The officer runs the schedule.
    await officerSchedules(forumId);

    // 4. Both owners see their agenda on the phone, and the A4 page.
    for (const [page, partner, who] of [
      [shop, MAKER.name, "shop"],
      [maker, SHOP.name, "maker"],
    ] as const) {
      await page.goto(`${h.base}/ui/me/forum/${forumId}`);
      await page.click(`a[href="/ui/me/forum/${forumId}/agenda"]`);
      const meeting = page.locator("article.meeting", { hasText: partner });
      expect(await meeting.count()).toBe(1);
      const card = await text(meeting);
      expect(card).toMatch(/\d\d:\d\d–\d\d:\d\d · Meja \d/);
      expect(card).toContain("Kalian saling meminta");
      expect(card).toContain("Yang bisa dibicarakan");
      await step(page, `${who}-agenda`);
      await page.click(`a[href="/ui/me/forum/${forumId}/agenda/cetak"]`);
      expect(await text(page.locator("table.agenda tbody"))).toContain(partner);
      await step(page, `${who}-agenda-print`);
      await page.emulateMedia({ media: "print" });
      expect(await page.locator("header.top").isVisible()).toBe(false);
      await h.shot(page, `forum/${who}-agenda-a4.png`, true);
      await page.emulateMedia({ media: "screen" });
    }

    // 5. The officer checks both in at the door.
    await officerChecksIn(forumId);

    // 6. Both rate the meeting "lanjut": a partnership request opens, from the forum.
    await rateLanjut(shop, forumId, MAKER.name);
    expect(await shop.locator("[data-follow-up]").count()).toBe(0);
    await rateLanjut(maker, forumId, SHOP.name);
    const followUp = maker.locator("[data-follow-up]");
    expect(await text(followUp)).toContain("permintaan kemitraan sudah dibuka");
    const partnershipId = (await followUp.getAttribute("data-follow-up")) ?? "";
    expect(partnershipId).toMatch(/^ptn_/);
    await step(maker, "maker-follow-up");
    const p = await h.api(`/v1/partnerships/${partnershipId}`, h.officerKey);
    expect(p).toMatchObject({ status: "requested", origin: "forum" });

    // The request on the owners' page (linked from the agenda) and on the officers' partnerships page.
    await followUp.locator("a").click();
    await maker.waitForURL(`${h.base}/ui/me#card-${partnershipId}`);
    expect(await maker.locator(`[data-partnership="${partnershipId}"]`).count()).toBe(1);
    await step(maker, "maker-partnerships");
    await shop.goto(`${h.base}/ui/me`);
    expect(await text(shop.locator(`[data-partnership="${partnershipId}"]`))).toContain(MAKER.name);
    const officer = await h.newPage(DESKTOP);
    await h.signInOfficer(officer);
    await officer.goto(`${h.base}/ui/partnerships`);
    const row = officer.locator("tr", { hasText: SHOP.name });
    expect(await text(row)).toContain(MAKER.name);
    await step(officer, "officer-partnerships");
  });
});
