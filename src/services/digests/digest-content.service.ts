import type { StoredBusinessDigest, StoredDigestContent, StoredOfficerDigest } from "../../../schema";
import {
  type BusinessDigestData,
  type DigestData,
  type DigestLinks,
  isEmptyDigest,
  type OfficerDigestData,
} from "../../email/digest.template";
import { renderReasons } from "../../matching";
import type { ServiceDeps } from "../deps";
import { neighbourNames } from "../matching/shard-serving.service";
import {
  selectBusinessRecipient,
  selectChangeItems,
  selectOfficerRecipient,
  selectPairItems,
  selectSignupItems,
  selectStoredReasons,
  selectSuggestionItems,
  selectWaitingItems,
} from "./digests.queries";

/**
 * Send time: a planned digest's stored content (ids and numbers) becomes the digest's data, read
 * from the rows as they are now. The outbox never holds a name, address, message or reason, so an
 * erasure has nothing to chase there: a business erased after planning drops out of everyone's
 * pending digests (its items are left out), and sent digests kept only metadata all along.
 */

/** Items by id in the stored order; ids whose row is gone or erased are left out. */
function inOrder<K, T>(ids: readonly K[], rows: readonly T[], key: (row: T) => K, keep: (row: T) => boolean) {
  const byId = new Map(rows.map((r) => [key(r), r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row && keep(row) ? [row] : [];
  });
}

/** The row's window (epoch ms, shown in the intro) and the links of the message. */
interface Frame {
  window: { start: number; end: number };
  links: DigestLinks;
}

/** An officer's reason recorded with the change (already removed if the business was erased). */
function reasonOf(details: Record<string, unknown> | null): string | null {
  return typeof details?.reason === "string" ? details.reason : null;
}

/**
 * One shard's deployment of a province: the listed candidates a neighbour shard holds, as
 * `selectSuggestionItems` gives this shard's own (name, sector and kelurahan from there as they are
 * now; the reasons from the recipient's stored list here, null once it no longer has them).
 */
async function candidatesAcross(deps: ServiceDeps, businessId: string, ids: string[]) {
  if (ids.length === 0 || (deps.shard?.neighbours.length ?? 0) === 0) return [];
  const [there, reasons] = await Promise.all([
    neighbourNames(deps, ids),
    selectStoredReasons(deps.db, { businessId, candidateIds: ids }),
  ]);
  const reasonsOf = new Map(reasons.map((r) => [r.candidateId, r.reasons]));
  return [...there].map(([candidateId, b]) => ({
    candidateId,
    name: b.name,
    sector: b.sector,
    kelurahan: b.kelurahan,
    deletedAt: null,
    reasons: reasonsOf.get(candidateId) ?? null,
  }));
}

async function businessData(
  deps: ServiceDeps,
  businessId: string,
  content: StoredBusinessDigest,
  frame: Frame,
): Promise<{ to: string; data: BusinessDigestData } | null> {
  const { db } = deps;
  const candidateIds = content.newSuggestions.map((s) => s.candidateId);
  // One batch: one round trip (and one subrequest) per digest sent.
  const [[me], candidates, waiting, changes] = await db.batch([
    selectBusinessRecipient(db, businessId),
    selectSuggestionItems(db, { businessId, candidateIds }),
    selectWaitingItems(db, content.waiting),
    selectChangeItems(db, { businessId, auditIds: content.changes }),
  ]);
  if (!me?.active || me.deletedAt !== null) return null;
  const live = new Map(candidates.filter((c) => c.deletedAt === null).map((c) => [c.candidateId, c]));
  const here = new Set(candidates.map((c) => c.candidateId));
  for (const c of await candidatesAcross(
    deps,
    businessId,
    candidateIds.filter((id) => !here.has(id)),
  )) {
    live.set(c.candidateId, c);
  }
  const en = content.language === "en";
  return {
    to: me.email,
    data: {
      kind: "business",
      language: content.language,
      cadence: content.cadence,
      businessName: me.name,
      windowStart: frame.window.start,
      windowEnd: frame.window.end,
      newSuggestions: content.newSuggestions.flatMap((s) => {
        const c = live.get(s.candidateId);
        if (!c) return [];
        const reasons = renderReasons(c.reasons, en ? "en" : "id");
        return [
          {
            name: c.name,
            sector: c.sector,
            kelurahan: c.kelurahan,
            score: s.score,
            pattern: s.pattern,
            reasons,
          },
        ];
      }),
      moreSuggestions: content.moreSuggestions,
      waiting: inOrder(
        content.waiting,
        waiting,
        (w) => w.id,
        (w) => w.requesterDeletedAt === null,
      ).map((w) => ({
        requesterName: w.requesterName,
        pattern: w.pattern,
        message: w.message,
        expiresAt: w.expiresAt,
      })),
      changes: inOrder(
        content.changes,
        changes,
        (c) => c.id,
        (c) => c.otherDeletedAt === null,
      ).map((c) => ({
        partnerName: c.otherName,
        action: c.action,
        toState: c.toState,
        at: c.at,
        reason: reasonOf(c.details),
      })),
      links: frame.links,
    },
  };
}

/** A listed section, without the items that are gone; the total drops by as many. */
function section<T>(listed: { ids: string[]; total: number }, items: T[]): { items: T[]; total: number } {
  return { items, total: Math.max(items.length, listed.total - (listed.ids.length - items.length)) };
}

async function officerData(
  deps: ServiceDeps,
  officerId: string,
  content: StoredOfficerDigest,
  frame: Frame,
): Promise<{ to: string; data: OfficerDigestData } | null> {
  const { db } = deps;
  const [[me], signupRows, pairingRows, expiringRows] = await db.batch([
    selectOfficerRecipient(db, officerId),
    selectSignupItems(db, content.signups.ids),
    selectPairItems(db, content.pairings.ids),
    selectPairItems(db, content.expiring.ids),
  ]);
  if (!me?.active) return null;
  const signups = section(
    content.signups,
    inOrder(
      content.signups.ids,
      signupRows,
      (s) => s.id,
      (s) => s.deletedAt === null,
    ).map((s) => s.name),
  );
  const pairings = section(
    content.pairings,
    inOrder(
      content.pairings.ids,
      pairingRows,
      (p) => p.id,
      (p) => !p.erased,
    ).map((p) => ({ requesterName: p.requesterName, partnerName: p.partnerName, pattern: p.pattern })),
  );
  const expiring = section(
    content.expiring,
    inOrder(
      content.expiring.ids,
      expiringRows,
      (p) => p.id,
      (p) => !p.erased && p.expiresAt !== null,
    ).map((p) => ({
      requesterName: p.requesterName,
      partnerName: p.partnerName,
      expiresAt: p.expiresAt ?? 0,
    })),
  );
  const n = content.numbers;
  return {
    to: me.email,
    data: {
      kind: "officer",
      language: content.language,
      cadence: content.cadence,
      windowStart: frame.window.start,
      windowEnd: frame.window.end,
      signups: { names: signups.items, total: signups.total },
      pairings,
      expiring,
      numbers: {
        signups: n.signups ?? 0,
        requests: n.requests ?? 0,
        accepted: n.accepted ?? 0,
        declined: n.declined ?? 0,
        approved: n.approved ?? 0,
        rejected: n.rejected ?? 0,
        expired: n.expired ?? 0,
        ended: n.ended ?? 0,
      },
      links: frame.links,
    },
  };
}

/**
 * The data of a planned digest as of now, and the address to send it to; null when there is
 * nothing to send any more: the recipient is gone, inactive or erased, or every item it listed
 * was about a business erased since (the outbox then records the period as skipped).
 *
 * @param input.recipient the outbox row's recipient, parsed
 * @param input.window the row's window, shown in the intro
 */
export async function loadDigestData(
  deps: ServiceDeps,
  input: { recipient: { kind: "business" | "officer"; id: string }; content: StoredDigestContent } & Frame,
): Promise<{ to: string; data: DigestData } | null> {
  const { recipient, content } = input;
  const loaded =
    recipient.kind === "business" && content.kind === "business"
      ? await businessData(deps, recipient.id, content, input)
      : recipient.kind === "officer" && content.kind === "officer"
        ? await officerData(deps, recipient.id, content, input)
        : null;
  return loaded && !isEmptyDigest(loaded.data) ? loaded : null;
}
