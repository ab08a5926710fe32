import { batchPrepared } from "../../db";
import type { Language } from "../../domain/language";
import { ApiError, notFound } from "../../errors";
import {
  ANALYZER_VERSION,
  type MatchComponents,
  type PartnershipPattern,
  renderReasons,
} from "../../matching";
import { type PublicProfile, toPublicProfile } from "../businesses/businesses.views";
import { versionOfColumns } from "../businesses/registry.queries";
import type { ServiceDeps } from "../deps";
import { type ServedRow, withNeighbourCandidates } from "./shard-serving.service";
import {
  type selectSelfWithSetState,
  type selectStoredSuggestions,
  servingQueries,
} from "./suggestions.queries";
import { refreshStaleSetLater, rescoreSets } from "./suggestions.service";

export { resetMatcherCache } from "./matcher.cache";

export interface MatchItem {
  business: PublicProfile;
  /** Fused reciprocal score in [0, 1]. */
  score: number;
  components: MatchComponents;
  reasons: string[];
  pattern: PartnershipPattern;
  /**
   * In one shard's deployment of a province: the neighbour shard that holds the candidate. It is
   * suggested, but a partnership request to it is refused (`partner_in_other_region`).
   */
  neighbourShard?: string;
}

export interface SuggestInput {
  businessId: string;
  limit: number;
  minScore: number;
  /** Explicit language; else the business's own preference. */
  lang?: Language | undefined;
  /** Epoch ms (when a set has to be computed, it is stamped with this). */
  now: number;
}

/**
 * Where the answer came from: the stored set; the stored set while its recompute runs after the
 * response (`stale`: other businesses changed since it was computed); or a computation just now
 * (then stored).
 */
export type SuggestSource = "stored" | "stale" | "computed";

/**
 * The longest a set marked stale by other businesses' changes is served as it is while a recompute
 * runs: every such read starts one (after the response), so a set stays stale longer only when
 * those recomputes fail; past this the read computes the set itself.
 */
export const STALE_SERVE_MAX_MS = 30_000;

type SelfState = Awaited<ReturnType<ReturnType<typeof selectSelfWithSetState>["all"]>>[number];

/**
 * The stored set exists and was computed from the business's current matching inputs
 * (`matchInputsAt`: an email or WhatsApp edit does not count) by the current analyzer: what is left
 * to make it outdated are other businesses' changes, which mark it stale.
 */
function isSetOfCurrentInputs(self: SelfState): boolean {
  return (
    self.setComputedAt !== null &&
    self.setSourceUpdatedAt === self.matchInputsAt &&
    self.setAnalyzerVersion === ANALYZER_VERSION
  );
}

/** A stored set may be served as it is: of the current inputs, and nothing marked it stale. */
export function isSetFresh(self: SelfState): boolean {
  return isSetOfCurrentInputs(self) && self.setStaleSince === null;
}

/**
 * A stored set that other businesses' changes made stale (marked: one of them may now enter it, or
 * a business it lists changed), still computed from this business's current matching inputs by
 * the current analyzer, and marked less than {@link STALE_SERVE_MAX_MS} ago. Its rows still pass
 * the serving query's checks as it runs (no declined pair, no candidate that stopped taking
 * partnerships), so what it may show is a score from before the change, or miss a business that
 * now belongs in it, until the recompute it starts lands.
 */
export function isSetServableWhileStale(self: SelfState, now: number): boolean {
  return (
    isSetOfCurrentInputs(self) && self.setStaleSince !== null && now - self.setStaleSince < STALE_SERVE_MAX_MS
  );
}

/**
 * Ranked partner suggestions for one active business: only active businesses of the other
 * sector, never itself, best first (ties by id, inside the matcher).
 *
 * One D1 round trip when the stored set is fresh: the business's state and the serving query
 * (stored rows joined with the candidates' public profiles) go in one batch. So too when other
 * businesses' changes made it stale and the caller can defer work past the response: the stored
 * rows are served (`stale`) and the set is recomputed after the response, batched with other
 * reads' (`refreshStaleSetLater`), so writes elsewhere do not make reads wait for a ranking.
 * Otherwise (no set yet, the business's own inputs changed, a new analyzer, no stored row left to
 * serve, or no way to defer) the set is computed now with the in-isolate matcher, stored, and read
 * back through the serving query.
 *
 * @throws 404 when the business does not exist, 409 `business_inactive` when it is deactivated.
 */
export async function suggestPartners(
  deps: ServiceDeps,
  input: SuggestInput,
): Promise<{ items: MatchItem[]; source: SuggestSource }> {
  const { self, stored } = await readSelfAndStored(deps, input);
  if (!self) throw notFound("Business");
  if (!self.active) {
    throw new ApiError("business_inactive", "An inactive business gets no suggestions.");
  }
  if (self.status !== "published") {
    throw new ApiError(
      "business_not_published",
      "A business gets suggestions once an officer has published its sign-up.",
    );
  }
  const lang = input.lang ?? self.language;
  // A province deployment: candidates from neighbour shards are read from their databases.
  const across = { ...input, sector: self.sector };
  if (isSetFresh(self)) {
    return { source: "stored", items: toItems(await withNeighbourCandidates(deps, across, stored), lang) };
  }
  if (deps.defer && stored.length > 0 && isSetServableWhileStale(self, input.now)) {
    await refreshStaleSetLater(deps, self.id);
    return { source: "stale", items: toItems(await withNeighbourCandidates(deps, across, stored), lang) };
  }

  // Computed now, stored, then served by the same query as a stored set: candidates' public
  // profiles come from their rows as they are (the isolate keeps no copy of them), and declined
  // pairs drop out there as for any stored set.
  // The serving query (prepared once, as the fresh read's) runs at the end of the rescore's own
  // batch, after the set is written.
  const { read } = await rescoreSets(deps, {
    ids: [self.id],
    now: input.now,
    known: { version: versionOfColumns(self) },
    alsoRead: [[servingQueries(deps.db).stored, servingValues(input)]],
  });
  const [served] = read as [StoredRow[]];
  return { source: "computed", items: toItems(await withNeighbourCandidates(deps, across, served), lang) };
}

type StoredRow = Awaited<ReturnType<ReturnType<typeof selectStoredSuggestions>["all"]>>[number];

/** The placeholders of the prepared serving queries (`servingQueries`). */
function servingValues(input: SuggestInput) {
  return { id: input.businessId, limit: input.limit, minScore: input.minScore };
}

/**
 * The caller's state and its servable stored rows: one statement (`selectServingRead`) when it
 * returns anything; when it returns nothing (no such business, or stored rows none of which is
 * servable now) the two queries apart, in one batch, say which.
 */
async function readSelfAndStored(
  deps: ServiceDeps,
  input: SuggestInput,
): Promise<{ self: SelfState | undefined; stored: StoredRow[] }> {
  const serving = servingQueries(deps.db);
  const values = servingValues(input);
  const rows = await serving.read.all(values);
  const first = rows[0];
  if (first) {
    const stored: StoredRow[] = [];
    for (const r of rows) {
      // A row with a candidate has its stored suggestion (the candidate is joined through it).
      if (!r.candidate) continue;
      stored.push({
        score: r.score as number,
        components: r.components as StoredRow["components"],
        reasons: r.reasons as StoredRow["reasons"],
        pattern: r.pattern as string,
        candidate: r.candidate,
      });
    }
    return { self: first.self, stored };
  }
  const [selfRows, stored] = await batchPrepared(deps.db, [
    [serving.self, { id: input.businessId }],
    [serving.stored, values],
  ]);
  return { self: selfRows[0], stored };
}

function toItems(rows: ServedRow[], lang: Language): MatchItem[] {
  return rows.map((r) => ({
    business: toPublicProfile(r.candidate),
    score: r.score,
    components: r.components,
    // Stored as codes; said in the caller's language now, by the renderer the engine uses.
    reasons: renderReasons(r.reasons, lang),
    pattern: r.pattern as PartnershipPattern,
    ...(r.neighbourShard ? { neighbourShard: r.neighbourShard } : {}),
  }));
}
