import type { Principal } from "../../auth/principal";
import type { ServiceDeps } from "../deps";
import { onlyOfficer, transition } from "./partnerships.transition";

/**
 * An officer approves an accepted request: it becomes active. Both sides must have room among
 * active partnerships (this row is not active yet, so it is not counted), which still holds unless
 * `maxPartners` was lowered since the accept.
 */
export function approvePartnership(deps: ServiceDeps, input: { id: string; actor: Principal; now: number }) {
  return transition(
    deps,
    {
      action: "approve",
      from: ["accepted"],
      to: "active",
      authorize: onlyOfficer,
      set: ({ now, by }) => ({ decidedAt: now, decidedBy: by }),
      needsRoom: ["active"],
      notify: { kind: "partnership_approved", to: ["requester", "partner"] },
    },
    input,
  );
}

/** An officer rejects an accepted request, with a reason shown to both sides. */
export function rejectPartnership(
  deps: ServiceDeps,
  input: { id: string; actor: Principal; reason: string; now: number },
) {
  return transition(
    deps,
    {
      action: "reject",
      from: ["accepted"],
      to: "rejected",
      authorize: onlyOfficer,
      set: ({ now, by }) => ({ decidedAt: now, decidedBy: by, rejectionReason: input.reason }),
      notify: { kind: "partnership_rejected", to: ["requester", "partner"] },
    },
    { ...input, details: { reason: input.reason } },
  );
}
