import { describe, expect, it } from "vitest";
import {
  isSmall,
  packagesToClose,
  type ShareRow,
  summariseShare,
} from "../../../../src/services/procurement/share";

const row = (o: Partial<ShareRow>): ShareRow => ({
  buyerId: "opd_a",
  buyerName: "Dinas A",
  date: "2026-03-10",
  type: "barang",
  value: 100,
  qualification: null,
  registrySize: null,
  ...o,
});

describe("the 40% share (Perpres 12/2021 Pasal 65)", () => {
  it("counts micro, small and cooperative suppliers and computes share and gap in rupiah", () => {
    const r = summariseShare([
      row({ value: 100_000_000, registrySize: "mikro" }),
      row({ value: 50_000_000, qualification: "koperasi" }),
      row({ value: 250_000_000, qualification: "besar" }),
      row({ value: 100_000_000, qualification: null }),
    ]);
    expect(r.target).toBe(0.4);
    expect(r.overall).toEqual({
      total: 500_000_000,
      small: 150_000_000,
      registrySmall: 100_000_000,
      share: 0.3,
      gap: 50_000_000,
    });
  });

  it("lets the registry's size class win over the file's qualification", () => {
    expect(isSmall({ registrySize: "menengah", qualification: "kecil" })).toBe(false);
    expect(isSmall({ registrySize: "kecil", qualification: "besar" })).toBe(true);
    expect(isSmall({ registrySize: null, qualification: "menengah" })).toBe(false);
  });

  it("splits by OPD (largest gap first), month and type, and has no gap above the target", () => {
    const r = summariseShare([
      row({
        buyerId: "opd_a",
        buyerName: "Dinas A",
        value: 1000,
        qualification: "besar",
        date: "2026-01-05",
      }),
      row({
        buyerId: "opd_b",
        buyerName: "Dinas B",
        value: 600,
        qualification: "mikro",
        date: "2026-02-05",
        type: "jasa_lainnya",
      }),
      row({ buyerId: "opd_b", buyerName: "Dinas B", value: 400, qualification: "besar", date: "2026-02-20" }),
    ]);
    expect(r.byBuyer.map((b) => [b.key, b.share, b.gap])).toEqual([
      ["opd_a", 0, 400],
      ["opd_b", 0.6, 0],
    ]);
    expect(r.byMonth.map((m) => [m.key, m.total, m.small])).toEqual([
      ["2026-01", 1000, 0],
      ["2026-02", 1000, 600],
    ]);
    expect(r.byType.map((t) => [t.key, t.total, t.small])).toEqual([
      ["barang", 1400, 0],
      ["jasa_lainnya", 600, 600],
    ]);
  });

  it("reports a zero share and no gap when nothing was spent", () => {
    expect(summariseShare([]).overall).toEqual({ total: 0, small: 0, registrySmall: 0, share: 0, gap: 0 });
  });

  it("picks the largest planned packages until they cover the gap", () => {
    const ps = [{ pagu: 10 }, { pagu: 50 }, { pagu: 30 }, { pagu: 5 }];
    expect(packagesToClose(ps, 70).map((p) => p.pagu)).toEqual([50, 30]);
    expect(packagesToClose(ps, 0)).toEqual([]);
    expect(packagesToClose(ps, 1000, 2).map((p) => p.pagu)).toEqual([50, 30]);
  });
});
