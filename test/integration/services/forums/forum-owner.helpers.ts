import { requestMeeting } from "../../../../src/services/forums/requests.service";
import { deps } from "../../helpers";
import { asBusiness } from "./forums.helpers";

/** `fromId` asks `toId` for a meeting at the forum. */
export async function meetingRequest(forumId: string, fromId: string, toId: string): Promise<void> {
  await requestMeeting(deps(), { forumId, actor: asBusiness(fromId), toId, now: Date.now() });
}
