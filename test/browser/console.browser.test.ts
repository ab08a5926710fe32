import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { strFromU8, unzipSync } from "fflate";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestHarness } from "wrangler";
import { createDb } from "../../src/db";
import { createApiKey } from "../../src/services/accounts/api-keys.service";
import { BROWSER_BUNDLE_DIR } from "./build-worker";
import { launchChromium } from "./launch";

/**
 * The console in headless Chromium (launch.ts) against the bundled Worker (wrangler's test
 * harness, fresh in-memory D1). Data is seeded through the public API with an officer key; the owner's sign-in
 * link is read from the log mailer's output, as a developer would read `wrangler dev`'s log.
 */

const root = path.resolve(import.meta.dirname, "../..");
const SCREENSHOTS = path.join(root, "test-results", "screenshots");
const server = createTestHarness({
  root,
  // Development, as .dev.vars says locally: the only setting in which the log mailer runs.
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
let pendingPairing = "";

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

async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: "id-ID" });
  return context.newPage();
}

/** The element's text, trimmed (textContent: innerText would depend on layout). */
async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? "").trim();
}

/** Fails on any horizontal scrolling of the whole page. */
async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  // A string: this runs in the page, and the test tsconfig has no DOM types.
  const [scroll, inner] = (await page.evaluate(
    "[document.documentElement.scrollWidth, window.innerWidth]",
  )) as [number, number];
  expect(inner).toBe(page.viewportSize()?.width);
  expect(scroll).toBeLessThanOrEqual(inner);
}

beforeAll(async () => {
  const [{ url }, launched] = await Promise.all([server.listen(), launchChromium()]);
  browser = launched;
  // localhost: a secure context for Chromium (so __Host- cookies stick over http) and a local host
  // for the Worker (so the development key login is offered).
  base = `http://localhost:${url.port}`;
  const worker = server.getWorker<Env>();
  await worker.applyD1Migrations("DB");
  const env = await worker.getEnv();
  officerKey = (
    await createApiKey(
      { db: createDb(env.DB) },
      { kind: "officer", label: "browser officer", now: Date.now() },
    )
  ).plaintext;
  mkdirSync(SCREENSHOTS, { recursive: true });

  const maker = await createBusiness({
    name: "UD Sepatu Miji Jaya",
    sector: "industry",
    kbli: [{ code: "15201", version: "2020" }],
    location: { kelurahan: "Miji" },
    offers: "Produksi sepatu kulit dan sandal untuk grosir dan toko",
    needs: "Butuh toko dan distributor untuk alas kaki",
    email: "maker@browser.example.id",
    nib: "9120000000001",
    ekatalog: { listed: true, url: "https://katalog.inaproc.id/ud-sepatu-miji" },
  });
  await createBusiness({
    name: "CV Sandal Surodinawan",
    sector: "industry",
    kbli: [{ code: "15201", version: "2020" }],
    location: { kelurahan: "Surodinawan" },
    offers: "Sandal jepit dan sandal kulit buatan tangan",
    needs: "Mencari toko sepatu dan pengecer alas kaki",
    email: "sandal@browser.example.id",
    nib: "9120000000002",
  });
  const shop = await createBusiness({
    name: "Toko Sepatu Prajurit",
    sector: "service",
    kbli: [{ code: "47711", version: "2020" }],
    location: { kelurahan: "Prajurit Kulon" },
    offers: "Toko alas kaki dan pakaian di pusat kota",
    needs: "Mencari pemasok sepatu dan sandal lokal",
    email: "shop@browser.example.id",
  });
  await createBusiness({
    name: "Toko Alas Kaki Kranggan",
    sector: "service",
    kbli: [{ code: "47711", version: "2020" }],
    location: { kelurahan: "Kranggan" },
    offers: "Penjualan sepatu sekolah dan sandal",
    needs: "Pemasok sepatu sekolah dan sandal dari pengrajin lokal",
    email: "owner@browser.example.id",
  });
  // A pairing waiting for the officer: the shop asked, the maker accepted.
  const request = await api("/v1/partnerships", shop.key, {
    partnerId: maker.id,
    pattern: "rantai_pasok",
    message: "Kami ingin menjual sepatu kulit Anda di toko kami.",
  });
  pendingPairing = request.id as string;
  await api(`/v1/partnerships/${pendingPairing}/accept`, maker.key, {});
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server.close();
});

describe("officer console in Chromium", () => {
  it("signs in with the local key login, reviews a pairing with its score breakdown, approves it and sees it active", async () => {
    const page = await newPage();
    await page.goto(`${base}/ui/login`);
    await page.fill('input[name="key"]', officerKey);
    await page.click('form[action="/ui/login/officer"] button');
    await page.waitForURL(`${base}/ui/queue`);

    const card = page.locator(`article.pairing[data-partnership="${pendingPairing}"]`);
    await expect(card.count()).resolves.toBe(1);
    expect(await text(card.locator("h3"))).toContain("Toko Sepatu Prajurit");
    const score = Number(await text(card.locator(".score-value")));
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThanOrEqual(1);
    await expect(card.locator(".bars li").count()).resolves.toBe(3);
    await expect(card.locator("ul.reasons li").count()).resolves.toBeGreaterThan(0);
    expect(await text(card)).toContain("Pola yang disarankan");
    await page.screenshot({ path: path.join(SCREENSHOTS, "queue.png"), fullPage: true });

    await card.locator('form[action$="/approve"] button').click();
    await page.waitForURL(`${base}/ui/queue?done=1`);
    await expect(page.locator(`[data-partnership="${pendingPairing}"]`).count()).resolves.toBe(0);

    const status = await api(`/v1/partnerships/${pendingPairing}`, officerKey);
    expect(status.status).toBe("active");
    // The business page shows the partnership as active.
    const makerId = (status.partner as { id: string }).id;
    await page.goto(`${base}/ui/businesses/${makerId}`);
    const row = page.locator(`tr[data-partnership="${pendingPairing}"]`);
    expect(await text(row.locator(".badge"))).toBe("aktif");
    await page.context().close();
  });

  it("renders the dashboard with the SVG map of the 18 kelurahan, in both languages", async () => {
    const page = await newPage();
    await page.goto(`${base}/ui/login`);
    await page.fill('input[name="key"]', officerKey);
    await page.click('form[action="/ui/login/officer"] button');
    await page.waitForURL(`${base}/ui/queue`);
    await page.goto(`${base}/ui/dashboard`);
    await expect(page.locator("svg.map path").count()).resolves.toBe(18);
    await expect(page.locator('svg.map path[data-kelurahan="Miji"]').getAttribute("class")).resolves.not.toBe(
      "c0",
    );
    expect(await text(page.locator('[data-metric="procurement-ready"]'))).toBe("1");
    const box = await page.locator("svg.map").boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(box?.height).toBeGreaterThan(200);
    await page.screenshot({ path: path.join(SCREENSHOTS, "dashboard.png"), fullPage: true });
    // Officers use phones too: the dashboard, queue and directory fit 360 px.
    await page.setViewportSize({ width: 360, height: 740 });
    for (const p of ["/ui/dashboard", "/ui/queue", "/ui/businesses"]) {
      await page.goto(`${base}${p}`);
      await expectNoHorizontalOverflow(page);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/ui/dashboard`);
    await page.click("text=English");
    expect(await text(page.locator("h1"))).toBe("Dashboard");
    await page.context().close();
  });
});

describe("dashboard period, laporan and API docs in Chromium", () => {
  it("shows this year's results, downloads the laporan as XLSX with the figures", async () => {
    const page = await newPage();
    await page.goto(`${base}/ui/login`);
    await page.fill('input[name="key"]', officerKey);
    await page.click('form[action="/ui/login/officer"] button');
    await page.waitForURL(`${base}/ui/queue`);
    await page.goto(`${base}/ui/dashboard`);
    await page.selectOption('select[name="period"]', "this_year");
    await page.click('form[action="/ui/dashboard"] button');
    await page.waitForURL(/period=this_year/);
    const year = new Date(Date.now() + 7 * 3_600_000).getUTCFullYear();
    expect(await text(page.locator("#d-period"))).toBe(
      `Hasil: Tahun ini · ${year}-01-01 s.d. ${year}-12-31 (WIB)`,
    );
    // The pairing the officer approved in the first test started this year.
    expect(await text(page.locator('[data-metric="partnerships-started"]'))).toBe("1");
    await page.screenshot({ path: path.join(SCREENSHOTS, "dashboard-period.png"), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click('a[href^="/ui/dashboard/export.xlsx"]'),
    ]);
    expect(download.suggestedFilename()).toBe(`laporan-kemitraan-${year}-01-01_${year}-12-31.xlsx`);
    const files = unzipSync(new Uint8Array(readFileSync(await download.path())));
    const workbook = strFromU8(files["xl/workbook.xml"] ?? new Uint8Array());
    expect([...workbook.matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1])).toEqual([
      "Ringkasan",
      "Per kecamatan",
      "Per pola kemitraan",
      "Per seksi KBLI",
      "Satu langkah lagi",
    ]);
    const summary = strFromU8(files["xl/worksheets/sheet1.xml"] ?? new Uint8Array());
    expect(summary).toMatch(
      /<t xml:space="preserve">Kemitraan dimulai dalam periode<\/t><\/is><\/c><c r="B\d+"><v>1<\/v>/,
    );
    const list = strFromU8(files["xl/worksheets/sheet5.xml"] ?? new Uint8Array());
    expect(list).toContain("CV Sandal Surodinawan");
    await page.context().close();
  });

  it("renders the API reference from this origin only", async () => {
    const page = await newPage();
    const origins = new Set<string>();
    page.on("request", (r) => {
      origins.add(new URL(r.url()).origin);
    });
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => {
      problems.push(String(e));
    });
    await page.goto(`${base}/docs`);
    try {
      // Scalar renders the document's title and the operations' summaries.
      await page
        .getByText("Partnership matchmaking between service businesses")
        .first()
        .waitFor({ timeout: 30_000 });
    } finally {
      await page.screenshot({ path: path.join(SCREENSHOTS, "docs.png") });
    }
    // Scalar's bundled CSS names its CDN fonts even with `withDefaultFonts: false`; the CSP blocks
    // them (no request leaves) and the page uses system fonts. Anything else is a real error.
    expect(
      problems.filter(
        (p) => !/^Loading the font 'https:\/\/fonts\.scalar\.com\/[\w-]+\.woff2' violates/.test(p),
      ),
    ).toEqual([]);
    // Operations render lazily as the page scrolls; that the document has every route's request
    // body and errors is checked on the document itself (test/integration/routes/openapi.test.ts).
    // The font loads above are requested and blocked by the CSP (their violation is the only
    // problem allowed); nothing else may be asked of another origin.
    expect(
      [...origins].filter((o) => o !== base && !o.startsWith("data:") && o !== "https://fonts.scalar.com"),
    ).toEqual([]);
    await page.context().close();
  }, 180_000);
});

describe("owner page in Chromium at 360 px", () => {
  it("signs in by emailed link (confirm button), requests a partnership, and never scrolls sideways", async () => {
    const page = await newPage({ width: 360, height: 740 });
    await page.goto(`${base}/ui/login`);
    await expectNoHorizontalOverflow(page);
    server.clearLogs();
    await page.fill('input[name="email"]', "owner@browser.example.id");
    await page.click('form[action="/ui/login/email"] button');
    expect(await text(page.locator("h1"))).toBe("Periksa email Anda");

    let link = "";
    for (let i = 0; i < 50 && !link; i++) {
      const line = server.getLogs().find((l) => l.message.includes("owner@browser.example.id"));
      link =
        /https?:\/\/[^\s"\\]+\/ui\/login\/confirm\?token=[A-Za-z0-9_-]{43}/.exec(line?.message ?? "")?.[0] ??
        "";
      if (!link) await new Promise((r) => setTimeout(r, 100));
    }
    expect(link).not.toBe("");
    await page.goto(link);
    await expectNoHorizontalOverflow(page);
    await page.click('form[action="/ui/login/confirm"] button');
    await page.waitForURL(`${base}/ui/me`);

    const suggestion = page.locator("article.suggestion").first();
    await expect(suggestion.locator("ul.reasons li").count()).resolves.toBeGreaterThan(0);
    await expectNoHorizontalOverflow(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, "owner.png"), fullPage: true });

    const partnerName = await text(suggestion.locator("h3"));
    // The request form opens from the card; the pattern is a radio choice (another one here).
    await suggestion.locator("details.act > summary", { hasText: "Ajukan kemitraan" }).click();
    await suggestion.locator("details.others > summary").click();
    await suggestion.locator('details.others input[name="pattern"]').first().check();
    await suggestion
      .locator('textarea[name="message"]')
      .fill("Kami ingin menjual sepatu sekolah buatan Anda.");
    await suggestion.locator('form[action="/ui/me/requests"] button').click();
    await page.waitForURL(/\/ui\/me\?done=requested&card=ptn_[0-9A-Z]+#card-ptn_[0-9A-Z]+$/);
    const mine = page.locator("#o-open ~ article", { hasText: partnerName });
    expect(await text(mine.locator(".badge"))).toBe("diajukan");
    await expectNoHorizontalOverflow(page);
    await page.context().close();
  });
});
