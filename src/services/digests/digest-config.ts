import { isoWeekKey, monthKey } from "../../domain/calendar";
import type { Mailer } from "../../email/mailer";
import type { ServiceDeps } from "../deps";

/** New suggestions listed by name in one digest; the rest are counted ("and 4 more"). */
export const SUGGESTIONS_PER_DIGEST = 5;

/**
 * Only the best stored suggestions count as news (a first digest would otherwise announce all 50 the
 * API can serve); one that climbs into this range later is announced then.
 */
export const NEW_SUGGESTION_MAX_RANK = 10;

/** Default recipients planned and digests sent per invocation (DIGEST_CHUNK_SIZE overrides). */
export const DEFAULT_DIGEST_CHUNK = 25;

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
