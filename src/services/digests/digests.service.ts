import { and, eq, sql } from "drizzle-orm";
import {
  type DigestOutboxRow,
  digestOutbox,
  digestPreferences,
  officers,
  type StoredBusinessDigest,
  type StoredDigestContent,
  type StoredOfficerDigest,
} from "../../../schema";
import { DAY_MS, isoWeekKey, monthKey } from "../../domain/calendar";
import type { Language } from "../../domain/language";
import { type PartyRef, parsePartyRef, partyRef } from "../../domain/party";
import { type Cadence, isEmptyDigest, type OfficerNumbers, renderDigest } from "../../email/digest.template";
import type { EmailMessage, Mailer } from "../../email/mailer";
import { ApiError, notFound } from "../../errors";
import { newId, randomToken } from "../../lib/ids";
import { sign, verify } from "../../lib/signing";
import type { ServiceDeps } from "../deps";
import { loadDigestData } from "./digest-content.service";
import {
  type BusinessRecipientRow,
  claimDueStatement,
  countUnplanned,
  type OfficerRecipientRow,
  officerOverviewQueries,
  selectChanges,
  selectLastWindowEnd,
  selectNewSuggestions,
  selectOutboxBacklog,
  selectUnplannedBusinesses,
  selectUnplannedOfficers,
  selectWaitingRequests,
} from "./digests.queries";

/** New suggestions listed by name in one digest; the rest are counted ("and 4 more"). */
export const SUGGESTIONS_PER_DIGEST = 5;
/**
 * Only the best stored suggestions count as news (a first digest would otherwise announce all 50 the
 * API can serve); one that climbs into this range later is announced then.
 */
export const NEW_SUGGESTION_MAX_RANK = 10;
/** Items listed per officer section; totals are always given. */
const OFFICER_LIST_LIMIT = 5;
/** An officer digest lists unanswered requests expiring within this many days. */
const EXPIRING_WITHIN_DAYS = 3;
/** A claimed row whose sender vanished is taken over after this long. */
export const LEASE_MS = 15 * 60 * 1000;
/** Send attempts per digest before it is marked `failed`. */
export const MAX_ATTEMPTS = 5;
/** Default recipients planned and digests sent per invocation (DIGEST_CHUNK_SIZE overrides). */
export const DEFAULT_DIGEST_CHUNK = 25;

/** Wait after the n-th failed attempt: 1 min, 5 min, 30 min, 2 h. */
export function digestBackoffMs(attempts: number): number {
  const steps = [60_000, 5 * 60_000, 30 * 60_000, 2 * 60 * 60_000];
  return steps[Math.min(Math.max(attempts, 1), steps.length) - 1] ?? steps[0] ?? 60_000;
}

export interface DigestConfig {
  /** Public origin of links in emails, without a trailing slash. */
  baseUrl: string;
  /** HMAC key of unsubscribe links. */
  signingKey: string;
  /** Recipients planned, and digests sent, per invocation. */
  chunkSize: number;
}

export function parseDigestConfig(env: {
  PUBLIC_BASE_URL?: string | undefined;
  DIGEST_SIGNING_KEY?: string | undefined;
  DIGEST_CHUNK_SIZE?: string | undefined;
}): DigestConfig {
  const n = Number(env.DIGEST_CHUNK_SIZE);
  return {
    baseUrl: (env.PUBLIC_BASE_URL || "http://127.0.0.1:8787").replace(/\/+$/, ""),
    signingKey: env.DIGEST_SIGNING_KEY ?? "",
    chunkSize: Number.isInteger(n) && n > 0 ? n : DEFAULT_DIGEST_CHUNK,
  };
}

export interface DigestDeps extends ServiceDeps {
  mailer: Mailer;
  config: DigestConfig;
}

/**
 * The periods `now` falls in, by the Asia/Jakarta calendar: the ISO week ("2026-W49", for weekly
 * recipients) and the month ("2026-12", for monthly ones, whose digest goes out with the first
 * weekly run of the month).
 */
export function periodKeys(now: number): { weekly: string; monthly: string } {
  return { weekly: isoWeekKey(now), monthly: monthKey(now) };
}

const UNSUBSCRIBE_PURPOSE = "digest-unsubscribe";

/** The signed one-click unsubscribe URL of a recipient (no expiry: old digests keep working). */
export async function unsubscribeUrl(config: DigestConfig, recipient: PartyRef): Promise<string> {
  const sig = await sign(config.signingKey, UNSUBSCRIBE_PURPOSE, recipient);
  const query = new URLSearchParams({ r: recipient, sig });
  return `${config.baseUrl}/v1/digests/unsubscribe?${query}`;
}

/** Checks an unsubscribe link's signature; 403 `invalid_signature` when it does not verify. */
export async function verifyUnsubscribe(
  config: DigestConfig,
  input: { recipient: string; signature: string },
): Promise<PartyRef> {
  const ok =
    config.signingKey !== "" &&
    parsePartyRef(input.recipient) !== null &&
    (await verify(config.signingKey, UNSUBSCRIBE_PURPOSE, input.recipient, input.signature));
  if (!ok) {
    throw new ApiError(
      "invalid_signature",
      "This unsubscribe link is not valid. Use the link from the email as it is.",
    );
  }
  return input.recipient as PartyRef;
}

/** Headers of a digest: RFC 2369 List-Unsubscribe, and RFC 8058 one-click when the link is https. */
function listHeaders(url: string): Record<string, string> {
  const headers: Record<string, string> = { "List-Unsubscribe": `<${url}>` };
  if (url.startsWith("https://")) headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  return headers;
}

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
  const [fresh, waiting, changes] = await Promise.all([
    selectNewSuggestions(deps.db, { businessId: r.id, maxRank: NEW_SUGGESTION_MAX_RANK }),
    selectWaitingRequests(deps.db, r.id),
    selectChanges(deps.db, { businessId: r.id, since: window.start, until: window.end }),
  ]);
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

/**
 * Sends up to `limit` due digests. Each row is claimed first by one conditional update (due and
 * unclaimed, or claimed under a lapsed lease), so two concurrent runs never send the same row; the
 * row is marked `sent` only under its own claim. A failed send goes back to `pending` after a
 * backoff with the error recorded, and to `failed` after `MAX_ATTEMPTS`.
 *
 * A run that dies after claiming leaves rows `sending`; the next run after the lease resends them.
 * The one window for a duplicate is a crash between the provider accepting a message and the
 * `sent` update (no mail protocol can close it); never a loss.
 */
export async function sendDueDigests(
  deps: DigestDeps,
  input: { now: number; limit: number },
): Promise<{ sent: number; skipped: number; failed: number; retrying: number }> {
  const token = randomToken(16);
  const claimed = await claimDueStatement(deps.db, {
    now: input.now,
    leaseMs: LEASE_MS,
    token,
    limit: input.limit,
  });
  const result = { sent: 0, skipped: 0, failed: 0, retrying: 0 };
  for (const row of claimed) {
    const mine = and(eq(digestOutbox.id, row.id), eq(digestOutbox.claimToken, token));
    let message: EmailMessage | null;
    try {
      message = await composeMessage(deps, row);
      if (message) await deps.mailer.send(message);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const giveUp = row.attempts >= MAX_ATTEMPTS;
      await deps.db
        .update(digestOutbox)
        .set({
          status: giveUp ? "failed" : "pending",
          nextAttemptAt: input.now + digestBackoffMs(row.attempts),
          leaseUntil: null,
          lastError: error.slice(0, 500),
        })
        .where(mine);
      console.warn(
        JSON.stringify({
          level: "warn",
          msg: "digest send failed",
          outboxId: row.id,
          attempts: row.attempts,
          giveUp,
          error,
        }),
      );
      if (giveUp) result.failed += 1;
      else result.retrying += 1;
      continue;
    }
    if (!message) {
      // Nothing left to say (see loadDigestData): the period is done, and nothing was announced.
      await deps.db
        .update(digestOutbox)
        .set({ status: "skipped", suggestionIds: null, leaseUntil: null, lastError: null })
        .where(mine);
      result.skipped += 1;
      continue;
    }
    const marked = await deps.db
      .update(digestOutbox)
      .set({ status: "sent", sentAt: input.now, leaseUntil: null, lastError: null })
      .where(mine)
      .returning({ id: digestOutbox.id });
    if (marked.length === 0) {
      console.warn(
        JSON.stringify({ level: "warn", msg: "digest claim lost after sending", outboxId: row.id }),
      );
    }
    result.sent += 1;
  }
  return result;
}

/**
 * A claimed row's message, rendered now from its stored content and the rows as they are (names,
 * address, messages, reasons); null when nothing is left to send (see `loadDigestData`).
 */
async function composeMessage(deps: DigestDeps, row: DigestOutboxRow): Promise<EmailMessage | null> {
  const recipient = parsePartyRef(row.recipient);
  if (!recipient || !row.content) throw new Error(`outbox row ${row.id} has no content`);
  const unsubscribe = await unsubscribeUrl(deps.config, row.recipient as PartyRef);
  const loaded = await loadDigestData(deps, {
    recipient,
    content: row.content,
    window: { start: row.windowStart, end: row.windowEnd },
    links: { app: `${deps.config.baseUrl}/`, unsubscribe },
  });
  if (!loaded) return null;
  return { to: loaded.to, ...renderDigest(loaded.data), headers: listHeaders(unsubscribe) };
}

export interface DigestRunReport {
  period: { weekly: string; monthly: string };
  /** Outbox rows written this run with something to send. */
  planned: number;
  /**
   * Recipients with nothing new this period (recorded, never sent), and digests left with nothing
   * to say when sent (their recipient or every business they listed was erased or deactivated).
   */
  skipped: number;
  sent: number;
  /** Digests that used up their attempts this run. */
  failed: number;
  /** Failed sends that will be retried after their backoff. */
  retrying: number;
  /** Recipients still to plan plus digests still to send (due now or later). */
  remaining: number;
  /** When to run again: 0 = at once, n = in n seconds, null = done for this period. */
  continueInSeconds: number | null;
}

/**
 * One bounded chunk of the digest run: plan up to `chunkSize` recipients, send up to `chunkSize`
 * due digests, then count what is left. Run it again (the job continues through the jobs queue)
 * until `continueInSeconds` is null.
 *
 * @throws 503 `not_configured` when no signing key is set (unsubscribe links could not be signed).
 */
export async function runDigestChunk(deps: DigestDeps, input: { now: number }): Promise<DigestRunReport> {
  if (!deps.config.signingKey) {
    throw new ApiError(
      "not_configured",
      "DIGEST_SIGNING_KEY is not set, so unsubscribe links cannot be signed: no digest is sent.",
    );
  }
  const limit = deps.config.chunkSize;
  const keys = periodKeys(input.now);
  const planned = await planDigests(deps, { now: input.now, limit });
  const sent = await sendDueDigests(deps, { now: input.now, limit });
  const [[unplanned], [backlog]] = await Promise.all([
    countUnplanned(deps.db, keys),
    selectOutboxBacklog(deps.db, input.now),
  ]);
  const toPlan = unplanned?.n ?? 0;
  const dueNow = backlog?.dueNow ?? 0;
  const later = backlog?.later ?? 0;
  let continueInSeconds: number | null = null;
  if (toPlan > 0 || dueNow > 0) continueInSeconds = 0;
  else if (later > 0 && backlog?.nextAt) {
    continueInSeconds = Math.max(1, Math.ceil((backlog.nextAt - input.now) / 1000));
  }
  return {
    period: keys,
    planned: planned.planned,
    skipped: planned.skipped + sent.skipped,
    sent: sent.sent,
    failed: sent.failed,
    retrying: sent.retrying,
    remaining: toPlan + dueNow + later,
    continueInSeconds,
  };
}

export interface DigestPreferences {
  cadence: "weekly" | "monthly" | "off";
  /** The digest's language (a business without a choice follows its profile language). */
  language: Language;
  unsubscribedAt: string | null;
}

/** The officer row behind an officer principal (Access sign-in), or 404 for an officer key. */
async function assertOfficerRecipient(deps: ServiceDeps, id: string): Promise<void> {
  const row = await deps.db.select({ id: officers.id }).from(officers).where(eq(officers.id, id)).get();
  if (!row) {
    throw new ApiError(
      "not_found",
      "No officer account with an email is behind these credentials: officer API keys carry no email. Sign in through Cloudflare Access.",
    );
  }
}

async function defaultLanguage(deps: ServiceDeps, recipient: PartyRef): Promise<Language> {
  const parsed = parsePartyRef(recipient);
  if (parsed?.kind !== "business") return "id";
  const row = await deps.db.query.businesses.findFirst({
    columns: { language: true },
    where: (b, { eq: equals }) => equals(b.id, parsed.id),
  });
  return row?.language ?? "id";
}

/** A recipient's digest preferences (defaults when never set). */
export async function getDigestPreferences(
  deps: ServiceDeps,
  input: { recipient: PartyRef },
): Promise<DigestPreferences> {
  const parsed = parsePartyRef(input.recipient);
  if (!parsed) throw notFound("Recipient");
  if (parsed.kind === "officer") await assertOfficerRecipient(deps, parsed.id);
  const row = await deps.db
    .select()
    .from(digestPreferences)
    .where(eq(digestPreferences.recipient, input.recipient))
    .get();
  return {
    cadence: row?.cadence ?? "weekly",
    language: row?.language ?? (await defaultLanguage(deps, input.recipient)),
    unsubscribedAt: row?.unsubscribedAt ? new Date(row.unsubscribedAt).toISOString() : null,
  };
}

/**
 * Sets a recipient's cadence and/or language. Choosing a cadence other than `off` clears an earlier
 * unsubscribe (the recipient opted back in).
 */
export async function setDigestPreferences(
  deps: ServiceDeps,
  input: {
    recipient: PartyRef;
    cadence?: DigestPreferences["cadence"] | undefined;
    language?: Language | undefined;
    now: number;
  },
): Promise<DigestPreferences> {
  const parsed = parsePartyRef(input.recipient);
  if (!parsed) throw notFound("Recipient");
  if (parsed.kind === "officer") await assertOfficerRecipient(deps, parsed.id);
  const set: Partial<typeof digestPreferences.$inferInsert> = { updatedAt: input.now };
  if (input.cadence !== undefined) {
    set.cadence = input.cadence;
    if (input.cadence !== "off") set.unsubscribedAt = null;
  }
  if (input.language !== undefined) set.language = input.language;
  await deps.db
    .insert(digestPreferences)
    .values({
      recipient: input.recipient,
      cadence: input.cadence ?? "weekly",
      language: input.language ?? null,
      updatedAt: input.now,
    })
    .onConflictDoUpdate({ target: digestPreferences.recipient, set });
  return getDigestPreferences(deps, { recipient: input.recipient });
}

/**
 * One-click unsubscribe (RFC 8058): verifies the link's signature, then sets the cadence to `off`.
 * Idempotent: a second click keeps the first time.
 *
 * @throws 403 `invalid_signature` for a tampered or foreign link.
 */
export async function unsubscribe(
  deps: ServiceDeps & { config: DigestConfig },
  input: { recipient: string; signature: string; now: number },
): Promise<{ recipient: PartyRef }> {
  const recipient = await verifyUnsubscribe(deps.config, input);
  await deps.db
    .insert(digestPreferences)
    .values({ recipient, cadence: "off", unsubscribedAt: input.now, updatedAt: input.now })
    .onConflictDoUpdate({
      target: digestPreferences.recipient,
      set: {
        cadence: "off",
        unsubscribedAt: sql`coalesce(${digestPreferences.unsubscribedAt}, ${input.now})`,
        updatedAt: input.now,
      },
    });
  return { recipient };
}
