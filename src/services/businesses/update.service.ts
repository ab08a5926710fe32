import type { BusinessRow } from "../../../schema";
import type { Principal } from "../../auth/principal";
import {
  type BusinessFields,
  type NormalisedBusinessFields,
  REVIEWED_FIELDS,
  type ReviewedField,
} from "../../domain/business";
import type { LocationInput, NormalisedLocation } from "../../domain/location";
import { ApiError } from "../../errors";
import { actorOf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { type BusinessPatch, computeFeatures, fieldsToColumns } from "./business-columns";
import { assertNibFree, loadWritableRow, normaliseOrThrow, writeUpdate } from "./businesses.shared";
import { type Business, toBusiness } from "./businesses.views";

function rowToFields(row: BusinessRow): BusinessFields {
  const b = toBusiness(row);
  return {
    name: b.name,
    sector: b.sector,
    nib: b.nib,
    kbli: b.kbli,
    sizeClass: b.sizeClass,
    location: rowLocationInput(b.location),
    offers: b.offers,
    needs: b.needs,
    email: b.email,
    whatsapp: b.whatsapp,
    language: b.language,
    maxPartners: b.maxPartners,
    ekatalog: b.ekatalog,
    active: b.active,
  };
}

function rowLocationInput(l: NormalisedLocation): LocationInput {
  return l.kelurahan
    ? { kelurahan: l.kelurahan, lat: l.lat, lng: l.lng }
    : { city: l.city, lat: l.lat, lng: l.lng, ...(l.kecamatan ? { kecamatan: l.kecamatan } : {}) };
}

/**
 * Applies a partial update. A business may edit its own profile but not its `active` flag (that is
 * an officer's decision; a business asking to leave is handled by an officer). The update is
 * conditional on `updatedAt` so two concurrent edits cannot silently overwrite each other (409).
 */
export async function updateBusiness(
  deps: ServiceDeps,
  input: { id: string; patch: BusinessPatch; actor: Principal; now: number },
): Promise<Business> {
  if (input.actor.kind === "business" && input.patch.active !== undefined) {
    throw new ApiError("forbidden_field", "Only an officer may change `active`.");
  }
  const current = await loadWritableRow(deps, input.id);
  const merged: BusinessFields = { ...rowToFields(current), ...withoutUndefined(input.patch) };
  const fields = normaliseOrThrow(merged);
  if (fields.nib !== current.nib) await assertNibFree(deps, fields.nib, input.id);
  const changed = Object.keys(withoutUndefined(input.patch)).sort();
  const toReview = input.actor.kind === "business" ? changesToReview(current, fields) : [];
  return writeUpdate(
    deps,
    current,
    {
      ...fieldsToColumns(fields),
      matchFeatures: computeFeatures(input.id, fields),
      ...(toReview.length > 0 ? { changesFlaggedAt: input.now, changedFields: toReview } : {}),
    },
    input.now,
    {
      actor: actorOf(input.actor),
      action: "update",
      details: toReview.length > 0 ? { fields: changed, flaggedForReview: toReview } : { fields: changed },
    },
  );
}

/**
 * The reviewed fields a business's own edit really changes on a published profile, merged with
 * those already waiting for acknowledgement (sorted); empty when nothing new needs a look.
 */
function changesToReview(current: BusinessRow, next: NormalisedBusinessFields): ReviewedField[] {
  if (current.status !== "published") return [];
  const changed = REVIEWED_FIELDS.filter((f) => next[f] !== current[f]);
  if (changed.length === 0) return [];
  return [...new Set([...(current.changedFields ?? []), ...changed])].sort();
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
