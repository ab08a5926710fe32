import {
  and,
  asc,
  eq,
  gt,
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
import {
  arraySelect,
  type Database,
  insertSelect,
  type PreparedCall,
  prepareOnce,
  rawStatement,
} from "../../db";
import type { StoredSuggestion } from "../../matching";
import type { PublicProfileRow } from "../businesses/businesses.views";
import { type RegistryVersion, registryValue, registryVersionColumns } from "../businesses/registry.queries";

/**
 * Suggestions stored per business. 50 is the API's largest `limit`, so any `limit` with any
 * `minScore` is served from the stored rows alone (minScore only removes from the tail).
 */
export const SUGGESTIONS_PER_BUSINESS = 50;

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
        notDeclined(),
      ),
    )
    .orderBy(asc(suggestions.rank))
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
    rank: suggestions.rank,
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
    .orderBy(asc(suggestions.rank))
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
 * Only what changed is written: a rank whose row is the same as stored is left alone (the upsert's
 * `where`), ranks past the new set's end are deleted. A rescore that moves two candidates writes
 * those ranks and the set's row, not 50 deletes and 50 inserts.
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
  meta: { computedAt: number; analyzerVersion: string; runId: string | null; matcherRevision: number },
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
    matcherRevision: meta.matcherRevision,
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
  // A mark (or a repair) this computation did not see: made at or after it started, or for a later revision.
  const keepStale = sql`(${suggestionSets.staleSince} >= ${computedAt}
    or coalesce(${suggestionSets.staleRevision}, 0) > ${sql.placeholder("matcherRevision")})`;
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
          // A set repaired in place for a later revision is fresh: a computation older than the
          // repair makes it stale again (repairListingStatements).
          staleSince: sql`case when ${keepStale} then coalesce(${suggestionSets.staleSince}, ${computedAt}) else null end`,
          staleRevision: sql`case when ${keepStale} then ${suggestionSets.staleRevision} else null end`,
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
 * business's own database (`ownDatabase`, the default) the mark also records the registry revision
 * (read in the statement: in a write's batch, after its bump), on sets already stale too, so that
 * a computation whose matcher was older keeps the set stale (`replaceSetStatements`). A neighbour
 * shard's revisions count another database's changes: there only the time is marked.
 */
export function markSetsContainingStale(
  db: Database,
  candidateId: string,
  now: number,
  { onlyIf, ownDatabase = true }: { onlyIf?: SQL | undefined; ownDatabase?: boolean } = {},
) {
  const listing = inArray(
    suggestionSets.businessId,
    db
      .select({ id: suggestions.businessId })
      .from(suggestions)
      .where(eq(suggestions.candidateId, candidateId)),
  );
  if (!ownDatabase) {
    return db
      .update(suggestionSets)
      .set({ staleSince: now })
      .where(and(isNull(suggestionSets.staleSince), listing, onlyIf));
  }
  return db
    .update(suggestionSets)
    .set(staleMark(sql`${now}`))
    .where(and(listing, onlyIf));
}

/** The owners of the stored sets that list `candidateId` (an edit repairs them: below). */
export function selectListingOwners(db: Database, candidateId: string) {
  return db
    .select({ id: suggestions.businessId })
    .from(suggestions)
    .where(eq(suggestions.candidateId, candidateId));
}

/** The matcher a repair's rows come from, and what the repaired sets must agree with. */
export interface RepairBasis {
  /** The own database's version the matcher that scored the rows held. */
  matcher: RegistryVersion;
  analyzerVersion: string;
  now: number;
}

/** What {@link repairListingStatements} needs: a changed business's rows in the sets that list it. */
export interface ListingRepair extends RepairBasis {
  /** The changed business (the candidate in others' sets). */
  candidateId: string;
  /** Each listing owner's row for it, as the matcher scores the pair with the change applied. */
  rows: ReadonlyMap<string, StoredSuggestion>;
  /** The `updatedAt` this write gives the candidate: the repair happens only if the write won. */
  updatedAt: number;
}

/** The rows as one JSON parameter, and a CTE `p` over it (parsed once per statement). */
function pairsParameter(rows: ReadonlyMap<string, StoredSuggestion>) {
  const json = JSON.stringify(
    [...rows].map(([o, row]) => ({
      o,
      score: row.score,
      components: row.components,
      reasons: row.reasons,
      pattern: row.pattern,
    })),
  );
  return {
    withPairs: sql`with p as materialized (select json_extract(value, '$.o') as o,
        json_extract(value, '$.score') as score, json_extract(value, '$.components') as components,
        json_extract(value, '$.reasons') as reasons, json_extract(value, '$.pattern') as pattern
      from json_each(${json}))`,
    owners: sql`(select json_extract(value, '$.o') from json_each(${json}))`,
  };
}

/**
 * Whether `owner`'s set may be repaired with rows a matcher of version `b.matcher` scored: the set
 * is fresh, computed from its owner as the owner is now and by this analyzer, and the owner did not
 * change after the matcher's revision in its epoch and generation (so the matcher scored each pair
 * with the owner as stored, and with the corpus statistics the set was computed with).
 */
function repairable(owner: SQL, b: RepairBasis): SQL {
  return sql`(exists (select 1 from suggestion_sets es
      join businesses eb on eb.id = es.business_id
      where es.business_id = ${owner} and es.stale_since is null
        and es.analyzer_version = ${b.analyzerVersion} and es.source_updated_at = eb.match_inputs_at)
    and not exists (select 1 from matching_changes ec
      where ec.revision > ${b.matcher.revision} and ec.business_id = ${owner})
    and coalesce(${registryValue("epoch")}, 0) = ${b.matcher.epoch}
    and coalesce(${registryValue("generation")}, 0) = ${b.matcher.generation})`;
}

/** Whether `owner`'s set is full and a row of `score` for `candidate` ranks before its lowest other row (score, then id, as the matcher orders). */
function beatsLowest(owner: SQL, candidate: string, score: SQL): SQL {
  return sql`((select count(*) from suggestions n
      where n.business_id = ${owner}) >= ${SUGGESTIONS_PER_BUSINESS}
    and exists (select 1 from (select l.score as ls, l.candidate_id as lc from suggestions l
        where l.business_id = ${owner} and l.candidate_id <> ${candidate}
        order by l.score asc, l.candidate_id desc limit 1)
      where ${score} > ls or (${score} = ls and ${candidate} < lc)))`;
}

/**
 * Re-ranks the sets of `owners` by score, then id (as the matcher orders), through negative ranks
 * since ranks are unique per set: only the rows that move are written.
 */
function rerankStatements(owners: SQL): PreparedCall<unknown>[] {
  return [
    rawStatement(sql`update suggestions set rank = -r.nr
      from (select business_id as b, rank as old, row_number() over (partition by business_id
          order by score desc, candidate_id asc) as nr
        from suggestions where business_id in ${owners}) as r
      where suggestions.business_id = r.b and suggestions.rank = r.old and r.nr <> r.old`),
    rawStatement(sql`update suggestions set rank = -rank where rank < 0 and business_id in ${owners}`),
  ];
}

/** Owners (of `p`) whose set lists `candidate` with exactly its row in `p`. */
function listingExactly(candidate: string): SQL {
  return sql`(select p.o from p join suggestions s on s.business_id = p.o and s.candidate_id = ${candidate}
    and s.score = p.score and s.components = p.components and s.reasons = p.reasons
    and s.pattern = p.pattern)`;
}

/** The lowest score of a repaired (full) set, and the revision of the change it took. */
function repairedSet(): SQL {
  return sql`stale_revision = max(coalesce(stale_revision, 0), coalesce(${registryValue("revision")}, 0)),
    lowest_score = (select min(n.score) from suggestions n where n.business_id = suggestion_sets.business_id)`;
}

/**
 * Statements, for a registry write's own batch after its revision bump, that bring every stored
 * set listing a changed business up to date in place where that is exact, and mark the others
 * stale (what {@link markSetsContainingStale} does for all of them).
 *
 * A set that was exact before the change is exact after it once the business's row is replaced
 * by its new one and the set re-ranked, provided the row still belongs in it: nothing else moved
 * (the pair's score depends only on the two businesses and on corpus statistics fixed within a
 * generation). A set is repaired when it is {@link repairable}, the write itself won (the
 * business row has this write's `updatedAt`), and the set is full with the new row still ranking
 * before its lowest other row (else the 51st candidate, unknown here, may belong in it). A
 * repaired set stays fresh and records the revision, so that a computation whose matcher did not
 * see the change, landing later, leaves it stale (`replaceSetStatements`), as after a mark.
 * Every other listing set is marked.
 */
export function repairListingStatements(r: ListingRepair): PreparedCall<unknown>[] {
  const x = r.candidateId;
  const { withPairs, owners } = pairsParameter(r.rows);
  const won = sql`exists (select 1 from businesses ew where ew.id = ${x} and ew.updated_at = ${r.updatedAt})`;
  const eligible = (owner: SQL) => sql`(${repairable(owner, r)} and ${won})`;
  return [
    rawStatement(sql`${withPairs} update suggestions
      set score = p.score, components = p.components, reasons = p.reasons, pattern = p.pattern
      from p
      where suggestions.business_id = p.o and suggestions.candidate_id = ${x}
        and ${eligible(sql`p.o`)} and ${beatsLowest(sql`p.o`, x, sql`p.score`)}`),
    ...rerankStatements(owners),
    rawStatement(sql`${withPairs} update suggestion_sets
      set stale_since = coalesce(stale_since, ${r.now}),
        stale_revision = max(coalesce(stale_revision, 0), coalesce(${registryValue("revision")}, 0))
      where business_id in (select business_id from suggestions where candidate_id = ${x})
        and not (business_id in ${listingExactly(x)} and ${eligible(sql`suggestion_sets.business_id`)})`),
    rawStatement(sql`${withPairs} update suggestion_sets set ${repairedSet()}
      where business_id in ${listingExactly(x)} and ${eligible(sql`suggestion_sets.business_id`)}`),
  ];
}

/** What {@link enterRepairStatements} needs: a changed business's rows in the sets it may enter. */
export interface EnterRepair extends RepairBasis {
  candidateId: string;
  /** Owners whose score with it reaches the lowest fresh score, with its row in their sets. */
  rows: ReadonlyMap<string, StoredSuggestion>;
}

/**
 * Statements that put a changed business (already in the matcher, at or after its change) into the
 * stored sets it now enters, where that is exact, and mark stale the other sets it may enter: the
 * in-place form of {@link markBeatenSetsStale} for one business in its own database.
 *
 * A full set that is exact stays exact when a candidate that was not in it but now ranks before
 * its lowest row (score, then id) takes that row's place: the lowest row is now 51st. Repaired:
 * sets {@link repairable} that do not list the business, when the business did not change after
 * the matcher's revision either (the rows are of its latest version). The row goes in at rank 0,
 * the set's lowest other row is deleted, the set re-ranked, its lowest score and the revision
 * recorded (as {@link repairListingStatements} does). Then every set whose lowest score the
 * business's score reaches is marked stale, unless it lists the business with that score (a
 * repaired set, or one computed with the change).
 */
export function enterRepairStatements(r: EnterRepair): PreparedCall<unknown>[] {
  const x = r.candidateId;
  const { withPairs, owners } = pairsParameter(r.rows);
  const current = sql`not exists (select 1 from matching_changes xc
    where xc.revision > ${r.matcher.revision} and xc.business_id = ${x})`;
  return [
    rawStatement(sql`${withPairs} insert into suggestions
        (business_id, rank, candidate_id, score, components, reasons, pattern)
      select p.o, 0, ${x}, p.score, p.components, p.reasons, p.pattern from p
      where ${current} and ${repairable(sql`p.o`, r)}
        and not exists (select 1 from suggestions w where w.business_id = p.o and w.candidate_id = ${x})
        and ${beatsLowest(sql`p.o`, x, sql`p.score`)}`),
    rawStatement(sql`delete from suggestions where rowid in (select (select l.rowid from suggestions l
        where l.business_id = z.business_id and l.candidate_id <> ${x}
        order by l.score asc, l.candidate_id desc limit 1)
      from suggestions z where z.rank = 0 and z.candidate_id = ${x})`),
    ...rerankStatements(owners),
    rawStatement(sql`${withPairs} update suggestion_sets set ${repairedSet()}
      where business_id in (select z.o from p z join suggestions s on s.business_id = z.o
        and s.candidate_id = ${x} and s.score = z.score)
        and stale_since is null and ${repairable(sql`suggestion_sets.business_id`, r)}`),
    rawStatement(sql`${withPairs} update suggestion_sets
      set stale_since = coalesce(stale_since, ${r.now}),
        stale_revision = max(coalesce(stale_revision, 0), coalesce(${registryValue("revision")}, 0))
      where business_id in (select z.o from p z join suggestion_sets t on t.business_id = z.o
        where z.score >= t.lowest_score and not exists (select 1 from suggestions s
          where s.business_id = z.o and s.candidate_id = ${x} and s.score = z.score))`),
  ];
}

/** A stale mark at `now` that records the database's current registry revision (see above). */
function staleMark(now: SQL) {
  return {
    staleSince: sql`coalesce(${suggestionSets.staleSince}, ${now})`,
    staleRevision: sql`max(coalesce(${suggestionSets.staleRevision}, 0), coalesce(${registryValue("revision")}, 0))`,
  };
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
 * with a changed business's score against it (the fused score is symmetric) and that business's
 * id, and a set is marked when that score reaches its lowest stored score (ties are broken by id, so equal counts).
 * A set that is not full has lowest score 0 and is always marked. Sets that list the changed
 * business are marked by {@link markSetsContainingStale} in the write itself. Prepared once per
 * database (every write's stale-marking runs it): put it in a batch with `batchEntries`.
 */
export function markBeatenSetsStale(
  db: Database,
  scores: ReadonlyArray<readonly [owner: string, score: number, changed: string]>,
  now: number,
  ownDatabase = true,
): PreparedCall<unknown> {
  return [
    prepareOnce(db, ownDatabase ? prepareMarkBeaten : prepareMarkBeatenNeighbour),
    { pairs: JSON.stringify(scores), now },
  ];
}

/**
 * The sets whose lowest score one of the (owner, score, changed business) triples reaches, unless
 * the set lists that business with that score already (its write repaired the set in place:
 * `repairListingStatements`; a set listing it otherwise was marked by the write).
 */
function beatenSets(): SQL {
  return sql`(select s.business_id from json_each(${sql.placeholder("pairs")}) j
    join ${suggestionSets} s on s.business_id = json_extract(j.value, '$[0]')
    where json_extract(j.value, '$[1]') >= s.lowest_score
      and not exists (select 1 from ${suggestions} x where x.business_id = s.business_id
        and x.candidate_id = json_extract(j.value, '$[2]') and x.score = json_extract(j.value, '$[1]')))`;
}

/** In the changed business's own database: the revision recorded, on stale sets too. */
function prepareMarkBeaten(db: Database) {
  return db
    .update(suggestionSets)
    .set(staleMark(sql`${sql.placeholder("now")}`))
    .where(inArray(suggestionSets.businessId, beatenSets()))
    .prepare();
}

/** In a neighbour shard's database: fresh sets marked with the time only. */
function prepareMarkBeatenNeighbour(db: Database) {
  return db
    .update(suggestionSets)
    .set({ staleSince: sql`${sql.placeholder("now")}` })
    .where(and(isNull(suggestionSets.staleSince), inArray(suggestionSets.businessId, beatenSets())))
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
