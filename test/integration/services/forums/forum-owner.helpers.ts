import { eq } from "drizzle-orm";
import { forumMeetings } from "../../../../schema";
import { requestMeeting } from "../../../../src/services/forums/requests.service";
import { deps } from "../../helpers";
import { asBusiness } from "./forums.helpers";

/** A meeting of a scheduled forum (the first the schedule wrote). */
export async function meetingOf(forumId: string): Promise<string> {
  const row = await deps().db.select().from(forumMeetings).where(eq(forumMeetings.forumId, forumId)).get();
  if (!row) throw new Error(`forum ${forumId} has no meetings`);
  return row.id;
}

/** `fromId` asks `toId` for a meeting at the forum. */
export async function meetingRequest(forumId: string, fromId: string, toId: string): Promise<void> {
  await requestMeeting(deps(), { forumId, actor: asBusiness(fromId), toId, now: Date.now() });
}
