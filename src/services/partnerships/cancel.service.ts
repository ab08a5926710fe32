import type { Principal } from "../../auth/principal";
import type { ServiceDeps } from "../deps";
import { onlyRequester, transition } from "./partnerships.transition";

/** The requester withdraws a request that the officer has not decided yet. */
export function cancelPartnership(deps: ServiceDeps, input: { id: string; actor: Principal; now: number }) {
  return transition(
    deps,
    {
      action: "cancel",
      from: ["requested", "accepted"],
      to: "cancelled",
      authorize: onlyRequester,
      set: () => ({}),
    },
    input,
  );
}
