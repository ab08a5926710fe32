/** Plain Map-based TF-IDF, for the text-only baseline of the evaluation (the engine has its own typed index). */
import type { FeatureKey } from "../../src/matching/lexicon";

export type SparseVector = Map<FeatureKey, number>;

/** Smoothed inverse document frequency from document frequencies over `n` businesses. */
export function idfTable(docs: Iterable<Iterable<FeatureKey>>): Map<FeatureKey, number> {
  const df = new Map<FeatureKey, number>();
  let n = 0;
  for (const doc of docs) {
    n++;
    for (const f of new Set(doc)) df.set(f, (df.get(f) ?? 0) + 1);
  }
  const idf = new Map<FeatureKey, number>();
  for (const [f, d] of df) idf.set(f, Math.log((n + 1) / (d + 0.5)));
  return idf;
}

/**
 * L2-normalised TF-IDF vector with sublinear term frequency (1 + ln tf); weights below 1
 * (families, plain words) stay linear. Features unseen in the corpus get the largest idf.
 */
export function tfidfVector(
  bag: Iterable<[FeatureKey, number]>,
  idf: Map<FeatureKey, number>,
  maxIdf: number,
): SparseVector {
  const v: SparseVector = new Map();
  let norm = 0;
  for (const [f, tf] of bag) {
    const w = (tf > 1 ? 1 + Math.log(tf) : tf) * (idf.get(f) ?? maxIdf);
    if (w <= 0) continue;
    v.set(f, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [f, w] of v) v.set(f, w / norm);
  return v;
}

/** Dot product of two normalised vectors (cosine), with the per-feature contributions. */
export function cosine(
  a: SparseVector,
  b: SparseVector,
): { score: number; parts: Array<[FeatureKey, number]> } {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let score = 0;
  const parts: Array<[FeatureKey, number]> = [];
  for (const [f, w] of small) {
    const o = large.get(f);
    if (o !== undefined) {
      score += w * o;
      parts.push([f, w * o]);
    }
  }
  parts.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  return { score, parts };
}
