import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../../../src/auth/session";
import { createDb } from "../../../../src/db";
import { MemoryMailer } from "../../../../src/email/mailer";
import { createOfficer } from "../../../../src/services/accounts/officers.service";
import { requestSignInLink } from "../../../../src/services/accounts/sign-in.service";
import { ERASED_NAME } from "../../../../src/services/data-rights/erasure.service";
import { EXPORT_SECTIONS, TABLES_NOT_ABOUT_A_BUSINESS } from "../../../../src/services/data-rights/tables";
import { periodKeys } from "../../../../src/services/digests/digest-config";
import { planDigests } from "../../../../src/services/digests/digest-plan.service";
import { participantAgenda } from "../../../../src/services/forums/agenda.service";
import { inviteBusinesses } from "../../../../src/services/forums/invitations.service";
import { rateForumMeeting } from "../../../../src/services/forums/ratings.service";
import { requestMeeting } from "../../../../src/services/forums/requests.service";
import { runForumSchedule } from "../../../../src/services/forums/schedule.service";
import { DEFAULT_PARTNERSHIP_CONFIG } from "../../../../src/services/partnerships/partnership-config";
import {
  call,
  deps,
  expectProblem,
  industryBody,
  officerKey,
  seedBusiness,
  serviceBody,
  uniqueNib,
} from "../../helpers";
import { digestDeps, outboxOf, runUntilIdle, uniqueEmail } from "../digests/digests.helpers";
import { asBusiness, confirmAll, forumOfficer, newForum } from "../forums/forums.helpers";
import { act, request } from "../partnerships/partnerships.helpers";
import { insertDraft } from "../partnerships/proposals.helpers";

/** Every table in the database (not SQLite's or the runtime's own). */
async function allTables(): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '_cf_%' order by name",
  ).all<{ name: string }>();
  return results.map((r) => r.name);
}

/** Every row of every table, as text, for "is this string anywhere?" checks. */
async function dumpAll(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of await allTables()) {
    const { results } = await env.DB.prepare(`select * from "${t}"`).all();
    out[t] = JSON.stringify(results);
  }
  return out;
}

/**
 * Signs the business in by email link, redeeming the token as the console's confirm button does
 * (POST /v1/auth/callback: a GET only redirects there); returns the session cookie value.
 */
async function signIn(email: string): Promise<string> {
  const mailer = new MemoryMailer();
  await requestSignInLink(
    { db: createDb(env.DB), mailer },
    { email, callbackUrl: "https://kemitraan.test/ui/login/confirm", now: Date.now() },
  );
  const link = mailer.sent.flatMap((m) => m.text.match(/https:\/\/\S+/g) ?? [])[0] ?? "";
  const token = new URL(link).searchParams.get("token") ?? "";
  const res = await call("/v1/auth/callback", { body: { token } });
  expect(res.status).toBe(204);
  const cookie = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(res.headers.get("Set-Cookie") ?? "")?.[1];
  expect(cookie).toMatch(/\S{20,}/);
  return cookie ?? "";
}

/**
 * A business with something in every table that can reference one: an extra key, a session and an
 * unused sign-in link, stored suggestions (its own, and in a partner's list), a pending request to
 * it, an active partnership, a declined pair, audit rows. Its personal strings are distinctive so
 * a leftover anywhere in the database is found by a plain text search.
 */
async function seedRichBusiness() {
  const officer = await officerKey();
  const secret = `rahasia${Math.floor(Math.random() * 1e9)}`;
  const markers = {
    name: `Sepatu ${secret}`,
    email: `${secret}@example.id`,
    nib: uniqueNib(),
    offers: `sandal kulit buaya ${secret}`,
    message: `pesan pribadi ${secret}`,
    terms: `tempo ${secret}`,
    keyLabel: `kasir ${secret}`,
    reason: `alasan penolakan ${secret}`,
    proposalReason: `menawarkan sandal buaya ${secret}`,
    discardReason: `pemilik ${secret} sudah pensiun`,
  };
  const maker = await seedBusiness(
    industryBody({
      name: markers.name,
      email: markers.email,
      nib: markers.nib,
      offers: `${markers.offers}, sepatu kulit dan sandal untuk toko`,
      maxPartners: 5,
    }),
  );
  const makerId = maker.business.id;
  const shop = await seedBusiness(serviceBody({ email: `shop-${uniqueNib()}@example.id` }));
  const shop2 = await seedBusiness(
    serviceBody({ name: "Toko Dua", email: `shop2-${uniqueNib()}@example.id` }),
  );
  const shop3 = await seedBusiness(
    serviceBody({ name: "Toko Tiga", email: `shop3-${uniqueNib()}@example.id` }),
  );

  // Made with an Idempotency-Key: its (encrypted) response is kept for replay under the business.
  const key = await call(`/v1/businesses/${makerId}/keys`, {
    key: maker.apiKey,
    body: { label: markers.keyLabel },
    headers: { "Idempotency-Key": `kunci-idempotensi-${secret}` },
  });
  expect(key.status).toBe(201);
  const session = await signIn(markers.email);
  expect(
    (await call(`/v1/businesses/${makerId}`, { headers: { Cookie: `${SESSION_COOKIE}=${session}` } })).status,
  ).toBe(200);
  // Digests: preferences set by the owner, and a digest sent to it (other recipients' digests that
  // name it are seeded by the deletion test, through the digest job).
  const prefs = await call("/v1/me/digest-preferences", {
    key: maker.apiKey,
    method: "PUT",
    body: { cadence: "monthly", language: "en" },
  });
  expect(prefs.status).toBe(200);
  const sentAt = Date.now();
  await env.DB.prepare(
    `insert into digest_outbox (id, recipient, period, status, window_start, window_end, suggestion_ids,
      attempts, next_attempt_at, created_at, sent_at)
     values (?, ?, '2026-11', 'sent', ?, ?, '[]', 1, ?, ?, ?)`,
  )
    .bind(
      `dgo_TEST${secret}`,
      `business:${makerId}`,
      sentAt - 30 * 86_400_000,
      sentAt,
      sentAt,
      sentAt,
      sentAt,
    )
    .run();
  // An unused link stays in sign_in_tokens.
  await requestSignInLink(
    { db: createDb(env.DB), mailer: new MemoryMailer() },
    { email: markers.email, callbackUrl: "https://kemitraan.test/v1/auth/callback", now: Date.now() },
  );
  // Stored suggestions: the maker's own set, and the shop's set listing the maker.
  expect((await call(`/v1/businesses/${makerId}/matches`, { key: officer })).status).toBe(200);
  expect((await call(`/v1/businesses/${shop.business.id}/matches`, { key: officer })).status).toBe(200);

  const pending = await request(shop.apiKey, makerId, {
    message: markers.message,
    terms: { paymentTerms: markers.terms },
  });
  const accepted = await request(shop2.apiKey, makerId, { message: markers.message });
  expect((await act(accepted.id, "accept", maker.apiKey)).status).toBe(200);
  expect((await act(accepted.id, "approve", officer)).status).toBe(200);
  // An officer rejects an accepted request with a reason: free text in the row and in the audit log.
  const shop4 = await seedBusiness(
    serviceBody({ name: "Toko Empat", email: `shop4-${uniqueNib()}@example.id` }),
  );
  const rejected = await request(shop4.apiKey, makerId, { message: markers.message });
  expect((await act(rejected.id, "accept", maker.apiKey)).status).toBe(200);
  expect((await act(rejected.id, "reject", officer, { reason: markers.reason })).status).toBe(200);
  const declined = await call("/v1/declined-pairs", { key: shop3.apiKey, body: { partnerId: makerId } });
  expect(declined.status).toBeLessThan(300);
  // Pairings the engine proposed: a draft in the officers' queue (reasons quoting its offers), and
  // one an officer discarded with a reason that names the owner.
  const draft = await insertDraft(shop.business.id, makerId);
  await env.DB.prepare("update pairing_proposals set reasons_id = ?, reasons_en = ? where id = ?")
    .bind(JSON.stringify([markers.proposalReason]), JSON.stringify([markers.proposalReason]), draft)
    .run();
  const discarded = await insertDraft(shop2.business.id, makerId);
  const discard = await call(`/v1/proposals/${discarded}/discard`, {
    key: officer,
    body: { reason: markers.discardReason },
  });
  expect(discard.status).toBe(200);
  // A forum: invited, confirmed, a mutual meeting request, a scheduled meeting it rated.
  const shop3Id = shop3.business.id;
  const forumId = await newForum().then(async (forum) => {
    await inviteBusinesses(deps(), {
      forumId: forum.id,
      actor: forumOfficer,
      businessIds: [makerId, shop3Id],
      now: Date.now(),
    });
    await confirmAll(forum.id, [makerId, shop3Id]);
    await requestMeeting(deps(), {
      forumId: forum.id,
      actor: asBusiness(makerId),
      toId: shop3Id,
      now: Date.now(),
    });
    await requestMeeting(deps(), {
      forumId: forum.id,
      actor: asBusiness(shop3Id),
      toId: makerId,
      now: Date.now(),
    });
    await runForumSchedule(deps(), { forumId: forum.id, actor: forumOfficer, now: Date.now() });
    return forum.id;
  });
  const [forumMeeting] = await participantAgenda(deps(), {
    forumId,
    businessId: makerId,
    lang: "id",
  });
  if (!forumMeeting) throw new Error("the forum scheduled no meeting");
  await rateForumMeeting(
    { ...deps(), config: DEFAULT_PARTNERSHIP_CONFIG },
    { meetingId: forumMeeting.meetingId, actor: asBusiness(makerId), rating: "mungkin", now: Date.now() },
  );
  // City procurement: a package it was told about, its readiness checklist, a purchase from it,
  // a stage of its assisted e-katalog registration.
  const t = Date.now();
  await env.DB.batch([
    env.DB.prepare(
      "insert into procurement_buyers (id, name, name_key, created_at, updated_at) values (?, 'Dinas Kesehatan', ?, ?, ?)",
    ).bind(`pby_${secret}`, `dinas kesehatan ${secret}`, t, t),
    env.DB.prepare(
      "insert into procurement_packages (id, rup_key, buyer_id, name, pagu, method, type, planned_month, source, created_at, updated_at) values (?, ?, ?, 'Pengadaan sandal pegawai', 50000000, 'e_purchasing', 'barang', '2026-06', 'manual', ?, ?)",
    ).bind(`ppk_${secret}`, `rup-${secret}`, `pby_${secret}`, t, t),
    env.DB.prepare(
      "insert into procurement_notices (id, package_id, business_id, notified_by, created_at) values (?, ?, ?, 'officer:ofc_test', ?)",
    ).bind(`pnt_${secret}`, `ppk_${secret}`, makerId, t),
    env.DB.prepare(
      "insert into procurement_readiness (business_id, done, completed_at, updated_at) values (?, '[\"nib\"]', null, ?)",
    ).bind(makerId, t),
    env.DB.prepare(
      "insert into procurement_realisations (id, row_key, buyer_id, package_name, supplier_name, business_id, matched_by, value, date, channel, type, created_at) values (?, ?, ?, 'Sandal pegawai', 'UD Pemasok Sandal', ?, 'name', 45000000, '2026-07-01', 'e_katalog', 'barang', ?)",
    ).bind(`rls_${secret}`, `row-${secret}`, `pby_${secret}`, makerId, t),
    env.DB.prepare(
      "insert into ekatalog_registration_steps (id, business_id, stage, date, note, recorded_by, created_at, updated_at) values (?, ?, 'diajukan', '2026-05-04', 'Berkas NIB dibawa pemilik', 'ofc_test', ?, ?)",
    ).bind(`ekr_${secret}`, makerId, t, t),
  ]);
  return {
    officer,
    maker,
    makerId,
    shop,
    session,
    markers,
    pending,
    active: accepted,
    rejected,
    rejectedBy: shop4.business,
    draft,
    discarded,
  };
}

/** Fails on any of the markers anywhere in the database: every table, every row, every column. */
async function expectNoMarkerLeft(markers: Record<string, string>): Promise<void> {
  for (const [table, rows] of Object.entries(await dumpAll())) {
    for (const [what, value] of Object.entries(markers)) {
      expect(rows.includes(value), `${what} left in ${table}`).toBe(false);
    }
  }
}

/**
 * Other people's digests that name the business, written by the digest job itself: this week's sent
 * and next week's planned (pending) for a partner it sent a request to (its name and message), for
 * the shop an officer rejected with a reason (its name and the reason), and for an officer (a
 * pairing with it awaiting approval, beside another pairing that stays).
 */
async function seedOthersDigests(s: Awaited<ReturnType<typeof seedRichBusiness>>) {
  const officerEmail = uniqueEmail("petugas");
  await createOfficer(deps(), {
    email: officerEmail,
    role: "officer",
    actor: { kind: "officer", id: "ofc_test", role: "admin" },
    now: Date.now(),
  });
  const partner = await seedBusiness(serviceBody({ name: "Toko Lima", email: uniqueEmail("toko5") }));
  const sent = await request(s.maker.apiKey, partner.business.id, { message: s.markers.message });
  const shop6 = await seedBusiness(serviceBody({ name: "Toko Enam", email: uniqueEmail("toko6") }));
  const waiting = await request(shop6.apiKey, s.makerId, { message: "Kami ingin bermitra" });
  expect((await act(waiting.id, "accept", s.maker.apiKey)).status).toBe(200);
  // A pairing without it, awaiting approval too: the officer's digest still has this to say.
  const shop7 = await seedBusiness(serviceBody({ name: "Toko Tujuh", email: uniqueEmail("toko7") }));
  const maker2 = await seedBusiness(industryBody({ name: "Konveksi Dua", email: uniqueEmail("konveksi") }));
  const other = await request(shop7.apiKey, maker2.business.id, { message: "Kami ingin bermitra" });
  expect((await act(other.id, "accept", maker2.apiKey)).status).toBe(200);

  const thisWeek = Date.now() + 60_000;
  const nextWeek = thisWeek + 7 * 86_400_000;
  const mailer = new MemoryMailer();
  await runUntilIdle(digestDeps(mailer), thisWeek);
  const sentTo = (email: string) => mailer.sent.find((m) => m.to === email)?.text ?? "";
  // They really name it: the partner's shows its name and message, the officer's its name, and the
  // rejected shop's the officer's reason.
  expect(sentTo(partner.business.email)).toContain(s.markers.name);
  expect(sentTo(partner.business.email)).toContain(s.markers.message);
  expect(sentTo(officerEmail)).toContain(s.markers.name);
  expect(sentTo(s.rejectedBy.email)).toContain(s.markers.reason);
  // Next week's, planned but not sent yet.
  await planDigests(digestDeps(new MemoryMailer()), { now: nextWeek, limit: 1000 });
  const pending = await env.DB.prepare(
    "select recipient from digest_outbox where period = ? and status = 'pending' order by recipient",
  )
    .bind(periodKeys(nextWeek).weekly)
    .all<{ recipient: string }>();
  expect(pending.results.map((r) => r.recipient)).toEqual(
    expect.arrayContaining([`business:${partner.business.id}`, expect.stringMatching(/^officer:/)]),
  );
  return {
    requestIds: [sent.id, waiting.id],
    nextWeek,
    officerEmail,
    partnerId: partner.business.id,
    partnerEmail: partner.business.email,
    otherPair: { requester: "Toko Tujuh", partner: "Konveksi Dua" },
  };
}

describe("GET /v1/businesses/{id}/export", () => {
  it("classifies every table of the database: about a business (exported) or not", async () => {
    const tables = await allTables();
    const known = new Set([...Object.keys(EXPORT_SECTIONS), ...Object.keys(TABLES_NOT_ABOUT_A_BUSINESS)]);
    expect(tables.filter((t) => !known.has(t))).toEqual([]);
    expect(Object.keys(EXPORT_SECTIONS).filter((t) => !tables.includes(t))).toEqual([]);
  });

  it("exports every table that references the business, and no secret", async () => {
    const s = await seedRichBusiness();
    // A deletion request, withdrawn, so deletion_requests holds a row about it too.
    const asked = await call(`/v1/businesses/${s.makerId}/deletion-request`, {
      key: s.maker.apiKey,
      method: "POST",
    });
    const { id: requestId } = (await asked.json()) as { id: string };
    expect(
      (await call(`/v1/deletion-requests/${requestId}/cancel`, { key: s.maker.apiKey, method: "POST" }))
        .status,
    ).toBe(200);
    const res = await call(`/v1/businesses/${s.makerId}/export`, { key: s.maker.apiKey });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const data = (await res.json()) as Record<string, unknown> & {
      business: Record<string, unknown>;
      suggestions: { items: unknown[]; set: unknown; listedByOthers: number };
      auditEntries: Array<{ action: string; entity: { type: string } }>;
    };

    // Each table that holds rows about it has them in the database, and its section is not empty.
    const db = await dumpAll();
    for (const [table, section] of Object.entries(EXPORT_SECTIONS)) {
      expect(db[table], `${table} has rows about the business`).toContain(s.makerId);
      const value = data[section];
      const empty =
        value === null ||
        value === undefined ||
        (Array.isArray(value) && value.length === 0) ||
        (section === "suggestions" && data.suggestions.items.length === 0);
      expect(empty, `export section ${section} (from ${table})`).toBe(false);
    }
    expect((data.procurement as { ekatalogRegistration: unknown[] }).ekatalogRegistration).toEqual([
      { stage: "diajukan", date: "2026-05-04", note: "Berkas NIB dibawa pemilik", recordedBy: "ofc_test" },
    ]);
    // ...and the tables said to hold nothing about any business hold nothing about this one.
    for (const table of Object.keys(TABLES_NOT_ABOUT_A_BUSINESS)) {
      const rows = db[table] ?? "";
      expect(rows, `${table} names the business`).not.toContain(s.makerId);
      for (const [what, value] of Object.entries(s.markers)) {
        expect(rows.includes(value), `${what} in ${table}`).toBe(false);
      }
    }
    expect(data.business).toMatchObject({ id: s.makerId, name: s.markers.name, email: s.markers.email });
    expect(data.suggestions.listedByOthers).toBeGreaterThan(0);
    expect((data.apiKeys as unknown[]).length).toBe(2);
    expect((data.partnerships as unknown[]).length).toBe(3);
    expect(data.sessions).toHaveLength(1);
    expect(data.digests).toEqual([
      {
        period: "2026-11",
        status: "sent",
        windowStart: expect.any(String),
        windowEnd: expect.any(String),
        createdAt: expect.any(String),
        sentAt: expect.any(String),
      },
    ]);
    expect(data.digestPreferences).toEqual({
      cadence: "monthly",
      language: "en",
      unsubscribedAt: null,
      notificationsOff: null,
      updatedAt: expect.any(String),
    });
    const proposals = data.pairingProposals as Array<Record<string, unknown>>;
    expect(proposals.map((p) => [p.id, p.status, p.side, p.otherId])).toEqual([
      [s.draft, "draft", "industry", s.shop.business.id],
      [s.discarded, "discarded", "industry", expect.any(String)],
    ]);
    expect(proposals[0]?.reasons).toEqual({ id: [s.markers.proposalReason], en: [s.markers.proposalReason] });
    expect(proposals[1]?.discardReason).toBe(s.markers.discardReason);
    // The key made with an Idempotency-Key: when and what came back, never the key or the body.
    expect(data.idempotentRequests).toEqual([
      {
        createdAt: expect.any(String),
        completedAt: expect.any(String),
        state: "complete",
        status: 201,
      },
    ]);
    expect(data.auditEntries.map((e) => e.entity.type)).toEqual(
      expect.arrayContaining(["business", "partnership", "declined_pair", "pairing_proposal"]),
    );
    // The export itself is on record, and listed.
    expect(data.auditEntries.at(-1)).toMatchObject({
      action: "export",
      actor: { kind: "business", id: s.makerId },
    });

    const text = JSON.stringify(data);
    expect(text).not.toContain(s.maker.apiKey);
    expect(text).not.toContain(s.session);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    expect(text).not.toMatch(
      /"(hash|idHash|tokenHash|keyHash|requestHash|claimToken|body|bodyIv|revision|matchFeatures|html|leaseUntil)"/,
    );
  });

  it("lets officers export; another business gets 404 and an anonymous caller 401", async () => {
    const officer = await officerKey();
    const a = await seedBusiness(industryBody());
    const b = await seedBusiness(serviceBody());
    expect((await call(`/v1/businesses/${a.business.id}/export`, { key: officer })).status).toBe(200);
    await expectProblem(await call(`/v1/businesses/${a.business.id}/export`, { key: b.apiKey }), 404);
    await expectProblem(await call(`/v1/businesses/${a.business.id}/export`), 401);
  });
});

describe("deletion: request, confirmation, erasure", () => {
  it("erases every personal string from every table in one confirmation, and keeps an anonymised record", async () => {
    const s = await seedRichBusiness();
    const others = await seedOthersDigests(s);
    const before = await dumpAll();
    expect(Object.values(before).join("")).toContain(s.markers.offers);

    const requested = await call(`/v1/businesses/${s.makerId}/deletion-request`, {
      key: s.maker.apiKey,
      method: "POST",
    });
    expect(requested.status).toBe(201);
    const req = (await requested.json()) as { id: string; status: string };
    expect(req.status).toBe("pending");
    // Nothing is erased by the request alone.
    expect(
      (await call(`/v1/businesses/${s.makerId}`, { key: s.officer }).then((r) => r.json())) as object,
    ).toMatchObject({ name: s.markers.name });

    const confirmed = await call(`/v1/deletion-requests/${req.id}/confirm`, {
      key: s.officer,
      method: "POST",
    });
    const body = (await confirmed.json()) as { request: { status: string }; erased: Record<string, number> };
    expect(confirmed.status).toBe(200);
    expect(body.request.status).toBe("confirmed");
    expect(body.erased).toMatchObject({
      apiKeys: 2,
      sessionsRevoked: 1,
      // Three from the seed; the request it sent to the partner and the one it accepted.
      partnershipsAnonymised: 5,
      partnershipsClosed: 4,
      declinedPairsDeleted: 1,
      // The officer's rejection reason, the discard reason and the key's label.
      auditRowsScrubbed: 3,
      proposalsDiscarded: 1,
      proposalsAnonymised: 2,
      digestPreferencesDeleted: 1,
      // The requests it received from the seed (two of them accepted and decided) and the decisions.
      notificationsDeleted: expect.any(Number),
      idempotencyKeysDeleted: 1,
    });
    expect(body.erased.suggestionListsLeft).toBeGreaterThan(0);
    for (const [table, column] of [
      ["forum_participants", "business_id"],
      ["forum_requests", "from_id"],
      ["forum_requests", "to_id"],
      ["forum_meetings", "industry_id"],
      ["forum_ratings", "rater_id"],
      ["procurement_notices", "business_id"],
      ["procurement_readiness", "business_id"],
      ["procurement_realisations", "business_id"],
      ["ekatalog_registration_steps", "business_id"],
    ] as const) {
      const left = await env.DB.prepare(`select count(*) as n from ${table} where ${column} = ?`)
        .bind(s.makerId)
        .first<{ n: number }>();
      expect(left?.n, `${table}.${column} after erasure`).toBe(0);
    }
    expect(body.erased.notificationsDeleted).toBeGreaterThanOrEqual(3);
    // The seeded one and what the job planned for it (monthly: one or two periods, by the date).
    expect(body.erased.digestsDeleted).toBeGreaterThan(1);

    // Nothing personal left anywhere: every table, every row (other people's digests included).
    await expectNoMarkerLeft(s.markers);

    // The digests still pending for next week render without it: the officer's lists only the other
    // pairing (and counts one), the partner's had nothing else to say and is recorded as skipped.
    const mailer = new MemoryMailer();
    await runUntilIdle(digestDeps(mailer), others.nextWeek);
    for (const m of mailer.sent) {
      for (const [what, value] of Object.entries(s.markers)) {
        expect(`${m.subject}${m.text}${m.html}`.includes(value), `${what} mailed to ${m.to}`).toBe(false);
      }
    }
    const officerMail = mailer.sent.find((m) => m.to === others.officerEmail);
    expect(officerMail?.text).toContain(`${others.otherPair.requester} – ${others.otherPair.partner}`);
    expect(officerMail?.text).toContain("KEMITRAAN MENUNGGU PERSETUJUAN (1)");
    expect(mailer.sent.some((m) => m.to === others.partnerEmail)).toBe(false);
    const partnerRows = await outboxOf(`business:${others.partnerId}`);
    expect(partnerRows.map((r) => r.status)).toEqual(["sent", "skipped"]);
    await expectNoMarkerLeft(s.markers);
    const row = await env.DB.prepare("select * from businesses where id = ?")
      .bind(s.makerId)
      .first<Record<string, unknown>>();
    expect(row).toMatchObject({
      name: ERASED_NAME,
      email: "",
      nib: null,
      offers: "",
      needs: "",
      active: 0,
      match_features: null,
    });
    expect(row?.deleted_at).not.toBeNull();
    expect(Number(row?.lat) * 10).toBeCloseTo(Math.round(Number(row?.lat) * 10), 6);

    // Access is gone: keys and the session.
    await expectProblem(await call(`/v1/businesses/${s.makerId}`, { key: s.maker.apiKey }), 401);
    const viaCookie = await call(`/v1/businesses/${s.makerId}`, {
      headers: { Cookie: `${SESSION_COOKIE}=${s.session}` },
    });
    expect(viaCookie.status).toBe(401);
    const counts = await env.DB.prepare(
      `select
        (select count(*) from suggestions where business_id = ?1 or candidate_id = ?1) as suggestions,
        (select count(*) from suggestion_sets where business_id = ?1) as sets,
        (select count(*) from sign_in_tokens where business_id = ?1) as links,
        (select count(*) from sessions where business_id = ?1 and revoked_at is null) as liveSessions,
        (select count(*) from api_keys where business_id = ?1 and revoked_at is null) as liveKeys,
        (select count(*) from declined_pairs where low_id = ?1 or high_id = ?1) as declined,
        (select count(*) from digest_outbox where recipient = 'business:' || ?1) as digests,
        (select count(*) from digest_preferences where recipient = 'business:' || ?1) as prefs,
        (select count(*) from notification_outbox where recipient = 'business:' || ?1) as notifications,
        (select count(*) from idempotency_keys where principal = 'business:' || ?1) as replays`,
    )
      .bind(s.makerId)
      .first();
    expect(counts).toEqual({
      suggestions: 0,
      sets: 0,
      links: 0,
      liveSessions: 0,
      liveKeys: 0,
      declined: 0,
      digests: 0,
      prefs: 0,
      notifications: 0,
      replays: 0,
    });

    // The draft left the officers' queue; both pairings keep an anonymised record.
    const queue = await call("/v1/proposals?limit=100", { key: s.officer });
    expect(queue.status).toBe(200);
    expect(((await queue.json()) as { items: Array<{ id: string }> }).items.map((p) => p.id)).not.toContain(
      s.draft,
    );
    const proposals = await env.DB.prepare(
      "select id, status, decided_by as decidedBy, reasons_id as reasonsId, reasons_en as reasonsEn, discard_reason as discardReason from pairing_proposals where service_id = ?1 or industry_id = ?1 order by id",
    )
      .bind(s.makerId)
      .all();
    const noReasons = { reasonsId: "[]", reasonsEn: "[]", discardReason: null };
    expect(proposals.results).toEqual([
      { id: s.draft, status: "discarded", decidedBy: "system:data-deletion", ...noReasons },
      { id: s.discarded, status: "discarded", decidedBy: expect.stringMatching(/^officer:/), ...noReasons },
    ]);
    const draftAudit = await call(`/v1/audit?entity=pairing_proposal&entityId=${s.draft}`, {
      key: s.officer,
    });
    expect(
      ((await draftAudit.json()) as { items: Array<{ action: string; actor: { kind: string } }> }).items.at(
        -1,
      ),
    ).toMatchObject({ action: "discard", actor: { kind: "system" } });

    // Partnerships keep an anonymised record: status, pattern, outcome, times.
    const ptns = await env.DB.prepare(
      "select id, status, pattern, message, terms, rejection_reason as reason from partnerships where requester_id = ?1 or partner_id = ?1 order by id",
    )
      .bind(s.makerId)
      .all();
    const anonymised = { pattern: "rantai_pasok", message: "", terms: null, reason: null };
    expect(ptns.results).toEqual([
      { id: s.pending.id, status: "cancelled", ...anonymised },
      { id: s.active.id, status: "ended", ...anonymised },
      { id: s.rejected.id, status: "rejected", ...anonymised },
      ...others.requestIds.map((id) => ({ id, status: "cancelled", ...anonymised })),
    ]);

    // Both steps are audited, with who did them.
    const audit = await call(`/v1/audit?entity=business&entityId=${s.makerId}`, { key: s.officer });
    const items = ((await audit.json()) as { items: Array<{ action: string; actor: { kind: string } }> })
      .items;
    const actions = items.map((i) => [i.action, i.actor.kind]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ["deletion_requested", "business"],
        ["deletion_confirmed", "officer"],
      ]),
    );
    const closed = await call(`/v1/audit?entity=partnership&entityId=${s.active.id}`, { key: s.officer });
    expect(((await closed.json()) as { items: Array<{ action: string }> }).items.at(-1)?.action).toBe("end");

    // An erased business is a record, not an account: no edits, no new request.
    await expectProblem(
      await call(`/v1/businesses/${s.makerId}`, { key: s.officer, method: "PATCH", body: { active: true } }),
      409,
      "already_deleted",
    );
    await expectProblem(
      await call(`/v1/businesses/${s.makerId}/deletion-request`, { key: s.officer, method: "POST" }),
      409,
      "already_deleted",
    );
    // It seeds a lot and runs the digest job twice: well past the 5 s default on a busy machine.
  }, 60_000);

  it("drops other callers' stored responses that name it: a retry with their key gets 410, others still replay", async () => {
    const officer = await officerKey();
    const secret = `rahasia${Math.floor(Math.random() * 1e9)}`;
    // The officer registers it, and a shop sends it a request, both with an Idempotency-Key: the
    // responses (its profile, the request naming it) are stored under the officer and the shop.
    const body = industryBody({ name: `Sepatu ${secret}`, email: `${secret}@example.id`, nib: uniqueNib() });
    const create = { key: officer, body, headers: { "Idempotency-Key": `daftar-${secret}` } };
    const created = await call("/v1/businesses", create);
    expect(created.status).toBe(201);
    const { business } = (await created.json()) as { business: { id: string } };
    const shop = await seedBusiness(serviceBody({ email: uniqueEmail("toko") }));
    const ask = {
      key: shop.apiKey,
      body: { partnerId: business.id, pattern: "rantai_pasok", message: "Kami ingin bermitra" },
      headers: { "Idempotency-Key": `minta-${secret}` },
    };
    expect((await call("/v1/partnerships", ask)).status).toBe(201);
    // A response that does not name it stays replayable.
    const unrelated = {
      key: officer,
      body: serviceBody({ name: "Toko Lain", email: uniqueEmail("lain") }),
      headers: { "Idempotency-Key": `lain-${secret}` },
    };
    expect((await call("/v1/businesses", unrelated)).status).toBe(201);

    const asked = await call(`/v1/businesses/${business.id}/deletion-request`, {
      key: officer,
      method: "POST",
    });
    const { id } = (await asked.json()) as { id: string };
    const confirmed = await call(`/v1/deletion-requests/${id}/confirm`, { key: officer, method: "POST" });
    expect(confirmed.status).toBe(200);
    const { erased } = (await confirmed.json()) as { erased: Record<string, number> };
    expect(erased.idempotentResponsesErased).toBe(2);

    // Retries get 410, not the erased data, and the write is not repeated.
    await expectProblem(await call("/v1/businesses", create), 410, "idempotent_response_erased");
    await expectProblem(await call("/v1/partnerships", ask), 410, "idempotent_response_erased");
    const recreated = await env.DB.prepare("select count(*) as n from businesses where email = ?")
      .bind(`${secret}@example.id`)
      .first<{ n: number }>();
    expect(recreated?.n).toBe(0);
    const replay = await call("/v1/businesses", unrelated);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    const rows = await env.DB.prepare(
      "select state, status, body, body_iv as iv, business_ids as ids from idempotency_keys where state = 'erased'",
    ).all();
    expect(rows.results).toEqual([
      { state: "erased", status: null, body: null, iv: null, ids: null },
      { state: "erased", status: null, body: null, iv: null, ids: null },
    ]);
  });

  it("confirms once: of two concurrent confirmations one erases and the other gets 409", async () => {
    const officer = await officerKey();
    const biz = await seedBusiness(industryBody());
    const res = await call(`/v1/businesses/${biz.business.id}/deletion-request`, {
      key: biz.apiKey,
      method: "POST",
    });
    const { id } = (await res.json()) as { id: string };
    const auditBefore = await env.DB.prepare("select count(*) as n from audit_log").first<{ n: number }>();
    const both = await Promise.all([
      call(`/v1/deletion-requests/${id}/confirm`, { key: officer, method: "POST" }),
      call(`/v1/deletion-requests/${id}/confirm`, { key: officer, method: "POST" }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = both.find((r) => r.status === 409);
    if (loser) await expectProblem(loser, 409, "invalid_state");
    const confirmations = await env.DB.prepare(
      "select count(*) as n from audit_log where action = 'deletion_confirmed' and entity_id = ?",
    )
      .bind(biz.business.id)
      .first<{ n: number }>();
    expect(confirmations?.n).toBe(1);
    const auditAfter = await env.DB.prepare("select count(*) as n from audit_log").first<{ n: number }>();
    expect((auditAfter?.n ?? 0) - (auditBefore?.n ?? 0)).toBe(1);
    // A third, later confirmation is a 409 too.
    await expectProblem(
      await call(`/v1/deletion-requests/${id}/confirm`, { key: officer, method: "POST" }),
      409,
    );
  });

  it("checks roles: a business asks and cancels but never confirms; others cannot see the request", async () => {
    const officer = await officerKey();
    const biz = await seedBusiness(industryBody());
    const other = await seedBusiness(serviceBody());
    await expectProblem(
      await call(`/v1/businesses/${biz.business.id}/deletion-request`, { key: other.apiKey, method: "POST" }),
      404,
    );
    await expectProblem(
      await call(`/v1/businesses/${biz.business.id}/deletion-request`, { method: "POST" }),
      401,
    );
    const res = await call(`/v1/businesses/${biz.business.id}/deletion-request`, {
      key: biz.apiKey,
      method: "POST",
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    await expectProblem(
      await call(`/v1/businesses/${biz.business.id}/deletion-request`, { key: biz.apiKey, method: "POST" }),
      409,
      "deletion_pending",
    );
    await expectProblem(
      await call(`/v1/deletion-requests/${id}/confirm`, { key: biz.apiKey, method: "POST" }),
      403,
    );
    await expectProblem(
      await call(`/v1/deletion-requests/${id}/cancel`, { key: other.apiKey, method: "POST" }),
      404,
    );
    await expectProblem(await call("/v1/deletion-requests?status=pending", { key: biz.apiKey }), 403);

    const listed = await call("/v1/deletion-requests?status=pending", { key: officer });
    expect(((await listed.json()) as { items: Array<{ id: string }> }).items.map((i) => i.id)).toContain(id);

    const cancelled = await call(`/v1/deletion-requests/${id}/cancel`, { key: biz.apiKey, method: "POST" });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as { status: string }).status).toBe("cancelled");
    await expectProblem(
      await call(`/v1/deletion-requests/${id}/confirm`, { key: officer, method: "POST" }),
      409,
    );
    // Cancelled, nothing erased; a new request is possible.
    expect((await call(`/v1/businesses/${biz.business.id}`, { key: biz.apiKey })).status).toBe(200);
    const audit = await env.DB.prepare(
      "select action from audit_log where entity_type = 'business' and entity_id = ? order by id",
    )
      .bind(biz.business.id)
      .all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual([
      "create",
      "deletion_requested",
      "deletion_cancelled",
    ]);
  });
});
