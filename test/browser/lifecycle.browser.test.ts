import { readFileSync } from "node:fs";
import { strFromU8, unzipSync } from "fflate";
import type { Download, Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, expectNoHorizontalOverflow, PHONE, shoeMaker, text, useBrowserHarness } from "./harness";

/**
 * The whole job in the browser, once on a 360 px phone and once at desktop width: a new owner signs
 * up at /ui/daftar and confirms from the emailed link, an officer verifies the sign-up, the owner is
 * emailed, edits the profile and asks a suggested partner; the partner is emailed and accepts, the
 * officer approves, both see the other's email and WhatsApp; the owner ends it with an outcome, the
 * dashboard counts it, and the laporan (CSV and XLSX) has it.
 *
 * Every step goes through the pages' forms. Mail is read where a person would read it: the log
 * mailer's output (the development provider), after the five-minute cron that sends the
 * notification outbox has run. Only the partner is set up beforehand (through the officer API).
 * Each page is screenshotted to test-results/screenshots/lifecycle/<step>-<width>.png.
 */

const h = useBrowserHarness("lifecycle officer", { DIGEST_SIGNING_KEY: "browser-digest-signing-key" });
const NOTIFICATIONS_CRON = "*/5 * * * *"; // CRON_JOBS in src/jobs/registry.ts: send-notifications

interface Cast {
  viewport: { width: number; height: number };
  owner: { name: string; email: string; whatsapp: string; waDigits: string };
  partner: { name: string; email: string; whatsapp: string; waDigits: string };
}

const CASTS: Cast[] = [
  {
    viewport: PHONE,
    owner: {
      name: "Toko Sepatu Lestari",
      email: "lestari@lifecycle.example.id",
      whatsapp: "0812-3456-7890",
      waDigits: "6281234567890",
    },
    partner: {
      name: "UD Sepatu Kulit Miji",
      email: "miji@lifecycle.example.id",
      whatsapp: "0813-1111-2222",
      waDigits: "6281311112222",
    },
  },
  {
    viewport: DESKTOP,
    owner: {
      name: "Toko Alas Kaki Makmur",
      email: "makmur@lifecycle.example.id",
      whatsapp: "0812-7777-0001",
      waDigits: "6281277770001",
    },
    partner: {
      name: "CV Sandal Kulit Surodinawan",
      email: "surodinawan@lifecycle.example.id",
      whatsapp: "0813-7777-0002",
      waDigits: "6281377770002",
    },
  },
];

beforeAll(async () => {
  for (const [i, { partner }] of CASTS.entries()) {
    await h.createBusiness(
      shoeMaker(partner.name, i === 0 ? "Miji" : "Surodinawan", {
        offers: "Produksi sepatu kulit dan sandal kulit untuk toko dan grosir",
        email: partner.email,
        whatsapp: partner.whatsapp,
      }),
    );
  }
});

/** Steps of one run: screenshots named by step and width, and the 360 px check on every page. */
function stepper(width: number) {
  let n = 0;
  return async (page: Page, step: string): Promise<void> => {
    n += 1;
    if (width === PHONE.width) await expectNoHorizontalOverflow(page);
    await h.shot(page, `lifecycle/${String(n).padStart(2, "0")}-${step}-${width}.png`, true);
  };
}

/** The dashboard's count of partnerships started (all time). */
async function startedCount(page: Page): Promise<number> {
  await page.goto(`${h.base}/ui/dashboard`);
  return Number(await text(page.locator('[data-metric="partnerships-started"]')));
}

async function download(page: Page, link: Locator): Promise<{ file: Download; body: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent("download"), link.click()]);
  return { file, body: readFileSync(await file.path()) };
}

/** The one row of the `notification_outbox` for this kind and recipient. */
async function outboxRow(kind: string, businessId: string): Promise<{ status: string } | null> {
  return h.env.DB.prepare("select status from notification_outbox where kind = ? and recipient = ?")
    .bind(kind, `business:${businessId}`)
    .first<{ status: string }>();
}

describe("the whole job in the browser", () => {
  for (const cast of CASTS) {
    const width = cast.viewport.width;
    it(`sign-up to laporan at ${width} px`, async () => {
      const step = stepper(width);
      const { owner, partner } = cast;
      const officer = await h.newPage(cast.viewport);
      const ownerPage = await h.newPage(cast.viewport);
      const partnerPage = await h.newPage(cast.viewport);

      await h.signInOfficer(officer);
      const startedBefore = await startedCount(officer);
      await step(officer, "dashboard-before");

      // 1. Sign-up at /ui/daftar, reached from the landing page.
      await ownerPage.goto(`${h.base}/`);
      await step(ownerPage, "landing");
      await ownerPage.click('a[href="/ui/daftar"]');
      await ownerPage.waitForURL(`${h.base}/ui/daftar`);
      const form = ownerPage.locator("form.business-form");
      await form.locator('input[name="name"]').fill(owner.name);
      await form.locator('input[name="email"]').fill(owner.email);
      await form.locator('input[name="sector"][value="service"]').check();
      await form.locator('input[name="kbli_q"]').fill("sepatu");
      await form.locator("button[formaction]").click();
      await form.locator('input[name="kbli"][value="2020:47712"]').check();
      await form.locator('select[name="kelurahan"]').selectOption("Kranggan");
      await form.locator('input[name="sizeClass"][value="mikro"]').check();
      await form.locator('textarea[name="offers"]').fill("Toko sepatu dan sandal di pusat kota");
      await form.locator('textarea[name="needs"]').fill("Pemasok sepatu kulit dan sandal buatan lokal");
      await form.locator('input[name="whatsapp"]').fill(owner.whatsapp);
      await step(ownerPage, "signup-form");
      await form.locator("button:not([formaction])").click();
      expect(await text(ownerPage.locator("h1"))).toBe("Periksa email Anda");
      expect(await text(ownerPage.locator("main"))).toContain(owner.email);
      await step(ownerPage, "signup-sent");

      // 2. The confirmation link from the sign-up email: now waiting for review.
      await h.confirmLink(ownerPage, await h.waitForConfirmLink(owner.email));
      expect(await text(ownerPage.locator("main"))).toContain("Pendaftaran Anda sedang ditinjau petugas");
      await step(ownerPage, "confirmed-pending");

      // 3. The officer verifies the sign-up in the queue.
      await officer.goto(`${h.base}/ui/queue`);
      const signup = officer.locator("article.signup", { hasText: owner.name });
      await expect(signup.count()).resolves.toBe(1);
      const ownerId = (await signup.getAttribute("data-business")) ?? "";
      expect(ownerId).toMatch(/^biz_/);
      await step(officer, "queue-signup");
      await signup.locator('form[action$="/publish"] button').click();
      await officer.waitForURL(/\/ui\/queue\?done=1/);
      await expect(officer.locator(`article.signup[data-business="${ownerId}"]`).count()).resolves.toBe(0);

      // 4. The owner is told: the outbox row, then the email the cron sends.
      expect((await outboxRow("sign_up_published", ownerId))?.status).toBe("pending");
      await h.runCron(NOTIFICATIONS_CRON);
      const published = await h.waitForMail(owner.email, /Pendaftaran usaha Anda disetujui/);
      expect(published.text).toContain(owner.name);
      expect((await outboxRow("sign_up_published", ownerId))?.status).toBe("sent");

      // 5. The owner edits the profile.
      await ownerPage.goto(`${h.base}/ui/me`);
      expect(await text(ownerPage.locator("main"))).not.toContain("sedang ditinjau");
      await ownerPage.click('a[href="/ui/me/profil"]');
      await ownerPage.waitForURL(`${h.base}/ui/me/profil`);
      const offers = "Toko sepatu, sandal dan tas kulit di pusat kota";
      await ownerPage.locator('form.business-form textarea[name="offers"]').fill(offers);
      await step(ownerPage, "profile-form");
      await ownerPage.locator("form.business-form button:not([formaction])").click();
      await ownerPage.waitForURL(`${h.base}/ui/me/profil?done=saved`);
      expect(await text(ownerPage.locator('.notice.ok[role="status"]'))).toBe("Profil disimpan.");
      await expect(ownerPage.locator('textarea[name="offers"]').inputValue()).resolves.toBe(offers);
      await step(ownerPage, "profile-saved");

      // 6. A request to the suggested partner.
      await ownerPage.goto(`${h.base}/ui/me`);
      const suggestion = ownerPage.locator("article.suggestion", { hasText: partner.name });
      await expect(suggestion.count()).resolves.toBe(1);
      await step(ownerPage, "owner-suggestions");
      await suggestion.locator("details.act > summary", { hasText: "Ajukan kemitraan" }).click();
      const message = `Kami ${owner.name} ingin menjual sepatu kulit Anda.`;
      await suggestion.locator('textarea[name="message"]').fill(message);
      await suggestion.locator('form[action="/ui/me/requests"] button').click();
      await ownerPage.waitForURL(/\/ui\/me\?done=requested&card=ptn_[0-9A-Z]+#card-ptn_[0-9A-Z]+$/);
      const partnershipId = new URL(ownerPage.url()).searchParams.get("card") ?? "";
      const mine = ownerPage.locator(`article[data-partnership="${partnershipId}"]`);
      expect(await text(mine.locator(".badge"))).toBe("diajukan");
      // Nothing of the partner's contact before they accept.
      await expect(mine.locator("a.whatsapp").count()).resolves.toBe(0);
      expect(await text(mine)).not.toContain(partner.email);
      await step(ownerPage, "request-sent");

      // 7. The partner is told, signs in and accepts.
      await h.runCron(NOTIFICATIONS_CRON);
      const received = await h.waitForMail(
        partner.email,
        new RegExp(`Permintaan kemitraan baru dari ${owner.name}`),
      );
      expect(received.text).toContain(message);
      expect(received.text).toContain("/ui/me");
      await h.signInOwner(partnerPage, partner.email);
      const incoming = partnerPage.locator(`article.incoming[data-partnership="${partnershipId}"]`);
      expect(await text(incoming.locator("h3"))).toBe(owner.name);
      await expect(partnerPage.locator("a.whatsapp").count()).resolves.toBe(0);
      await step(partnerPage, "partner-incoming");
      await incoming.locator('form[action$="/accept"] button').click();
      await partnerPage.waitForURL(new RegExp(`/ui/me\\?done=accepted&card=${partnershipId}`));
      await step(partnerPage, "partner-accepted");
      await h.runCron(NOTIFICATIONS_CRON);
      await h.waitForMail(owner.email, new RegExp(`${partner.name} menerima permintaan kemitraan Anda`));

      // 8. The officer approves the partnership.
      await officer.goto(`${h.base}/ui/queue`);
      const pairing = officer.locator(`article.pairing[data-partnership="${partnershipId}"]`);
      expect(await text(pairing.locator("h3"))).toContain(owner.name);
      await step(officer, "queue-pairing");
      await pairing.locator('form[action$="/approve"] button').click();
      await officer.waitForURL(/\/ui\/queue\?done=1/);
      await expect(
        officer.locator(`article.pairing[data-partnership="${partnershipId}"]`).count(),
      ).resolves.toBe(0);
      await h.runCron(NOTIFICATIONS_CRON);
      await h.waitForMail(owner.email, new RegExp(`Kemitraan dengan ${partner.name} disetujui`));
      await h.waitForMail(partner.email, new RegExp(`Kemitraan dengan ${owner.name} disetujui`));

      // 9. Both see the other's email and WhatsApp link.
      for (const [page, other, name] of [
        [ownerPage, partner, "owner-active"],
        [partnerPage, owner, "partner-active"],
      ] as const) {
        await page.goto(`${h.base}/ui/me`);
        const card = page.locator(`article[data-partnership="${partnershipId}"]`);
        expect(await text(card)).toContain("Kemitraan berjalan");
        await expect(card.locator("a.whatsapp").getAttribute("href")).resolves.toBe(
          `https://wa.me/${other.waDigits}`,
        );
        await expect(card.locator('a[href^="mailto:"]').getAttribute("href")).resolves.toBe(
          `mailto:${other.email}`,
        );
        await step(page, name);
      }

      // 10. The owner ends it with an outcome.
      const active = ownerPage.locator(`article[data-partnership="${partnershipId}"]`);
      await active.locator("details.act > summary", { hasText: "Akhiri kemitraan" }).click();
      await active.locator('select[name="outcome"]').selectOption("cooperation_started");
      await active.locator('input[name="note"]').fill("Pesanan pertama 100 pasang");
      await step(ownerPage, "end-form");
      await active.locator('form[action$="/end"] button').click();
      await ownerPage.waitForURL(new RegExp(`/ui/me\\?done=ended&card=${partnershipId}`));
      const ended = ownerPage.locator(`li[data-partnership="${partnershipId}"]`);
      expect(await text(ended)).toContain("Selesai · kerja sama sudah berjalan");
      expect(await text(ended)).toContain("Pesanan pertama 100 pasang");
      await step(ownerPage, "ended");

      // 11. The dashboard counts it.
      const startedAfter = await startedCount(officer);
      expect(startedAfter).toBe(startedBefore + 1);
      const byPattern = await text(officer.locator('[data-table="pattern"]'));
      expect(byPattern).not.toContain("Belum ada");
      await step(officer, "dashboard-after");

      // 12. The laporan: the CSV summary and the XLSX workbook have the new count.
      const csv = await download(
        officer,
        officer.locator('a[href*="/ui/dashboard/export.csv"][href$="table=summary"]'),
      );
      expect(csv.file.suggestedFilename()).toMatch(/^laporan-kemitraan-summary-.*\.csv$/);
      const csvText = csv.body.toString("utf8");
      expect(csvText).toMatch(new RegExp(`^Kemitraan dimulai dalam periode,${startedAfter}\r$`, "m"));
      const xlsx = await download(officer, officer.locator('a[href^="/ui/dashboard/export.xlsx"]'));
      expect(xlsx.file.suggestedFilename()).toMatch(/\.xlsx$/);
      const files = unzipSync(new Uint8Array(xlsx.body));
      const summary = strFromU8(files["xl/worksheets/sheet1.xml"] ?? new Uint8Array());
      expect(summary).toMatch(
        new RegExp(
          `<t xml:space="preserve">Kemitraan dimulai dalam periode</t></is></c><c r="B\\d+"><v>${startedAfter}</v>`,
        ),
      );

      for (const page of [officer, ownerPage, partnerPage]) await page.context().close();
    }, 300_000);
  }
});
