/**
 * `npm run eval -- --procurement [--json]`: package -> supplier matching (src/matching/procurement.ts)
 * on the hand-judged set in data/eval/procurement/dev.json (how it was judged: its README). Every
 * supplier is given the same readiness (NIB and e-katalog), so the figures measure what the
 * package asks for against what the suppliers do; ready and one-step lists are merged by score.
 */
import { readFileSync } from "node:fs";
import { RESERVED_FOR_SMALL_UP_TO } from "../../src/domain/procurement";
import { createLiveMatcher } from "../../src/matching";
import { rankSuppliers, type SupplierFacts } from "../../src/matching/procurement";
import { type DatasetBusiness, toProfile } from "./dataset";
import { type Grades, ndcgAt10, precisionAt5 } from "./metrics";

export const PROCUREMENT_SET = "data/eval/procurement/dev.json";

interface ProcurementSet {
  suppliers: DatasetBusiness[];
  packages: Array<{
    ref: string;
    name: string;
    type: string;
    pagu: number;
    judgments: Record<string, number>;
  }>;
}

export interface ProcurementEval {
  packages: number;
  p5: number;
  ndcg10: number;
  perPackage: Array<{ ref: string; name: string; p5: number; ndcg10: number; top5: string[] }>;
}

const round = (x: number) => Math.round(x * 10000) / 10000;

export function evaluateProcurement(file = PROCUREMENT_SET): ProcurementEval {
  const set = JSON.parse(readFileSync(file, "utf8")) as ProcurementSet;
  const profiles = set.suppliers.map((s) => toProfile(s, "2020"));
  const facts = new Map<string, SupplierFacts>(
    set.suppliers.map((s) => [s.ref, { hasNib: true, ekatalog: true, sizeClass: s.sizeClass }]),
  );
  const index = createLiveMatcher(profiles);
  const perPackage = set.packages.map((p) => {
    const r = rankSuppliers(index, facts, p, { reservedUpTo: RESERVED_FOR_SMALL_UP_TO }, "id", 20);
    const ranking = [...r.ready, ...r.oneStep].sort((a, b) => b.score - a.score).map((m) => m.id);
    const grades: Grades = new Map(Object.entries(p.judgments));
    return {
      ref: p.ref,
      name: p.name,
      p5: round(precisionAt5(ranking, grades)),
      ndcg10: round(ndcgAt10(ranking, grades)),
      top5: ranking.slice(0, 5),
    };
  });
  const mean = (xs: number[]) => round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));
  return {
    packages: perPackage.length,
    p5: mean(perPackage.map((p) => p.p5)),
    ndcg10: mean(perPackage.map((p) => p.ndcg10)),
    perPackage,
  };
}

/** Prints the report; with `json`, `{"procurement": {"packages", "p5", "ndcg10"}}` only. */
export function printProcurement(json: boolean): void {
  const r = evaluateProcurement();
  if (json) {
    console.log(JSON.stringify({ procurement: { packages: r.packages, p5: r.p5, ndcg10: r.ndcg10 } }));
    return;
  }
  console.log(`procurement set: ${PROCUREMENT_SET} (${r.packages} packages, hand-judged)`);
  for (const p of r.perPackage)
    console.log(
      `${p.ref}  P@5 ${p.p5.toFixed(2)}  nDCG@10 ${p.ndcg10.toFixed(3)}  ${p.name}  [${p.top5.join(" ")}]`,
    );
  console.log(
    `mean P@5 ${r.p5.toFixed(3)} (target >= 0.7: ${r.p5 >= 0.7 ? "met" : "missed"}); mean nDCG@10 ${r.ndcg10.toFixed(3)}`,
  );
}
