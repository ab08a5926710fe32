import type { Locator } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  expectNoHorizontalOverflow,
  metrics,
  PHONE,
  shoeMaker,
  shoeShop,
  text,
  useBrowserHarness,
} from "./harness";

/**
 * The owner's page (/ui/me) on a 360 x 740 phone in headless Chromium, against the bundled Worker
 * with its own in-memory D1: an owner with a waiting request and ten suggestions walks request,
 * "tidak berminat" with its confirmation, and Batalkan. The page must stay within three screens and
 * never scroll sideways; each step's message must be in view, in the card acted on.
 */

const h = useBrowserHarness("owner browser");
let askerName = "";

/** The element is (at least partly) on the screen the owner sees now. */
async function expectInView(locator: Locator): Promise<void> {
  const box = await locator.boundingBox();
  expect(box).not.toBeNull();
  expect(box?.y ?? -1).toBeGreaterThanOrEqual(0);
  expect(box?.y ?? PHONE.height).toBeLessThan(PHONE.height);
}

const MAKERS: Array<[string, string, string]> = [
  ["UD Sepatu Miji Jaya", "Miji", "Produksi sepatu kulit dan sandal untuk grosir dan toko"],
  ["CV Sandal Surodinawan", "Surodinawan", "Sandal jepit dan sandal kulit buatan tangan"],
  ["UD Sepatu Sekolah Kauman", "Kauman", "Sepatu sekolah hitam untuk SD dan SMP"],
  ["Pengrajin Sandal Mentikan", "Mentikan", "Sandal kulit pria dan wanita, pesanan partai"],
  ["UD Alas Kaki Pulorejo", "Pulorejo", "Sepatu kets dan sandal karet"],
  ["CV Kulit Blooto", "Blooto", "Sepatu pantofel kulit sapi"],
  ["UD Sepatu Gedongan", "Gedongan", "Sepatu anak dan sandal anak"],
  ["Sandal Kreasi Balongsari", "Balongsari", "Sandal hotel dan sandal spon"],
  ["UD Sepatu Wates", "Wates", "Sepatu kerja dan sepatu safety"],
  ["Sepatu Rajut Meri", "Meri", "Sepatu rajut dan slip-on"],
  ["UD Tas dan Sepatu Jagalan", "Jagalan", "Tas kulit dan sepatu wanita"],
  ["CV Sandal Sentanan", "Sentanan", "Sandal gunung dan sandal kulit"],
];

beforeAll(async () => {
  const makers: Array<{ id: string; key: string }> = [];
  for (const [name, kelurahan, offers] of MAKERS) {
    makers.push(
      await h.createBusiness(
        shoeMaker(name, kelurahan, {
          offers,
          email: `${name.toLowerCase().replace(/[^a-z]+/g, "-")}@owner.example.id`,
        }),
      ),
    );
  }
  const owner = await h.createBusiness(
    shoeShop("Toko Alas Kaki Kranggan", "Kranggan", {
      offers: "Penjualan sepatu sekolah dan sandal",
      needs: "Pemasok sepatu sekolah dan sandal dari pengrajin lokal",
      email: "owner@owner.example.id",
    }),
  );
  // A maker asks the owner first: the request that waits for the owner's answer.
  const asker = makers[makers.length - 1];
  askerName = MAKERS[MAKERS.length - 1]?.[0] ?? "";
  await h.api("/v1/partnerships", asker?.key ?? "", {
    partnerId: owner.id,
    pattern: "rantai_pasok",
    message: "Kami bisa memasok sandal kulit tiap bulan.",
  });
}, 120_000);

describe("owner page at 360 x 740", () => {
  it("shows what waits first, fits three screens, and walks request, tidak berminat with confirmation, and Batalkan", async () => {
    const page = await h.newPage(PHONE);
    await h.signInOwner(page, "owner@owner.example.id");

    // What waits for the owner is the first card, on the first screen, with who is asking.
    const first = page.locator("main article").first();
    await expect(first.getAttribute("class")).resolves.toBe("card incoming");
    expect(await text(first.locator("h3"))).toBe(askerName);
    expect(await text(first)).toContain("Industri kecil · Sentanan · Usaha mikro");
    await expectInView(first.locator('form[action$="/accept"] button'));
    await expect(page.locator("article.suggestion").count()).resolves.toBe(10);
    // The first suggestion starts on the first screen too.
    await expectInView(page.locator("article.suggestion").first().locator("h3"));
    await h.shot(page, "owner-first-screen.png");
    await h.shot(page, "owner-page.png", true);

    const start = await metrics(page);
    expect(start.height).toBeGreaterThan(PHONE.height);
    expect(start.height).toBeLessThanOrEqual(3 * PHONE.height);
    await expectNoHorizontalOverflow(page);
    // No score outside the disclosures: the visible text has no "Skor" until Rincian opens.
    await expect(page.locator(".score-value").first().isVisible()).resolves.toBe(false);

    // Request: the engine's pattern is already chosen; a message is optional.
    const target = page.locator("article.suggestion").first();
    const targetName = await text(target.locator("h3"));
    await target.locator("details.act > summary", { hasText: "Ajukan kemitraan" }).click();
    await expect(target.locator('input[name="pattern"]:checked').count()).resolves.toBe(1);
    expect(await text(target.locator("label.choice").first())).toContain("(disarankan)");
    await target.locator('textarea[name="message"]').fill("Kami ingin menjual produk Anda.");
    await expectNoHorizontalOverflow(page);
    await h.shot(page, "owner-request-form.png");
    await target.locator('form[action="/ui/me/requests"] button').click();
    await page.waitForURL(/\/ui\/me\?done=requested&card=ptn_[0-9A-Z]+#card-ptn_[0-9A-Z]+$/);
    const sent = page.locator(`#${new URL(page.url()).hash.slice(1)}`);
    expect(await text(sent.locator(".flash"))).toBe(
      `Permintaan terkirim ke ${targetName}. Anda akan melihat jawabannya di sini.`,
    );
    await expectInView(sent.locator(".flash"));
    await h.shot(page, "owner-request-sent.png");

    // Tidak berminat: a confirmation first, then Batalkan where the card was.
    const other = page.locator("article.suggestion").nth(2);
    const otherId = (await other.getAttribute("data-business")) ?? "";
    const otherName = await text(other.locator("h3"));
    await other.locator("details.act > summary", { hasText: "Tidak berminat" }).click();
    const yes = other.locator('form[action="/ui/me/declined"] button');
    expect(await text(yes)).toBe("Ya, tidak berminat");
    await expectNoHorizontalOverflow(page);
    await h.shot(page, "owner-decline-confirm.png");
    await yes.click();
    await page.waitForURL(`${h.base}/ui/me?done=notInterested&card=${otherId}&pos=2#card-${otherId}`);
    await expect(page.locator(`article.suggestion[data-business="${otherId}"]`).count()).resolves.toBe(0);
    const undo = page.locator(`#card-${otherId}`);
    expect(await text(undo.locator(".flash"))).toBe(`${otherName} tidak akan disarankan lagi.`);
    await expectInView(undo.locator("button", { hasText: "Batalkan" }));
    await h.shot(page, "owner-declined-undo.png");

    await undo.locator("button", { hasText: "Batalkan" }).click();
    await page.waitForURL(`${h.base}/ui/me?done=undone&card=${otherId}#card-${otherId}`);
    const back = page.locator(`article.suggestion[data-business="${otherId}"]`);
    await expect(back.count()).resolves.toBe(1);
    expect(await text(back.locator(".flash"))).toBe(`${otherName} kembali ke saran Anda.`);
    await expectInView(back.locator(".flash"));
    await h.shot(page, "owner-undone.png");

    // (The bound is for the first page: now an open request adds a card above the ten suggestions.)
    await expectNoHorizontalOverflow(page);
    await page.context().close();
  });
});
