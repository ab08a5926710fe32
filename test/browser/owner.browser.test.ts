import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestHarness } from "wrangler";
import { createDb } from "../../src/db";
import { createApiKey } from "../../src/services/accounts/api-keys.service";
import { BROWSER_BUNDLE_DIR } from "./build-worker";
import { launchChromium } from "./launch";

/**
 * The owner's page (/ui/me) on a 360 x 740 phone in headless Chromium, against the bundled Worker
 * with its own in-memory D1: an owner with a waiting request and ten suggestions walks request,
 * "tidak berminat" with its confirmation, and Batalkan. The page must stay within three screens and
 * never scroll sideways; each step's message must be in view, in the card acted on.
 */

const root = path.resolve(import.meta.dirname, "../..");
const SCREENSHOTS = path.join(root, "test-results", "screenshots");
const PHONE = { width: 360, height: 740 };
const server = createTestHarness({
  root,
  workers: [
    {
      configPath: "./wrangler.toml",
      prebuiltWorkerDir: BROWSER_BUNDLE_DIR,
      vars: { ENVIRONMENT: "development" },
    },
  ],
});

let base = "";
let officerKey = "";
let browser: Browser;
let askerName = "";

async function api(pathname: string, key: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await server.fetch(pathname, {
    method: body === undefined ? "GET" : "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const raw = await res.text();
  if (res.status >= 300) throw new Error(`${pathname} -> ${res.status}: ${raw}`);
  return JSON.parse(raw) as Record<string, unknown>;
}

async function createBusiness(fields: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const body = await api("/v1/businesses", officerKey, { sizeClass: "mikro", ...fields });
  return { id: (body.business as { id: string }).id, key: body.apiKey as string };
}

async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? "").trim();
}

/** The page's [scrollWidth, innerWidth, body scrollHeight, scrollY] (a string: no DOM types here). */
async function metrics(page: Page): Promise<{ width: number; inner: number; height: number; y: number }> {
  const [width, inner, height, y] = (await page.evaluate(
    "[document.documentElement.scrollWidth, window.innerWidth, document.body.scrollHeight, window.scrollY]",
  )) as number[];
  return { width: width ?? 0, inner: inner ?? 0, height: height ?? 0, y: y ?? 0 };
}

async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const m = await metrics(page);
  expect(m.inner).toBe(PHONE.width);
  expect(m.width).toBeLessThanOrEqual(m.inner);
}

/** The element is (at least partly) on the screen the owner sees now. */
async function expectInView(locator: Locator): Promise<void> {
  const box = await locator.boundingBox();
  expect(box).not.toBeNull();
  expect(box?.y ?? -1).toBeGreaterThanOrEqual(0);
  expect(box?.y ?? PHONE.height).toBeLessThan(PHONE.height);
}

const shot = (page: Page, name: string, fullPage = false) =>
  page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage });

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
  const [{ url }, launched] = await Promise.all([server.listen(), launchChromium()]);
  browser = launched;
  base = `http://localhost:${url.port}`;
  const worker = server.getWorker<Env>();
  await worker.applyD1Migrations("DB");
  const env = await worker.getEnv();
  officerKey = (
    await createApiKey({ db: createDb(env.DB) }, { kind: "officer", label: "owner browser", now: Date.now() })
  ).plaintext;
  mkdirSync(SCREENSHOTS, { recursive: true });

  const makers: Array<{ id: string; key: string }> = [];
  for (const [name, kelurahan, offers] of MAKERS) {
    makers.push(
      await createBusiness({
        name,
        sector: "industry",
        kbli: [{ code: "15201", version: "2020" }],
        location: { kelurahan },
        offers,
        needs: "Mencari toko sepatu dan pengecer alas kaki",
        email: `${name.toLowerCase().replace(/[^a-z]+/g, "-")}@owner.example.id`,
      }),
    );
  }
  const owner = await createBusiness({
    name: "Toko Alas Kaki Kranggan",
    sector: "service",
    kbli: [{ code: "47711", version: "2020" }],
    location: { kelurahan: "Kranggan" },
    offers: "Penjualan sepatu sekolah dan sandal",
    needs: "Pemasok sepatu sekolah dan sandal dari pengrajin lokal",
    email: "owner@owner.example.id",
  });
  // A maker asks the owner first: the request that waits for the owner's answer.
  const asker = makers[makers.length - 1];
  askerName = MAKERS[MAKERS.length - 1]?.[0] ?? "";
  await api("/v1/partnerships", asker?.key ?? "", {
    partnerId: owner.id,
    pattern: "rantai_pasok",
    message: "Kami bisa memasok sandal kulit tiap bulan.",
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server.close();
});

async function signIn(page: Page, email: string): Promise<void> {
  server.clearLogs();
  await page.goto(`${base}/ui/login`);
  await page.fill('input[name="email"]', email);
  await page.click('form[action="/ui/login/email"] button');
  let link = "";
  for (let i = 0; i < 50 && !link; i++) {
    const line = server.getLogs().find((l) => l.message.includes(email));
    link =
      /https?:\/\/[^\s"\\]+\/ui\/login\/confirm\?token=[A-Za-z0-9_-]{43}/.exec(line?.message ?? "")?.[0] ??
      "";
    if (!link) await new Promise((r) => setTimeout(r, 100));
  }
  expect(link).not.toBe("");
  await page.goto(link);
  await page.click('form[action="/ui/login/confirm"] button');
  await page.waitForURL(`${base}/ui/me`);
}

describe("owner page at 360 x 740", () => {
  it("shows what waits first, fits three screens, and walks request, tidak berminat with confirmation, and Batalkan", async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: "id-ID" });
    const page = await context.newPage();
    await signIn(page, "owner@owner.example.id");

    // What waits for the owner is the first card, on the first screen, with who is asking.
    const first = page.locator("main article").first();
    await expect(first.getAttribute("class")).resolves.toBe("card incoming");
    expect(await text(first.locator("h3"))).toBe(askerName);
    expect(await text(first)).toContain("Industri kecil · Sentanan · Usaha mikro");
    await expectInView(first.locator('form[action$="/accept"] button'));
    await expect(page.locator("article.suggestion").count()).resolves.toBe(10);
    // The first suggestion starts on the first screen too.
    await expectInView(page.locator("article.suggestion").first().locator("h3"));
    await shot(page, "owner-first-screen.png");
    await shot(page, "owner-page.png", true);

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
    await shot(page, "owner-request-form.png");
    await target.locator('form[action="/ui/me/requests"] button').click();
    await page.waitForURL(/\/ui\/me\?done=requested&card=ptn_[0-9A-Z]+#card-ptn_[0-9A-Z]+$/);
    const sent = page.locator(`#${new URL(page.url()).hash.slice(1)}`);
    expect(await text(sent.locator(".flash"))).toBe(
      `Permintaan terkirim ke ${targetName}. Anda akan melihat jawabannya di sini.`,
    );
    await expectInView(sent.locator(".flash"));
    await shot(page, "owner-request-sent.png");

    // Tidak berminat: a confirmation first, then Batalkan where the card was.
    const other = page.locator("article.suggestion").nth(2);
    const otherId = (await other.getAttribute("data-business")) ?? "";
    const otherName = await text(other.locator("h3"));
    await other.locator("details.act > summary", { hasText: "Tidak berminat" }).click();
    const yes = other.locator('form[action="/ui/me/declined"] button');
    expect(await text(yes)).toBe("Ya, tidak berminat");
    await expectNoHorizontalOverflow(page);
    await shot(page, "owner-decline-confirm.png");
    await yes.click();
    await page.waitForURL(`${base}/ui/me?done=notInterested&card=${otherId}&pos=2#card-${otherId}`);
    await expect(page.locator(`article.suggestion[data-business="${otherId}"]`).count()).resolves.toBe(0);
    const undo = page.locator(`#card-${otherId}`);
    expect(await text(undo.locator(".flash"))).toBe(`${otherName} tidak akan disarankan lagi.`);
    await expectInView(undo.locator("button", { hasText: "Batalkan" }));
    await shot(page, "owner-declined-undo.png");

    await undo.locator("button", { hasText: "Batalkan" }).click();
    await page.waitForURL(`${base}/ui/me?done=undone&card=${otherId}#card-${otherId}`);
    const back = page.locator(`article.suggestion[data-business="${otherId}"]`);
    await expect(back.count()).resolves.toBe(1);
    expect(await text(back.locator(".flash"))).toBe(`${otherName} kembali ke saran Anda.`);
    await expectInView(back.locator(".flash"));
    await shot(page, "owner-undone.png");

    // (The bound is for the first page: now an open request adds a card above the ten suggestions.)
    await expectNoHorizontalOverflow(page);
    await context.close();
  });
});
