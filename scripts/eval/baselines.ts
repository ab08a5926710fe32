/**
 * Single-signal baselines the engine must beat, ranked over the same candidates.
 */
import { categoryScore } from "../../src/matching/category";
import { locationScore } from "../../src/matching/location";
import { isStopword, tokenize } from "../../src/matching/text";
import type { MatchProfile } from "../../src/matching/types";
import { mulberry32 } from "../lib/random";
import { cosine, idfTable, tfidfVector } from "./tfidf";

export type Ranker = (query: MatchProfile, candidates: MatchProfile[]) => string[];

function byScore(candidates: MatchProfile[], score: (c: MatchProfile) => number): string[] {
  return candidates
    .map((c) => ({ id: c.id, s: score(c) }))
    .sort((a, b) => b.s - a.s || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((x) => x.id);
}

function hash(s: string): number {
  let h = 2166136261;
  for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** A seeded shuffle per query: the same seed gives the same rankings. */
export function randomRanker(seed: number): Ranker {
  return (q, cands) => {
    const rnd = mulberry32(seed ^ hash(q.id));
    const ids = cands.map((c) => c.id).sort();
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    return ids;
  };
}

export const categoryRanker: Ranker = (q, cands) =>
  byScore(cands, (c) => {
    const [s, i] = q.sector === "service" ? [q, c] : [c, q];
    return categoryScore(
      s.kbli.map((k) => k.code),
      i.kbli.map((k) => k.code),
    ).score;
  });

export const locationRanker: Ranker = (q, cands) =>
  byScore(cands, (c) => locationScore(q.location, c.location).score);

/**
 * Plain TF-IDF on the raw text: lowercase word tokens minus stopwords, no stemming, no lexicon,
 * cosine of the whole profile (name, offers, needs) against each candidate's.
 */
export function textRanker(all: MatchProfile[]): Ranker {
  const words = (p: MatchProfile) =>
    tokenize(`${p.name ?? ""} ${p.offers} ${p.needs}`)
      .filter((t) => process.env.SW === "0" || !isStopword(t))
      .map((t): [string, number] => [t, 1]);
  const bags = new Map(all.map((p) => [p.id, words(p)]));
  const idf = idfTable([...bags.values()].map((b) => b.map(([t]) => t)));
  const maxIdf = Math.log(all.length + 1);
  const vec = new Map([...bags].map(([id, b]) => [id, tfidfVector(merge(b), idf, maxIdf)]));
  const get = (id: string) => vec.get(id) ?? new Map<string, number>();
  return (q, cands) => byScore(cands, (c) => cosine(get(q.id), get(c.id)).score);
}

function merge(bag: Array<[string, number]>): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const [t, w] of bag) m.set(t, (m.get(t) ?? 0) + w);
  return [...m];
}
