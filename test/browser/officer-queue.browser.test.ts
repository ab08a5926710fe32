import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { expectNoHorizontalOverflow, PHONE, useBrowserHarness } from "./harness";

/**
 * The officer's review queue at desktop size in Chromium against the bundled Worker (harness.ts):
 * more drafts than a page, paged; two ticked and approved at once; then the business page and the
 * partnership list. Screenshots go to test-results/screenshots/.
 */

const PAGE_SIZE = 50; // QUEUE_PAGE_SIZE in src/ui/console/queue.routes.tsx
const FILLERS = PAGE_SIZE + 5;
const h = useBrowserHarness("Siti");
let makerId = "";
const ticked: string[] = ["prp_A0000000000000000000001", "prp_A0000000000000000000002"];

async function createBusiness(fields: Record<string, unknown>): Promise<string> {
  return (await h.createBusiness(fields)).id;
}

const shop = (n: number, kelurahan: string) => ({
  name: `Toko Sepatu ${n}`,
  sector: "service",
  kbli: [{ code: "47711", version: "2020" }],
  location: { kelurahan },
  offers: "Toko alas kaki",
  needs: "Pemasok sepatu",
  email: `shop${n}@browser.example.id`,
});
const maker = (n: number) => ({
  name: `UD Sepatu ${n}`,
  sector: "industry",
  kbli: [{ code: "15201", version: "2020" }],
  location: { kelurahan: "Miji" },
  offers: "Produksi sepatu kulit",
  needs: "Butuh toko",
  email: `maker${n}@browser.example.id`,
  maxPartners: 5,
});

beforeAll(async () => {
  const env = h.env;
  makerId = await createBusiness(maker(1));
  const filler = await createBusiness(maker(2));
  const shops = [
    await createBusiness(shop(1, "Kranggan")),
    await createBusiness(shop(2, "Magersari")),
    await createBusiness(shop(3, "Kauman")),
  ];
  const now = Date.now();
  const insert = (id: string, period: string, serviceId: string, industryId: string, score: number) =>
    env.DB.prepare(
      `insert into pairing_proposals (id, period, service_id, industry_id, score, components, reasons_id,
        reasons_en, reasons_for, pattern, status, revision, run_id, created_at, updated_at)
       values (?, ?, ?, ?, ?, '{"category":0.9,"location":0.8,"text":0.6}', '["Menawarkan yang dibutuhkan: sepatu"]',
        '["Offers what is needed: shoes"]', 'service', 'rantai_pasok', 'draft', 'rev0', 'prun_browser', ?, ?)`,
    ).bind(id, period, serviceId, industryId, score, now, now);
  await env.DB.batch([
    insert(ticked[0] ?? "", "2026-W49", shops[0] ?? "", makerId, 0.82),
    insert(ticked[1] ?? "", "2026-W49", shops[1] ?? "", makerId, 0.77),
    // More drafts than a page: one pair, a draft per (past) week.
    ...Array.from({ length: FILLERS }, (_, i) =>
      insert(
        `prp_Z${String(i).padStart(25, "0")}`,
        `2025-W${String(i).padStart(2, "0")}`,
        shops[2] ?? "",
        filler,
        0.4,
      ),
    ),
  ]);
}, 120_000);

async function signIn(): Promise<Page> {
  const page = await h.newPage();
  await h.signInOfficer(page);
  return page;
}

describe("officer review queue in Chromium (desktop)", () => {
  it("pages the drafts, approves two ticked ones at once, and shows the business page and partnership list", async () => {
    const page = await signIn();
    const drafts = page.locator("article.draft");
    await expect(drafts.count()).resolves.toBe(PAGE_SIZE);
    expect(await page.locator("#q-drafts").textContent()).toContain(`(${FILLERS + 2})`);
    // Collapsed: a card's score breakdown is not shown until its details are opened.
    await expect(drafts.first().locator(".score").isVisible()).resolves.toBe(false);
    await h.shot(page, "officer-queue.png", true);
    const height = (await page.evaluate("document.documentElement.scrollHeight")) as number;
    expect(height).toBeLessThan(12_000);

    await page.locator('#draft-pairings a[rel="next"]').click();
    await expect(page.locator("article.draft").count()).resolves.toBe(FILLERS + 2 - PAGE_SIZE);
    await page.locator("#draft-pairings a", { hasText: "Halaman pertama" }).click();
    await expect(page.locator("article.draft").count()).resolves.toBe(PAGE_SIZE);

    for (const id of ticked) await page.check(`article.draft[data-proposal="${id}"] input[type="checkbox"]`);
    await page.click('#bulk-drafts button[value="publish"]');
    await page.waitForSelector("[data-succeeded]");
    expect(await page.locator("[data-succeeded]").getAttribute("data-succeeded")).toBe("2");
    expect(await page.locator("[data-succeeded]").textContent()).toContain("2 usulan disetujui");
    for (const id of ticked) {
      const proposal = await h.api(`/v1/proposals/${id}`, h.officerKey);
      expect(proposal.status).toBe("published");
    }

    await page.goto(`${h.base}/ui/businesses/${makerId}`);
    await expect(page.locator("tr[data-partnership]").count()).resolves.toBe(2);
    await h.shot(page, "officer-business.png", true);

    await page.click('nav.main a[href="/ui/partnerships"]');
    await page.waitForURL(`${h.base}/ui/partnerships`);
    await expect(page.locator("tr[data-partnership]").count()).resolves.toBe(2);
    await h.shot(page, "officer-partnerships.png", true);

    // And on a phone: nothing scrolls sideways.
    await page.setViewportSize(PHONE);
    for (const p of ["/ui/queue", `/ui/businesses/${makerId}`, "/ui/partnerships"]) {
      await page.goto(`${h.base}${p}`);
      await expectNoHorizontalOverflow(page);
    }
    await page.context().close();
  });
});
