import path from "node:path";
import { strFromU8, unzipSync } from "fflate";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestHarness } from "wrangler";
import { createDb } from "../../src/db";
import { createApiKey } from "../../src/services/accounts/api-keys.service";
import { BROWSER_BUNDLE_DIR } from "./build-worker";
import { launchChromium } from "./launch";

/**
 * Procurement in headless Chromium against the bundled Worker: an officer imports the generated
 * RUP, opens a package's suppliers and notifies a caterer, who then sees the opportunity; the
 * officer imports the realisation and reads the 40% view and its export.
 */

const root = path.resolve(import.meta.dirname, "../..");
const FIXTURES = path.join(root, "test", "fixtures", "procurement");
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
let catererKey = "";
let catererId = "";
let browser: Browser;

async function api(pathname: string, key: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await server.fetch(pathname, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const raw = await res.text();
  if (res.status >= 300) throw new Error(`${pathname} -> ${res.status}: ${raw}`);
  return JSON.parse(raw) as Record<string, unknown>;
}

beforeAll(async () => {
  const [{ url }, launched] = await Promise.all([server.listen(), launchChromium()]);
  browser = launched;
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
  const caterer = await api("/v1/businesses", officerKey, {
    name: "Katering Sekar Arum",
    sector: "service",
    sizeClass: "mikro",
    kbli: [{ code: "56210", version: "2020" }],
    location: { kelurahan: "Miji" },
    offers: "Katering nasi kotak, snack box dan konsumsi rapat kantor",
    needs: "Pemasok kue basah",
    email: "katering@browser.example.id",
    nib: "9120000000101",
  });
  catererId = (caterer.business as { id: string }).id;
  catererKey = caterer.apiKey as string;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server.close();
});

async function officerPage(): Promise<Page> {
  const page = await (
    await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "id-ID" })
  ).newPage();
  await page.goto(`${base}/ui/login`);
  await page.fill('input[name="key"]', officerKey);
  await page.click('form[action="/ui/login/officer"] button');
  await page.waitForURL(`${base}/ui/queue`);
  return page;
}

describe("procurement in Chromium", () => {
  it("imports the RUP, ranks suppliers for a package, notifies one, and the UMKM sees the opportunity", async () => {
    const page = await officerPage();
    await page.goto(`${base}/ui/pengadaan`);
    await page.setInputFiles(
      'form[action="/ui/pengadaan/rup/import"] input[type="file"]',
      path.join(FIXTURES, "rup-2026.csv"),
    );
    await page.click('form[action="/ui/pengadaan/rup/import"] button');
    await expect.poll(() => page.locator('[data-import="rup"] .notice').textContent()).toContain("230 baru");
    expect(await page.locator("[data-total]").getAttribute("data-total")).toBe("230");

    await page.fill('input[name="q"]', "makanan dan minuman rapat");
    await page.click("form.filters button");
    await page.locator("tr[data-package] a").first().click();
    const supplier = page.locator(`[data-supplier="${catererId}"]`);
    await expect.poll(() => supplier.count()).toBe(1);
    // An NIB but no e-katalog listing: one step away, and it says so.
    expect(await supplier.locator("[data-lacks]").getAttribute("data-lacks")).toBe("ekatalog");
    await supplier.locator('input[name="business"]').check();
    await page.click('form[action$="/notify"] button[type="submit"]');
    await expect.poll(() => page.locator("[data-notified]").textContent()).toContain("1 UMKM");
    const packageName = ((await page.locator("h1").textContent()) ?? "").trim();

    const owner = await (
      await browser.newContext({
        viewport: { width: 360, height: 740 },
        locale: "id-ID",
        extraHTTPHeaders: { Authorization: `Bearer ${catererKey}` },
      })
    ).newPage();
    await owner.goto(`${base}/ui/me/pengadaan`);
    const opportunity = owner.locator("[data-opportunity]");
    expect(await opportunity.count()).toBe(1);
    expect(await opportunity.locator("h2").textContent()).toContain(packageName);
    const [scroll, inner] = (await owner.evaluate(
      "[document.documentElement.scrollWidth, window.innerWidth]",
    )) as [number, number];
    expect(scroll).toBeLessThanOrEqual(inner);
  }, 120_000);

  it("imports the realisation and shows the 40% view and its export", async () => {
    const page = await officerPage();
    await page.goto(`${base}/ui/pengadaan`);
    await page.setInputFiles(
      'form[action="/ui/pengadaan/realisasi/import"] input[type="file"]',
      path.join(FIXTURES, "realisasi-2026.csv"),
    );
    await page.click('form[action="/ui/pengadaan/realisasi/import"] button');
    await expect
      .poll(() => page.locator('[data-import="realisation"] .notice').textContent())
      .toContain("143 baru");
    await page.goto(`${base}/ui/pengadaan/porsi`);
    const share = Number(await page.locator('[data-metric="umkm-share"]').getAttribute("data-value"));
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThan(1);
    expect(await page.locator('table[data-table="opd"] tbody tr').count()).toBe(21);
    const download = page.waitForEvent("download");
    await page.click('a[href^="/ui/pengadaan/porsi/export.xlsx"]');
    const file = await (await download).path();
    const { readFileSync } = await import("node:fs");
    const zip = unzipSync(new Uint8Array(readFileSync(file)));
    expect(strFromU8(zip["xl/workbook.xml"] ?? new Uint8Array())).toContain("Per OPD");
  }, 120_000);
});
