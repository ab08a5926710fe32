import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContextOptions, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { createTestHarness } from "wrangler";
import { createDb } from "../../src/db";
import { createApiKey } from "../../src/services/accounts/api-keys.service";
import { BROWSER_BUNDLE_DIR } from "./build-worker";
import { launchChromium } from "./launch";

/**
 * What every browser test file shares: the bundled Worker in wrangler's test harness (its own
 * in-memory D1, migrated), headless Chromium (launch.ts), an officer key, the sign-ins as a person
 * does them (the officer's local key login; an owner's emailed link, read from the log mailer's
 * output as a developer reads `wrangler dev`'s log), the mail the Worker sent, and screenshots into
 * test-results/screenshots/.
 *
 * `useBrowserHarness()` registers the file's beforeAll/afterAll; call it once at the top of a file.
 */

const root = path.resolve(import.meta.dirname, "../..");
export const SCREENSHOTS = path.join(root, "test-results", "screenshots");
export const PHONE = { width: 360, height: 740 } as const;
export const DESKTOP = { width: 1280, height: 900 } as const;

/** The link of a sign-in or sign-up confirmation email. */
const CONFIRM_LINK = /https?:\/\/[^\s"\\]+\/ui\/login\/confirm\?token=[A-Za-z0-9_-]{43}/;

/** One email the log mailer wrote (src/email/mailer.ts `logMailer`: the HTML part is left out). */
export interface SentMail {
  to: string;
  subject: string;
  text: string;
}

export type PageCheck = (page: Page) => Promise<void>;

export interface BrowserHarness {
  /** `http://localhost:<port>`: a secure context for Chromium (`__Host-` cookies stick over http)
   * and a local host for the Worker (so the development key login is offered). */
  readonly base: string;
  readonly browser: Browser;
  readonly officerKey: string;
  /** The Worker's bindings, from Node (D1 through the harness's proxy). */
  readonly env: Env;
  /** The officer's API (test setup only: what a test proves goes through the pages). */
  api(pathname: string, key: string, body?: unknown): Promise<Record<string, unknown>>;
  /** A published business created by the officer through the API; its id and key. */
  createBusiness(fields: Record<string, unknown>): Promise<{ id: string; key: string }>;
  newPage(viewport?: { width: number; height: number }, options?: BrowserContextOptions): Promise<Page>;
  /** The local key login, landing on the queue. */
  signInOfficer(page: Page): Promise<void>;
  /**
   * Asks for a sign-in link for `email` on /ui/login and follows it to /ui/me; `check` runs on the
   * login page and on the link's confirm page (e.g. `expectNoHorizontalOverflow`).
   */
  signInOwner(page: Page, email: string, check?: PageCheck): Promise<void>;
  /** Opens an emailed confirmation link and presses its button, landing on /ui/me. */
  confirmLink(page: Page, link: string, check?: PageCheck): Promise<void>;
  /** Every email sent to `email` so far, oldest first. */
  mailsTo(email: string): SentMail[];
  /** Waits (bounded) for the `n`th email to `email` (1-based) whose subject or text matches. */
  waitForMail(email: string, match: RegExp, n?: number): Promise<SentMail>;
  /** The sign-in (or sign-up confirmation) link of the latest such email to `email`. */
  waitForConfirmLink(email: string, n?: number): Promise<string>;
  /** Runs the Worker's scheduled handler for `cron`, as Cloudflare's cron trigger would. */
  runCron(cron: string): Promise<void>;
  /** A screenshot into test-results/screenshots/`name` (folders allowed). */
  shot(page: Page, name: string, fullPage?: boolean): Promise<void>;
}

/**
 * @param label the officer key's label
 * @param vars extra Worker vars (e.g. `DIGEST_SIGNING_KEY`, which the notification sender signs
 *   unsubscribe links with, and which `npm start` writes into .dev.vars locally)
 */
export function useBrowserHarness(label: string, vars: Record<string, string> = {}): BrowserHarness {
  const server = createTestHarness({
    root,
    // Development, as .dev.vars says locally: the only setting in which the log mailer runs.
    workers: [
      {
        configPath: "./wrangler.toml",
        prebuiltWorkerDir: BROWSER_BUNDLE_DIR,
        vars: { ENVIRONMENT: "development", ...vars },
      },
    ],
  });
  const state = { base: "", officerKey: "", browser: undefined as Browser | undefined, env: {} as Env };

  beforeAll(async () => {
    const [{ url }, launched] = await Promise.all([server.listen(), launchChromium()]);
    state.browser = launched;
    state.base = `http://localhost:${url.port}`;
    const worker = server.getWorker<Env>();
    await worker.applyD1Migrations("DB");
    state.env = await worker.getEnv();
    state.officerKey = (
      await createApiKey({ db: createDb(state.env.DB) }, { kind: "officer", label, now: Date.now() })
    ).plaintext;
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await state.browser?.close();
    await server.close();
  });

  const h: BrowserHarness = {
    get base() {
      return state.base;
    },
    get browser() {
      if (!state.browser) throw new Error("the browser starts in beforeAll");
      return state.browser;
    },
    get officerKey() {
      return state.officerKey;
    },
    get env() {
      return state.env;
    },

    async api(pathname, key, body) {
      const res = await server.fetch(pathname, {
        method: body === undefined ? "GET" : "POST",
        headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const raw = await res.text();
      if (res.status >= 300) throw new Error(`${pathname} -> ${res.status}: ${raw}`);
      return JSON.parse(raw) as Record<string, unknown>;
    },

    async createBusiness(fields) {
      const body = await h.api("/v1/businesses", state.officerKey, { sizeClass: "mikro", ...fields });
      return { id: (body.business as { id: string }).id, key: body.apiKey as string };
    },

    async newPage(viewport = DESKTOP, options = {}) {
      const context = await h.browser.newContext({ viewport, locale: "id-ID", ...options });
      return context.newPage();
    },

    async signInOfficer(page) {
      await page.goto(`${state.base}/ui/login`);
      await page.fill('input[name="key"]', state.officerKey);
      await page.click('form[action="/ui/login/officer"] button');
      await page.waitForURL(`${state.base}/ui/queue`);
    },

    async signInOwner(page, email, check) {
      const before = h.mailsTo(email).filter((m) => CONFIRM_LINK.test(m.text)).length;
      await page.goto(`${state.base}/ui/login`);
      await check?.(page);
      await page.fill('input[name="email"]', email);
      await page.click('form[action="/ui/login/email"] button');
      expect(((await page.locator("h1").textContent()) ?? "").trim()).toBe("Periksa email Anda");
      await h.confirmLink(page, await h.waitForConfirmLink(email, before + 1), check);
    },

    async confirmLink(page, link, check) {
      await page.goto(link);
      await check?.(page);
      await page.click('form[action="/ui/login/confirm"] button');
      await page.waitForURL(`${state.base}/ui/me`);
    },

    mailsTo(email) {
      const mails: SentMail[] = [];
      for (const log of server.getLogs()) {
        if (!log.message.includes("email (log mailer)")) continue;
        try {
          const mail = JSON.parse(log.message.slice(log.message.indexOf("{"))) as SentMail;
          if (mail.to.toLowerCase() === email.toLowerCase()) mails.push(mail);
        } catch {
          // Another line that merely mentions the mailer.
        }
      }
      return mails;
    },

    async waitForMail(email, match, n = 1) {
      // Mail leaves after the response (waitUntil): poll a bounded number of times.
      for (let i = 0; i < 100; i++) {
        const found = h.mailsTo(email).filter((m) => match.test(m.subject) || match.test(m.text));
        const mail = found[n - 1];
        if (mail) return mail;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no email #${n} to ${email} matching ${match}: ${JSON.stringify(h.mailsTo(email))}`);
    },

    async waitForConfirmLink(email, n = 1) {
      const mail = await h.waitForMail(email, CONFIRM_LINK, n);
      return CONFIRM_LINK.exec(mail.text)?.[0] ?? "";
    },

    async runCron(cron) {
      const result = await server.getWorker<Env>().scheduled({ cron, scheduledTime: new Date() });
      expect(result.outcome).toBe("ok");
    },

    async shot(page, name, fullPage = false) {
      const file = path.join(SCREENSHOTS, name);
      mkdirSync(path.dirname(file), { recursive: true });
      await page.screenshot({ path: file, fullPage });
    },
  };
  return h;
}

/** The element's text, trimmed (textContent: innerText would depend on layout). */
export async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? "").trim();
}

/** The page's [scrollWidth, innerWidth, body scrollHeight, scrollY] (a string: no DOM types here). */
export async function metrics(
  page: Page,
): Promise<{ width: number; inner: number; height: number; y: number }> {
  const [width, inner, height, y] = (await page.evaluate(
    "[document.documentElement.scrollWidth, window.innerWidth, document.body.scrollHeight, window.scrollY]",
  )) as number[];
  return { width: width ?? 0, inner: inner ?? 0, height: height ?? 0, y: y ?? 0 };
}

/** Fails on any horizontal scrolling of the whole page. */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const m = await metrics(page);
  expect(m.inner).toBe(page.viewportSize()?.width);
  expect(m.width, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(m.inner);
}

/** Seed defaults: a footwear maker (KBLI 15201) and a clothing and footwear shop (KBLI 47711). */
const SEED_KINDS = {
  maker: {
    sector: "industry",
    kbli: "15201",
    offers: undefined,
    needs: "Mencari toko sepatu dan pengecer alas kaki",
  },
  shop: {
    sector: "service",
    kbli: "47711",
    offers: "Toko alas kaki dan pakaian di pusat kota",
    needs: "Mencari pemasok sepatu dan sandal lokal",
  },
} as const;

function seedFields(
  kind: keyof typeof SEED_KINDS,
  name: string,
  kelurahan: string,
  fields: Record<string, unknown>,
) {
  const d = SEED_KINDS[kind];
  return {
    name,
    sector: d.sector,
    kbli: [{ code: d.kbli, version: "2020" }],
    location: { kelurahan },
    ...(d.offers === undefined ? {} : { offers: d.offers }),
    needs: d.needs,
    ...fields,
  };
}

/** Seed fields of a footwear maker in `kelurahan`; `fields` override any of them. */
export const shoeMaker = (name: string, kelurahan: string, fields: Record<string, unknown> = {}) =>
  seedFields("maker", name, kelurahan, fields);

/** Seed fields of a clothing and footwear shop in `kelurahan`; `fields` override any of them. */
export const shoeShop = (name: string, kelurahan: string, fields: Record<string, unknown> = {}) =>
  seedFields("shop", name, kelurahan, fields);
