import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A meeting slot of a forum's day: local times (Asia/Jakarta), "HH:MM". */
export interface StoredSlot {
  start: string;
  end: string;
}

/**
 * Business-matching forums (a "Sosialisasi Kemitraan Usaha"): an officer sets the day up, invites
 * businesses, and the engine schedules one-to-one meetings (src/matching/forum-schedule.ts).
 *
 * draft -> open (invitations go out; owners confirm and ask for meetings)
 * open  -> scheduled (a schedule run; re-runs keep it scheduled) -> closed (after the day)
 */
export const forums = sqliteTable("forums", {
  /** `frm_` + ULID. */
  id: text().primaryKey(),
  name: text().notNull(),
  /** The day, "YYYY-MM-DD" (Asia/Jakarta). */
  date: text().notNull(),
  venue: text().notNull(),
  meetingMinutes: integer().notNull(),
  /** Meeting slots in time order (breaks are the gaps between them). */
  slots: text({ mode: "json" }).$type<StoredSlot[]>().notNull(),
  breaks: text({ mode: "json" }).$type<StoredSlot[]>().notNull(),
  tables: integer().notNull(),
  /** Meetings one participant takes at most. */
  maxMeetings: integer().notNull(),
  /** Meeting requests one participant may send. */
  maxRequests: integer().notNull(),
  status: text({ enum: ["draft", "open", "scheduled", "closed"] }).notNull(),
  createdBy: text().notNull(),
  createdAt: integer().notNull(),
  updatedAt: integer().notNull(),
  scheduledAt: integer(),
});

/** Who is invited and whether they come: one row per forum and business. */
export const forumParticipants = sqliteTable(
  "forum_participants",
  {
    forumId: text().notNull(),
    businessId: text().notNull(),
    status: text({ enum: ["invited", "confirmed", "declined", "no_show"] }).notNull(),
    /** Slot starts ("HH:MM") the participant can meet in; all slots when confirmed without a choice. */
    available: text({ mode: "json" }).$type<string[]>().notNull(),
    invitedAt: integer().notNull(),
    answeredAt: integer(),
    checkedInAt: integer(),
    /** When the agenda email was enqueued (once per schedule run that changed it). */
    agendaSentAt: integer(),
  },
  (t) => [
    primaryKey({ columns: [t.forumId, t.businessId] }),
    index("forum_participants_business_idx").on(t.businessId),
  ],
);

/**
 * Meeting requests between participants, one row per direction: `requested` until the other side
 * answers (`accepted` / `declined`); `not_interested` is "tidak berminat", a mark with no request.
 * Both directions requested (or one requested and accepted by the other) is a mutual request.
 */
export const forumRequests = sqliteTable(
  "forum_requests",
  {
    forumId: text().notNull(),
    fromId: text().notNull(),
    toId: text().notNull(),
    status: text({ enum: ["requested", "accepted", "declined", "not_interested"] }).notNull(),
    createdAt: integer().notNull(),
    answeredAt: integer(),
  },
  (t) => [
    primaryKey({ columns: [t.forumId, t.fromId, t.toId] }),
    index("forum_requests_to_idx").on(t.forumId, t.toId),
  ],
);

/** The schedule: one row per meeting. A re-run replaces every unlocked meeting of the forum. */
export const forumMeetings = sqliteTable(
  "forum_meetings",
  {
    /** `fmt_` + ULID. */
    id: text().primaryKey(),
    forumId: text().notNull(),
    /** Slot start, "HH:MM". */
    slot: text().notNull(),
    tableNo: integer().notNull(),
    serviceId: text().notNull(),
    industryId: text().notNull(),
    /** The engine's score for the pair when scheduled. */
    score: real().notNull(),
    reason: text({ enum: ["locked", "mutual", "accepted", "engine"] }).notNull(),
    /** An officer locked (or moved) it: re-runs keep it where it is. */
    locked: integer({ mode: "boolean" }).notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [index("forum_meetings_forum_slot_idx").on(t.forumId, t.slot)],
);

/** After the forum, each side rates each meeting; a "lanjut" from both opens a partnership request. */
export const forumRatings = sqliteTable(
  "forum_ratings",
  {
    meetingId: text().notNull(),
    forumId: text().notNull(),
    raterId: text().notNull(),
    rating: text({ enum: ["lanjut", "mungkin", "tidak"] }).notNull(),
    at: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.raterId] }), index("forum_ratings_forum_idx").on(t.forumId)],
);

export type ForumRow = typeof forums.$inferSelect;
export type ForumMeetingRow = typeof forumMeetings.$inferSelect;
export type ForumParticipantRow = typeof forumParticipants.$inferSelect;
