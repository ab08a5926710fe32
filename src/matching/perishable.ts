/**
 * Perishability of what a business supplies, read from its activity code (KBLI 2020) through
 * data/perishable-kbli.json: 1 for goods that spoil within a day (cooked meals, kue basah, tahu),
 * 0.5 for a few days, 0 otherwise. A buyer of perishable goods cares about distance more, so the
 * score moves weight from text to location for them (score.ts, `perishableLocation`).
 */
import perishableData from "../../data/perishable-kbli.json";

const prefixes = Object.entries(perishableData.prefixes as Record<string, { value: number }>)
  .map(([p, v]) => [p, v.value] as const)
  .sort((a, b) => b[0].length - a[0].length);

/**
 * The highest perishability among activity codes (longest prefix per code; "~" marks an
 * inferred code and is ignored).
 * @example activityPerishability(["10792"]) === 1; activityPerishability(["~18110"]) === 0
 */
export function activityPerishability(codes: readonly string[]): number {
  let out = 0;
  for (const raw of codes) {
    const code = raw.replace("~", "");
    const hit = prefixes.find(([p]) => code.startsWith(p));
    if (hit && hit[1] > out) out = hit[1];
  }
  return out;
}
