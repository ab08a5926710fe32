import {
  and,
  asc,
  desc,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  min,
  ne,
  or,
  type Placeholder,
  type SQL,
  sql,
} from "drizzle-orm";
import { alias, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import { businesses, declinedPairs, suggestionSets, suggestions } from "../../../schema";
import { arraySelect, type Database, insertSelect, type PreparedCall, prepareOnce } from "../../db";
import type { StoredSuggestion } from "../../matching";
import type { PublicProfileRow } from "../businesses/businesses.views";
import { registryValue, registryVersionColumns } from "../businesses/registry.queries";

/**
 * Suggestions stored per business. 50 is the API's largest `limit`, so any `limit` with any
 * `minScore` is served from the stored rows alone (minScore only removes from the tail).
 */
export const SUGGESTIONS_PER_BUSINESS = 50;

/**
 * A stored set's order, best first: by score, ties by candidate id, the order the matcher ranks
 * in (ties by id). Rows carry no rank (schema/suggestions.ts), so every reader orders by this.
 */
export const storedOrder = [desc(suggestions.score), asc(suggestions.candidateId)] as const;

/** {@link storedOrder} in JavaScript, for rows merged from several reads. */
export function byStoredOrder(
  a: { score: number; candidateId: string },
  b: { score: number; candidateId: string },
): number {
  return b.score - a.score || (a.candidateId < b.candidateId ? -1 : a.candidateId > b.candidateId ? 1 : 0);
}

/** {@link storedOrder} in raw SQL, for a query that names the suggestions table `alias` (or none). */
export function storedOrderSql(alias?: string): SQL {
  const of = alias ? `${alias}.` : "";
  return sql.raw(`${of}score desc, ${of}candidate_id asc`);
}

const selfWithSetStateColumns = {
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
  // The registry's version as this read saw it: a stale set is then rescored without the
  // matcher reading it again (`KnownVersion`, matcher.cache.ts).
  ...registryVersionColumns,
};

/** The caller's own row and its stored set's state, for the freshness check. */
export function selectSelfWithSetState(db: Database, id: string | Placeholder) {
  return db
    .select(selfWithSetStateColumns)
    .from(businesses)
    .leftJoin(suggestionSets, eq(suggestionSets.businessId, businesses.id))
    .where(eq(businesses.id, id));
}

/** Columns of a candidate's public profile (never its email, capacity or match features). */
/** A public profile's columns, as `toPublicProfile` reads them. */
type ProfileColumn = keyof PublicProfileRow;

function profileColumnsOf<B extends Record<ProfileColumn, SQLiteColumn>>(b: B): Pick<B, ProfileColumn> {
  return {
    id: b.id,
    name: b.name,
    sector: b.sector,
    nib: b.nib,
    kbli: b.kbli,
    sizeClass: b.sizeClass,
    kelurahan: b.kelurahan,
    kecamatan: b.kecamatan,
    city: b.city,
    regionCode: b.regionCode,
    lat: b.lat,
    lng: b.lng,
    offers: b.offers,
    needs: b.needs,
    ekatalogListed: b.ekatalogListed,
    ekatalogUrl: b.ekatalogUrl,
  };
}

/** Columns of a candidate's public profile (never its email, capacity or match features). */
export const publicProfileColumns = profileColumnsOf(businesses);

/** A declined pair ("tidak berminat") is never served, in either direction, until reset. */
function notDeclined(): SQL {
  return sql`not exists (select 1 from ${declinedPairs} d
    where d.low_id = min(${suggestions.businessId}, ${suggestions.candidateId})
      and d.high_id = max(${suggestions.businessId}, ${suggestions.candidateId}))`;
}

/**
 * The serving query: one business's stored suggestions, best first, joined with each candidate's
 * current public profile. Reads the set's rows by the (business_id, candidate_id) primary key
 * and sorts those few ({@link storedOrder}); inactive or unpublished
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
        notDeclined(),
      ),
    )
    .orderBy(...storedOrder)
    .limit(input.limit);
}

/**
 * A warm read in one statement: the caller's row and its set's state ({@link selectSelfWithSetState}),
 * left-joined with its servable stored rows ({@link selectStoredSuggestions}: the same rules: the
 * candidate active, published and of the other sector, no declined pair, `minScore`, best first).
 * One row per served suggestion, each repeating the caller's columns, or one row with
 * `candidate: null` when no stored row exists. When the set has rows but none is servable, nothing
 * comes back: the caller cannot tell that from a missing business and asks the two queries apart.
 * Returns the query and the selection it lays out, for `arraySelect` (D1's array rows): the
 * caller's and the candidates' columns share names, which D1's object rows (a batch) would merge.
 */
export function selectServingRead(
  db: Database,
  input: { businessId: string | Placeholder; limit: number | Placeholder; minScore: number | Placeholder },
) {
  const candidate = alias(businesses, "candidate");
  const selection = {
    self: selfWithSetStateColumns,
    score: suggestions.score,
    components: suggestions.components,
    reasons: suggestions.reasons,
    pattern: suggestions.pattern,
    candidate: profileColumnsOf(candidate),
  };
  const servable = and(
    eq(candidate.id, suggestions.candidateId),
    eq(candidate.active, true),
    eq(candidate.status, "published"),
    ne(candidate.sector, businesses.sector),
  );
  const query = db
    .select(selection)
    .from(businesses)
    .leftJoin(suggestionSets, eq(suggestionSets.businessId, businesses.id))
    .leftJoin(
      suggestions,
      and(eq(suggestions.businessId, businesses.id), gte(suggestions.score, input.minScore), notDeclined()),
    )
    .leftJoin(candidate, servable)
    .where(
      and(eq(businesses.id, input.businessId), or(isNull(suggestions.businessId), isNotNull(candidate.id))),
    )
    .orderBy(...storedOrder)
    .limit(input.limit);
  return { query, selection };
}

/**
 * The queries of a warm read, prepared once per database and isolate: the same SQL, without
 * building it on every request. `read` ({@link selectServingRead}) serves a fresh set in one
 * statement; `self` and `stored` ({@link selectSelfWithSetState}, {@link selectStoredSuggestions}),
 * run together with `batchPrepared`, answer what it cannot tell apart. Placeholders `id`, `limit`,
 * `minScore`.
 */
export function servingQueries(db: Database) {
  return prepareOnce(db, prepareServing);
}

/** {@link selectServingRead}, prepared, on D1's array rows (see `arraySelect`). */
function servingRead(db: Database, input: Parameters<typeof selectServingRead>[1]) {
  const { query, selection } = selectServingRead(db, input);
  const prepared = query.prepare();
  type Row = Awaited<ReturnType<typeof prepared.all>>[number];
  return arraySelect<Row>(db, prepared, selection);
}

function prepareServing(db: Database) {
  const input = {
    businessId: sql.placeholder("id"),
    limit: sql.placeholder("limit"),
    minScore: sql.placeholder("minScore"),
  };
  return {
    read: servingRead(db, input),
    self: selectSelfWithSetState(db, sql.placeholder("id")).prepare(),
    stored: selectStoredSuggestions(db, input).prepare(),
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
 * Only what changed is written: a candidate whose row is the same as stored is left alone (the
 * upsert's `where`), candidates no longer in the set are deleted. Rows are keyed by candidate,
 * not rank, so a rescore after one business changed writes that business's row (and the one it
 * pushed out or let in) and the set's row, not every row whose rank moved.
 * Reasons are stored as codes (`explainCodes`), rendered in the reader's language on read.
 * A stale mark made at or after `computedAt`, or one of a registry revision after the matcher's
 * (`matcherRevision`: a change the matcher did not hold), survives: a write that raced this
 * computation leaves the set stale.
 * The statements are prepared once per database and isolate (every rescore writes them): only
 * their values are made here.
 */
export function replaceSetStatements(
  db: Database,
  set: SetToStore,
  meta: {
    computedAt: number;
    analyzerVersion: string;
    runId: string | null;
    matcherRevision: number;
    /** The matcher's revision of each neighbour shard, by name (`CachedMatcher.sourceRevisions`). */
    sourceRevisions?: Record<string, number> | undefined;
  },
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
    rows,
    ids: JSON.stringify(set.items.map((s) => s.id)),
    computedAt: meta.computedAt,
    sourceUpdatedAt: set.sourceUpdatedAt,
    analyzerVersion: meta.analyzerVersion,
    runId: meta.runId,
    lowestScore,
    matcherRevision: meta.matcherRevision,
    sourceRevisions: JSON.stringify(meta.sourceRevisions ?? {}),
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
  // A mark this computation did not see: made at or after it started, or for a later revision of
  // this database or of a neighbour shard than its matcher held. A shard the matcher does not hold
  // (the layout changed since the mark) is not compared: its businesses are none of its candidates.
  const held = sql`json_extract(${sql.placeholder("sourceRevisions")}, '$."' || m.key || '"')`;
  const keepStale = sql`(${suggestionSets.staleSince} >= ${computedAt}
    or coalesce(${suggestionSets.staleRevision}, 0) > ${sql.placeholder("matcherRevision")}
    or exists (select 1 from json_each(coalesce(${suggestionSets.staleSources}, '{}')) m
      where ${held} is not null and m.value > ${held}))`;
  return {
    trim: db
      .delete(suggestions)
      .where(
        and(
          eq(suggestions.businessId, businessId),
          sql`${suggestions.candidateId} not in
            (select value from json_each(${sql.placeholder("ids")}))`,
        ),
      )
      .prepare(),
    upsert: insertSelect(
      db,
      suggestions,
      {
        businessId,
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
        target: [suggestions.candidateId, suggestions.businessId],
        set: {
          score: sql`excluded.score`,
          components: sql`excluded.components`,
          reasons: sql`excluded.reasons`,
          pattern: sql`excluded.pattern`,
        },
        setWhere: sql`${suggestions.score} is not excluded.score
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
          staleSince: sql`case when ${keepStale} then ${suggestionSets.staleSince} else null end`,
          staleRevision: sql`case when ${keepStale} then ${suggestionSets.staleRevision} else null end`,
          staleSources: sql`case when ${keepStale} then ${suggestionSets.staleSources} else null end`,
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
 * Marks stale every set that lists `candidateId`: its row there is out of date. `onlyIf` (an SQL
 * boolean) makes it part of a guarded batch, e.g. "this confirmation won". In the changed
 * business's own database (no `source`) the mark also records the registry revision (read in the
 * statement: in a write's batch, after its bump), on sets already stale too, so that a computation
 * whose matcher was older keeps the set stale (`replaceSetStatements`). In a neighbour shard's
 * database, `source` names the changed business's shard and that shard's revision with the change,
 * recorded the same way in `stale_sources` (a neighbour's revisions cannot be compared with this
 * database's).
 */
export function markSetsContainingStale(
  db: Database,
  candidateId: string,
  now: number,
  { onlyIf, source }: { onlyIf?: SQL | undefined; source?: MarkSource | undefined } = {},
) {
  const listing = inArray(
    suggestionSets.businessId,
    db
      .select({ id: suggestions.businessId })
      .from(suggestions)
      .where(eq(suggestions.candidateId, candidateId)),
  );
  return db
    .update(suggestionSets)
    .set(
      source
        ? neighbourMark(sql`${now}`, sql`${source.name}`, sql`${source.revision}`)
        : staleMark(sql`${now}`),
    )
    .where(and(listing, onlyIf));
}

/** The shard whose change a mark in a neighbour shard's database records, and its revision then. */
export interface MarkSource {
  name: string;
  revision: number;
}

/**
 * A stale mark at `now` in a neighbour shard's database for a change of `revision` in shard `name`:
 * the later of that revision and any recorded for the same shard is kept in `stale_sources`.
 */
function neighbourMark(now: SQL, name: SQL, revision: SQL) {
  const path = sql`'$."' || ${name} || '"'`;
  return {
    staleSince: sql`coalesce(${suggestionSets.staleSince}, ${now})`,
    staleSources: sql`json_set(coalesce(${suggestionSets.staleSources}, '{}'), ${path},
      max(coalesce(json_extract(${suggestionSets.staleSources}, ${path}), 0), ${revision}))`,
  };
}

/** A stale mark at `now` that records the database's current registry revision (see above). */
function staleMark(now: SQL) {
  return {
    staleSince: sql`coalesce(${suggestionSets.staleSince}, ${now})`,
    staleRevision: sql`max(coalesce(${suggestionSets.staleRevision}, 0), coalesce(${registryValue("revision")}, 0))`,
  };
}

/**
 * The lowest score of any stored set, fresh or stale: a changed business that scores below it
 * against everyone enters no set. Stale sets count since the marks also record the change's
 * revision on them (so that a computation in flight, whose matcher missed the change, leaves its
 * set stale), and a stale set may have the lowest score of all. Walks the index on lowest scores.
 */
export function selectLowestScore(db: Database) {
  return db.select({ lowest: min(suggestionSets.lowestScore) }).from(suggestionSets);
}

/** {@link selectLowestScore} prepared once per database (every write's rescore reads it). */
export function lowestScoreQuery(db: Database) {
  return prepareOnce(db, prepareLowestScore);
}

function prepareLowestScore(db: Database) {
  return selectLowestScore(db).prepare();
}

/**
 * Marks stale the sets that a changed business can now enter: `scores` pairs each owner with the
 * changed business's score against it (the fused score is symmetric), and a set is marked when
 * that score reaches its lowest stored score (ties are broken by id, so equal counts). A set that
 * is not full has lowest score 0 and is always marked. Sets already stale get the change's
 * revision recorded: this database's (`staleRevision`), or in a neighbour shard's database the
 * changed business's shard's (`source`, in `stale_sources`). Sets that list the changed business
 * are marked by {@link markSetsContainingStale}. Prepared once per database (every write's
 * stale-marking runs it): put it in a batch with `batchEntries`.
 */
export function markBeatenSetsStale(
  db: Database,
  scores: ReadonlyArray<[string, number]>,
  now: number,
  source?: MarkSource,
): PreparedCall<unknown> {
  const pairs = JSON.stringify(scores);
  return source
    ? [
        prepareOnce(db, prepareMarkBeatenNeighbour),
        { pairs, now, source: source.name, revision: source.revision },
      ]
    : [prepareOnce(db, prepareMarkBeaten), { pairs, now }];
}

/** The sets whose lowest score one of the (owner, score) pairs reaches. */
function beatenSets(): SQL {
  return sql`(select s.business_id from json_each(${sql.placeholder("pairs")}) j
    join ${suggestionSets} s on s.business_id = json_extract(j.value, '$[0]')
    where json_extract(j.value, '$[1]') >= s.lowest_score)`;
}

/** In the changed business's own database: its revision recorded. */
function prepareMarkBeaten(db: Database) {
  return db
    .update(suggestionSets)
    .set(staleMark(sql`${sql.placeholder("now")}`))
    .where(inArray(suggestionSets.businessId, beatenSets()))
    .prepare();
}

/** In a neighbour shard's database: the changed business's shard and its revision recorded. */
function prepareMarkBeatenNeighbour(db: Database) {
  return db
    .update(suggestionSets)
    .set(
      neighbourMark(
        sql`${sql.placeholder("now")}`,
        sql`${sql.placeholder("source")}`,
        sql`${sql.placeholder("revision")}`,
      ),
    )
    .where(inArray(suggestionSets.businessId, beatenSets()))
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
