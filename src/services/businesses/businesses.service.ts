import { and, eq, inArray, lt, notExists, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import {
  apiKeys,
  type BusinessRow,
  businesses,
  deletionRequests,
  type NewBusinessRow,
  sessions,
  signInTokens,
} from "../../../schema";
import type { Principal } from "../../auth/principal";
import { randomSecret, SIGN_UP_CONFIRM_TTL_MS, secretHash } from "../../auth/session";
import {
  type BusinessFields,
  type NormalisedBusinessFields,
  normaliseBusinessFields,
  REVIEWED_FIELDS,
  type ReviewedField,
  toMatchProfile,
} from "../../domain/business";
import {
  findKecamatan,
  findKelurahan,
  type LocationInput,
  type NormalisedLocation,
} from "../../domain/location";
import { type AuditActor, partyRef } from "../../domain/party";
import type { Mailer } from "../../email/mailer";
import { signUpConfirmationEmail } from "../../email/sign-in.template";
import { ApiError, notFound, validationError } from "../../errors";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { newId } from "../../lib/ids";
import { ANALYZER_VERSION, analyzeProfile } from "../../matching";
import { prepareApiKey } from "../accounts/api-keys.service";
import { actorOf, auditInsertIf } from "../audit/audit.queries";
import { runAfter, type ServiceDeps } from "../deps";
import { changesMatchingInputs } from "../matching/matching-inputs";
import { markSetsContainingStale } from "../matching/suggestions.queries";
import { refreshAfterWrite } from "../matching/suggestions.service";
import { notifyIf } from "../notifications/enqueue";
import {
  countBusinessRows,
  isNibUniqueViolation,
  type ListFilters,
  nibTaken,
  selectBusinessById,
  selectBusinessPage,
  selectNibHolder,
} from "./businesses.queries";
import { type Business, type BusinessStatus, toBusiness } from "./businesses.views";
import { bumpRevisionStatements } from "./registry.queries";

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
    whatsapp: f.whatsapp,
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
    matchInputsAt: input.now,
  };
}

function normaliseOrThrow(fields: BusinessFields): NormalisedBusinessFields {
  const result = normaliseBusinessFields(fields);
  if (!result.ok) throw validationError(result.errors);
  return result.value;
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
    alsoWrite: [key.statement, ...bumpRevisionStatements(deps.db, [id])],
  });
  await refreshAfterWrite(deps, { businessId: id, now: input.now });
  return { business, apiKey: key.created.plaintext };
}

export interface SignUpDeps extends ServiceDeps {
  mailer: Mailer;
}

/**
 * A business signs itself up: same fields and rules as an officer's create, but it lands
 * `unconfirmed` and gets no API key. Anyone may type any address, so nothing is done with the
 * sign-up until that address's owner uses the link emailed to it (`redeemSignInToken` then makes it
 * `pending_review`, for an officer to publish): until then officers do not review it, it holds no
 * NIB, it is never offered for sign-in, and after `SIGN_UP_CONFIRM_TTL_MS` it is deleted
 * (`purgeUnconfirmedSignUps`). The confirmation email carries none of the applicant's text
 * (src/email/sign-in.template.ts says why). The matcher never loads unpublished rows, so nothing
 * is rescored and the revision is not bumped.
 *
 * @param input.confirmUrl the absolute URL of the confirmation page; the token is appended.
 */
export async function signUpBusiness(
  deps: SignUpDeps,
  input: { fields: Omit<CreateBusinessInput, "active">; confirmUrl: string; now: number },
): Promise<Business> {
  const fields = normaliseOrThrow({ ...input.fields, active: true });
  // Only a business that holds the NIB answers 409: an unconfirmed sign-up with it does not.
  await assertNibFree(deps, fields.nib);
  const id = newId("biz_", input.now);
  const token = randomSecret();
  const business = await insertBusiness(deps, {
    id,
    fields,
    status: "unconfirmed",
    now: input.now,
    actor: { kind: "business", id },
    action: "sign_up",
    alsoWrite: [
      deps.db.insert(signInTokens).values({
        tokenHash: await secretHash(token),
        purpose: "confirm_sign_up",
        businessId: id,
        createdAt: input.now,
        expiresAt: input.now + SIGN_UP_CONFIRM_TTL_MS,
      }),
    ],
  });
  await runAfter(deps, "send sign-up confirmation", () =>
    deps.mailer.send({
      to: fields.email,
      ...signUpConfirmationEmail(fields.language, {
        link: `${input.confirmUrl}?token=${token}`,
        validHours: SIGN_UP_CONFIRM_TTL_MS / 3_600_000,
      }),
    }),
  );
  return business;
}

/** Sign-ups deleted per run: each is a few statements of one batch. */
const PURGE_LIMIT = 200;

/**
 * Deletes sign-ups never confirmed within `SIGN_UP_CONFIRM_TTL_MS`, with their confirmation links:
 * whoever typed the address did not own it, or gave up. Their sign-up audit rows stay (ids and
 * times only); an `expire` row records the deletion. A sign-up something else now points to (an
 * officer minted it a key, say) is left alone. Bounded per run; the daily job calls it.
 *
 * @returns how many were deleted, and whether more are due (run again).
 */
export async function purgeUnconfirmedSignUps(
  deps: ServiceDeps,
  input: { now: number },
): Promise<{ deleted: number; more: boolean }> {
  const due = await deps.db
    .select({ id: businesses.id })
    .from(businesses)
    .where(
      and(
        eq(businesses.status, "unconfirmed"),
        lt(businesses.createdAt, input.now - SIGN_UP_CONFIRM_TTL_MS),
        notExists(deps.db.select().from(apiKeys).where(eq(apiKeys.businessId, businesses.id))),
        notExists(deps.db.select().from(sessions).where(eq(sessions.businessId, businesses.id))),
        notExists(
          deps.db.select().from(deletionRequests).where(eq(deletionRequests.businessId, businesses.id)),
        ),
      ),
    )
    .orderBy(businesses.id)
    .limit(PURGE_LIMIT + 1);
  const ids = due.slice(0, PURGE_LIMIT).map((r) => r.id);
  if (ids.length === 0) return { deleted: 0, more: false };
  const statements: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]] = [
    deps.db.delete(signInTokens).where(inArray(signInTokens.businessId, ids)),
  ];
  for (const id of ids) {
    // Still unconfirmed when the batch runs: a confirmation that landed meanwhile wins.
    statements.push(
      deps.db.delete(businesses).where(and(eq(businesses.id, id), eq(businesses.status, "unconfirmed"))),
      auditInsertIf(
        deps.db,
        {
          at: input.now,
          actor: { kind: "system", id: "expire-sign-ups" },
          entityType: "business",
          entityId: id,
          action: "expire",
          fromState: "unconfirmed",
          toState: null,
        },
        wroteAt(),
      ),
    );
  }
  await deps.db.batch(statements);
  return { deleted: ids.length, more: due.length > PURGE_LIMIT };
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
 * An officer's decision on a confirmed, pending sign-up: `publish` makes it matchable (the registry revision
 * is bumped and its suggestions computed, as for a create); `reject` records the reason. The update
 * is conditional on `status = 'pending_review'`, so of two officers deciding at once one wins and
 * the other gets 409 `already_reviewed`.
 */
export async function reviewBusiness(
  deps: ServiceDeps,
  input: { id: string; decision: "publish" | "reject"; reason?: string; officerId: string; now: number },
): Promise<Business> {
  const current = await loadWritableRow(deps, input.id);
  if (current.status === "unconfirmed") {
    throw new ApiError(
      "not_confirmed",
      "Nobody has confirmed this sign-up from its email address yet; it is reviewed once they do.",
    );
  }
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
      matchInputsAt: Math.max(input.now, current.updatedAt + 1),
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
  // The owner is emailed the decision (the outbox row is conditional on the audit row: `changes()`).
  const notify = notifyIf(
    deps.db,
    {
      kind: publish ? "sign_up_published" : "sign_up_rejected",
      recipients: [partyRef("business", input.id)],
      subjectId: input.id,
      audit: { entityType: "business", entityId: input.id, action: input.decision },
      now: input.now,
    },
    wroteAt(),
  );
  const [updated] = publish
    ? await deps.db.batch([update, audit, ...notify, ...bumpRevisionStatements(deps.db, [input.id])])
    : await deps.db.batch([update, audit, ...notify]);
  const row = updated[0];
  if (!row) throw alreadyReviewed(null);
  if (publish) await refreshAfterWrite(deps, { businessId: row.id, now: input.now });
  return toBusiness(row);
}

function alreadyReviewed(status: BusinessStatus | null): ApiError {
  return new ApiError(
    "already_reviewed",
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
    throw new ApiError("already_deleted", "This business's personal data was erased.");
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

/**
 * An officer has looked at a published business's own changes (`changesToReview`): clears the
 * flag, audited with the fields acknowledged. Conditional on the row the officer's request read,
 * so a change made meanwhile is not acknowledged unseen (409 `concurrent_update`). Idempotent: a
 * business with nothing to acknowledge is returned unchanged.
 */
export async function acknowledgeChanges(
  deps: ServiceDeps,
  input: { id: string; officerId: string; now: number },
): Promise<Business> {
  const current = await loadWritableRow(deps, input.id);
  if (current.changesFlaggedAt === null) return toBusiness(current);
  const [updated] = await deps.db.batch([
    deps.db
      .update(businesses)
      .set({
        changesFlaggedAt: null,
        changedFields: null,
        updatedAt: Math.max(input.now, current.updatedAt + 1),
      })
      .where(and(eq(businesses.id, current.id), eq(businesses.updatedAt, current.updatedAt)))
      .returning(),
    auditInsertIf(
      deps.db,
      {
        at: input.now,
        actor: { kind: "officer", id: input.officerId },
        entityType: "business",
        entityId: current.id,
        action: "acknowledge_changes",
        fromState: current.status,
        toState: current.status,
        details: { fields: current.changedFields ?? [] },
      },
      wroteAt(),
    ),
  ]);
  const row = updated[0];
  if (!row) throw concurrentUpdate();
  return toBusiness(row);
}

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
  // Only a matching input moves the revision and touches stored sets (matching-inputs.ts).
  const matching = changesMatchingInputs(current, set);
  try {
    const [updated] = await deps.db.batch([
      deps.db
        .update(businesses)
        .set({ ...set, updatedAt, ...(matching ? { matchInputsAt: updatedAt } : {}) })
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
      // Sets that list this business now show an outdated row (or an inactive one): recompute
      // them on their next read or run. Harmless if the conditional update above lost the race.
      ...(matching
        ? [
            ...bumpRevisionStatements(deps.db, [current.id]),
            markSetsContainingStale(deps.db, current.id, now),
          ]
        : []),
    ]);
    const row = updated[0];
    if (!row) throw concurrentUpdate();
    if (matching) await refreshAfterWrite(deps, { businessId: row.id, now });
    return toBusiness(row);
  } catch (err) {
    if (typeof set.nib === "string" && isNibUniqueViolation(err)) throw nibTaken(set.nib);
    throw err;
  }
}

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

function concurrentUpdate(): ApiError {
  return new ApiError("concurrent_update", "The business changed meanwhile; retry.");
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

/**
 * Place filters as stored: a Kota Mojokerto kelurahan or kecamatan in either spelling ("Prajurit
 * Kulon", "prajuritkulon") becomes its official name; a kecamatan elsewhere is taken as given.
 *
 * @throws 422 for a kelurahan that is not one of Kota Mojokerto's.
 */
function placeFilters(filters: ListFilters): ListFilters {
  const out = { ...filters };
  if (filters.kelurahan !== undefined) {
    out.kelurahan = findKelurahan(filters.kelurahan)?.kelurahan;
    if (!out.kelurahan) {
      throw validationError([{ path: "kelurahan", message: "Unknown kelurahan." }], "Invalid request query.");
    }
  }
  if (filters.kecamatan !== undefined) {
    out.kecamatan = findKecamatan(filters.kecamatan) ?? filters.kecamatan.trim();
  }
  return out;
}

/** How many businesses match `filters` (every page; places as in `listBusinesses`). */
export async function countBusinesses(deps: ServiceDeps, input: { filters: ListFilters }): Promise<number> {
  const [row] = await countBusinessRows(deps.db, placeFilters(input.filters));
  return row?.n ?? 0;
}

/**
 * Keyset-paginated list in id (= creation) order. Kelurahan and kecamatan filters take either
 * spelling (see `placeFilters`).
 */
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
  const filters = placeFilters(input.filters);
  const rows = await selectBusinessPage(deps.db, filters, after, input.limit).all();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toBusiness),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.id) : null,
  };
}
