import { and, eq, sql } from "drizzle-orm";
import { type DigestOutboxRow, digestOutbox, digestPreferences, officers } from "../../schema";
import { DAY_MS, isoWeekKey, monthKey } from "../domain/calendar";
import type { Language } from "../domain/language";
import { type PartyRef, parsePartyRef, partyRef } from "../domain/party";
import {
  type BusinessDigestData,
  type Cadence,
  type DigestData,
  type DigestLinks,
  isEmptyDigest,
  type OfficerDigestData,
  type OfficerNumbers,
  renderDigest,
} from "../email/digest.template";
import type { Mailer } from "../email/mailer";
import { ApiError, notFound } from "../errors";
import { newId, randomToken } from "../lib/ids";
import { sign, verify } from "../lib/signing";
import type { ServiceDeps } from "./deps";
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
      403,
      "invalid_signature",
      "Invalid link",
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

function parseReasons(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((r): r is string => typeof r === "string") : [];
  } catch {
    return [];
  }
}

function reasonOf(details: string | null): string | null {
  if (!details) return null;
  try {
    const value = JSON.parse(details) as { reason?: unknown };
    return typeof value.reason === "string" ? value.reason : null;
  } catch {
    return null;
  }
}

async function businessDigest(
  deps: DigestDeps,
  r: BusinessRecipientRow,
  now: number,
  links: DigestLinks,
): Promise<{ data: BusinessDigestData; suggestionIds: string[] }> {
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
    data: {
      kind: "business",
      language,
      cadence,
      businessName: r.name,
      windowStart: window.start,
      windowEnd: window.end,
      newSuggestions: shown.map((s) => ({
        name: s.name,
        sector: s.sector,
        kelurahan: s.kelurahan,
        score: s.score,
        pattern: s.pattern,
        reasons: parseReasons(language === "en" ? s.reasonsEn : s.reasonsId),
      })),
      moreSuggestions: fresh.length - shown.length,
      waiting: waiting.map((w) => ({ ...w, message: w.message ?? "" })),
      changes: changes.map((c) => ({
        partnerName: c.otherName,
        action: c.action,
        toState: c.toState,
        at: c.at,
        reason: reasonOf(c.details),
      })),
      links,
    },
    // Every new one counts as announced, listed or counted, so "and 4 more" are not announced again.
    suggestionIds: fresh.map((s) => s.candidateId),
  };
}

async function officerDigest(
  deps: DigestDeps,
  r: OfficerRecipientRow,
  now: number,
  links: DigestLinks,
): Promise<OfficerDigestData> {
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
    signups: count("business", "sign_up"),
    requests: count("partnership", "request"),
    accepted: count("partnership", "accept"),
    declined: count("partnership", "decline"),
    approved: count("partnership", "approve") + count("partnership", "create_pairing"),
    rejected: count("partnership", "reject"),
    expired: count("partnership", "expire"),
    ended: count("partnership", "end"),
  };
  return {
    kind: "officer",
    language: r.prefLanguage ?? "id",
    cadence,
    windowStart: window.start,
    windowEnd: window.end,
    signups: { names: signups.map((s) => s.name), total: signups[0]?.total ?? 0 },
    pairings: {
      items: pairings.map(({ total: _, ...p }) => p),
      total: pairings[0]?.total ?? 0,
    },
    expiring: {
      items: expiring.map(({ total: _, ...e }) => e),
      total: expiring[0]?.total ?? 0,
    },
    numbers,
    links,
  };
}

type PlannedRow = typeof digestOutbox.$inferInsert;

function plannedRow(input: {
  recipient: PartyRef;
  period: string;
  now: number;
  email: string;
  data: DigestData;
  unsubscribe: string;
  suggestionIds: string[];
}): PlannedRow {
  const base = {
    id: newId("dgo_", input.now),
    recipient: input.recipient,
    period: input.period,
    windowStart: input.data.windowStart,
    windowEnd: input.data.windowEnd,
    nextAttemptAt: input.now,
    createdAt: input.now,
  };
  if (isEmptyDigest(input.data)) return { ...base, status: "skipped" };
  const rendered = renderDigest(input.data);
  return {
    ...base,
    status: "pending",
    email: input.email,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    headers: listHeaders(input.unsubscribe),
    suggestionIds: input.suggestionIds,
  };
}

/**
 * Plans up to `limit` recipients of the current period: renders each digest and writes its outbox
 * row (`pending`, or `skipped` when there is nothing new) before anything is sent. The unique
 * (recipient, period) key makes a second or concurrent planning of the same recipient a no-op.
 */
export async function planDigests(
  deps: DigestDeps,
  input: { now: number; limit: number },
): Promise<{ planned: number; skipped: number }> {
  const keys = periodKeys(input.now);
  const rows: PlannedRow[] = [];
  const app = `${deps.config.baseUrl}/`;
  const businesses = await selectUnplannedBusinesses(deps.db, { keys, limit: input.limit });
  for (const b of businesses) {
    const recipient = partyRef("business", b.id);
    const unsubscribe = await unsubscribeUrl(deps.config, recipient);
    const { data, suggestionIds } = await businessDigest(deps, b, input.now, { app, unsubscribe });
    rows.push(
      plannedRow({
        recipient,
        period: b.cadence === "monthly" ? keys.monthly : keys.weekly,
        now: input.now,
        email: b.email,
        data,
        unsubscribe,
        suggestionIds,
      }),
    );
  }
  const room = input.limit - businesses.length;
  if (room > 0) {
    for (const o of await selectUnplannedOfficers(deps.db, { keys, limit: room })) {
      const recipient = partyRef("officer", o.id);
      const unsubscribe = await unsubscribeUrl(deps.config, recipient);
      const data = await officerDigest(deps, o, input.now, { app, unsubscribe });
      rows.push(
        plannedRow({
          recipient,
          period: o.cadence === "monthly" ? keys.monthly : keys.weekly,
          now: input.now,
          email: o.email,
          data,
          unsubscribe,
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
): Promise<{ sent: number; failed: number; retrying: number }> {
  const token = randomToken(16);
  const claimed = await claimDueStatement(deps.db, {
    now: input.now,
    leaseMs: LEASE_MS,
    token,
    limit: input.limit,
  });
  const result = { sent: 0, failed: 0, retrying: 0 };
  for (const row of claimed) {
    const mine = and(eq(digestOutbox.id, row.id), eq(digestOutbox.claimToken, token));
    try {
      await deps.mailer.send(messageOf(row));
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

function messageOf(row: DigestOutboxRow) {
  if (!row.email || !row.subject || !row.text) throw new Error(`outbox row ${row.id} has no message`);
  return {
    to: row.email,
    subject: row.subject,
    text: row.text,
    ...(row.html ? { html: row.html } : {}),
    ...(row.headers ? { headers: row.headers } : {}),
  };
}

export interface DigestRunReport {
  period: { weekly: string; monthly: string };
  /** Outbox rows written this run with something to send. */
  planned: number;
  /** Recipients with nothing new this period (recorded, never sent). */
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
      503,
      "not_configured",
      "Not configured",
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
    ...planned,
    ...sent,
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
      404,
      "not_found",
      "Not found",
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
