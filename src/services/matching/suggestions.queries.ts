import {
  and,
  asc,
  eq,
  gt,
  gte,
  inArray,
  isNull,
  min,
  ne,
  type Placeholder,
  type SQL,
  sql,
} from "drizzle-orm";
import { businesses, declinedPairs, suggestionSets, suggestions } from "../../../schema";
import { type Database, insertSelect, type PreparedCall, prepareOnce } from "../../db";
import type { StoredSuggestion } from "../../matching";

/**
 * Suggestions stored per business. 50 is the API's largest `limit`, so any `limit` with any
 * `minScore` is served from the stored rows alone (minScore only removes from the tail).
 */
export const SUGGESTIONS_PER_BUSINESS = 50;

/** The caller's own row and its stored set's state, for the freshness check. */
export function selectSelfWithSetState(db: Database, id: string | Placeholder) {
  return db
    .select({
      id: businesses.id,
      sector: businesses.sector,
      active: businesses.active,
      status: businesses.status,
      language: businesses.language,
      matchInputsAt: businesses.matchInputsAt,
      setComputedAt: suggestionSets.computedAt,
      setSourceUpdatedAt: suggestionSets.sourceUpdatedAt,
      setAnalyzerVersion: suggestionSets.analyzerVersion,
      setStaleSince: suggestionSets.staleSince,
    })
    .from(businesses)
    .leftJoin(suggestionSets, eq(suggestionSets.businessId, businesses.id))
    .where(eq(businesses.id, id));
}

/** Columns of a candidate's public profile (never its email, capacity or match features). */
export const publicProfileColumns = {
  id: businesses.id,
  name: businesses.name,
  sector: businesses.sector,
  nib: businesses.nib,
  kbli: businesses.kbli,
  sizeClass: businesses.sizeClass,
  kelurahan: businesses.kelurahan,
  kecamatan: businesses.kecamatan,
  city: businesses.city,
  regionCode: businesses.regionCode,
  lat: businesses.lat,
  lng: businesses.lng,
  offers: businesses.offers,
  needs: businesses.needs,
  ekatalogListed: businesses.ekatalogListed,
  ekatalogUrl: businesses.ekatalogUrl,
};

/**
 * The serving query: one business's stored suggestions, best first, joined with each candidate's
 * current public profile. Walks the (business_id, rank) primary key; inactive or unpublished
 * candidates and any
 * of the business's own sector (a sector edit not yet rescored) drop out in the join.
 */
export function selectStoredSuggestions(
  db: Database,
  input: { businessId: string | Placeholder; limit: number | Placeholder; minScore: number | Placeholder },
) {
  const ownSector = sql`(select ${businesses.sector} from ${businesses} where ${businesses.id} = ${input.businessId})`;
  return db
    .select({
      rank: suggestions.rank,
      score: suggestions.score,
      components: suggestions.components,
      reasons: suggestions.reasons,
      pattern: suggestions.pattern,
      candidate: publicProfileColumns,
    })
    .from(suggestions)
    .innerJoin(
      businesses,
      and(
        eq(businesses.id, suggestions.candidateId),
        eq(businesses.active, true),
        eq(businesses.status, "published"),
        ne(businesses.sector, ownSector),
      ),
    )
    .where(
      and(
        eq(suggestions.businessId, input.businessId),
        gte(suggestions.score, input.minScore),
        // A declined pair ("tidak berminat") is never served, in either direction, until reset.
        sql`not exists (select 1 from ${declinedPairs} d
          where d.low_id = min(${suggestions.businessId}, ${suggestions.candidateId})
            and d.high_id = max(${suggestions.businessId}, ${suggestions.candidateId}))`,
      ),
    )
    .orderBy(asc(suggestions.rank))
    .limit(input.limit);
}

/**
 * The two queries of a warm read ({@link selectSelfWithSetState} and {@link selectStoredSuggestions}),
 * prepared once per database and isolate: the same SQL, without building it on every request. Run
 * them with `batchPrepared`, placeholders `id`, `limit`, `minScore`.
 */
export function servingQueries(db: Database) {
  return prepareOnce(db, prepareServing);
}

function prepareServing(db: Database) {
  return {
    self: selectSelfWithSetState(db, sql.placeholder("id")).prepare(),
    stored: selectStoredSuggestions(db, {
      businessId: sql.placeholder("id"),
      limit: sql.placeholder("limit"),
      minScore: sql.placeholder("minScore"),
    }).prepare(),
  };
}

export interface SetToStore {
  businessId: string;
  items: StoredSuggestion[];
  /** The business's `matchInputsAt` in the snapshot the set was computed from. */
  sourceUpdatedAt: number;
}

/**
 * Statements that replace one business's stored set (put them in one batch, with `batchEntries`, so
 * readers see the old set or the new one). The rows travel as one JSON parameter expanded by
 * `json_each`: one upsert per business and a few bound parameters, whatever the set's size, which
 * keeps a queue chunk well under D1's per-invocation query limit and the 100-parameter limit.
 * Only what changed is written: a rank whose row is the same as stored is left alone (the upsert's
 * `where`), ranks past the new set's end are deleted. A rescore that moves two candidates writes
 * those ranks and the set's row, not 50 deletes and 50 inserts.
 * Reasons are stored as codes (`explainCodes`), rendered in the reader's language on read.
 * A stale mark made at or after `computedAt` (a write that raced this computation) survives.
 * The statements are prepared once per database and isolate (every rescore writes them): only
 * their values are made here.
 */
export function replaceSetStatements(
  db: Database,
  set: SetToStore,
  meta: { computedAt: number; analyzerVersion: string; runId: string | null },
): PreparedCall<unknown>[] {
  const rows = JSON.stringify(
    set.items.map((s) => ({
      id: s.id,
      score: s.score,
      components: s.components,
      reasons: s.reasons,
      pattern: s.pattern,
    })),
  );
  const full = set.items.length >= SUGGESTIONS_PER_BUSINESS;
  const lowestScore = full ? Math.min(...set.items.map((s) => s.score)) : 0;
  const prepared = prepareOnce(db, prepareReplaceSet);
  const values = {
    businessId: set.businessId,
    count: set.items.length,
    rows,
    computedAt: meta.computedAt,
    sourceUpdatedAt: set.sourceUpdatedAt,
    analyzerVersion: meta.analyzerVersion,
    runId: meta.runId,
    lowestScore,
  };
  return [
    [prepared.trim, values],
    [prepared.upsert, values],
    [prepared.setRow, values],
  ];
}

function prepareReplaceSet(db: Database) {
  const businessId = sql`${sql.placeholder("businessId")}`;
  const computedAt = sql`${sql.placeholder("computedAt")}`;
  const sourceUpdatedAt = sql`${sql.placeholder("sourceUpdatedAt")}`;
  const analyzerVersion = sql`${sql.placeholder("analyzerVersion")}`;
  const runId = sql`${sql.placeholder("runId")}`;
  const lowestScore = sql`${sql.placeholder("lowestScore")}`;
  return {
    trim: db
      .delete(suggestions)
      .where(and(eq(suggestions.businessId, businessId), gt(suggestions.rank, sql.placeholder("count"))))
      .prepare(),
    upsert: insertSelect(
      db,
      suggestions,
      {
        businessId,
        rank: sql`j.key + 1`,
        candidateId: sql`json_extract(j.value, '$.id')`,
        score: sql`json_extract(j.value, '$.score')`,
        components: sql`json_extract(j.value, '$.components')`,
        reasons: sql`json_extract(j.value, '$.reasons')`,
        pattern: sql`json_extract(j.value, '$.pattern')`,
      },
      // "where true": SQLite needs a where before an upsert's "on conflict" after a select.
      sql`from json_each(${sql.placeholder("rows")}) as j where true`,
    )
      .onConflictDoUpdate({
        target: [suggestions.businessId, suggestions.rank],
        set: {
          candidateId: sql`excluded.candidate_id`,
          score: sql`excluded.score`,
          components: sql`excluded.components`,
          reasons: sql`excluded.reasons`,
          pattern: sql`excluded.pattern`,
        },
        setWhere: sql`${suggestions.candidateId} is not excluded.candidate_id
          or ${suggestions.score} is not excluded.score
          or ${suggestions.components} is not excluded.components
          or ${suggestions.reasons} is not excluded.reasons
          or ${suggestions.pattern} is not excluded.pattern`,
      })
      .prepare(),
    setRow: db
      .insert(suggestionSets)
      .values({
        businessId,
        computedAt,
        sourceUpdatedAt,
        analyzerVersion,
        staleSince: null,
        runId,
        lowestScore,
      })
      .onConflictDoUpdate({
        target: suggestionSets.businessId,
        set: {
          computedAt,
          sourceUpdatedAt,
          analyzerVersion,
          runId,
          lowestScore,
          staleSince: sql`case when ${suggestionSets.staleSince} >= ${computedAt} then ${suggestionSets.staleSince} else null end`,
        },
      })
      .prepare(),
  };
}

/** Statements that drop a business's stored set (it is inactive or gone). */
export function deleteSetStatements(db: Database, businessId: string) {
  return [
    db.delete(suggestions).where(eq(suggestions.businessId, businessId)),
    db.delete(suggestionSets).where(eq(suggestionSets.businessId, businessId)),
  ] as const;
}

/**
 * Marks stale every fresh set that lists `candidateId`: its row there is out of date. `onlyIf`
 * (an SQL boolean) makes it part of a guarded batch, e.g. "this confirmation won".
 */
export function markSetsContainingStale(db: Database, candidateId: string, now: number, onlyIf?: SQL) {
  return db
    .update(suggestionSets)
    .set({ staleSince: now })
    .where(
      and(
        isNull(suggestionSets.staleSince),
        inArray(
          suggestionSets.businessId,
          db
            .select({ id: suggestions.businessId })
            .from(suggestions)
            .where(eq(suggestions.candidateId, candidateId)),
        ),
        onlyIf,
      ),
    );
}

/**
 * The lowest score of any fresh stored set: a changed business that scores below it against
 * everyone enters no fresh set, so only its candidates at or above it need checking
 * ({@link markBeatenSetsStale}). 0 when there is no fresh set. Walks the partial index on
 * fresh sets' lowest scores.
 */
export function selectFreshLowestScore(db: Database) {
  return db
    .select({ lowest: min(suggestionSets.lowestScore) })
    .from(suggestionSets)
    .where(isNull(suggestionSets.staleSince));
}

/** {@link selectFreshLowestScore} prepared once per database (every write's rescore reads it). */
export function freshLowestScoreQuery(db: Database) {
  return prepareOnce(db, prepareFreshLowestScore);
}

function prepareFreshLowestScore(db: Database) {
  return selectFreshLowestScore(db).prepare();
}

/**
 * Marks stale the fresh sets that a changed business can now enter: `scores` pairs each owner
 * with the changed business's score against it (the fused score is symmetric), and a set is
 * marked when that score reaches its lowest stored score (ties are broken by id, so equal counts).
 * A set that is not full has lowest score 0 and is always marked. Sets that list the changed
 * business are marked by {@link markSetsContainingStale} in the write itself. Prepared once per
 * database (every write's stale-marking runs it): put it in a batch with `batchEntries`.
 */
export function markBeatenSetsStale(
  db: Database,
  scores: ReadonlyArray<[string, number]>,
  now: number,
): PreparedCall<unknown> {
  return [prepareOnce(db, prepareMarkBeaten), { pairs: JSON.stringify(scores), now }];
}

function prepareMarkBeaten(db: Database) {
  return db
    .update(suggestionSets)
    .set({ staleSince: sql`${sql.placeholder("now")}` })
    .where(
      and(
        isNull(suggestionSets.staleSince),
        inArray(
          suggestionSets.businessId,
          sql`(select s.business_id from json_each(${sql.placeholder("pairs")}) j
            join ${suggestionSets} s on s.business_id = json_extract(j.value, '$[0]')
            where json_extract(j.value, '$[1]') >= s.lowest_score)`,
        ),
      ),
    )
    .prepare();
}

/**
 * Active businesses whose stored set needs recomputing, in id order:
 * - no set, a set marked stale, a set computed from an older version of the business or by
 *   another analyzer;
 * - a business in the stored set of one whose matching inputs changed since `since` (by the reciprocal score's
 *   symmetry, its likely neighbours: the changed profile may now belong in their top-k);
 * - a business whose stored set lists one that changed since `since`.
 */
export function selectIdsNeedingRecompute(db: Database, input: { since: number; analyzerVersion: string }) {
  const changedNeighbours: SQL = sql`select s.candidate_id from ${suggestions} s
    join ${businesses} x on x.id = s.business_id where x.match_inputs_at > ${input.since}`;
  const listingChanged: SQL = sql`select s.business_id from ${suggestions} s
    join ${businesses} x on x.id = s.candidate_id where x.match_inputs_at > ${input.since}`;
  return db.all<{ id: string }>(sql`select b.id as id from ${businesses} b
    left join ${suggestionSets} ss on ss.business_id = b.id
    where b.active = 1 and b.status = 'published' and (
      ss.business_id is null
      or ss.stale_since is not null
      or ss.source_updated_at <> b.match_inputs_at
      or ss.analyzer_version <> ${input.analyzerVersion}
      or b.id in (${changedNeighbours})
      or b.id in (${listingChanged})
    )
    order by b.id`);
}

/** Every matchable (active and published) business, in id order (a full rebuild). */
export function selectActiveIds(db: Database) {
  return db
    .select({ id: businesses.id })
    .from(businesses)
    .where(and(eq(businesses.active, true), eq(businesses.status, "published")))
    .orderBy(asc(businesses.id));
}
