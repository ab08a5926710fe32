import type { AuditActor } from "../../domain/party";
import type { ServiceDeps } from "../deps";
import { loadWritableRow, REGISTRY_ACTOR, writeUpdate } from "./businesses.shared";
import { type Business, toBusiness } from "./businesses.views";

/**
 * Takes a business out of matching (it no longer appears in, or gets, suggestions). Its key keeps
 * working so it can still read its profile. Idempotent; an officer reactivates it
 * (`reactivateBusiness`, or PATCH `active`).
 */
export async function deactivateBusiness(
  deps: ServiceDeps,
  input: { id: string; now: number; actor?: AuditActor },
): Promise<Business> {
  const current = await loadWritableRow(deps, input.id);
  if (!current.active) return toBusiness(current);
  return writeUpdate(deps, current, { active: false }, input.now, {
    actor: input.actor ?? REGISTRY_ACTOR,
    action: "deactivate",
  });
}

/**
 * Puts a deactivated business back into matching, audited as `reactivate` (officers). Idempotent:
 * an active business is returned unchanged and no audit row is written.
 */
export async function reactivateBusiness(
  deps: ServiceDeps,
  input: { id: string; now: number; actor: AuditActor },
): Promise<Business> {
  const current = await loadWritableRow(deps, input.id);
  if (current.active) return toBusiness(current);
  return writeUpdate(deps, current, { active: true }, input.now, {
    actor: input.actor,
    action: "reactivate",
  });
}
