import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { isoDay, wibDate } from "../../src/domain/calendar";
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
 * Every step goes through the pages' forms: the officer's at /ui/forum, the owners' at /ui/me/forum.
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

/** The officer creates today's forum (WIB) at /ui/forum and invites both businesses by name. */
async function officerCreatesAndInvites(officer: Page): Promise<string> {
  await h.signInOfficer(officer);
  await officer.click('nav.main a[href="/ui/forum"]');
  await officer.waitForURL(`${h.base}/ui/forum`);
  const form = officer.locator('[data-testid="forum-create"]');
  await form.locator('input[name="name"]').fill("Sosialisasi Kemitraan Usaha");
  await form.locator('input[name="date"]').fill(isoDay(wibDate(Date.now())));
  await form.locator('input[name="venue"]').fill("Pendopo Sabha Kridatama");
  await form.locator('input[name="meetingMinutes"]').fill("20");
  await form.locator('input[name="start"]').fill("09:00");
  await form.locator('input[name="end"]').fill("10:00");
  await form.locator('input[name="tables"]').fill("4");
  await step(officer, "officer-create");
  await form.locator('button[type="submit"]').click();
  await officer.waitForURL(/\/ui\/forum\/frm_[0-9A-Z]+$/);
  const forumId = new URL(officer.url()).pathname.split("/").pop() ?? "";
  const choose = officer.locator('[data-testid="forum-invite-choose"]');
  await choose.locator('input[name="q"]').fill("Forum");
  await choose.locator('form[method="get"] button').click();
  await officer.waitForURL(/q=Forum/);
  for (const id of [ids.shop, ids.maker])
    await officer
      .locator(`[data-testid="forum-invite-choose"] input[name="business"][value="${id}"]`)
      .check();
  await step(officer, "officer-invite");
  await officer.locator('[data-testid="forum-invite-choose"] form[method="post"] button').click();
  expect(await text(officer.locator('[data-testid="forum-message"]'))).toBe("2 usaha baru diundang.");
  return forumId;
}

async function officerSchedules(officer: Page, forumId: string): Promise<void> {
  await officer.goto(`${h.base}/ui/forum/${forumId}`);
  await officer.locator('[data-testid="forum-run-schedule"] button').click();
  expect(await text(officer.locator('[data-testid="forum-message"]'))).toMatch(
    /^Jadwal tersusun: [1-9]\d* pertemuan untuk 2 peserta\.$/,
  );
  await step(officer, "officer-scheduled");
}

async function officerChecksIn(officer: Page, forumId: string): Promise<void> {
  await officer.goto(`${h.base}/ui/forum/${forumId}`);
  await officer.click('[data-testid="forum-checkin-link"]');
  await officer.waitForURL(`${h.base}/ui/forum/${forumId}/hadir`);
  for (const id of [ids.shop, ids.maker]) {
    await officer.locator(`li[data-business="${id}"] [data-testid="forum-arrived"]`).click();
    await officer.waitForURL(/arrival=1/);
    expect(await officer.locator(`li[data-business="${id}"]`).getAttribute("data-checked-in")).toBe("1");
  }
  await step(officer, "officer-checked-in");
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
    const officer = await h.newPage(DESKTOP);
    const forumId = await officerCreatesAndInvites(officer);

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
    await officerSchedules(officer, forumId);

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
    await officerChecksIn(officer, forumId);

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
    await officer.goto(`${h.base}/ui/partnerships`);
    const row = officer.locator("tr", { hasText: SHOP.name });
    expect(await text(row)).toContain(MAKER.name);
    await step(officer, "officer-partnerships");
  });
});
