import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Mailer } from "../../../../src/email/mailer";
import { MemoryMailer } from "../../../../src/email/mailer";
import {
  type ReminderDeps,
  remindExpiringRequests,
} from "../../../../src/services/partnerships/reminders.service";
import { acceptPartnership } from "../../../../src/services/partnerships/respond.service";
import { deps } from "../../helpers";
import { asBusiness, DAY, requestAt, seedMatchedPair } from "../digests/digests.helpers";

function reminderDeps(mailer: Mailer): ReminderDeps {
  return { ...deps(), mailer, config: { reminderDays: 3, baseUrl: "https://kemitraan.test" } };
}

async function reminderAudits(partnershipId: string) {
  const { results } = await env.DB.prepare(
    "select actor_kind, actor_id, from_state, to_state from audit_log where entity_id = ? and action = 'remind'",
  )
    .bind(partnershipId)
    .all();
  return results;
}

// Requests expire 14 days after they are made (REQUEST_EXPIRY_DAYS); reminders go 3 days before.
describe("expiry reminders", () => {
  it("reminds the partner once, in its language, and audits it once", async () => {
    const { maker, shop } = await seedMatchedPair({ maker: { language: "en" } });
    const t0 = Date.now();
    const request = await requestAt(shop.id, maker.id, t0, "Kami ingin menjual sepatu Anda");
    const mailer = new MemoryMailer();

    // 10 days in: 4 days left, outside the window.
    await remindExpiringRequests(reminderDeps(mailer), { now: t0 + 10 * DAY });
    expect(mailer.sent.filter((m) => m.to === maker.email)).toEqual([]);

    const first = await remindExpiringRequests(reminderDeps(mailer), { now: t0 + 12 * DAY });
    expect(first.reminded).toBeGreaterThanOrEqual(1);
    await remindExpiringRequests(reminderDeps(mailer), { now: t0 + 12 * DAY + 60_000 });
    await remindExpiringRequests(reminderDeps(mailer), { now: t0 + 13 * DAY });
    const mine = mailer.sent.filter((m) => m.to === maker.email);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.subject).toContain(`Reminder: the partnership request from ${shop.name} expires`);
    expect(mine[0]?.text).toContain("Kami ingin menjual sepatu Anda");
    expect(mailer.sent.filter((m) => m.to === shop.email)).toEqual([]);
    expect(await reminderAudits(request.id)).toEqual([
      { actor_kind: "system", actor_id: "expire-requests", from_state: "requested", to_state: "requested" },
    ]);
    const row = await env.DB.prepare("select reminded_at from partnerships where id = ?")
      .bind(request.id)
      .first<{ reminded_at: number }>();
    expect(row?.reminded_at).toBe(t0 + 12 * DAY);
  });

  it("does not remind about a request that was answered", async () => {
    const { maker, shop } = await seedMatchedPair();
    const t0 = Date.now();
    const request = await requestAt(shop.id, maker.id, t0);
    await acceptPartnership(deps(), { id: request.id, actor: asBusiness(maker.id), now: t0 + DAY });
    const mailer = new MemoryMailer();
    await remindExpiringRequests(reminderDeps(mailer), { now: t0 + 12 * DAY });
    expect(mailer.sent.filter((m) => m.to === maker.email)).toEqual([]);
  });

  it("releases the claim when the send fails, so the next run sends it", async () => {
    const { maker, shop } = await seedMatchedPair();
    const t0 = Date.now();
    const request = await requestAt(shop.id, maker.id, t0);
    const failing: Mailer = {
      async send(message) {
        if (message.to === maker.email) throw new Error("SMTP 421 try again later");
      },
    };
    const failed = await remindExpiringRequests(reminderDeps(failing), { now: t0 + 12 * DAY });
    expect(failed.failed).toBeGreaterThanOrEqual(1);
    expect(await reminderAudits(request.id)).toEqual([]);
    const mailer = new MemoryMailer();
    await remindExpiringRequests(reminderDeps(mailer), { now: t0 + 12 * DAY + 3600_000 });
    expect(mailer.sent.filter((m) => m.to === maker.email)).toHaveLength(1);
    expect(await reminderAudits(request.id)).toHaveLength(1);
  });

  it("works in bounded chunks and reports what is left", async () => {
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) {
      const { maker, shop } = await seedMatchedPair();
      await requestAt(shop.id, maker.id, t0);
    }
    const mailer = new MemoryMailer();
    const now = t0 + 12 * DAY;
    const first = await remindExpiringRequests(reminderDeps(mailer), { now, limit: 2 });
    expect(first.reminded).toBe(2);
    expect(first.remaining).toBeGreaterThan(0);
    let report = first;
    while (report.remaining > 0)
      report = await remindExpiringRequests(reminderDeps(mailer), { now, limit: 2 });
    expect(new Set(mailer.sent.map((m) => m.to)).size).toBe(mailer.sent.length);
  });
});
