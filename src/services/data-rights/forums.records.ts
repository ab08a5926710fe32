import { and, asc, eq, or, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { forumMeetings, forumParticipants, forumRatings, forumRequests } from "../../../schema";
import type { Database } from "../../db";
import { iso } from "./access";

/** What the forums hold about one business: invitations, requests, meetings and ratings. */
export interface ForumRecords {
  participation: Array<{
    forumId: string;
    status: string;
    available: string[];
    invitedAt: string;
    checkedInAt: string | null;
  }>;
  requests: Array<{ forumId: string; fromId: string; toId: string; status: string; createdAt: string }>;
  meetings: Array<{ forumId: string; slot: string; tableNo: number; serviceId: string; industryId: string }>;
  ratings: Array<{ forumId: string; meetingId: string; rating: string; at: string }>;
}

/** The export's `forums` section (UU 27/2022 right of access). */
export async function forumRecords(db: Database, id: string): Promise<ForumRecords> {
  const [parts, reqs, meets, rates] = await db.batch([
    db
      .select()
      .from(forumParticipants)
      .where(eq(forumParticipants.businessId, id))
      .orderBy(asc(forumParticipants.forumId)),
    db
      .select()
      .from(forumRequests)
      .where(or(eq(forumRequests.fromId, id), eq(forumRequests.toId, id)))
      .orderBy(asc(forumRequests.createdAt)),
    db
      .select()
      .from(forumMeetings)
      .where(or(eq(forumMeetings.serviceId, id), eq(forumMeetings.industryId, id)))
      .orderBy(asc(forumMeetings.id)),
    db.select().from(forumRatings).where(eq(forumRatings.raterId, id)).orderBy(asc(forumRatings.at)),
  ]);
  return {
    participation: parts.map((p) => ({
      forumId: p.forumId,
      status: p.status,
      available: p.available,
      invitedAt: new Date(p.invitedAt).toISOString(),
      checkedInAt: iso(p.checkedInAt),
    })),
    requests: reqs.map((r) => ({
      forumId: r.forumId,
      fromId: r.fromId,
      toId: r.toId,
      status: r.status,
      createdAt: new Date(r.createdAt).toISOString(),
    })),
    meetings: meets.map((m) => ({
      forumId: m.forumId,
      slot: m.slot,
      tableNo: m.tableNo,
      serviceId: m.serviceId,
      industryId: m.industryId,
    })),
    ratings: rates.map((r) => ({
      forumId: r.forumId,
      meetingId: r.meetingId,
      rating: r.rating,
      at: new Date(r.at).toISOString(),
    })),
  };
}

/**
 * Erasure: the business leaves every forum (its invitations, requests, meetings and ratings go;
 * its partners' agendas lose the meeting). Conditional on `won`, like the erasure's other steps.
 */
export function eraseForumRecords(db: Database, id: string, won: SQL): BatchItem<"sqlite">[] {
  return [
    db.delete(forumRatings).where(and(eq(forumRatings.raterId, id), won)),
    db.delete(forumRequests).where(and(or(eq(forumRequests.fromId, id), eq(forumRequests.toId, id)), won)),
    db
      .delete(forumMeetings)
      .where(and(or(eq(forumMeetings.serviceId, id), eq(forumMeetings.industryId, id)), won)),
    db.delete(forumParticipants).where(and(eq(forumParticipants.businessId, id), won)),
  ];
}
