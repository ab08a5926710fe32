import { eq, sql } from "drizzle-orm";
import { digestPreferences } from "../../../schema";
import type { Language } from "../../domain/language";
import { NOTIFICATION_TOPICS, type NotificationTopic } from "../../domain/notifications";
import type { PartyRef } from "../../domain/party";
import type { ServiceDeps } from "../deps";
import type { DigestConfig } from "../digests/digest-config";
import {
  type DigestPreferences,
  getDigestPreferences,
  setDigestPreferences,
} from "../digests/digest-preferences.service";
import { verifyUnsubscribe } from "../digests/digest-unsubscribe.service";

/**
 * A recipient's email switches: the digest's cadence and language (src/services/digests) and one
 * switch per kind of event notification, stored as the list of topics turned off in the same
 * `digest_preferences` row (so a recipient without a row, or a new topic, is on).
 */

/** One switch per topic: true = the email is sent. */
export type NotificationSwitches = Record<NotificationTopic, boolean>;

export interface EmailPreferences extends DigestPreferences {
  notifications: NotificationSwitches;
}

export function switchesFrom(off: readonly NotificationTopic[] | null | undefined): NotificationSwitches {
  const muted = new Set(off ?? []);
  return Object.fromEntries(NOTIFICATION_TOPICS.map((t) => [t, !muted.has(t)])) as NotificationSwitches;
}

async function storedOff(deps: ServiceDeps, recipient: PartyRef): Promise<NotificationTopic[]> {
  const row = await deps.db
    .select({ off: digestPreferences.notificationsOff })
    .from(digestPreferences)
    .where(eq(digestPreferences.recipient, recipient))
    .get();
  return row?.off ?? [];
}

/** Whether a recipient wants emails of this topic (on unless turned off). */
export async function wantsTopic(
  deps: ServiceDeps,
  input: { recipient: PartyRef; topic: NotificationTopic },
): Promise<boolean> {
  return !(await storedOff(deps, input.recipient)).includes(input.topic);
}

/** A recipient's digest preferences and notification switches (defaults when never set). */
export async function getEmailPreferences(
  deps: ServiceDeps,
  input: { recipient: PartyRef },
): Promise<EmailPreferences> {
  const digest = await getDigestPreferences(deps, input);
  return { ...digest, notifications: switchesFrom(await storedOff(deps, input.recipient)) };
}

/**
 * Sets any of the digest's cadence and language and the notification switches (only the switches
 * given change). The digest part keeps its rules (`setDigestPreferences`).
 *
 * @throws 404 for an officer principal without an officer row (officer API keys carry no email).
 */
export async function setEmailPreferences(
  deps: ServiceDeps,
  input: {
    recipient: PartyRef;
    cadence?: DigestPreferences["cadence"] | undefined;
    language?: Language | undefined;
    notifications?: Partial<NotificationSwitches> | undefined;
    now: number;
  },
): Promise<EmailPreferences> {
  // Also checks the recipient (404 for an officer key), before anything is written.
  const current = await getEmailPreferences(deps, { recipient: input.recipient });
  if (input.cadence !== undefined || input.language !== undefined) {
    await setDigestPreferences(deps, input);
  }
  if (input.notifications !== undefined) {
    const next = { ...current.notifications, ...input.notifications };
    const off = NOTIFICATION_TOPICS.filter((t) => !next[t]);
    await deps.db
      .insert(digestPreferences)
      .values({ recipient: input.recipient, notificationsOff: off, updatedAt: input.now })
      .onConflictDoUpdate({
        target: digestPreferences.recipient,
        set: { notificationsOff: off, updatedAt: input.now },
      });
  }
  return getEmailPreferences(deps, { recipient: input.recipient });
}

/**
 * The "stop emails of this kind" link of a notification: the digest's signed unsubscribe link with
 * `k=<topic>`. Verifies the signature, then turns that one topic off; idempotent.
 *
 * @throws 403 `invalid_signature` for a tampered or foreign link.
 */
export async function turnOffTopic(
  deps: ServiceDeps & { config: DigestConfig },
  input: { recipient: string; signature: string; topic: NotificationTopic; now: number },
): Promise<{ recipient: PartyRef }> {
  const recipient = await verifyUnsubscribe(deps.config, input);
  const off = sql`coalesce(${digestPreferences.notificationsOff}, '[]')`;
  await deps.db
    .insert(digestPreferences)
    .values({ recipient, notificationsOff: [input.topic], updatedAt: input.now })
    .onConflictDoUpdate({
      target: digestPreferences.recipient,
      set: {
        notificationsOff: sql`case when exists (select 1 from json_each(${off}) where value = ${input.topic})
          then ${off} else json_insert(${off}, '$[#]', ${input.topic}) end`,
        updatedAt: input.now,
      },
    });
  return { recipient };
}
