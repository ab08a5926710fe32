import type { BusinessRow } from "../../../schema";
import { findKecamatan } from "../../domain/location";
import { countBusinessRows } from "../businesses/businesses.queries";
import type { ServiceDeps } from "../deps";
import { countPartnershipRows } from "../partnerships/partnerships.queries";
import { countProposals } from "../partnerships/proposals.queries";

/** How many items wait in each list of the officers' review queue. */
export interface ReviewQueueCounts {
  /** Sign-ups pending review. */
  signups: number;
  /** Published businesses whose own changes wait for an officer's look. */
  changed: number;
  /** Requests both sides accepted, waiting for an officer's approval. */
  pairings: number;
  /** The engine's draft pairings. */
  drafts: number;
}

/**
 * The review queue's filters. `kecamatan` applies to every list (either side of a pair);
 * `sector` to the business lists (every pair has one side of each sector); `minScore` to the
 * drafts, the only list with a stored score.
 */
export interface ReviewQueueFilters {
  kecamatan?: string | undefined;
  sector?: BusinessRow["sector"] | undefined;
  /** 0-1. */
  minScore?: number | undefined;
}

/** The filters as the lists read them: a Kota Mojokerto kecamatan in either spelling becomes its name. */
export function queueFilters(filters: ReviewQueueFilters): ReviewQueueFilters {
  if (!filters.kecamatan) return { ...filters, kecamatan: undefined };
  return { ...filters, kecamatan: findKecamatan(filters.kecamatan) ?? filters.kecamatan.trim() };
}

/**
 * The true size of each review-queue list under `filters`, counted as the lists read them (a
 * partnership or a draft is listed with both its businesses), so a console showing one page can
 * say how many wait. One D1 round trip.
 */
export async function reviewQueueCounts(
  deps: ServiceDeps,
  filters: ReviewQueueFilters = {},
): Promise<ReviewQueueCounts> {
  const f = queueFilters(filters);
  const place = { kecamatan: f.kecamatan, sector: f.sector };
  const [signups, changed, pairings, drafts] = await deps.db.batch([
    countBusinessRows(deps.db, { ...place, status: "pending_review" }),
    countBusinessRows(deps.db, { ...place, changesToReview: true }),
    countPartnershipRows(deps.db, { status: "accepted", kecamatan: f.kecamatan }),
    countProposals(deps.db, { status: "draft", kecamatan: f.kecamatan, minScore: f.minScore }),
  ]);
  return {
    signups: signups[0]?.n ?? 0,
    changed: changed[0]?.n ?? 0,
    pairings: pairings[0]?.n ?? 0,
    drafts: drafts[0]?.n ?? 0,
  };
}
