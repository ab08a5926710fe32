import { eq, or } from "drizzle-orm";
import { declinedPairs, suggestions } from "../../../schema";
import { type BatchEntry, batchEntries } from "../../db";
import type { Matcher } from "../../matching";
import { selectRegistryVersion, toRegistryVersion } from "../businesses/registry.queries";
import type { ServiceDeps } from "../deps";
import { markBeatenSetsStale, markSetsContainingStale, selectLowestScore } from "./suggestions.queries";

/** Owner-score pairs per stale-marking statement: keeps its one JSON parameter far below D1's limits. */
const PAIRS_PER_STATEMENT = 2000;

/** What {@link markSetsTheyEnter} checked and sent to D1, for the bench and the tests. */
export interface EnterCheck {
  /** The lowest score of any set it could mark when it ran (null: there was none). */
  floor: number | null;
  /** Owners whose score against a changed business reached the floor: the rows D1 compares. */
  owners: number;
}

/**
 * After businesses' matching inputs changed (and their own sets were rescored): marks stale the
 * stored sets that one of them can now enter, and only those (in their own database, sets already
 * stale get the change's revision recorded).
 *
 * Exact, not a guess by neighbourhood: the fused score is symmetric (score.ts), so a changed
 * business X scores s against owner O whichever side asks. O's stored top k changes only if X now
 * belongs in it, i.e. s reaches O's lowest stored score (ties are broken by id, so equal counts;
 * a set that is not full has lowest score 0 and anything enters). The sets that list X are marked
 * by the write itself (`markSetsContainingStale`); nothing else moves with X, since corpus
 * statistics are fixed between full rebuilds (live.ts).
 *
 * The matcher gives every owner whose score reaches F, the lowest lowest score of the sets D1 may
 * mark (one read of an index): below F, X enters no such set. Those (owner, score) pairs go to D1,
 * which marks the sets whose own lowest score the score reaches: every such set, stale ones too,
 * since the mark records X's revision: a set being recomputed by a matcher that missed X then
 * stays stale (`replaceSetStatements`), whatever its lowest score.
 *
 * In a sharded deployment the same holds across a border: the neighbour shards' businesses are in
 * this shard's matcher, and their sets may list X or be entered by it. Each neighbour's primary gets
 * the sets listing X marked, and the same (owner, score) pairs (F is then the lowest over every
 * shard the matcher holds); an owner a database does not hold matches no row there. There the mark
 * records this shard's name and `revision` (`stale_sources`): a neighbour's matcher that has not
 * read this shard's change log that far keeps the set stale when it writes it.
 */
export async function markSetsTheyEnter(
  deps: ServiceDeps,
  matcher: Matcher,
  input: {
    ids: readonly string[];
    now: number;
    /** The own database's lowest set score when the caller has just read it (`selectLowestScore`). */
    floor?: number | null;
    /** This shard's registry revision with the change (the matcher's, caught up past the write). */
    revision: number;
  },
): Promise<EnterCheck> {
  const neighbours = (deps.shard?.neighbours ?? []).map((n) => n.db);
  const databases = [deps.db, ...neighbours];
  const floors = await Promise.all(
    databases.map(async (db, d) =>
      d === 0 && input.floor !== undefined
        ? input.floor
        : ((await selectLowestScore(db).get())?.lowest ?? null),
    ),
  );
  // What a neighbour shard's marks record: this shard and its revision with the change.
  const source = { name: deps.shard?.name ?? "", revision: input.revision };
  const known = floors.filter((f): f is number => f !== null);
  const floor = known.length === 0 ? null : Math.min(...known);
  const changed = new Set(input.ids);
  const best = new Map<string, number>();
  if (floor !== null) {
    for (const id of changed) {
      if (!matcher.has(id)) continue; // deactivated: it enters nothing; the sets listing it are marked
      for (const { id: owner, score } of matcher.topScored(id, { limit: matcher.size, minScore: floor })) {
        if (changed.has(owner)) continue; // rescored already
        if (score > (best.get(owner) ?? -1)) best.set(owner, score);
      }
    }
  }
  const pairs = [...best];
  await Promise.all(
    databases.map(async (db, d) => {
      if (floors[d] === null) return; // no set there that could be marked
      const statements: BatchEntry[] = [];
      // The own shard's sets listing a changed business were marked by the write itself.
      if (d > 0) {
        for (const id of changed) statements.push(markSetsContainingStale(db, id, input.now, { source }));
      }
      for (let i = 0; i < pairs.length; i += PAIRS_PER_STATEMENT) {
        statements.push(
          markBeatenSetsStale(
            db,
            pairs.slice(i, i + PAIRS_PER_STATEMENT),
            input.now,
            d === 0 ? undefined : source,
          ),
        );
      }
      if (statements.length > 0) await batchEntries(db, statements);
    }),
  );
  return { floor, owners: pairs.length };
}

/**
 * After a business of this shard was erased (data rights): in each neighbour shard's database the
 * stored sets that list it are marked stale (recording this shard's revision, which the erasure's
 * batch moved, as any change's marks do) and lose its rows, whose reasons quote its offers and
 * needs, as the erasure did in its own database; the pairs it declined or was declined in across
 * the border, kept there too (`mirrorToNeighbour`), are deleted with them. Nothing to do without
 * neighbours.
 */
export async function eraseFromNeighbourSets(
  deps: ServiceDeps,
  input: { id: string; now: number },
): Promise<void> {
  const neighbours = deps.shard?.neighbours ?? [];
  if (neighbours.length === 0) return;
  const { revision } = toRegistryVersion(await selectRegistryVersion(deps.db).all());
  const source = { name: deps.shard?.name ?? "", revision };
  await Promise.all(
    neighbours.map((n) =>
      batchEntries(n.db, [
        markSetsContainingStale(n.db, input.id, input.now, { source }),
        n.db.delete(suggestions).where(eq(suggestions.candidateId, input.id)),
        n.db
          .delete(declinedPairs)
          .where(or(eq(declinedPairs.lowId, input.id), eq(declinedPairs.highId, input.id))),
      ]),
    ),
  );
}
