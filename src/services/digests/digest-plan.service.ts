import {
  digestOutbox,
  type StoredBusinessDigest,
  type StoredDigestContent,
  type StoredOfficerDigest,
} from "../../../schema";
import { DAY_MS } from "../../domain/calendar";
import type { Language } from "../../domain/language";
import { type PartyRef, partyRef } from "../../domain/party";
import { type Cadence, isEmptyDigest, type OfficerNumbers } from "../../email/digest.template";
import { newId } from "../../lib/ids";
import { servableAcross } from "../matching/shard-serving.service";
import { byStoredOrder } from "../matching/suggestions.queries";
import {
  type DigestDeps,
  NEW_SUGGESTION_MAX_RANK,
  periodKeys,
  SUGGESTIONS_PER_DIGEST,
} from "./digest-config";
import {
  type BusinessRecipientRow,
  type NewSuggestionRow,
  type OfficerRecipientRow,
  officerOverviewQueries,
  selectChanges,
  selectLastWindowEnd,
  selectNewAcrossRows,
  selectNewSuggestions,
  selectUnplannedBusinesses,
  selectUnplannedOfficers,
  selectWaitingRequests,
} from "./digests.queries";

/** Items listed per officer section; totals are always given. */
const OFFICER_LIST_LIMIT = 5;

/** An officer digest lists unanswered requests expiring within this many days. */
const EXPIRING_WITHIN_DAYS = 3;

function windowFor(cadence: Cadence, lastEnd: number | null | undefined, now: number) {
  const fallback = now - (cadence === "monthly" ? 30 : 7) * DAY_MS;
  return { start: lastEnd && lastEnd < now ? lastEnd : fallback, end: now };
}

/**
 * What a business's digest will list, as ids: names, messages and reasons are read when it is sent
 * (`loadDigestData`), so the outbox holds no one's personal data.
 */
async function businessDigest(
  deps: DigestDeps,
  r: BusinessRecipientRow,
  now: number,
): Promise<{ content: StoredBusinessDigest; window: Window; suggestionIds: string[] }> {
  const recipient = partyRef("business", r.id);
  const cadence: Cadence = r.cadence === "monthly" ? "monthly" : "weekly";
  const language: Language = r.prefLanguage ?? r.language ?? "id";
  const [last] = await selectLastWindowEnd(deps.db, recipient);
  const window = windowFor(cadence, last?.windowEnd, now);
  const [own, across, waiting, changes] = await Promise.all([
    selectNewSuggestions(deps.db, { businessId: r.id, maxRank: NEW_SUGGESTION_MAX_RANK }),
    newSuggestionsAcross(deps, r),
    selectWaitingRequests(deps.db, r.id),
    selectChanges(deps.db, { businessId: r.id, since: window.start, until: window.end }),
  ]);
  const fresh = [...own, ...across].sort(byStoredOrder);
  const shown = fresh.slice(0, SUGGESTIONS_PER_DIGEST);
  return {
    content: {
      kind: "business",
      language,
      cadence,
      newSuggestions: shown.map((s) => ({ candidateId: s.candidateId, score: s.score, pattern: s.pattern })),
      moreSuggestions: fresh.length - shown.length,
      waiting: waiting.map((w) => w.id),
      changes: changes.map((c) => c.id),
    },
    window,
    // Every new one counts as announced, listed or counted, so "and 4 more" are not announced again.
    suggestionIds: fresh.map((s) => s.candidateId),
  };
}

/**
 * One shard's deployment of a province: the new suggestions whose candidate is a neighbour shard's
 * business (stored here, profile there), under the same rules as this shard's own
 * (`servableAcross`: active, published, of the other sector). None elsewhere.
 */
async function newSuggestionsAcross(deps: DigestDeps, r: BusinessRecipientRow): Promise<NewSuggestionRow[]> {
  if ((deps.shard?.neighbours.length ?? 0) === 0) return [];
  const rows = await selectNewAcrossRows(deps.db, { businessId: r.id, maxRank: NEW_SUGGESTION_MAX_RANK });
  const there = await servableAcross(
    deps,
    rows.map((row) => row.candidateId),
    r.sector,
  );
  return rows.flatMap((row) => {
    const p = there.get(row.candidateId)?.profile;
    return p ? [{ ...row, name: p.name, sector: p.sector, kelurahan: p.kelurahan }] : [];
  });
}

/** What an officer's digest will list, as ids and counts (names are read when it is sent). */
async function officerDigest(
  deps: DigestDeps,
  r: OfficerRecipientRow,
  now: number,
): Promise<{ content: StoredOfficerDigest; window: Window }> {
  const cadence: Cadence = r.cadence === "monthly" ? "monthly" : "weekly";
  const [last] = await selectLastWindowEnd(deps.db, partyRef("officer", r.id));
  const window = windowFor(cadence, last?.windowEnd, now);
  const [signups, pairings, expiring, counts] = await Promise.all(
    officerOverviewQueries(deps.db, {
      since: window.start,
      until: window.end,
      expiringBefore: now + EXPIRING_WITHIN_DAYS * DAY_MS,
      listLimit: OFFICER_LIST_LIMIT,
    }),
  );
  const count = (entityType: string, action: string) =>
    counts.find((c) => c.entityType === entityType && c.action === action)?.n ?? 0;
  const numbers: OfficerNumbers = {
    // Sign-ups confirmed from their address: an unconfirmed one may be anyone's text.
    signups: count("business", "confirm_sign_up"),
    requests: count("partnership", "request"),
    accepted: count("partnership", "accept"),
    declined: count("partnership", "decline"),
    approved: count("partnership", "approve") + count("partnership", "create_pairing"),
    rejected: count("partnership", "reject"),
    expired: count("partnership", "expire"),
    ended: count("partnership", "end"),
  };
  const listed = (rows: { id: string; total: number }[]) => ({
    ids: rows.map((row) => row.id),
    total: rows[0]?.total ?? 0,
  });
  return {
    content: {
      kind: "officer",
      language: r.prefLanguage ?? "id",
      cadence,
      signups: listed(signups),
      pairings: listed(pairings),
      expiring: listed(expiring),
      numbers: { ...numbers },
    },
    window,
  };
}

type PlannedRow = typeof digestOutbox.$inferInsert;

type Window = { start: number; end: number };

function plannedRow(input: {
  recipient: PartyRef;
  period: string;
  now: number;
  content: StoredDigestContent;
  window: Window;
  suggestionIds: string[];
}): PlannedRow {
  const base = {
    id: newId("dgo_", input.now),
    recipient: input.recipient,
    period: input.period,
    windowStart: input.window.start,
    windowEnd: input.window.end,
    nextAttemptAt: input.now,
    createdAt: input.now,
  };
  if (isEmptyDigest(input.content)) return { ...base, status: "skipped" };
  return { ...base, status: "pending", content: input.content, suggestionIds: input.suggestionIds };
}

/**
 * Plans up to `limit` recipients of the current period: decides what each digest lists (as ids) and
 * writes its outbox row (`pending`, or `skipped` when there is nothing new) before anything is
 * sent. The unique (recipient, period) key makes a second or concurrent planning of the same
 * recipient a no-op. The message itself is rendered when it is sent.
 */
export async function planDigests(
  deps: DigestDeps,
  input: { now: number; limit: number },
): Promise<{ planned: number; skipped: number }> {
  const keys = periodKeys(input.now);
  const rows: PlannedRow[] = [];
  const businesses = await selectUnplannedBusinesses(deps.db, { keys, limit: input.limit });
  for (const b of businesses) {
    const recipient: PartyRef = partyRef("business", b.id);
    const { content, window, suggestionIds } = await businessDigest(deps, b, input.now);
    rows.push(
      plannedRow({
        recipient,
        period: b.cadence === "monthly" ? keys.monthly : keys.weekly,
        now: input.now,
        content,
        window,
        suggestionIds,
      }),
    );
  }
  const room = input.limit - businesses.length;
  if (room > 0) {
    for (const o of await selectUnplannedOfficers(deps.db, { keys, limit: room })) {
      const recipient: PartyRef = partyRef("officer", o.id);
      const { content, window } = await officerDigest(deps, o, input.now);
      rows.push(
        plannedRow({
          recipient,
          period: o.cadence === "monthly" ? keys.monthly : keys.weekly,
          now: input.now,
          content,
          window,
          suggestionIds: [],
        }),
      );
    }
  }
  const [first, ...rest] = rows.map((row) =>
    deps.db
      .insert(digestOutbox)
      .values(row)
      .onConflictDoNothing({ target: [digestOutbox.recipient, digestOutbox.period] })
      .returning({ status: digestOutbox.status }),
  );
  if (!first) return { planned: 0, skipped: 0 };
  const written = (await deps.db.batch([first, ...rest])).flat();
  return {
    planned: written.filter((w) => w.status === "pending").length,
    skipped: written.filter((w) => w.status === "skipped").length,
  };
}
