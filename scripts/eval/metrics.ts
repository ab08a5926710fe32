/**
 * Ranking metrics exactly as shared/eval/FORMAT.md defines them.
 */
export type Grades = Map<string, number>;

/** nDCG@10 with gain 2^grade - 1 and discount log2(rank + 1); ideal from the query's judged grades. */
export function ndcgAt10(ranking: string[], grades: Grades): number {
  const gain = (g: number) => 2 ** g - 1;
  let dcg = 0;
  ranking.slice(0, 10).forEach((id, i) => {
    dcg += gain(grades.get(id) ?? 0) / Math.log2(i + 2);
  });
  const ideal = [...grades.values()].sort((a, b) => b - a).slice(0, 10);
  let idcg = 0;
  ideal.forEach((g, i) => {
    idcg += gain(g) / Math.log2(i + 2);
  });
  return idcg === 0 ? 0 : dcg / idcg;
}

/** Share of the top 5 with grade >= 2. */
export function precisionAt5(ranking: string[], grades: Grades): number {
  return ranking.slice(0, 5).filter((id) => (grades.get(id) ?? 0) >= 2).length / 5;
}

/** 1 / rank of the first candidate with grade >= 2 in the full ranking, 0 if none. */
export function reciprocalRank(ranking: string[], grades: Grades): number {
  const i = ranking.findIndex((id) => (grades.get(id) ?? 0) >= 2);
  return i < 0 ? 0 : 1 / (i + 1);
}

export interface Metrics {
  ndcg10: number;
  p5: number;
  mrr: number;
  coverage: number;
}

/**
 * Averages over queries; coverage is the share of all `universe` businesses that appear in
 * at least one query's top 10.
 */
export function evaluateRankings(
  rankings: Map<string, string[]>,
  judgments: Map<string, Grades>,
  universeSize: number,
): Metrics {
  let ndcg = 0;
  let p5 = 0;
  let mrr = 0;
  const seen = new Set<string>();
  for (const [query, grades] of judgments) {
    const ranking = rankings.get(query) ?? [];
    ndcg += ndcgAt10(ranking, grades);
    p5 += precisionAt5(ranking, grades);
    mrr += reciprocalRank(ranking, grades);
    for (const id of ranking.slice(0, 10)) seen.add(id);
  }
  const n = judgments.size || 1;
  const r = (x: number) => Math.round(x * 10000) / 10000;
  return { ndcg10: r(ndcg / n), p5: r(p5 / n), mrr: r(mrr / n), coverage: r(seen.size / universeSize) };
}
