import { describe, expect, it } from "vitest";
import { syntheticRegistry } from "../../../scripts/bench/synthetic";
import { analyzeProfile } from "../../../src/matching";
import { DEFAULT_WEIGHTS } from "../../../src/matching/config";
import { buildCorpus, corpusBuilder, idfTables, internDoc, weighDoc } from "../../../src/matching/corpus";
import { createCategoryLookup, exactPairScore } from "../../../src/matching/pair";
import { postingOf, weightScratch, weightsOf } from "../../../src/matching/postings";

/** A doc's held weights as plain arrays, in entry order. */
function held(w: ReturnType<typeof weightsOf>, concepts: number, words: number) {
  return {
    offers: [...w.offers.subarray(0, concepts)],
    needs: [...w.needs.subarray(0, concepts)],
    all: [...w.all.subarray(0, concepts)],
    words: [...w.words.subarray(0, words)],
  };
}

describe("weights held once, in the postings", () => {
  // ~150 entries a business: 900 of them fill several of the builder's shared blocks of ids, so
  // some businesses' words start in the block after their concepts'.
  const profiles = syntheticRegistry(900, 11).map((p) => analyzeProfile(p));
  const corpus = buildCorpus(profiles);

  it("gives every built business the weights a business added later gets (one arithmetic)", () => {
    const idf = idfTables(corpus.interned, corpus.stats);
    const scratch = weightScratch();
    const byId = new Map(profiles.map((p) => [p.id, p]));
    let straddling = 0;
    for (const d of corpus.docs) {
      const c = d.concepts.to - d.concepts.from;
      const v = d.words.to - d.words.from;
      if (d.concepts.ids !== d.words.ids) straddling++;
      const added = weighDoc(internDoc(corpus.interned, byId.get(d.id) as (typeof profiles)[number]), idf);
      expect(added.own).not.toBeNull();
      const own = added.own as NonNullable<typeof added.own>;
      expect(held(weightsOf(corpus.postings, d, scratch), c, v), d.id).toEqual(held(own, c, v));
      // Every entry present has a positive weight in the whole profile (the search relies on it).
      expect(held(own, c, v).all.every((x) => x > 0)).toBe(true);
    }
    expect(straddling).toBeGreaterThan(0);
  });

  it("finds each business in each of its features' lists, and no business where it is not", () => {
    for (const d of corpus.docs.filter((_, i) => i % 7 === 0)) {
      const p = corpus.postings[d.sector].concepts;
      for (let j = d.concepts.from; j < d.concepts.to; j++) {
        const x = postingOf(p.start, p.doc, d.concepts.ids[j], d.at);
        expect(p.doc[x]).toBe(d.at);
      }
      // A list of the other sector never holds it.
      const other = corpus.postings[d.sector === "service" ? "industry" : "service"].concepts;
      for (let j = d.concepts.from; j < d.concepts.to; j++)
        expect(postingOf(other.start, other.doc, d.concepts.ids[j], d.at)).toBe(-1);
    }
  });

  it("scores a pair the same from either side (integer products, exactly symmetric)", () => {
    const ctx = { corpus, weights: DEFAULT_WEIGHTS, category: createCategoryLookup(corpus) };
    const service = corpus.docs.filter((d) => d.sector === "service").slice(0, 40);
    const industry = corpus.docs.filter((d) => d.sector === "industry").slice(0, 40);
    for (const s of service)
      for (const i of industry) expect(exactPairScore(ctx, s, i)).toBe(exactPairScore(ctx, i, s));
  });

  it("built a page at a time holds the same postings as a build of all at once", () => {
    const b = corpusBuilder();
    for (let at = 0, size = 1; at < profiles.length; at += size, size = size * 2 + 1)
      for (const p of structuredClone(profiles.slice(at, at + size))) b.add(p);
    const paged = b.finish();
    expect(paged.postings).toEqual(corpus.postings);
  });
});
