import type { AuditActor } from "../../domain/party";
import { newId } from "../../lib/ids";
import { prepareApiKey } from "../accounts/api-keys.service";
import type { ServiceDeps } from "../deps";
import { refreshAfterWrite } from "../matching/suggestions.service";
import type { CreateBusinessInput } from "./business-columns";
import { assertNibFree, insertBusiness, normaliseOrThrow, REGISTRY_ACTOR } from "./businesses.shared";
import type { Business } from "./businesses.views";
import { bumpRevisionStatements } from "./registry.queries";

/**
 * Registers a business and mints its API key, all in one batch with the registry revision bump:
 * either everything is written or nothing is. Its suggestions are then computed and stored (after
 * the response when the caller can defer), and its likely neighbours' sets marked stale.
 * Officer-created businesses are `published` at once.
 *
 * @returns the business and its API key in plaintext (shown once, only its hash is stored).
 */
export async function createBusiness(
  deps: ServiceDeps,
  input: { fields: CreateBusinessInput; now: number; actor?: AuditActor },
): Promise<{ business: Business; apiKey: string }> {
  const fields = normaliseOrThrow(input.fields);
  await assertNibFree(deps, fields.nib);
  const id = newId("biz_", input.now);
  const key = await prepareApiKey(deps, {
    kind: "business",
    businessId: id,
    label: fields.name,
    now: input.now,
  });
  const business = await insertBusiness(deps, {
    id,
    fields,
    status: "published",
    now: input.now,
    actor: input.actor ?? REGISTRY_ACTOR,
    action: "create",
    alsoWrite: [key.statement, ...bumpRevisionStatements(deps.db, [id])],
  });
  await refreshAfterWrite(deps, { businessId: id, now: input.now });
  return { business, apiKey: key.created.plaintext };
}
