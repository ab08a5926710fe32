import { declinedPairs } from "../../../schema";
import type { Principal } from "../../auth/principal";
import { insertIf } from "../../db";
import { actorRef } from "../../domain/party";
import { actorOf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { COMMITTED, pairKey } from "./partnerships.queries";
import { onlyPartner, transition } from "./partnerships.transition";

/**
 * The partner accepts a request. Both sides must still have room under `maxPartners`, counting
 * accepted and active partnerships (an accepted request holds its place until the officer decides).
 */
export function acceptPartnership(deps: ServiceDeps, input: { id: string; actor: Principal; now: number }) {
  return transition(
    deps,
    {
      action: "accept",
      from: ["requested"],
      to: "accepted",
      authorize: onlyPartner,
      set: ({ now }) => ({ answeredAt: now }),
      needsRoom: COMMITTED,
      notify: { kind: "request_accepted", to: ["requester"] },
    },
    input,
  );
}

/**
 * The partner declines ("tidak berminat"): the request ends and the pair is recorded in
 * `declined_pairs`, so neither side is suggested the other or can request it again until an
 * officer resets the pair.
 */
export function declinePartnership(deps: ServiceDeps, input: { id: string; actor: Principal; now: number }) {
  return transition(
    deps,
    {
      action: "decline",
      from: ["requested"],
      to: "declined",
      authorize: onlyPartner,
      set: ({ now }) => ({ answeredAt: now }),
      notify: { kind: "request_declined", to: ["requester"] },
      also: ({ row, actor, now, won }) => {
        const k = pairKey(row.requesterId, row.partnerId);
        const by = actor.kind === "business" ? actor.businessId : actorRef(actorOf(actor));
        return [
          insertIf(
            deps.db,
            declinedPairs,
            { lowId: k.lowId, highId: k.highId, declinedBy: by, partnershipId: row.id, at: now },
            won,
          ).onConflictDoNothing(),
        ];
      },
    },
    input,
  );
}
