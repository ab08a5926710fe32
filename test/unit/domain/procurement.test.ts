import { describe, expect, it } from "vitest";
import {
  mapColumns,
  packageOpenTo,
  parseChannel,
  parseDate,
  parseMethod,
  parseMonth,
  parseRupiah,
  parseType,
  RUP_COLUMNS,
} from "../../../src/domain/procurement";

describe("procurement cells", () => {
  it("reads rupiah amounts as files write them and refuses the rest", () => {
    expect(parseRupiah("150000000")).toBe(150_000_000);
    expect(parseRupiah("Rp 1.250.000,00")).toBe(1_250_000);
    expect(parseRupiah("1,250,000")).toBe(1_250_000);
    expect(parseRupiah(45000000)).toBe(45_000_000);
    expect(parseRupiah("1,5 M")).toBeNull();
    expect(parseRupiah("-5")).toBeNull();
    expect(parseRupiah("")).toBeNull();
  });

  it("reads SiRUP's months, dates, methods, types and channels", () => {
    expect(parseMonth("Januari 2026")).toBe("2026-01");
    expect(parseMonth("Januari - Maret 2026")).toBe("2026-01");
    expect(parseMonth("2026-11")).toBe("2026-11");
    expect(parseMonth("Bulan depan")).toBeNull();
    expect(parseDate("14/03/2026")).toBe("2026-03-14");
    expect(parseDate("2026-02-30")).toBeNull();
    expect(parseDate(46095)).toBe("2026-03-14");
    expect(parseMethod("E-Purchasing")).toBe("e_purchasing");
    expect(parseMethod("Pengadaan Langsung")).toBe("pengadaan_langsung");
    expect(parseMethod("Lelang umum")).toBeNull();
    expect(parseType("Jasa Lainnya")).toBe("jasa_lainnya");
    expect(parseType("Pekerjaan Konstruksi")).toBe("konstruksi");
    expect(parseChannel("e-katalog")).toBe("e_katalog");
  });

  it("maps SiRUP's headers (any case, other spellings) to fields", () => {
    const at = mapColumns(RUP_COLUMNS, [
      "No",
      "KODE RUP",
      "Nama Paket",
      "Nama Satker",
      "Pagu (Rp)",
      "Metode",
      "Jenis Pengadaan",
      "Sumber Dana",
      "Waktu Pemilihan",
    ]);
    expect(at).toEqual({ code: 1, name: 2, buyer: 3, pagu: 4, method: 5, type: 6, funding: 7, month: 8 });
  });

  it("opens packages up to Rp15 bn to micro and small businesses only", () => {
    expect(packageOpenTo(45_000_000, "mikro")).toBe(true);
    expect(packageOpenTo(45_000_000, "menengah")).toBe(false);
    expect(packageOpenTo(20_000_000_000, "menengah")).toBe(true);
  });
});
