import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type BusinessRow, businesses, type NewBusinessRow } from "../../schema";
import type { Principal } from "../auth/principal";
import {
  type BusinessFields,
  type KbliCode,
  type NormalisedBusinessFields,
  normaliseBusinessFields,
  type Sector,
  type SizeClass,
  toMatchProfile,
} from "../domain/business";
import type { Language } from "../domain/language";
import type { LocationInput, NormalisedLocation } from "../domain/location";
import { type AuditActor, partyRef } from "../domain/party";
import { ApiError, notFound, validationError } from "../errors";
import { newId } from "../lib/ids";
import { ANALYZER_VERSION, analyzeProfile } from "../matching";
import { prepareApiKey } from "./api-keys.service";
import { actorOf, auditInsertIf } from "./audit.queries";
import {
  type ListFilters,
  selectBusinessById,
  selectBusinessPage,
  selectNibHolder,
} from "./businesses.queries";
import type { ServiceDeps } from "./deps";
import { bumpRevisionStatements } from "./registry.queries";
import { markSetsContainingStale } from "./suggestions.queries";
import { refreshAfterWrite } from "./suggestions.service";

/** A business as the API shows it to officers and to itself. Times are ISO 8601. */
export interface Business {
  id: string;
  name: string;
  sector: Sector;
  nib: string | null;
  kbli: KbliCode[];
  sizeClass: SizeClass;
  location: NormalisedLocation;
  offers: string;
  needs: string;
  email: string;
  language: Language;
  maxPartners: number;
  ekatalog: { listed: boolean; url: string | null };
  active: boolean;
  status: BusinessStatus;
  /** Set when `status` is `rejected`. */
  rejectionReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export type BusinessStatus = BusinessRow["status"];

/** What other businesses may see (in suggestions): no contact email, capacity or internal state. */
export type PublicProfile = Pick<
  Business,
  "id" | "name" | "sector" | "nib" | "kbli" | "sizeClass" | "location" | "offers" | "needs" | "ekatalog"
>;

export function toBusiness(row: BusinessRow): Business {
  return {
    ...toPublicProfile(row),
    email: row.email,
    language: row.language,
    maxPartners: row.maxPartners,
    active: row.active,
    status: row.status,
    rejectionReason: row.rejectionReason,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** The columns a public profile is made of (a full row, or just these from a join). */
export type PublicProfileRow = Pick<
  BusinessRow,
  | "id"
  | "name"
  | "sector"
  | "nib"
  | "kbli"
  | "sizeClass"
  | "kelurahan"
  | "kecamatan"
  | "city"
  | "regionCode"
  | "lat"
  | "lng"
  | "offers"
  | "needs"
  | "ekatalogListed"
  | "ekatalogUrl"
>;

export function toPublicProfile(row: PublicProfileRow): PublicProfile {
  return {
    id: row.id,
    name: row.name,
    sector: row.sector,
    nib: row.nib,
    kbli: row.kbli,
    sizeClass: row.sizeClass,
    location: {
      kelurahan: row.kelurahan,
      kecamatan: row.kecamatan,
      city: row.city,
      regionCode: row.regionCode,
      lat: row.lat,
      lng: row.lng,
    },
    offers: row.offers,
    needs: row.needs,
    ekatalog: { listed: row.ekatalogListed, url: row.ekatalogUrl },
  };
}

/** Fields a create accepts; defaults are applied by the API schema (language id, maxPartners 3, ...). */
export type CreateBusinessInput = BusinessFields;

/** A partial update: absent fields are kept; `location`, `kbli` and `ekatalog` are replaced whole. */
export type BusinessPatch = Partial<BusinessFields>;

/** Storage columns for normalised fields (shared with the demo seed so its rows match the API's). */
export function fieldsToColumns(f: NormalisedBusinessFields) {
  return {
    name: f.name,
    sector: f.sector,
    nib: f.nib,
    kbli: f.kbli,
    sizeClass: f.sizeClass,
    kelurahan: f.location.kelurahan,
    kecamatan: f.location.kecamatan,
    city: f.location.city,
    regionCode: f.location.regionCode,
    lat: f.location.lat,
    lng: f.location.lng,
    offers: f.offers,
    needs: f.needs,
    email: f.email,
    language: f.language,
    maxPartners: f.maxPartners,
    ekatalogListed: f.ekatalog.listed,
    ekatalogUrl: f.ekatalog.url,
    active: f.active,
  } satisfies Partial<NewBusinessRow>;
}

/**
 * The matcher's precomputed features. A failing analyzer must not block a registry write: the
 * matcher falls back to analysing the profile itself when `matchFeatures` is null.
 */
function computeFeatures(id: string, f: NormalisedBusinessFields): unknown {
  try {
    return analyzeProfile(toMatchProfile(id, f));
  } catch (err) {
    console.error(
      JSON.stringify({
        level: "error",
        msg: "analyzeProfile failed",
        businessId: id,
        analyzer: ANALYZER_VERSION,
        err: String(err),
      }),
    );
    return null;
  }
}

/**
 * The row a new business is stored as (columns, review state, match features, times): shared by
 * create, sign-up and the CSV import so every path stores the same thing.
 */
export function newBusinessRow(input: {
  id: string;
  fields: NormalisedBusinessFields;
  status: BusinessStatus;
  now: number;
}): NewBusinessRow {
  return {
    id: input.id,
    ...fieldsToColumns(input.fields),
    status: input.status,
    matchFeatures: computeFeatures(input.id, input.fields),
    createdAt: input.now,
    updatedAt: input.now,
  };
}

function normaliseOrThrow(fields: BusinessFields): NormalisedBusinessFields {
  const result = normaliseBusinessFields(fields);
  if (!result.ok) throw validationError(result.errors);
  return result.value;
}

function nibTaken(nib: string): ApiError {
  return new ApiError(409, "nib_taken", "NIB already registered", `Another business already has NIB ${nib}.`);
}

/** D1 reports unique violations only in the message text. */
export function isNibUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (/UNIQUE constraint failed: businesses\.nib/.test(e.message)) return true;
  }
  return false;
}

async function assertNibFree(deps: ServiceDeps, nib: string | null, exceptId?: string): Promise<void> {
  if (nib === null) return;
  const holder = await selectNibHolder(deps.db, nib, exceptId).get();
  if (holder) throw nibTaken(nib);
}

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
    alsoWrite: [key.statement, ...bumpRevisionStatements(deps.db)],
  });
  await refreshAfterWrite(deps, { businessId: id, now: input.now });
  return { business, apiKey: key.created.plaintext };
}

/**
 * A business signs itself up: same fields and rules as an officer's create, but it lands as
 * `pending_review`, inactive for matching until an officer publishes it, and gets no API key (the
 * owner signs in by email link; an officer or the business can mint keys for integrations later).
 * The matcher never loads unpublished rows, so nothing is rescored and the revision is not bumped.
 */
export async function signUpBusiness(
  deps: ServiceDeps,
  input: { fields: Omit<CreateBusinessInput, "active">; now: number },
): Promise<Business> {
  const fields = normaliseOrThrow({ ...input.fields, active: true });
  await assertNibFree(deps, fields.nib);
  const id = newId("biz_", input.now);
  return insertBusiness(deps, {
    id,
    fields,
    status: "pending_review",
    now: input.now,
    actor: { kind: "business", id },
    action: "sign_up",
    alsoWrite: [],
  });
}

async function insertBusiness(
  deps: ServiceDeps,
  input: {
    id: string;
    fields: NormalisedBusinessFields;
    status: BusinessStatus;
    now: number;
    actor: AuditActor;
    action: string;
    alsoWrite: BatchItem<"sqlite">[];
  },
): Promise<Business> {
  const { id, fields } = input;
  const audit = auditInsertIf(
    deps.db,
    {
      at: input.now,
      actor: input.actor,
      entityType: "business",
      entityId: id,
      action: input.action,
      fromState: null,
      toState: input.status,
    },
    sql`1`,
  );
  const row = newBusinessRow({ id, fields, status: input.status, now: input.now });
  try {
    const [inserted] = await deps.db.batch([
      deps.db.insert(businesses).values(row).returning(),
      audit,
      ...input.alsoWrite,
    ]);
    const business = inserted[0];
    if (!business) throw new Error("insert returned no row");
    return toBusiness(business);
  } catch (err) {
    if (fields.nib !== null && isNibUniqueViolation(err)) throw nibTaken(fields.nib);
    throw err;
  }
}

/**
 * An officer's decision on a pending sign-up: `publish` makes it matchable (the registry revision
 * is bumped and its suggestions computed, as for a create); `reject` records the reason. The update
 * is conditional on `status = 'pending_review'`, so of two officers deciding at once one wins and
 * the other gets 409 `already_reviewed`.
 */
export async function reviewBusiness(
  deps: ServiceDeps,
  input: { id: string; decision: "publish" | "reject"; reason?: string; officerId: string; now: number },
): Promise<Business> {
  const current = await loadWritableRow(deps, input.id);
  if (current.status !== "pending_review") throw alreadyReviewed(current.status);
  const publish = input.decision === "publish";
  const update = deps.db
    .update(businesses)
    .set({
      status: publish ? "published" : "rejected",
      rejectionReason: publish ? null : (input.reason ?? null),
      reviewedAt: input.now,
      reviewedBy: partyRef("officer", input.officerId),
      updatedAt: Math.max(input.now, current.updatedAt + 1),
    })
    .where(and(eq(businesses.id, input.id), eq(businesses.status, "pending_review")))
    .returning();
  const audit = auditInsertIf(
    deps.db,
    {
      at: input.now,
      actor: { kind: "officer", id: input.officerId },
      entityType: "business",
      entityId: input.id,
      action: input.decision,
      fromState: "pending_review",
      toState: publish ? "published" : "rejected",
      details: publish ? null : { reason: input.reason ?? null },
    },
    wroteAt(),
  );
  const [updated] = publish
    ? await deps.db.batch([update, audit, ...bumpRevisionStatements(deps.db)])
    : await deps.db.batch([update, audit]);
  const row = updated[0];
  if (!row) throw alreadyReviewed(null);
  if (publish) await refreshAfterWrite(deps, { businessId: row.id, now: input.now });
  return toBusiness(row);
}

function alreadyReviewed(status: BusinessStatus | null): ApiError {
  return new ApiError(
    409,
    "already_reviewed",
    "Already reviewed",
    status ? `The business is already ${status}.` : "Another officer decided meanwhile.",
  );
}

async function loadRow(deps: ServiceDeps, id: string): Promise<BusinessRow> {
  const row = await selectBusinessById(deps.db, id).get();
  if (!row) throw notFound("Business");
  return row;
}

/** A business whose personal data was erased stays as an anonymised record: it is not edited. */
async function loadWritableRow(deps: ServiceDeps, id: string): Promise<BusinessRow> {
  const row = await loadRow(deps, id);
  if (row.deletedAt !== null) {
    throw new ApiError(
      409,
      "already_deleted",
      "Already deleted",
      "This business's personal data was erased.",
    );
  }
  return row;
}

export async function getBusiness(deps: ServiceDeps, input: { id: string }): Promise<Business> {
  return toBusiness(await loadRow(deps, input.id));
}

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
    throw new ApiError(403, "forbidden_field", "Forbidden", "Only an officer may change `active`.");
  }
  const current = await loadWritableRow(deps, input.id);
  const merged: BusinessFields = { ...rowToFields(current), ...withoutUndefined(input.patch) };
  const fields = normaliseOrThrow(merged);
  if (fields.nib !== current.nib) await assertNibFree(deps, fields.nib, input.id);
  const changed = Object.keys(withoutUndefined(input.patch)).sort();
  return writeUpdate(
    deps,
    current,
    { ...fieldsToColumns(fields), matchFeatures: computeFeatures(input.id, fields) },
    input.now,
    { actor: actorOf(input.actor), action: "update", details: { fields: changed } },
  );
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function writeUpdate(
  deps: ServiceDeps,
  current: BusinessRow,
  set: Partial<NewBusinessRow>,
  now: number,
  audit: { actor: AuditActor; action: string; details?: Record<string, unknown> },
): Promise<Business> {
  // Strictly increasing, so the optimistic check below can tell two writes in the same ms apart.
  const updatedAt = Math.max(now, current.updatedAt + 1);
  const state = (active: boolean | undefined, fallback: boolean) =>
    (active ?? fallback) ? "active" : "inactive";
  try {
    const [updated] = await deps.db.batch([
      deps.db
        .update(businesses)
        .set({ ...set, updatedAt })
        .where(and(eq(businesses.id, current.id), eq(businesses.updatedAt, current.updatedAt)))
        .returning(),
      auditInsertIf(
        deps.db,
        {
          at: now,
          actor: audit.actor,
          entityType: "business",
          entityId: current.id,
          action: audit.action,
          fromState: state(current.active, current.active),
          toState: state(set.active, current.active),
          details: audit.details ?? null,
        },
        wroteAt(),
      ),
      ...bumpRevisionStatements(deps.db),
      // Sets that list this business now show an outdated row (or an inactive one): recompute
      // them on their next read or run. Harmless if the conditional update above lost the race.
      markSetsContainingStale(deps.db, current.id, now),
    ]);
    const row = updated[0];
    if (!row) {
      throw new ApiError(
        409,
        "concurrent_update",
        "Concurrent update",
        "The business changed meanwhile; retry.",
      );
    }
    await refreshAfterWrite(deps, { businessId: row.id, now });
    return toBusiness(row);
  } catch (err) {
    if (typeof set.nib === "string" && isNibUniqueViolation(err)) throw nibTaken(set.nib);
    throw err;
  }
}

/**
 * Takes a business out of matching (it no longer appears in, or gets, suggestions). Its key keeps
 * working so it can still read its profile. Idempotent; an officer reactivates with PATCH.
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

/** Who a change is attributed to when a caller (a script, a test) names nobody. */
const REGISTRY_ACTOR: AuditActor = { kind: "system", id: "registry" };

/**
 * True in a batch exactly when the statement just before it changed a row: the audit insert goes
 * right after the conditional business write it records, so a write that lost its race (two
 * edits can compute the same updatedAt) leaves no audit row.
 */
function wroteAt() {
  return sql`changes() = 1`;
}

export interface ListBusinessesInput {
  filters: ListFilters;
  limit: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | undefined;
}

export function encodeCursor(lastId: string): string {
  return btoa(lastId).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(cursor: string): string | null {
  try {
    const id = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    return /^[\x21-\x7e]{1,100}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

/** Keyset-paginated list in id (= creation) order. */
export async function listBusinesses(
  deps: ServiceDeps,
  input: ListBusinessesInput,
): Promise<{ items: Business[]; nextCursor: string | null }> {
  let after: string | null = null;
  if (input.cursor !== undefined) {
    after = decodeCursor(input.cursor);
    if (after === null)
      throw validationError([{ path: "cursor", message: "Invalid cursor." }], "Invalid request query.");
  }
  const rows = await selectBusinessPage(deps.db, input.filters, after, input.limit).all();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toBusiness),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.id) : null,
  };
}
