import { describe, expect, it } from "vitest";
import { syntheticRegistry } from "../../../scripts/bench/synthetic";
import {
  type AnalyzedProfile,
  analyzeProfile,
  createLiveMatcher,
  createMatcher,
  liveMatcherBuilder,
} from "../../../src/matching";

/** An edit of every matching input but the sector: another profile's texts, codes, place and size. */
function edited(p: AnalyzedProfile, from: AnalyzedProfile): AnalyzedProfile {
  return { ...from, id: p.id, sector: p.sector };
}

describe("live matcher (changes applied without a rebuild)", () => {
  const all = syntheticRegistry(900, 11).map((p) => analyzeProfile(p));
  const initial = all.slice(0, 700);
  const added = all.slice(700, 720);

  it("answers exactly as a full build over the same businesses with the same statistics", () => {
    const live = createLiveMatcher(initial);
    const editedIds = initial.filter((_, i) => i % 70 === 0).map((p) => p.id);
    const removed = initial.filter((_, i) => i % 80 === 5).map((p) => p.id);
    const edits = editedIds.map((id, j) =>
      edited(initial.find((p) => p.id === id) as AnalyzedProfile, all[800 + j]),
    );
    // Applied one change at a time, as revisions arrive; a business added then removed leaves no trace.
    for (const p of added) live.apply({ upsert: [p], remove: [] });
    for (const p of edits) live.apply({ upsert: [p], remove: [] });
    live.apply({ upsert: [], remove: [...removed, added[0].id] });
    // Below the compaction threshold: these answers come through the overlay.
    expect(live.overlaySize).toBeGreaterThan(30);

    const gone = new Set([...removed, added[0].id, ...editedIds]);
    const now = [...initial.filter((p) => !gone.has(p.id)), ...added.slice(1), ...edits];
    const rebuilt = createLiveMatcher(now, undefined, live.stats);
    expect(live.size).toBe(rebuilt.size);
    const queries = [
      ...editedIds,
      ...added.slice(1).map((p) => p.id),
      ...now.filter((_, i) => i % 23 === 0).map((p) => p.id),
    ];
    for (const id of queries) {
      expect(live.rankForStorage(id, { limit: 50 }), id).toEqual(rebuilt.rankForStorage(id, { limit: 50 }));
    }
    for (const id of removed) expect(live.has(id)).toBe(false);
    expect(live.rank(removed[0])).toEqual([]);
  }, 120_000);

  it("gives with each top candidate the score `score` gives the pair, from the index and the overlay", () => {
    const live = createLiveMatcher(initial);
    const queries = initial.filter((_, i) => i % 50 === 0).map((p) => p.id);
    const check = () => {
      for (const id of queries) {
        const scored = live.topScored(id, { limit: 40 });
        expect(scored.map((s) => s.id)).toEqual(live.topIds(id, { limit: 40 }));
        for (const s of scored) expect(s.score, `${id} ${s.id}`).toBe(live.score(id, s.id)?.score);
      }
    };
    check();
    live.apply({ upsert: added.slice(0, 5), remove: [initial[3].id] });
    expect(live.overlaySize).toBeGreaterThan(0);
    check();
  }, 120_000);

  it("built a page at a time equals a build of all at once, before and after changes", () => {
    // ~150 vector entries a business: 700 of them fill several of the builder's shared blocks,
    // so some businesses' vectors start in one block and end in the next.
    const builder = liveMatcherBuilder();
    for (let at = 0, size = 1; at < initial.length; at += size, size = size * 2 + 1)
      builder.add(structuredClone(initial.slice(at, at + size)));
    const paged = builder.finish();
    const whole = createLiveMatcher(initial);
    expect(paged.stats).toEqual(whole.stats);
    const change = { upsert: added.slice(0, 5), remove: [initial[3].id] };
    for (const round of [0, 1]) {
      for (const p of initial.filter((_, i) => i % 37 === 0)) {
        expect(paged.rankForStorage(p.id, { limit: 20 }), `${round} ${p.id}`).toEqual(
          whole.rankForStorage(p.id, { limit: 20 }),
        );
      }
      paged.apply(change);
      whole.apply(change);
    }
  }, 60_000);

  it("agrees with its own exhaustive scoring while changes are pending", () => {
    const live = createLiveMatcher(initial);
    live.apply({ upsert: added.slice(0, 10), remove: initial.slice(0, 5).map((p) => p.id) });
    for (const p of [...added.slice(0, 10), ...initial.filter((_, i) => i % 50 === 7)]) {
      expect(live.rank(p.id, { limit: 20 })).toEqual(live.rank(p.id, { limit: 20, exhaustive: true }));
    }
  }, 60_000);

  it("searches a business in the overlay by the base index, as scoring every pair would", () => {
    const live = createLiveMatcher(initial);
    // Edited businesses (one with a code list and words the base has never seen, so the base's own
    // category lookup does not know it), an added one, and removed ones the search must drop.
    const raw = syntheticRegistry(900, 11);
    const novel = analyzeProfile({
      ...raw[10],
      id: initial[10].id,
      kbli: [
        { code: "10110", version: "2020" },
        { code: "56101", version: "2020" },
        { code: "47111", version: "2020" },
      ],
      offers: `${raw[10].offers} zqxwortel zqxkudapan`,
    });
    const edits = [novel, ...[20, 40, 60].map((i) => edited(initial[i], all[800 + i]))];
    live.apply({ upsert: [...edits, added[0]], remove: initial.slice(100, 104).map((p) => p.id) });
    expect(live.overlaySize).toBeGreaterThan(5);
    for (const id of [...edits.map((p) => p.id), added[0].id]) {
      expect(live.rankForStorage(id, { limit: 50 }), id).toStrictEqual(
        live.rankForStorage(id, { limit: 50, exhaustive: true }),
      );
      // What stale-marking asks: every candidate at or above a floor, with its score.
      const floor = live.topScored(id, { limit: 50 }).at(-1)?.score ?? 0;
      const all = live.topScored(id, { limit: live.size, minScore: floor / 2 });
      expect(all.length).toBeGreaterThan(50);
      expect(all, id).toStrictEqual(
        live.topScored(id, { limit: live.size, minScore: floor / 2, exhaustive: true }),
      );
    }
  }, 60_000);

  it("compacts a large overlay into a new base and still equals a full build", () => {
    const live = createLiveMatcher(initial);
    // More than COMPACT_MIN changes in one go: compacted, same answers.
    live.apply({ upsert: all.slice(700, 900), remove: [] });
    expect(live.overlaySize).toBe(0);
    const rebuilt = createLiveMatcher(all, undefined, live.stats);
    for (const p of all.filter((_, i) => i % 60 === 0)) {
      expect(live.rankForStorage(p.id, { limit: 50 })).toEqual(rebuilt.rankForStorage(p.id, { limit: 50 }));
    }
  }, 60_000);

  it("without changes equals createMatcher, and a fresh full build takes its own statistics", () => {
    const live = createLiveMatcher(initial);
    const plain = createMatcher(initial);
    for (const p of initial.filter((_, i) => i % 70 === 0)) {
      expect(live.rankForStorage(p.id, { limit: 50 })).toEqual(plain.rankForStorage(p.id, { limit: 50 }));
    }
    expect(live.stats.n).toBe(initial.length);
    expect(createLiveMatcher(all).stats.n).toBe(all.length);
  }, 60_000);
});
