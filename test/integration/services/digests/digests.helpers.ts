import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Principal } from "../../../../src/auth/principal";
import type { EmailMessage, Mailer } from "../../../../src/email/mailer";
import { MemoryMailer } from "../../../../src/email/mailer";
import type { DigestDeps } from "../../../../src/services/digests/digest-config";
import { type DigestRunReport, runDigestChunk } from "../../../../src/services/digests/digest-run.service";
import { rescoreSets } from "../../../../src/services/matching/suggestions.service";
import { DEFAULT_PARTNERSHIP_CONFIG } from "../../../../src/services/partnerships/partnership-config";
import { createPartnership } from "../../../../src/services/partnerships/request.service";
import { deps, industryBody, seedBusiness, serviceBody } from "../../helpers";

export const SIGNING_KEY = "test-digest-signing-key";
export const DAY = 24 * 60 * 60 * 1000;

/** Monday 7 December 2026, 00:00 UTC (07:00 WIB): the Monday cron's time; ISO week 2026-W50. */
export const MONDAY = Date.UTC(2026, 11, 7, 0, 0);

/** A Monday `weeks` weeks after MONDAY: each test takes its own weeks, so its own periods. */
export function monday(weeks: number): number {
  return MONDAY + weeks * 7 * DAY;
}

export function digestDeps(mailer: Mailer, chunkSize = 25): DigestDeps {
  return {
    ...deps(),
    mailer,
    config: { baseUrl: "https://kemitraan.test", signingKey: SIGNING_KEY, chunkSize },
  };
}

/** Runs chunks until the job says it is done or only retries later are left. */
export async function runUntilIdle(d: DigestDeps, now: number): Promise<DigestRunReport[]> {
  const reports: DigestRunReport[] = [];
  for (let i = 0; i < 100; i++) {
    const report = await runDigestChunk(d, { now });
    reports.push(report);
    if (report.continueInSeconds !== 0) return reports;
  }
  throw new Error("digest run did not settle in 100 chunks");
}

let counter = 0;
/** A unique email address, so messages can be counted per recipient. */
export function uniqueEmail(tag: string): string {
  counter += 1;
  return `${tag}-${counter}-${Date.now() % 1e6}@example.id`;
}

/** A shoe maker and a shoe shop with unique emails, each with stored suggestions listing the other. */
export async function seedMatchedPair(overrides: { maker?: object; shop?: object } = {}) {
  const maker = await seedBusiness(industryBody({ email: uniqueEmail("maker"), ...overrides.maker }));
  const shop = await seedBusiness(serviceBody({ email: uniqueEmail("shop"), ...overrides.shop }));
  await rescoreSets(deps(), { ids: [maker.business.id, shop.business.id], now: Date.now() });
  return { maker: maker.business, shop: shop.business };
}

export function asBusiness(businessId: string): Principal {
  return { kind: "business", businessId, keyId: null };
}

/** `from` requests a partnership with `to`, at `now`. */
export async function requestAt(from: string, to: string, now: number, message = "Kami ingin bermitra") {
  return createPartnership(
    { ...deps(), config: DEFAULT_PARTNERSHIP_CONFIG },
    { actor: asBusiness(from), partnerId: to, pattern: "rantai_pasok", message, now },
  );
}

export interface OutboxRow {
  id: string;
  recipient: string;
  period: string;
  status: string;
  /** The recipient's address now (the outbox stores none): joined from its business or officer. */
  email: string | null;
  /** JSON of what the digest lists, as ids; null when skipped at planning. */
  content: string | null;
  suggestion_ids: string | null;
  attempts: number;
  last_error: string | null;
  next_attempt_at: number;
}

const OUTBOX_WITH_EMAIL = `select o.*, coalesce(b.email, f.email) as email from digest_outbox o
  left join businesses b on o.recipient = 'business:' || b.id
  left join officers f on o.recipient = 'officer:' || f.id`;

export async function outboxRows(period: string): Promise<OutboxRow[]> {
  const { results } = await env.DB.prepare(`${OUTBOX_WITH_EMAIL} where o.period = ? order by o.recipient`)
    .bind(period)
    .all<OutboxRow>();
  return results;
}

export async function outboxOf(recipient: string): Promise<OutboxRow[]> {
  const { results } = await env.DB.prepare(`${OUTBOX_WITH_EMAIL} where o.recipient = ? order by o.period`)
    .bind(recipient)
    .all<OutboxRow>();
  return results;
}

/** Messages per address. */
export function countByAddress(messages: readonly EmailMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
  return counts;
}

/**
 * The exactly-once property for one period: every row with content is `sent`, and the mailer got
 * exactly one message for each of them and nothing else.
 */
export async function expectExactlyOnce(period: string, messages: readonly EmailMessage[]) {
  const rows = (await outboxRows(period)).filter((r) => r.status !== "skipped");
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) expect(r.status, `${r.recipient}: ${r.last_error}`).toBe("sent");
  const counts = countByAddress(messages);
  expect(
    [...counts.values()].every((n) => n === 1),
    JSON.stringify([...counts]),
  ).toBe(true);
  expect(new Set(counts.keys())).toEqual(new Set(rows.map((r) => r.email)));
}

/** Fails the sends listed (1-based) with an error, delivering the others. */
export class FlakyMailer implements Mailer {
  readonly delivered = new MemoryMailer();
  private calls = 0;
  constructor(private readonly failOn: (call: number) => boolean) {}

  async send(message: EmailMessage): Promise<void> {
    this.calls += 1;
    if (this.failOn(this.calls)) throw new Error(`SMTP 451 temporary failure (call ${this.calls})`);
    await this.delivered.send(message);
  }
}
