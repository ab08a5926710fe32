import { env } from "cloudflare:workers";
import type { Principal } from "../../../../src/auth/principal";
import type { Mailer } from "../../../../src/email/mailer";
import { type NotificationDeps, runNotificationChunk } from "../../../../src/services/notifications/send";
import { deps } from "../../helpers";

export const SIGNING_KEY = "test-digest-signing-key";
export const BASE_URL = "https://kemitraan.test";

export function notificationDeps(mailer: Mailer, chunkSize = 25): NotificationDeps {
  return { ...deps(), mailer, config: { baseUrl: BASE_URL, signingKey: SIGNING_KEY, chunkSize } };
}

export const officer: Principal = { kind: "officer", id: "ofc_test", role: "officer" };

export function asBusiness(businessId: string): Principal {
  return { kind: "business", businessId, keyId: null };
}

export interface NotificationRow {
  id: string;
  eventKey: string;
  kind: string;
  recipient: string;
  subjectId: string;
  auditId: number | null;
  status: string;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

const COLUMNS = `id, event_key as eventKey, kind, recipient, subject_id as subjectId, audit_id as auditId,
  status, attempts, next_attempt_at as nextAttemptAt, last_error as lastError`;

/** The outbox rows about one subject (a business or a partnership), oldest first. */
export async function rowsAbout(subjectId: string): Promise<NotificationRow[]> {
  const { results } = await env.DB.prepare(
    `select ${COLUMNS} from notification_outbox where subject_id = ? order by created_at, id`,
  )
    .bind(subjectId)
    .all<NotificationRow>();
  return results;
}

/** The outbox rows to one recipient (`business:<id>`), oldest first. */
export async function rowsTo(recipient: string): Promise<NotificationRow[]> {
  const { results } = await env.DB.prepare(
    `select ${COLUMNS} from notification_outbox where recipient = ? order by created_at, id`,
  )
    .bind(recipient)
    .all<NotificationRow>();
  return results;
}

/** Sends what is due at `now` until nothing due is left (bounded). */
export async function sendAll(mailer: Mailer, now: number) {
  const reports = [];
  for (let i = 0; i < 50; i++) {
    const report = await runNotificationChunk(notificationDeps(mailer), { now });
    reports.push(report);
    if (report.continueInSeconds !== 0) return reports;
  }
  throw new Error("the notification sender did not settle");
}
