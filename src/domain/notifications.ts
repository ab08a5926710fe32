/**
 * Event notifications by email: what happened (`NotificationKind`, one outbox row per event and
 * recipient) and the switch a recipient turns off to stop that kind (`NotificationTopic`). The
 * outbox, the preferences API, the unsubscribe link and the templates all name kinds and topics
 * through these lists, so they cannot drift.
 */

export const NOTIFICATION_KINDS = [
  /** Sign-up decision, to the business. */
  "sign_up_published",
  "sign_up_rejected",
  /** A new partnership request, to the partner. */
  "request_received",
  /** The partner's answer, to the requester. */
  "request_accepted",
  "request_declined",
  /** An officer's decision (or an officer's direct pairing), to both sides. */
  "partnership_approved",
  "partnership_rejected",
  /** An unanswered request expired, to both sides. */
  "request_expired",
  /** What waits for officers, daily. */
  "officer_summary",
  /** A forum participant's agenda (time, table, partner, why), once per schedule. */
  "forum_agenda",
  /** An officer tells a matched UMKM about a city procurement package (docs/PROCUREMENT.md). */
  "procurement_opportunity",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The preference switches, one per kind of news; each on unless the recipient turned it off. */
export const NOTIFICATION_TOPICS = [
  "signUpDecision",
  "incomingRequest",
  "requestAnswered",
  "officerDecision",
  "requestExpired",
  "officerSummary",
  "forumAgenda",
  "procurementOpportunity",
] as const;
export type NotificationTopic = (typeof NOTIFICATION_TOPICS)[number];

/** Which switch silences which kind. */
export const TOPIC_OF: Record<NotificationKind, NotificationTopic> = {
  sign_up_published: "signUpDecision",
  sign_up_rejected: "signUpDecision",
  request_received: "incomingRequest",
  request_accepted: "requestAnswered",
  request_declined: "requestAnswered",
  partnership_approved: "officerDecision",
  partnership_rejected: "officerDecision",
  request_expired: "requestExpired",
  officer_summary: "officerSummary",
  forum_agenda: "forumAgenda",
  // Its own switch (it shared incomingRequest's until issue 16's follow-up): an owner may want
  // partners' requests and not the city's leads, or the other way round.
  procurement_opportunity: "procurementOpportunity",
};

export function isNotificationTopic(value: unknown): value is NotificationTopic {
  return (NOTIFICATION_TOPICS as readonly unknown[]).includes(value);
}

/** What the officers' daily summary counts (numbers only: names are never stored in the outbox). */
export interface OfficerSummaryCounts {
  /** Confirmed sign-ups awaiting review. */
  signUps: number;
  /** Published profiles whose owners changed reviewed fields. */
  changedProfiles: number;
  /** Accepted requests awaiting an officer's approval. */
  acceptedRequests: number;
  /** The engine's draft pairings awaiting review. */
  drafts: number;
}
