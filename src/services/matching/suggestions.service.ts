import { type BatchEntry, batchEntries } from "../../db";
import { ANALYZER_VERSION, type StoredSuggestion } from "../../matching";
import { runAfter, type ServiceDeps } from "../deps";
import { type CachedMatcher, currentMatcher, type KnownVersion } from "./matcher.cache";
import { refreshLater } from "./refresh-batch";
import { markSetsTheyEnter } from "./staleness.service";
import {
  deleteSetStatements,
  lowestScoreQuery,
  replaceSetStatements,
  SUGGESTIONS_PER_BUSINESS,
} from "./suggestions.queries";

export interface RescoreInput {
  /** Businesses whose stored sets to rewrite; inactive or unknown ones get their set removed. */
  ids: readonly string[];
  /** Epoch ms; a stale mark made at or after it survives the write. */
  now: number;
  /** The recompute run doing this, if any (recorded on each set). */
  runId?: string | null;
  /** Further statements to commit in the same batch (e.g. a run's progress). */
  alsoWrite?: BatchEntry[];
  /**
   * Reads to run at the end of the same batch, after the writes (they see the new sets): saves the
   * round trip a read after the rescore would cost. Their results come back in `read`, in order.
   */
  alsoRead?: BatchEntry[];
  /** The registry version the caller read after `now` in its own statements (see `KnownVersion`). */
  known?: KnownVersion | undefined;
}

export interface RescoreResult {
  matcher: CachedMatcher;
  /** The sets written, by business id (absent: the business is inactive or unknown). */
  sets: Map<string, StoredSuggestion[]>;
  /** The results of `alsoRead`, in order (empty without it). */
  read: unknown[];
}

/**
 * Rescores businesses with the in-isolate matcher and replaces their stored sets (top
 * `SUGGESTIONS_PER_BUSINESS` with components and reasons in both languages) in one D1 batch:
 * idempotent, so a retried queue message or two racing requests write the same thing.
 */
export async function rescoreSets(deps: ServiceDeps, input: RescoreInput): Promise<RescoreResult> {
  const cached = await currentMatcher(deps, input.known);
  const sets = new Map<string, StoredSuggestion[]>();
  const statements: BatchEntry[] = [];
  const meta = {
    computedAt: input.now,
    analyzerVersion: ANALYZER_VERSION,
    runId: input.runId ?? null,
    matcherRevision: cached.revision,
    sourceRevisions: cached.sourceRevisions,
  };
  for (const id of new Set(input.ids)) {
    const sourceUpdatedAt = cached.updatedAt.get(id);
    if (sourceUpdatedAt === undefined) {
      statements.push(...deleteSetStatements(deps.db, id));
      continue;
    }
    const items = cached.matcher.rankForStorage(id, { limit: SUGGESTIONS_PER_BUSINESS });
    sets.set(id, items);
    statements.push(...replaceSetStatements(deps.db, { businessId: id, items, sourceUpdatedAt }, meta));
  }
  statements.push(...(input.alsoWrite ?? []));
  const all = [...statements, ...(input.alsoRead ?? [])];
  const results = all.length > 0 ? await batchEntries(deps.db, all) : [];
  return { matcher: cached, sets, read: results.slice(statements.length) };
}

const AFTER_WRITE = "refresh suggestions after write";

/**
 * After a business was created, edited or deactivated (the write itself already marked stale the
 * sets that list it): rescore it, then mark stale the fresh sets it can now enter (its score
 * against their owner reaches their lowest stored score: `markSetsTheyEnter`), so they are
 * recomputed on their next read or run. When the caller can defer, after the response and in one
 * run with the other businesses written in this isolate meanwhile (`refreshLater`); otherwise at
 * once, from the version the write read (`known`).
 */
export async function refreshAfterWrite(
  deps: ServiceDeps,
  input: { businessId: string; now: number; known?: KnownVersion | undefined },
) {
  if (!deps.defer) {
    await runAfter(deps, AFTER_WRITE, () =>
      rescoreAndMarkEntered(deps, { ids: [input.businessId], now: input.now, known: input.known }),
    );
    return;
  }
  await refreshLater(deps, AFTER_WRITE, input.businessId, (ids, now) =>
    rescoreAndMarkEntered(deps, { ids, now }),
  );
}

/**
 * A stored set that other businesses' changes marked stale was just served as it is: recompute it
 * after the response, with the other sets read stale in this isolate meanwhile (`refreshLater`).
 */
export async function refreshStaleSetLater(deps: ServiceDeps, businessId: string): Promise<void> {
  await refreshLater(deps, "refresh stale suggestion sets", businessId, async (ids, now) => {
    await rescoreSets(deps, { ids, now });
  });
}

/**
 * Rescores `ids` (their stored sets rewritten), then marks stale the sets they can now enter.
 * The lowest set score that marking starts from is read in the rescore's own batch, after its
 * writes, as a read of its own right after them would see it.
 */
export async function rescoreAndMarkEntered(
  deps: ServiceDeps,
  input: { ids: readonly string[]; now: number; known?: KnownVersion | undefined },
): Promise<void> {
  const { matcher, read } = await rescoreSets(deps, {
    ids: input.ids,
    now: input.now,
    known: input.known,
    alsoRead: [[lowestScoreQuery(deps.db), {}]],
  });
  const [floorRows] = read as [Array<{ lowest: number | null }>];
  await markSetsTheyEnter(deps, matcher.matcher, {
    ids: input.ids,
    now: input.now,
    floor: floorRows[0]?.lowest ?? null,
    revision: matcher.revision,
  });
}
