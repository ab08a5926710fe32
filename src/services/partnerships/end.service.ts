import type { Principal } from "../../auth/principal";
import type { PartnershipOutcome } from "../../domain/partnership";
import type { ServiceDeps } from "../deps";
import { transition } from "./partnerships.transition";

/**
 * Either side or an officer ends an active partnership with an outcome (did not take place /
 * insufficient interest / useful but no cooperation / cooperation started): the signal the engine
 * will learn from.
 */
export function endPartnership(
  deps: ServiceDeps,
  input: {
    id: string;
    actor: Principal;
    outcome: PartnershipOutcome;
    note?: string | undefined;
    now: number;
  },
) {
  return transition(
    deps,
    {
      action: "end",
      from: ["active"],
      to: "ended",
      authorize: () => {},
      set: ({ now, by }) => ({
        endedAt: now,
        endedBy: by,
        outcome: input.outcome,
        outcomeNote: input.note ?? null,
      }),
    },
    { ...input, details: { outcome: input.outcome } },
  );
}
