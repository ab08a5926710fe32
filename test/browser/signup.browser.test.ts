import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectNoHorizontalOverflow, PHONE, text, useBrowserHarness } from "./harness";

/**
 * The sign-up page itself (/ui/daftar) on a 360 px phone with JavaScript switched off, as the forms
 * promise to work: the KBLI picker searches titles with a plain submit button, a business outside
 * the city names its regency, and a refused form comes back with every value the owner typed and
 * the message at the field.
 */

const h = useBrowserHarness("signup officer");

/** A fresh phone with no script at all. */
async function phoneWithoutScript(): Promise<Page> {
  const page = await h.newPage(PHONE, { javaScriptEnabled: false });
  await page.goto(`${h.base}/ui/daftar`);
  await expectNoHorizontalOverflow(page);
  return page;
}

/** Everything but the KBLI and the location, as an owner would type it. */
async function fillBasics(page: Page, name: string, email: string): Promise<void> {
  const form = page.locator("form.business-form");
  await form.locator('input[name="name"]').fill(name);
  await form.locator('input[name="email"]').fill(email);
  await form.locator('input[name="sector"][value="industry"]').check();
  await form.locator('input[name="sizeClass"][value="mikro"]').check();
  await form.locator('textarea[name="offers"]').fill("Kerupuk udang dan kerupuk puli untuk warung");
  await form.locator('textarea[name="needs"]').fill("Kemasan plastik dan toko yang menjual");
}

async function search(page: Page, query: string): Promise<void> {
  await page.locator('input[name="kbli_q"]').fill(query);
  await page.locator("form.business-form button[formaction]").click();
  await page.waitForURL(`${h.base}/ui/daftar/cari`);
}

/** A phone on /ui/daftar with the basics typed and KBLI 10794 (kerupuk) found and ticked. */
async function startSignUp(name: string, email: string): Promise<Page> {
  const page = await phoneWithoutScript();
  await fillBasics(page, name, email);
  await search(page, "kerupuk");
  await page.locator('.results input[value="2020:10794"]').check();
  return page;
}

const submit = (page: Page) => page.locator("form.business-form button:not([formaction])").click();

async function stored(email: string) {
  return h.env.DB.prepare(
    "select status, kelurahan, kecamatan, city, region_code as regionCode from businesses where email = ?",
  )
    .bind(email)
    .first<{
      status: string;
      kelurahan: string | null;
      kecamatan: string | null;
      city: string;
      regionCode: string | null;
    }>();
}

describe("the sign-up page at 360 px without JavaScript", () => {
  it("finds KBLI codes by their title with a submit button, keeping what was typed and what was ticked", async () => {
    const page = await phoneWithoutScript();
    await fillBasics(page, "Kerupuk Bu Tini", "tini@signup.example.id");
    await search(page, "kerupuk");
    const results = page.locator("fieldset.kbli .results");
    expect(await text(results)).toContain("10794 Industri Kerupuk, Keripik, Peyek Dan Sejenisnya");
    // The search posted the whole form: the typed values came back.
    await expect(page.locator('input[name="name"]').inputValue()).resolves.toBe("Kerupuk Bu Tini");
    await expect(page.locator('textarea[name="offers"]').inputValue()).resolves.toBe(
      "Kerupuk udang dan kerupuk puli untuk warung",
    );
    await expectNoHorizontalOverflow(page);
    await h.shot(page, "signup/kbli-search-360.png", true);

    // Ticked, then a second search: the first choice stays ticked among the chosen codes.
    await results.locator('input[value="2020:10794"]').check();
    await search(page, "kemasan plastik");
    await expect(page.locator('.chosen input[name="kbli"][value="2020:10794"]').isChecked()).resolves.toBe(
      true,
    );
    expect(await text(page.locator("fieldset.kbli .results"))).toMatch(/\d{5} /);
    await expect(page.locator('.results input[value="2020:10794"]').count()).resolves.toBe(0);

    // A title that matches nothing says so instead of showing an empty list.
    await search(page, "zzzz tidak ada");
    expect(await text(page.locator('fieldset.kbli [role="status"]'))).toContain("zzzz tidak ada");
    await expect(page.locator('.chosen input[value="2020:10794"]').isChecked()).resolves.toBe(true);
    await page.context().close();
  });

  it("signs up a business in a kelurahan, and one outside the city with its regency", async () => {
    const inCity = await startSignUp("Kerupuk Miji", "miji@signup.example.id");
    await inCity.locator('select[name="kelurahan"]').selectOption("Miji");
    await submit(inCity);
    expect(await text(inCity.locator("h1"))).toBe("Periksa email Anda");
    expect(await stored("miji@signup.example.id")).toMatchObject({
      status: "unconfirmed",
      kelurahan: "Miji",
      kecamatan: "Kranggan",
      city: "Kota Mojokerto",
    });
    await inCity.context().close();

    const outside = await startSignUp("Kerupuk Sooko", "sooko@signup.example.id");
    await outside.locator('select[name="kelurahan"]').selectOption("luar");
    await outside.locator('select[name="region"]').selectOption("35.16");
    await expectNoHorizontalOverflow(outside);
    await h.shot(outside, "signup/outside-city-360.png", true);
    await submit(outside);
    expect(await text(outside.locator("h1"))).toBe("Periksa email Anda");
    expect(await stored("sooko@signup.example.id")).toMatchObject({
      status: "unconfirmed",
      kelurahan: null,
      kecamatan: null,
      city: "Kabupaten Mojokerto",
      regionCode: "35.16",
    });
    await outside.context().close();
  });

  it("re-renders a refused sign-up with every value kept and the message at each field", async () => {
    const page = await startSignUp("", "salah@signup.example.id");
    // Outside the city, but no regency chosen; and a WhatsApp number too short.
    await page.locator('select[name="kelurahan"]').selectOption("luar");
    await page.locator('input[name="whatsapp"]').fill("12");
    await page.locator('input[name="nib"]').fill("12345");
    await submit(page);

    expect(await text(page.locator('[data-code="validation_failed"]'))).toContain("perlu diperbaiki");
    for (const field of ["name", "location", "whatsapp", "nib"]) {
      const error = page.locator(`#err-${field}`);
      await expect(error.count(), `no message at ${field}`).resolves.toBe(1);
      expect(await text(error)).not.toBe("");
    }
    expect(await text(page.locator("#err-location"))).toBe(
      "Pilih kelurahan, atau \u201cDi luar Kota Mojokerto\u201d dengan kabupaten/kotanya.",
    );
    await expect(page.locator('input[name="name"]').getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.locator('input[name="whatsapp"]').getAttribute("aria-invalid")).resolves.toBe("true");
    // What the owner typed is all there.
    await expect(page.locator('input[name="email"]').inputValue()).resolves.toBe("salah@signup.example.id");
    await expect(page.locator('input[name="whatsapp"]').inputValue()).resolves.toBe("12");
    await expect(page.locator('input[name="nib"]').inputValue()).resolves.toBe("12345");
    await expect(page.locator('textarea[name="needs"]').inputValue()).resolves.toBe(
      "Kemasan plastik dan toko yang menjual",
    );
    await expect(page.locator('input[name="sector"][value="industry"]').isChecked()).resolves.toBe(true);
    await expect(page.locator('input[name="sizeClass"][value="mikro"]').isChecked()).resolves.toBe(true);
    await expect(page.locator('input[name="kbli"][value="2020:10794"]').isChecked()).resolves.toBe(true);
    await expect(page.locator('select[name="kelurahan"]').inputValue()).resolves.toBe("luar");
    await expectNoHorizontalOverflow(page);
    await h.shot(page, "signup/field-errors-360.png", true);
    expect(await stored("salah@signup.example.id")).toBeNull();

    // Fixed in place, the same form goes through.
    await page.locator('input[name="name"]').fill("Kerupuk Bu Salah");
    await page.locator('select[name="region"]').selectOption("35.17");
    await page.locator('input[name="whatsapp"]').fill("0812-3456-7890");
    await page.locator('input[name="nib"]').fill("");
    await submit(page);
    expect(await text(page.locator("h1"))).toBe("Periksa email Anda");
    expect(await stored("salah@signup.example.id")).toMatchObject({ city: "Kabupaten Jombang" });
    await page.context().close();
  });
});
