import sizeClassData from "../../data/size-classes.json";
import type { SizeClass } from "./business";

/**
 * The size classes of PP 7/2021 Pasal 35 with their ranges (data/size-classes.json): business
 * capital (modal usaha, excluding land and premises) or annual sales (hasil penjualan tahunan).
 * Lower bounds are exclusive ("lebih dari"), upper bounds inclusive ("sampai dengan").
 */
export interface SizeClassRange {
  code: SizeClass;
  capitalMin?: number;
  capitalMax?: number;
  salesMin?: number;
  salesMax?: number;
}

export const SIZE_CLASS_SOURCE: string = sizeClassData.source;

export const SIZE_CLASS_RANGES = sizeClassData.classes as SizeClassRange[];

/** Rupiah in the words owners use: "Rp1 M", "Rp15 M" (milyar = 10^9). */
export function rupiahShort(amount: number): string {
  return `Rp${(amount / 1_000_000_000).toLocaleString("id-ID")} M`;
}
