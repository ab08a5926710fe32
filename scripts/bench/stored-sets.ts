/**
 * The bench's stored-set figures (issue 11, "cheap stored suggestions"), without D1:
 * - bytesPerStoredSet: the column values one stored set writes (50 suggestion rows: ids, score,
 *   components JSON, reason codes JSON, pattern; and the set's row), counted as SQLite stores them
 *   (text as UTF-8 bytes, integers and reals 8 bytes); `...Before` is the same set as it was stored
 *   before codes: with a rank and the reasons as sentences in both languages. Page and index
 *   overhead is not counted (the candidate index adds ~40 bytes a row either way).
 * - setsMarkedPerEdit: stored sets one business edit marks stale: the sets listing it plus those it
 *   can now enter (its score reaches their lowest stored score, markSetsTheyEnter's rule);
 *   `...Before`, the rule it replaced: the sets listing it plus every set of its new top 50;
 *   setsMissedPerEditBefore: sets that rule left fresh although the edited business enters them.
 * - rowsWrittenPerRescore: rows a rescore of those sets writes now (rows keyed by candidate: only
 *   those whose candidate or score changed, plus the set's row); `...ByRank`: the same rescores with
 *   rows keyed by rank, as stored until 2026-12-03 (every rank whose candidate or score changed);
 *   `...Before`: 50 deleted, 50 inserted, the set's row, whatever changed.
 *   D1's own rows_written (which counts index entries too) for both shapes is measured in
 *   test/integration/services/matching/selective-staleness.test.ts.
 * - staleCheckMs: median time to find the sets one edit can enter (the matcher's part).
 */
import {
  type AnalyzedProfile,
  type LiveMatcher,
  renderReasons,
  type StoredSuggestion,
} from "../../src/matching";

const K = 50;
const utf8 = (s: string) => Buffer.byteLength(s, "utf8");

/** Column bytes of one stored set (see the file comment); `sentences` stores reasons as before. */
export function storedSetBytes(ownerId: string, items: StoredSuggestion[], sentences: boolean): number {
  let bytes = utf8(ownerId) + 8 * 5; // the set's row: id, computed/source/stale times, lowest score
  for (const s of items) {
    const reasons = sentences
      ? utf8(JSON.stringify(renderReasons(s.reasons, "id"))) +
        utf8(JSON.stringify(renderReasons(s.reasons, "en")))
      : utf8(JSON.stringify(s.reasons));
    const rank = sentences ? 8 : 0;
    bytes +=
      utf8(ownerId) + rank + utf8(s.id) + 8 + utf8(JSON.stringify(s.components)) + reasons + utf8(s.pattern);
  }
  return bytes;
}

interface StoredSet {
  lowest: number;
  ids: string[];
  /** One string per rank, to tell which ranks a rewrite changes. */
  rows: string[];
  /** Each candidate's row (as `rows`), to tell which candidates' rows a rewrite changes. */
  byCandidate: Map<string, string>;
}

const rowKey = (s: StoredSuggestion) => JSON.stringify([s.id, s.score, s.components, s.reasons, s.pattern]);

function toStored(items: StoredSuggestion[]): StoredSet {
  return {
    lowest: items.length >= K ? Math.min(...items.map((s) => s.score)) : 0,
    ids: items.map((s) => s.id),
    rows: items.map(rowKey),
    byCandidate: new Map(items.map((s) => [s.id, rowKey(s)])),
  };
}

/** Records that `owner`'s set lists each of `items`. */
function list(listing: Map<string, Set<string>>, items: StoredSuggestion[], owner: string): void {
  for (const s of items) {
    const l = listing.get(s.id) ?? new Set<string>();
    l.add(owner);
    listing.set(s.id, l);
  }
}

export interface StoredSetFigures {
  bytesPerStoredSet: number;
  bytesPerStoredSetBefore: number;
  setsMarkedPerEdit: number;
  setsMarkedPerEditBefore: number;
  /** Sets per edit the rule it replaced left fresh although the edited business enters them. */
  setsMissedPerEditBefore: number;
  rowsWrittenPerRescore: number;
  rowsWrittenPerRescoreByRank: number;
  rowsWrittenPerRescoreBefore: number;
  staleCheckMs: number;
}

/**
 * Stores every business's set as production would (owners: all of them, or a sample above 10k for
 * the bytes only), then applies `edits` real edits to the live matcher and counts what each marks
 * and what rescoring those sets writes.
 */
export function measureStoredSets(
  live: LiveMatcher,
  analysed: AnalyzedProfile[],
  options: { everyone: boolean; edits: number },
): StoredSetFigures {
  const ids = analysed.map((a) => a.id);
  const owners = options.everyone ? ids : ids.filter((_, i) => i % Math.ceil(ids.length / 2000) === 0);
  const sets = new Map<string, StoredSet>();
  const listing = new Map<string, Set<string>>();
  let bytes = 0;
  let bytesBefore = 0;
  for (const owner of owners) {
    const items = live.rankForStorage(owner, { limit: K });
    bytes += storedSetBytes(owner, items, false);
    bytesBefore += storedSetBytes(owner, items, true);
    if (!options.everyone) continue;
    sets.set(owner, toStored(items));
    list(listing, items, owner);
  }
  const figures = {
    bytesPerStoredSet: Math.round(bytes / owners.length),
    bytesPerStoredSetBefore: Math.round(bytesBefore / owners.length),
    setsMarkedPerEdit: Number.NaN,
    setsMarkedPerEditBefore: Number.NaN,
    setsMissedPerEditBefore: Number.NaN,
    rowsWrittenPerRescore: Number.NaN,
    rowsWrittenPerRescoreByRank: Number.NaN,
    rowsWrittenPerRescoreBefore: 2 * K + 1,
    staleCheckMs: Number.NaN,
  };
  if (!options.everyone) return figures;

  let marked = 0;
  let markedBefore = 0;
  let missedBefore = 0;
  let rescored = 0;
  let written = 0;
  let writtenByRank = 0;
  const checkTimes: number[] = [];
  const n = analysed.length;
  for (let e = 0; e < options.edits; e++) {
    const target = analysed[Math.floor(((e + 0.5) * n) / options.edits)];
    const from = analysed[(e * 7919 + 13) % n];
    const x = target.id;
    const listed = new Set(listing.get(x) ?? []);
    live.apply({ upsert: [{ ...from, id: x, sector: target.sector }], remove: [] });
    // What markSetsTheyEnter does: the floor of all sets (D1's index), then in the matcher the
    // owners at or above it, each compared with its own set's lowest score.
    let floor = Number.POSITIVE_INFINITY;
    for (const s of sets.values()) if (s.lowest < floor) floor = s.lowest;
    const t = performance.now();
    const enter = new Set<string>();
    for (const owner of live.topIds(x, { limit: live.size, minScore: floor })) {
      const score = live.score(x, owner)?.score ?? -1;
      if (score >= (sets.get(owner)?.lowest ?? 0)) enter.add(owner);
    }
    checkTimes.push(performance.now() - t);
    const stale = new Set([...listed, ...enter, x]);
    const before = new Set([...listed, ...live.topIds(x, { limit: K }), x]);
    marked += stale.size - 1;
    markedBefore += before.size - 1;
    for (const owner of enter) if (!before.has(owner)) missedBefore++;
    for (const owner of stale) {
      const items = live.rankForStorage(owner, { limit: K });
      for (const id of sets.get(owner)?.ids ?? []) listing.get(id)?.delete(owner);
      const old = sets.get(owner)?.rows ?? [];
      const next = toStored(items);
      let byRank = Math.max(0, old.length - next.rows.length); // the tail deleted
      next.rows.forEach((r, i) => {
        if (old[i] !== r) byRank++;
      });
      writtenByRank += byRank + 1;
      const oldRows = sets.get(owner)?.byCandidate ?? new Map<string, string>();
      let changed = 0;
      for (const [id, row] of next.byCandidate) if (oldRows.get(id) !== row) changed++; // updated or inserted
      for (const id of oldRows.keys()) if (!next.byCandidate.has(id)) changed++; // deleted
      written += changed + 1;
      rescored++;
      list(listing, items, owner);
      sets.set(owner, next);
    }
  }
  checkTimes.sort((a, b) => a - b);
  return {
    ...figures,
    setsMarkedPerEdit: Math.round((marked / options.edits) * 10) / 10,
    setsMarkedPerEditBefore: Math.round((markedBefore / options.edits) * 10) / 10,
    setsMissedPerEditBefore: Math.round((missedBefore / options.edits) * 10) / 10,
    rowsWrittenPerRescore: Math.round((written / rescored) * 10) / 10,
    rowsWrittenPerRescoreByRank: Math.round((writtenByRank / rescored) * 10) / 10,
    staleCheckMs: Math.round((checkTimes[Math.floor(checkTimes.length / 2)] ?? 0) * 1000) / 1000,
  };
}
