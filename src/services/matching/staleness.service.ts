import type { Matcher } from "../../matching";
import type { ServiceDeps } from "../deps";
import { markBeatenSetsStale, selectFreshLowestScore } from "./suggestions.queries";

/** Owner-score pairs per stale-marking statement: keeps its one JSON parameter far below D1's limits. */
const PAIRS_PER_STATEMENT = 2000;

/** What {@link markSetsTheyEnter} checked and sent to D1, for the bench and the tests. */
export interface EnterCheck {
  /** The lowest score of any fresh set when it ran (null: there was no fresh set). */
  floor: number | null;
  /** Owners whose score against a changed business reached the floor: the rows D1 compares. */
  owners: number;
}

/**
 * After businesses' matching inputs changed (and their own sets were rescored): marks stale the
 * fresh stored sets that one of them can now enter, and only those.
 *
 * Exact, not a guess by neighbourhood: the fused score is symmetric (score.ts), so a changed
 * business X scores s against owner O whichever side asks. O's stored top k changes only if X now
 * belongs in it, i.e. s reaches O's lowest stored score (ties are broken by id, so equal counts;
 * a set that is not full has lowest score 0 and anything enters). The sets that list X are marked
 * by the write itself (`markSetsContainingStale`); nothing else moves with X, since corpus
 * statistics are fixed between full rebuilds (live.ts).
 *
 * The matcher gives every owner whose score reaches F, the lowest lowest score of all fresh sets
 * (one read of a partial index): below F, X enters no set. Those (owner, score) pairs go to D1,
 * which marks the sets whose own lowest score the score reaches.
 */
export async function markSetsTheyEnter(
  deps: ServiceDeps,
  matcher: Matcher,
  input: {
    ids: readonly string[];
    now: number;
    /** The lowest fresh score when the caller has just read it (`selectFreshLowestScore`). */
    floor?: number | null;
  },
): Promise<EnterCheck> {
  const floor =
    input.floor !== undefined ? input.floor : ((await selectFreshLowestScore(deps.db).get())?.lowest ?? null);
  if (floor === null) return { floor, owners: 0 };
  const changed = new Set(input.ids);
  const best = new Map<string, number>();
  for (const id of changed) {
    if (!matcher.has(id)) continue; // deactivated: it enters nothing; the sets listing it were marked
    for (const owner of matcher.topIds(id, { limit: matcher.size, minScore: floor })) {
      if (changed.has(owner)) continue; // rescored already
      const s = matcher.score(id, owner)?.score;
      if (s !== undefined && s > (best.get(owner) ?? -1)) best.set(owner, s);
    }
  }
  const pairs = [...best];
  const statements = [];
  for (let i = 0; i < pairs.length; i += PAIRS_PER_STATEMENT) {
    statements.push(markBeatenSetsStale(deps.db, pairs.slice(i, i + PAIRS_PER_STATEMENT), input.now));
  }
  const [first, ...rest] = statements;
  if (first) await deps.db.batch([first, ...rest]);
  return { floor, owners: pairs.length };
}
