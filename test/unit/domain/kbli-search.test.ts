import { describe, expect, it } from "vitest";
import { kbli2020Title, searchKbli2020 } from "../../../src/domain/kbli";

const codes = (q: string, limit?: number) => searchKbli2020(q, limit).map((k) => k.code);

describe("the KBLI 2020 title search", () => {
  it("finds a code by the words of its title, the best title first", () => {
    expect(searchKbli2020("kue basah")[0]).toEqual({ code: "10792", title: "Industri Kue Basah" });
    expect(codes("tahu")[0]).toBe("10392");
    expect(codes("sepatu")).toContain("15202");
  });

  it("ignores case, punctuation and accents, and needs every word", () => {
    expect(codes("KUE-BASAH")[0]).toBe("10792");
    expect(codes("kué basah")[0]).toBe("10792");
    // "kue" alone also finds bread and cakes; with "basah" the bread-only titles drop out.
    expect(codes("kue")).toContain("10710");
    expect(codes("kue basah")).not.toContain("10710");
  });

  it("falls back to BPS's descriptions for words no title uses", () => {
    expect(codes("katering")).toContain("56290");
    expect(codes("kemasan kertas")[0]).toBe("17022");
  });

  it("finds codes by their leading digits, in code order", () => {
    expect(codes("1079")).toEqual(["10791", "10792", "10793", "10794", "10795", "10796", "10799"]);
    expect(codes("10792")).toEqual(["10792"]);
  });

  it("returns at most `limit`, and nothing for an empty or unmatched query", () => {
    expect(codes("industri", 5)).toHaveLength(5);
    expect(codes("   ")).toEqual([]);
    expect(codes("zzzqqq")).toEqual([]);
  });

  it("names five-digit codes and only those", () => {
    expect(kbli2020Title("56210")).toBe("Jasa Boga Untuk Suatu Event Tertentu (Event Catering)");
    expect(kbli2020Title("99999")).toBeUndefined();
    expect(kbli2020Title("107")).toBeUndefined();
  });
});
