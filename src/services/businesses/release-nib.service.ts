import type { ServiceDeps } from "../deps";
import { loadWritableRow, writeUpdate } from "./businesses.shared";
import { type Business, toBusiness } from "./businesses.views";

/**
 * Releases a business's NIB (officers): a sign-up holding someone else's real NIB, or a record
 * that should not keep one, no longer blocks its rightful holder. The NIB and the reason are in
 * the audit row. Idempotent: a business without a NIB is returned unchanged.
 */
export async function releaseNib(
  deps: ServiceDeps,
  input: { id: string; reason: string; officerId: string; now: number },
): Promise<Business> {
  const current = await loadWritableRow(deps, input.id);
  if (current.nib === null) return toBusiness(current);
  return writeUpdate(deps, current, { nib: null }, input.now, {
    actor: { kind: "officer", id: input.officerId },
    action: "release_nib",
    details: { nib: current.nib, reason: input.reason },
  });
}
