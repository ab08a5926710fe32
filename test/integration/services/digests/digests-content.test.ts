import { describe, expect, it } from "vitest";
import { type EmailMessage, MemoryMailer } from "../../../../src/email/mailer";
import { renderReasons } from "../../../../src/matching";
import { createOfficer } from "../../../../src/services/accounts/officers.service";
import type { CreateBusinessInput } from "../../../../src/services/businesses/business-columns";
import { updateBusiness } from "../../../../src/services/businesses/update.service";

type SignUpFields = Omit<CreateBusinessInput, "active">;

import { periodKeys } from "../../../../src/services/digests/digest-config";
import { planDigests } from "../../../../src/services/digests/digest-plan.service";
import { setDigestPreferences } from "../../../../src/services/digests/digest-preferences.service";
import { sendDueDigests } from "../../../../src/services/digests/digest-send.service";
import { rescoreSets } from "../../../../src/services/matching/suggestions.service";
import { acceptPartnership } from "../../../../src/services/partnerships/respond.service";
import { confirmedSignUp, deps, industryBody, seedBusiness, serviceBody } from "../../helpers";
import {
  asBusiness,
  DAY,
  digestDeps,
  monday,
  outboxOf,
  requestAt,
  runUntilIdle,
  seedMatchedPair,
  uniqueEmail,
} from "./digests.helpers";

/** Runs the digest job at `now` to the end; what it sent. */
async function runAt(now: number): Promise<EmailMessage[]> {
  const mailer = new MemoryMailer();
  await runUntilIdle(digestDeps(mailer), now);
  return mailer.sent;
}

/** The one message to `email` among `sent`, or undefined. */
function sentTo(sent: readonly EmailMessage[], email: string) {
  const mine = sent.filter((m) => m.to === email);
  expect(mine.length).toBeLessThanOrEqual(1);
  return mine[0];
}

/** Runs the digest job at `now` (the first run of that period) and returns what went to `email`. */
async function digestTo(email: string, now: number) {
  return sentTo(await runAt(now), email);
}

async function storedReasons(businessId: string, candidateId: string): Promise<string[]> {
  const { env } = await import("cloudflare:workers");
  const row = await env.DB.prepare(
    "select reasons from suggestions where business_id = ? and candidate_id = ?",
  )
    .bind(businessId, candidateId)
    .first<{ reasons: string }>();
  // Stored as codes: the Indonesian sentences they render to.
  return renderReasons(JSON.parse(row?.reasons ?? "[]"), "id");
}

// Tests run in calendar order (each later than the last), as digests do.
describe("business digest", () => {
  it("lists new suggestions with reasons, requests awaiting an answer and changes to its own requests", async () => {
    const { maker, shop } = await seedMatchedPair();
    const b = await seedBusiness(industryBody({ name: "Sandal Kulit Pulorejo", email: uniqueEmail("b") }));
    const c = await seedBusiness(industryBody({ name: "Sepatu Anak Kedundung", email: uniqueEmail("c") }));
    await rescoreSets(deps(), { ids: [shop.id, maker.id, b.business.id, c.business.id], now: Date.now() });
    const now = monday(10);
    await requestAt(b.business.id, shop.id, now - 3 * DAY, "Kami menawarkan sandal kulit untuk toko Anda");
    const mine = await requestAt(shop.id, c.business.id, now - 2 * DAY);
    await acceptPartnership(deps(), { id: mine.id, actor: asBusiness(c.business.id), now: now - DAY });

    const message = await digestTo(shop.email, now);
    expect(message?.subject).toMatch(
      /^Kemitraan: \d+ calon mitra baru, 1 permintaan menunggu jawaban, 1 kabar permintaan untuk /,
    );
    const text = message?.text ?? "";
    const [suggested, waiting, changes] = [
      "CALON MITRA BARU",
      "PERMINTAAN MENUNGGU JAWABAN ANDA",
      "KABAR PERMINTAAN ANDA",
    ].map(
      (title) =>
        text
          .split(`${title}\n`)[1]
          ?.split("\n\n\n")[0]
          ?.split(/\n[A-Z ]{6,}\n/)[0] ?? "",
    );
    expect(suggested).toContain(maker.name);
    for (const reason of await storedReasons(shop.id, maker.id)) expect(suggested).toContain(reason);
    // Businesses it already has an open request with are not "new potential partners".
    expect(suggested).not.toContain("Sandal Kulit Pulorejo");
    expect(suggested).not.toContain("Sepatu Anak Kedundung");
    expect(waiting).toContain("Sandal Kulit Pulorejo: pola rantai pasok");
    expect(waiting).toContain("Kami menawarkan sandal kulit untuk toko Anda");
    expect(changes).toContain("Sepatu Anak Kedundung: menerima permintaan Anda");
    expect(message?.html).toContain(maker.name);

    // A week later the same suggestions are not announced again; the unanswered request still is.
    const next = await digestTo(shop.email, monday(11));
    expect(next?.text).not.toContain("CALON MITRA BARU");
    expect(next?.text).not.toContain("KABAR PERMINTAAN ANDA");
    expect(next?.text).toContain("PERMINTAAN MENUNGGU JAWABAN ANDA");
  });

  it("sends nothing when there is nothing new, and records the period as skipped", async () => {
    const { maker, shop } = await seedMatchedPair();
    const week12 = await runAt(monday(12));
    expect(sentTo(week12, maker.email)).toBeDefined();
    expect(sentTo(week12, shop.email)).toBeDefined();
    // Nothing happened since: no email for either.
    const week13 = await runAt(monday(13));
    expect(sentTo(week13, maker.email)).toBeUndefined();
    expect(sentTo(week13, shop.email)).toBeUndefined();
    const rows = await outboxOf(`business:${maker.id}`);
    expect(rows.map((r) => [r.period, r.status])).toEqual([
      [periodKeys(monday(12)).weekly, "sent"],
      [periodKeys(monday(13)).weekly, "skipped"],
    ]);
    expect(rows[1]?.content).toBeNull();
  });

  it("respects cadence: off gets nothing, monthly one digest a month", async () => {
    const { maker, shop } = await seedMatchedPair();
    await setDigestPreferences(deps(), {
      recipient: `business:${maker.id}`,
      cadence: "monthly",
      now: Date.now(),
    });
    await setDigestPreferences(deps(), { recipient: `business:${shop.id}`, cadence: "off", now: Date.now() });
    const april5 = Date.UTC(2027, 3, 5, 0, 0);
    const april12 = Date.UTC(2027, 3, 12, 0, 0);
    const may3 = Date.UTC(2027, 4, 3, 0, 0);
    const april = await runAt(april5);
    expect(sentTo(april, maker.email)).toBeDefined();
    expect(sentTo(april, shop.email)).toBeUndefined();
    // Something new in the same month waits for next month's digest.
    await requestAt(shop.id, maker.id, april5 + DAY);
    expect(await digestTo(maker.email, april12)).toBeUndefined();
    const may = await digestTo(maker.email, may3);
    expect(may?.text).toContain("PERMINTAAN MENUNGGU JAWABAN ANDA");
    expect(may?.text).toContain("Ringkasan bulanan");
    expect((await outboxOf(`business:${maker.id}`)).map((r) => r.period)).toEqual(["2027-04", "2027-05"]);
    expect(await outboxOf(`business:${shop.id}`)).toEqual([]);
  });

  it("writes in English for a business that prefers it", async () => {
    const { maker } = await seedMatchedPair({ maker: { language: "en" } });
    const message = await digestTo(maker.email, monday(40));
    expect(message?.subject).toMatch(/^Kemitraan: \d+ new potential partners? for /);
    expect(message?.text).toContain("NEW POTENTIAL PARTNERS");
    expect(message?.html).toContain('<html lang="en">');
  });
});

describe("new suggestions", () => {
  it("counts only the top 10 stored suggestions as news, lists 5 and never repeats them", async () => {
    const shop = await seedBusiness(
      serviceBody({ name: "Toko Alas Kaki Kranggan", email: uniqueEmail("top") }),
    );
    const makers = [];
    for (let i = 0; i < 12; i++) {
      makers.push(
        await seedBusiness(industryBody({ name: `Sepatu Kulit Miji ${i}`, email: uniqueEmail("m") })),
      );
    }
    await rescoreSets(deps(), { ids: [shop.business.id], now: Date.now() });
    const message = await digestTo(shop.business.email, monday(45));
    expect(message?.subject).toMatch(/^Kemitraan: 10 calon mitra baru untuk /);
    expect(message?.text).toContain("dan 5 calon mitra lain di aplikasi.");
    const announced = JSON.parse(
      (await outboxOf(`business:${shop.business.id}`)).at(-1)?.suggestion_ids ?? "[]",
    ) as string[];
    expect(announced).toHaveLength(10);
    expect(await digestTo(shop.business.email, monday(46))).toBeUndefined();
  });
});

describe("officer digest", () => {
  it("lists sign-ups waiting for review, requests about to expire and the period's numbers", async () => {
    const email = uniqueEmail("officer");
    const { officer } = await createOfficer(deps(), {
      email,
      role: "officer",
      actor: { kind: "officer", id: "ofc_test_admin", role: "admin" },
      now: Date.now(),
    });
    const now = monday(41);
    await confirmedSignUp(
      {
        ...industryBody({ name: "Kerupuk Udang Wates", email: uniqueEmail("signup") }),
        nib: null,
        language: "id",
        maxPartners: 3,
        ekatalog: { listed: false },
      } as unknown as SignUpFields,
      now - DAY,
    );
    const { maker, shop } = await seedMatchedPair();
    // Requested 13 days ago: expires tomorrow.
    await requestAt(shop.id, maker.id, now - 13 * DAY);
    const message = await digestTo(email, now);
    const text = message?.text ?? "";
    expect(message?.subject).toMatch(/menunggu tinjauan/);
    expect(text).toContain("PENDAFTARAN MENUNGGU TINJAUAN");
    expect(text).toContain("PERMINTAAN YANG SEGERA KEDALUWARSA");
    expect(text).toContain(`${shop.name} → ${maker.name}`);
    expect(text).toMatch(/pendaftaran baru: [1-9]/);

    await setDigestPreferences(deps(), {
      recipient: `officer:${officer.id}`,
      language: "en",
      now: Date.now(),
    });
    await confirmedSignUp(
      {
        ...industryBody({ name: "Tahu Takwa Surodinawan", email: uniqueEmail("signup") }),
        nib: null,
        language: "id",
        maxPartners: 3,
        ekatalog: { listed: false },
      } as unknown as SignUpFields,
      monday(42) - DAY,
    );
    const english = await digestTo(email, monday(42));
    expect(english?.text).toContain("SIGN-UPS AWAITING REVIEW");
    expect(english?.text).toMatch(/new sign-ups: 1\n/);
  });
});

describe("what the outbox keeps", () => {
  it("stores what a digest lists as ids, and renders it when sent with the names as they are then", async () => {
    const { maker, shop } = await seedMatchedPair({ maker: { name: "Sepatu Lama Pulorejo" } });
    const now = monday(50);
    const asked = await requestAt(maker.id, shop.id, now - DAY, "Kami menawarkan sepatu kulit jahit tangan");
    await planDigests(digestDeps(new MemoryMailer()), { now, limit: 1000 });
    const [row] = await outboxOf(`business:${shop.id}`);
    expect(row?.status).toBe("pending");
    const { email: _joined, ...stored } = row ?? {};
    const kept = JSON.stringify(stored);
    expect(JSON.parse(stored.content ?? "{}")).toMatchObject({ kind: "business", waiting: [asked.id] });
    for (const personal of [
      maker.name,
      shop.name,
      shop.email,
      "jahit tangan",
      ...(await storedReasons(shop.id, maker.id)),
    ]) {
      expect(kept).not.toContain(personal);
    }

    // Renamed after planning: the digest names it as it is when sent.
    await updateBusiness(deps(), {
      id: maker.id,
      patch: { name: "Sepatu Baru Pulorejo" },
      actor: { kind: "officer", id: "ofc_test", role: "officer" },
      now: Date.now(),
    });
    const mailer = new MemoryMailer();
    await sendDueDigests(digestDeps(mailer), { now, limit: 1000 });
    const message = sentTo(mailer.sent, shop.email);
    expect(message?.text).toContain("Sepatu Baru Pulorejo: pola rantai pasok");
    expect(message?.text).toContain("Kami menawarkan sepatu kulit jahit tangan");
    expect(`${message?.subject}${message?.text}${message?.html}`).not.toContain("Sepatu Lama Pulorejo");
    expect(message?.headers?.["List-Unsubscribe"]).toContain(encodeURIComponent(`business:${shop.id}`));
  });
});
