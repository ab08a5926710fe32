import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { wibDate, wibMidnight } from "../../../../src/domain/calendar";
import { MemoryMailer } from "../../../../src/email/mailer";
import { createOfficer } from "../../../../src/services/accounts/officers.service";
import { updateBusiness } from "../../../../src/services/businesses/update.service";
import { setEmailPreferences } from "../../../../src/services/notifications/preferences";
import { planOfficerSummaries } from "../../../../src/services/notifications/summary";
import { DEFAULT_PARTNERSHIP_CONFIG } from "../../../../src/services/partnerships/partnership-config";
import { createPartnership } from "../../../../src/services/partnerships/request.service";
import { acceptPartnership } from "../../../../src/services/partnerships/respond.service";
import {
  call,
  confirmedSignUp,
  deps,
  industryBody,
  officerKey,
  seedBusiness,
  serviceBody,
  uniqueEmail,
} from "../../helpers";
import { insertDraft } from "../partnerships/proposals.helpers";
import { asBusiness, sendAll } from "./notifications.helpers";

/** A self sign-up's fields: the create body without the officer-only ones. */
function signUpFields(body: Record<string, unknown>): Parameters<typeof confirmedSignUp>[0] {
  return { nib: null, language: "id", maxPartners: 3, ekatalog: { listed: false }, ...body } as Parameters<
    typeof confirmedSignUp
  >[0];
}

const DAY = 24 * 3600_000;
const admin = { kind: "officer", id: "ofc_test_admin", role: "admin" } as const;

async function newOfficer(tag: string) {
  const { officer: row } = await createOfficer(deps(), {
    email: uniqueEmail(tag),
    role: "officer",
    actor: admin,
    now: Date.now(),
  });
  return row;
}

// This file's database starts empty: the first test sees nothing waiting.
describe("officer daily summary", () => {
  it("sends nothing when nothing waits", async () => {
    const o = await newOfficer("quiet");
    const planned = await planOfficerSummaries(deps(), { now: Date.now() });
    expect(planned).toEqual({
      counts: { signUps: 0, changedProfiles: 0, acceptedRequests: 0, drafts: 0 },
      planned: 0,
    });
    const mailer = new MemoryMailer();
    await sendAll(mailer, Date.now() + 1000);
    expect(mailer.sent.filter((m) => m.to === o.email)).toHaveLength(0);
    const { results } = await env.DB.prepare(
      "select id from notification_outbox where kind = 'officer_summary'",
    ).all();
    expect(results).toEqual([]);
  });

  it("counts sign-ups, changed profiles, accepted requests and drafts, and mails each active officer once a day", async () => {
    const first = await newOfficer("first");
    const english = await newOfficer("english");
    const muted = await newOfficer("muted");
    const inactive = await newOfficer("inactive");
    await env.DB.prepare("update officers set active = 0 where id = ?").bind(inactive.id).run();
    await setEmailPreferences(deps(), {
      recipient: `officer:${english.id}`,
      language: "en",
      now: Date.now(),
    });
    await setEmailPreferences(deps(), {
      recipient: `officer:${muted.id}`,
      notifications: { officerSummary: false },
      now: Date.now(),
    });

    // Two sign-ups to review.
    for (const tag of ["a", "b"]) {
      await confirmedSignUp(signUpFields(industryBody({ email: uniqueEmail(`signup-${tag}`) })));
    }
    // One published profile its owner changed.
    const maker = await seedBusiness(industryBody({ email: uniqueEmail("maker") }));
    await updateBusiness(deps(), {
      id: maker.business.id,
      patch: { offers: "Sekarang juga membuat tas kulit dan dompet" },
      actor: asBusiness(maker.business.id),
      now: Date.now(),
    });
    // One accepted request awaiting approval, and a plain request that waits for no officer.
    const shop = await seedBusiness(serviceBody({ email: uniqueEmail("shop") }));
    const shop2 = await seedBusiness(serviceBody({ email: uniqueEmail("shop2") }));
    const config = DEFAULT_PARTNERSHIP_CONFIG;
    const req = await createPartnership(
      { ...deps(), config },
      {
        actor: asBusiness(shop.business.id),
        partnerId: maker.business.id,
        pattern: "rantai_pasok",
        message: "",
        now: Date.now(),
      },
    );
    await acceptPartnership(deps(), { id: req.id, actor: asBusiness(maker.business.id), now: Date.now() });
    await createPartnership(
      { ...deps(), config },
      {
        actor: asBusiness(shop2.business.id),
        partnerId: maker.business.id,
        pattern: "rantai_pasok",
        message: "",
        now: Date.now(),
      },
    );
    // Three drafts.
    const shop3 = await seedBusiness(serviceBody({ email: uniqueEmail("shop3") }));
    for (const s of [shop, shop2, shop3]) await insertDraft(s.business.id, maker.business.id);

    const now = Date.now();
    const planned = await planOfficerSummaries(deps(), { now });
    expect(planned.counts).toEqual({ signUps: 2, changedProfiles: 1, acceptedRequests: 1, drafts: 3 });
    // The quiet officer of the first test, `first` and `english`: not the muted or inactive one.
    expect(planned.planned).toBe(3);
    // A second run later the same WIB day plans nothing more (an hour later, or just before
    // midnight WIB when the test runs in the day's last hour).
    const today = wibDate(now);
    const laterToday = Math.min(now + 3600_000, wibMidnight(today.year, today.month, today.day + 1) - 1);
    expect((await planOfficerSummaries(deps(), { now: laterToday })).planned).toBe(0);

    const mailer = new MemoryMailer();
    await sendAll(mailer, now + 1000);
    const [mail] = mailer.sent.filter((m) => m.to === first.email);
    expect(mail?.subject).toBe("Kemitraan: 7 hal menunggu petugas");
    expect(mail?.text).toContain("- 2 pendaftaran untuk diperiksa");
    expect(mail?.text).toContain("- 1 profil yang diubah pemiliknya");
    expect(mail?.text).toContain("- 1 permintaan diterima yang menunggu persetujuan");
    expect(mail?.text).toContain("- 3 usulan pasangan dari sistem");
    expect(mail?.text).toContain("https://kemitraan.test/ui/queue");
    expect(mailer.sent.filter((m) => m.to === english.email).map((m) => m.subject)).toEqual([
      "Kemitraan: 7 items wait for officers",
    ]);
    expect(mailer.sent.some((m) => m.to === muted.email || m.to === inactive.email)).toBe(false);

    // The next day plans again.
    expect((await planOfficerSummaries(deps(), { now: now + DAY })).planned).toBe(3);
  });

  it("runs as a job: POST /v1/admin/jobs/officer-summary (admins)", async () => {
    const res = await call("/v1/admin/jobs/officer-summary", {
      key: await officerKey("admin"),
      method: "POST",
    });
    expect(res.status).toBe(200);
    const run = (await res.json()) as {
      job: string;
      report: { waiting: Record<string, number>; planned: number };
    };
    expect(run.job).toBe("officer-summary");
    expect(run.report.waiting).toMatchObject({ signUps: 2, drafts: 3 });
    const send = await call("/v1/admin/jobs/send-notifications", {
      key: await officerKey("admin"),
      method: "POST",
    });
    expect(send.status).toBe(200);
  });
});
