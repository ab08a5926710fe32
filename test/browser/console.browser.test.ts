import { readFileSync } from "node:fs";
import { strFromU8, unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { expectNoHorizontalOverflow, PHONE, shoeMaker, shoeShop, text, useBrowserHarness } from "./harness";

/**
 * The console in headless Chromium against the bundled Worker (harness.ts). Data is seeded through
 * the public API with an officer key; the owner's sign-in link is read from the log mailer's output.
 */

const h = useBrowserHarness("browser officer");
let pendingPairing = "";

beforeAll(async () => {
  const maker = await h.createBusiness(
    shoeMaker("UD Sepatu Miji Jaya", "Miji", {
      offers: "Produksi sepatu kulit dan sandal untuk grosir dan toko",
      needs: "Butuh toko dan distributor untuk alas kaki",
      email: "maker@browser.example.id",
      nib: "9120000000001",
      ekatalog: { listed: true, url: "https://katalog.inaproc.id/ud-sepatu-miji" },
    }),
  );
  await h.createBusiness(
    shoeMaker("CV Sandal Surodinawan", "Surodinawan", {
      offers: "Sandal jepit dan sandal kulit buatan tangan",
      email: "sandal@browser.example.id",
      nib: "9120000000002",
    }),
  );
  const shop = await h.createBusiness(
    shoeShop("Toko Sepatu Prajurit", "Prajurit Kulon", { email: "shop@browser.example.id" }),
  );
  await h.createBusiness(
    shoeShop("Toko Alas Kaki Kranggan", "Kranggan", {
      offers: "Penjualan sepatu sekolah dan sandal",
      needs: "Pemasok sepatu sekolah dan sandal dari pengrajin lokal",
      email: "owner@browser.example.id",
    }),
  );
  // A pairing waiting for the officer: the shop asked, the maker accepted.
  const request = await h.api("/v1/partnerships", shop.key, {
    partnerId: maker.id,
    pattern: "rantai_pasok",
    message: "Kami ingin menjual sepatu kulit Anda di toko kami.",
  });
  pendingPairing = request.id as string;
  await h.api(`/v1/partnerships/${pendingPairing}/accept`, maker.key, {});
}, 120_000);

describe("officer console in Chromium", () => {
  it("signs in with the local key login, reviews a pairing with its score breakdown, approves it and sees it active", async () => {
    const page = await h.newPage();
    await h.signInOfficer(page);

    const card = page.locator(`article.pairing[data-partnership="${pendingPairing}"]`);
    await expect(card.count()).resolves.toBe(1);
    expect(await text(card.locator("h3"))).toContain("Toko Sepatu Prajurit");
    const score = Number(await text(card.locator(".score-value")));
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThanOrEqual(1);
    await expect(card.locator(".bars li").count()).resolves.toBe(3);
    await expect(card.locator("ul.reasons li").count()).resolves.toBeGreaterThan(0);
    expect(await text(card)).toContain("Pola yang disarankan");
    await h.shot(page, "queue.png", true);

    await card.locator('form[action$="/approve"] button').click();
    await page.waitForURL(`${h.base}/ui/queue?done=1`);
    await expect(page.locator(`[data-partnership="${pendingPairing}"]`).count()).resolves.toBe(0);

    const status = await h.api(`/v1/partnerships/${pendingPairing}`, h.officerKey);
    expect(status.status).toBe("active");
    // The business page shows the partnership as active.
    const makerId = (status.partner as { id: string }).id;
    await page.goto(`${h.base}/ui/businesses/${makerId}`);
    const row = page.locator(`tr[data-partnership="${pendingPairing}"]`);
    expect(await text(row.locator(".badge"))).toBe("aktif");
    await page.context().close();
  });

  it("renders the dashboard with the SVG map of the 18 kelurahan, in both languages", async () => {
    const page = await h.newPage();
    await h.signInOfficer(page);
    await page.goto(`${h.base}/ui/dashboard`);
    await expect(page.locator("svg.map path").count()).resolves.toBe(18);
    await expect(page.locator('svg.map path[data-kelurahan="Miji"]').getAttribute("class")).resolves.not.toBe(
      "c0",
    );
    expect(await text(page.locator('[data-metric="procurement-ready"]'))).toBe("1");
    const box = await page.locator("svg.map").boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(box?.height).toBeGreaterThan(200);
    await h.shot(page, "dashboard.png", true);
    // Officers use phones too: the dashboard, queue and directory fit 360 px.
    await page.setViewportSize(PHONE);
    for (const p of ["/ui/dashboard", "/ui/queue", "/ui/businesses"]) {
      await page.goto(`${h.base}${p}`);
      await expectNoHorizontalOverflow(page);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${h.base}/ui/dashboard`);
    await page.click("text=English");
    expect(await text(page.locator("h1"))).toBe("Dashboard");
    await page.context().close();
  });
});

describe("dashboard period, laporan and API docs in Chromium", () => {
  it("shows this year's results, downloads the laporan as XLSX with the figures", async () => {
    const page = await h.newPage();
    await h.signInOfficer(page);
    await page.goto(`${h.base}/ui/dashboard`);
    await page.selectOption('select[name="period"]', "this_year");
    await page.click('form[action="/ui/dashboard"] button');
    await page.waitForURL(/period=this_year/);
    const year = new Date(Date.now() + 7 * 3_600_000).getUTCFullYear();
    expect(await text(page.locator("#d-period"))).toBe(
      `Hasil: Tahun ini · ${year}-01-01 s.d. ${year}-12-31 (WIB)`,
    );
    // The pairing the officer approved in the first test started this year.
    expect(await text(page.locator('[data-metric="partnerships-started"]'))).toBe("1");
    await h.shot(page, "dashboard-period.png", true);

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
    const page = await h.newPage();
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
    await page.goto(`${h.base}/docs`);
    try {
      // Scalar renders the document's title and the operations' summaries.
      await page
        .getByText("Partnership matchmaking between service businesses")
        .first()
        .waitFor({ timeout: 30_000 });
    } finally {
      await h.shot(page, "docs.png");
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
      [...origins].filter((o) => o !== h.base && !o.startsWith("data:") && o !== "https://fonts.scalar.com"),
    ).toEqual([]);
    await page.context().close();
  }, 180_000);
});

describe("owner page in Chromium at 360 px", () => {
  it("signs in by emailed link (confirm button), requests a partnership, and never scrolls sideways", async () => {
    const page = await h.newPage(PHONE);
    await h.signInOwner(page, "owner@browser.example.id", expectNoHorizontalOverflow);

    const suggestion = page.locator("article.suggestion").first();
    await expect(suggestion.locator("ul.reasons li").count()).resolves.toBeGreaterThan(0);
    await expectNoHorizontalOverflow(page);
    await h.shot(page, "owner.png", true);

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
