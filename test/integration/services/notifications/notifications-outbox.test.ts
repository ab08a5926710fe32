import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { type EmailMessage, type Mailer, MemoryMailer } from "../../../../src/email/mailer";
import { reviewBusiness } from "../../../../src/services/businesses/review.service";
import { requestDeletion } from "../../../../src/services/data-rights/deletion-requests.service";
import { confirmDeletion } from "../../../../src/services/data-rights/erasure.service";
import { digestBackoffMs, MAX_ATTEMPTS } from "../../../../src/services/notifications/outbox-lease";
import { setEmailPreferences } from "../../../../src/services/notifications/preferences";
import { sendDueNotifications } from "../../../../src/services/notifications/send";
import { approvePartnership, rejectPartnership } from "../../../../src/services/partnerships/decide.service";
import { expireRequests } from "../../../../src/services/partnerships/expire.service";
import { DEFAULT_PARTNERSHIP_CONFIG } from "../../../../src/services/partnerships/partnership-config";
import { createPartnership } from "../../../../src/services/partnerships/request.service";
import { acceptPartnership, declinePartnership } from "../../../../src/services/partnerships/respond.service";
import {
  call,
  confirmedSignUp,
  deps,
  expectProblem,
  industryBody,
  officerKey,
  seedBusiness,
  serviceBody,
  uniqueEmail,
} from "../../helpers";
import { insertDraft } from "../partnerships/proposals.helpers";
import { asBusiness, notificationDeps, officer, rowsAbout, rowsTo, sendAll } from "./notifications.helpers";

const config = DEFAULT_PARTNERSHIP_CONFIG;
/** A self sign-up's fields: the create body without the officer-only ones. */
function signUpFields(body: Record<string, unknown>): Parameters<typeof confirmedSignUp>[0] {
  return { nib: null, language: "id", maxPartners: 3, ekatalog: { listed: false }, ...body } as Parameters<
    typeof confirmedSignUp
  >[0];
}

const DAY = 24 * 3600_000;

async function pair(opts: { makerLanguage?: "id" | "en"; shopLanguage?: "id" | "en" } = {}) {
  const maker = await seedBusiness(
    industryBody({
      email: uniqueEmail("maker"),
      name: "UD Sepatu Miji",
      language: opts.makerLanguage ?? "id",
    }),
  );
  const shop = await seedBusiness(
    serviceBody({ email: uniqueEmail("shop"), name: "Toko Prajurit", language: opts.shopLanguage ?? "id" }),
  );
  return { maker: maker.business, shop: shop.business, shopKey: shop.apiKey, makerKey: maker.apiKey };
}

/** The shop requests a partnership with the maker at `now`. */
function requestOf(
  p: Awaited<ReturnType<typeof pair>>,
  now: number,
  message = "Kami ingin menjual sepatu Anda",
) {
  return createPartnership(
    { ...deps(), config },
    { actor: asBusiness(p.shop.id), partnerId: p.maker.id, pattern: "rantai_pasok", message, now },
  );
}

function to(mailer: MemoryMailer, email: string): EmailMessage[] {
  return mailer.sent.filter((m) => m.to === email);
}

beforeEach(async () => {
  // Each test starts with nothing due, so its sends are its own.
  await sendAll(new MemoryMailer(), Date.now() + 365 * DAY);
});

describe("enqueueing: one row per event and recipient, in the state change's batch", () => {
  it("a request notifies the partner; accepting notifies the requester; approval notifies both", async () => {
    const p = await pair();
    const now = Date.now();
    const req = await requestOf(p, now);
    const afterRequest = await rowsAbout(req.id);
    expect(afterRequest.map((r) => [r.kind, r.recipient, r.status])).toEqual([
      ["request_received", `business:${p.maker.id}`, "pending"],
    ]);
    // Keyed by the event's audit row: the request's own.
    const audit = await env.DB.prepare(
      "select id from audit_log where entity_type = 'partnership' and entity_id = ? and action = 'request'",
    )
      .bind(req.id)
      .first<{ id: number }>();
    expect(afterRequest[0]?.auditId).toBe(audit?.id);
    expect(afterRequest[0]?.eventKey).toBe(`request_received:${audit?.id}:business:${p.maker.id}`);

    await acceptPartnership(deps(), { id: req.id, actor: asBusiness(p.maker.id), now: now + 1 });
    await approvePartnership(deps(), { id: req.id, actor: officer, now: now + 2 });
    const rows = (await rowsAbout(req.id)).map((r) => [r.kind, r.recipient].join(" "));
    expect(rows.slice(0, 2)).toEqual([
      `request_received business:${p.maker.id}`,
      `request_accepted business:${p.shop.id}`,
    ]);
    // The approval's two rows share one batch and timestamp: their order among themselves is the ids'.
    expect(rows.slice(2).sort()).toEqual(
      [`partnership_approved business:${p.shop.id}`, `partnership_approved business:${p.maker.id}`].sort(),
    );
  });

  it("a decline notifies the requester; an officer's rejection notifies both sides", async () => {
    const p = await pair();
    const now = Date.now();
    const declined = await requestOf(p, now);
    await declinePartnership(deps(), { id: declined.id, actor: asBusiness(p.maker.id), now: now + 1 });
    expect((await rowsAbout(declined.id)).map((r) => [r.kind, r.recipient])).toEqual([
      ["request_received", `business:${p.maker.id}`],
      ["request_declined", `business:${p.shop.id}`],
    ]);

    const q = await pair();
    const rejected = await requestOf(q, now);
    await acceptPartnership(deps(), { id: rejected.id, actor: asBusiness(q.maker.id), now: now + 1 });
    await rejectPartnership(deps(), {
      id: rejected.id,
      actor: officer,
      reason: "Kapasitas belum cukup",
      now: now + 2,
    });
    expect((await rowsAbout(rejected.id)).map((r) => r.kind)).toEqual([
      "request_received",
      "request_accepted",
      "partnership_rejected",
      "partnership_rejected",
    ]);
  });

  it("a failed or lost transition enqueues nothing", async () => {
    const p = await pair();
    const req = await requestOf(p, Date.now());
    // Wrong actor (403) and wrong state (409): no row.
    await expect(
      acceptPartnership(deps(), { id: req.id, actor: asBusiness(p.shop.id), now: Date.now() }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      approvePartnership(deps(), { id: req.id, actor: officer, now: Date.now() }),
    ).rejects.toMatchObject({
      code: "invalid_state",
    });
    expect((await rowsAbout(req.id)).map((r) => r.kind)).toEqual(["request_received"]);

    // Two answers race: one wins, and only the winner's email is queued.
    const answers = await Promise.allSettled([
      acceptPartnership(deps(), { id: req.id, actor: asBusiness(p.maker.id), now: Date.now() }),
      declinePartnership(deps(), { id: req.id, actor: asBusiness(p.maker.id), now: Date.now() }),
    ]);
    expect(answers.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    const won = answers.find((a) => a.status === "fulfilled");
    const status = won?.status === "fulfilled" ? won.value.status : null;
    const kinds = (await rowsAbout(req.id)).map((r) => r.kind);
    expect(kinds).toEqual([
      "request_received",
      status === "accepted" ? "request_accepted" : "request_declined",
    ]);
  });

  it("an expiry notifies both sides once, however often the job runs", async () => {
    const p = await pair();
    const now = Date.now();
    const req = await requestOf(p, now);
    const later = now + (config.requestExpiryDays + 1) * DAY;
    expect((await expireRequests(deps(), { now: later })).expired).toContain(req.id);
    await expireRequests(deps(), { now: later + 1000 });
    const rows = (await rowsAbout(req.id)).filter((r) => r.kind === "request_expired");
    expect(rows.map((r) => r.recipient).sort()).toEqual(
      [`business:${p.maker.id}`, `business:${p.shop.id}`].sort(),
    );
    expect(new Set(rows.map((r) => r.auditId)).size).toBe(1);
    expect(rows[0]?.auditId).not.toBeNull();
  });

  it("a sign-up decision notifies the business once; a second decision is refused and queues nothing", async () => {
    const signUp = await confirmedSignUp(signUpFields(industryBody({ email: uniqueEmail("signup") })));
    await reviewBusiness(deps(), {
      id: signUp.id,
      decision: "reject",
      reason: "Mohon lengkapi NIB",
      officerId: "ofc_test",
      now: Date.now(),
    });
    await expect(
      reviewBusiness(deps(), { id: signUp.id, decision: "publish", officerId: "ofc_test", now: Date.now() }),
    ).rejects.toMatchObject({ code: "already_reviewed" });
    expect((await rowsAbout(signUp.id)).map((r) => [r.kind, r.recipient])).toEqual([
      ["sign_up_rejected", `business:${signUp.id}`],
    ]);
  });

  it("an officer publishing a draft pairing notifies the partner of the request", async () => {
    const p = await pair();
    const draft = await insertDraft(p.shop.id, p.maker.id);
    const res = await call(`/v1/proposals/${draft}/publish`, { key: await officerKey(), body: {} });
    expect(res.status).toBe(200);
    const { partnership } = (await res.json()) as { partnership: { id: string } };
    expect((await rowsAbout(partnership.id)).map((r) => [r.kind, r.recipient])).toEqual([
      ["request_received", `business:${p.maker.id}`],
    ]);
  });

  it("an officer's direct pairing notifies both sides", async () => {
    const p = await pair();
    const made = await createPartnership(
      { ...deps(), config },
      {
        actor: officer,
        requesterId: p.shop.id,
        partnerId: p.maker.id,
        pattern: "subkontrak",
        message: "",
        now: Date.now(),
      },
    );
    expect((await rowsAbout(made.id)).map((r) => r.kind)).toEqual([
      "partnership_approved",
      "partnership_approved",
    ]);
  });
});

describe("sending", () => {
  it("sends each notification once; a second run sends nothing", async () => {
    const p = await pair();
    const req = await requestOf(p, Date.now(), "Kami butuh 200 pasang sepatu per bulan");
    const mailer = new MemoryMailer();
    const [first] = await sendAll(mailer, Date.now() + 1000);
    expect(first).toMatchObject({ sent: 1, failed: 0, retrying: 0, remaining: 0, continueInSeconds: null });
    const mail = to(mailer, p.maker.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]?.subject).toBe("Permintaan kemitraan baru dari Toko Prajurit");
    expect(mail[0]?.text).toContain("Kami butuh 200 pasang sepatu per bulan");
    expect(mail[0]?.html).toContain("Toko Prajurit");
    expect(mail[0]?.text).toContain("https://kemitraan.test/ui/me");
    expect(mail[0]?.headers?.["List-Unsubscribe"]).toMatch(/k=incomingRequest>$/);
    expect((await rowsAbout(req.id)).map((r) => r.status)).toEqual(["sent"]);

    const again = new MemoryMailer();
    await sendAll(again, Date.now() + 2000);
    expect(again.sent).toHaveLength(0);
  });

  it("a rejected sign-up hears the officer's reason; both sides hear a partnership's rejection reason", async () => {
    const signUp = await confirmedSignUp(signUpFields(industryBody({ email: uniqueEmail("signup") })));
    await reviewBusiness(deps(), {
      id: signUp.id,
      decision: "reject",
      reason: "Mohon lengkapi NIB dan kelurahan",
      officerId: "ofc_test",
      now: Date.now(),
    });
    const p = await pair({ shopLanguage: "en" });
    const req = await requestOf(p, Date.now());
    await acceptPartnership(deps(), { id: req.id, actor: asBusiness(p.maker.id), now: Date.now() });
    await rejectPartnership(deps(), {
      id: req.id,
      actor: officer,
      reason: "Lokasi terlalu jauh",
      now: Date.now(),
    });

    const mailer = new MemoryMailer();
    await sendAll(mailer, Date.now() + 1000);
    const [rejection] = to(mailer, signUp.email);
    expect(rejection?.subject).toBe("Pendaftaran usaha Anda perlu diperbaiki");
    expect(rejection?.text).toContain("Alasan petugas: “Mohon lengkapi NIB dan kelurahan”");
    const makerMail = to(mailer, p.maker.email);
    // (The request itself was answered before the sender ran, so it is not announced.)
    expect(makerMail.map((m) => m.subject)).toEqual(["Kemitraan dengan Toko Prajurit tidak disetujui"]);
    expect(makerMail[0]?.text).toContain("Lokasi terlalu jauh");
    // The shop's language is English: its emails are too.
    const shopMail = to(mailer, p.shop.email);
    expect(shopMail.map((m) => m.subject)).toEqual([
      "UD Sepatu Miji accepted your partnership request",
      "Partnership with UD Sepatu Miji not approved",
    ]);
    expect(shopMail[1]?.text).toContain("The officer's reason: “Lokasi terlalu jauh”");
  });

  it("follows the recipient's email language preference over its profile language", async () => {
    const p = await pair({ makerLanguage: "id" });
    await setEmailPreferences(deps(), {
      recipient: `business:${p.maker.id}`,
      language: "en",
      now: Date.now(),
    });
    await requestOf(p, Date.now());
    const mailer = new MemoryMailer();
    await sendAll(mailer, Date.now() + 1000);
    expect(to(mailer, p.maker.email).map((m) => m.subject)).toEqual([
      "New partnership request from Toko Prajurit",
    ]);
  });

  it("retries a failing mailer with backoff and gives up after MAX_ATTEMPTS", async () => {
    const p = await pair();
    const req = await requestOf(p, Date.now());
    let calls = 0;
    const failing: Mailer = {
      async send() {
        calls += 1;
        throw new Error("SMTP 451 try again later");
      },
    };
    let now = Date.now() + 1000;
    const deps = notificationDeps(failing);
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const report = await sendDueNotifications(deps, { now, limit: 10 });
      expect(report).toMatchObject(
        attempt < MAX_ATTEMPTS ? { retrying: 1, failed: 0, sent: 0 } : { retrying: 0, failed: 1, sent: 0 },
      );
      const [row] = await rowsAbout(req.id);
      expect(row?.attempts).toBe(attempt);
      expect(row?.lastError).toBe("SMTP 451 try again later");
      if (attempt < MAX_ATTEMPTS) {
        expect(row?.status).toBe("pending");
        waits.push((row?.nextAttemptAt ?? 0) - now);
        // Not due before its backoff has passed.
        expect(
          await sendDueNotifications(deps, { now: now + digestBackoffMs(attempt) - 1, limit: 10 }),
        ).toMatchObject({
          retrying: 0,
          failed: 0,
        });
        now += digestBackoffMs(attempt);
      } else {
        expect(row?.status).toBe("failed");
      }
    }
    expect(waits).toEqual([1, 2, 3, 4].map(digestBackoffMs));
    expect(calls).toBe(MAX_ATTEMPTS);
    // Given up: never tried again.
    await sendDueNotifications(deps, { now: now + 30 * DAY, limit: 10 });
    expect(calls).toBe(MAX_ATTEMPTS);
  });

  it("sends nothing of a kind the recipient turned off (API switch or the email's link), other kinds still", async () => {
    const p = await pair();
    const put = await call("/v1/me/digest-preferences", {
      key: p.makerKey,
      method: "PUT",
      body: { notifications: { incomingRequest: false } },
    });
    expect(put.status).toBe(200);
    expect(((await put.json()) as { notifications: Record<string, boolean> }).notifications).toMatchObject({
      incomingRequest: false,
      requestAnswered: true,
    });
    const req = await requestOf(p, Date.now());
    const mailer = new MemoryMailer();
    await sendAll(mailer, Date.now() + 1000);
    expect(to(mailer, p.maker.email)).toHaveLength(0);
    expect((await rowsAbout(req.id)).map((r) => r.status)).toEqual(["skipped"]);

    // The shop turns answers off from the link in an email it got; approvals still come.
    const q = await pair();
    const accepted = await requestOf(q, Date.now());
    await acceptPartnership(deps(), { id: accepted.id, actor: asBusiness(q.maker.id), now: Date.now() });
    const first = new MemoryMailer();
    await sendAll(first, Date.now() + 1000);
    const [answer] = to(first, q.shop.email);
    const link = /<(https:\/\/\S+)>/.exec(answer?.headers?.["List-Unsubscribe"] ?? "")?.[1] ?? "";
    expect(link).toContain("k=requestAnswered");
    const url = new URL(link);
    const page = await call(`${url.pathname}${url.search}`);
    expect(await page.text()).toContain("jawaban atas permintaan Anda");
    const posted = await call(`${url.pathname}${url.search}`, {
      method: "POST",
      rawBody: "List-Unsubscribe=One-Click",
    });
    expect(posted.status).toBe(200);
    const prefs = (await (await call("/v1/me/digest-preferences", { key: q.shopKey })).json()) as {
      cadence: string;
      notifications: Record<string, boolean>;
    };
    expect(prefs.cadence).toBe("weekly");
    expect(prefs.notifications.requestAnswered).toBe(false);
    expect(prefs.notifications.officerDecision).toBe(true);
    await approvePartnership(deps(), { id: accepted.id, actor: officer, now: Date.now() });
    const second = new MemoryMailer();
    await sendAll(second, Date.now() + 2000);
    expect(to(second, q.shop.email).map((m) => m.subject)).toEqual([
      "Kemitraan dengan UD Sepatu Miji disetujui",
    ]);
    // A tampered link changes nothing.
    url.searchParams.set("k", "officerDecision");
    url.searchParams.set("sig", "AAAA");
    await expectProblem(
      await call(`${url.pathname}${url.search}`, { method: "POST" }),
      403,
      "invalid_signature",
    );
  });

  it("a new request already answered before its email went out is not announced", async () => {
    const p = await pair();
    const req = await requestOf(p, Date.now());
    await declinePartnership(deps(), { id: req.id, actor: asBusiness(p.maker.id), now: Date.now() });
    const mailer = new MemoryMailer();
    await sendAll(mailer, Date.now() + 1000);
    expect(to(mailer, p.maker.email)).toHaveLength(0);
    expect(to(mailer, p.shop.email).map((m) => m.subject)).toEqual([
      "UD Sepatu Miji tidak menerima permintaan kemitraan Anda",
    ]);
  });
});

describe("erasure", () => {
  it("leaves no notification text: its own rows go, others' about it send nothing that names it", async () => {
    const secret = `rahasia${Math.floor(Math.random() * 1e9)}`;
    const shop = await seedBusiness(serviceBody({ email: `${secret}@example.id`, name: `Toko ${secret}` }));
    const maker = await seedBusiness(industryBody({ email: uniqueEmail("maker") }));
    const p = { shop: shop.business, maker: maker.business, shopKey: shop.apiKey, makerKey: maker.apiKey };
    // The maker has a request from the shop waiting; the shop has an answer waiting.
    await requestOf(p, Date.now(), `pesan ${secret}`);
    const other = await seedBusiness(industryBody({ email: uniqueEmail("other") }));
    const answered = await createPartnership(
      { ...deps(), config },
      {
        actor: asBusiness(p.shop.id),
        partnerId: other.business.id,
        pattern: "rantai_pasok",
        message: "",
        now: Date.now(),
      },
    );
    await acceptPartnership(deps(), {
      id: answered.id,
      actor: asBusiness(other.business.id),
      now: Date.now(),
    });
    expect((await rowsTo(`business:${p.shop.id}`)).length).toBeGreaterThan(0);

    const request = await requestDeletion(deps(), {
      businessId: p.shop.id,
      actor: asBusiness(p.shop.id),
      now: Date.now(),
    });
    const done = await confirmDeletion(deps(), { id: request.id, actor: officer, now: Date.now() });
    expect(done.erased.notificationsDeleted).toBe(1);
    expect(await rowsTo(`business:${p.shop.id}`)).toEqual([]);
    const { results } = await env.DB.prepare("select * from notification_outbox").all();
    expect(JSON.stringify(results)).not.toContain(secret);

    const mailer = new MemoryMailer();
    await sendAll(mailer, Date.now() + 1000);
    for (const m of mailer.sent) expect(`${m.subject}${m.text}${m.html}`).not.toContain(secret);
    expect(to(mailer, p.maker.email)).toHaveLength(0);
  });
});
