import { describe, expect, it } from "vitest";
import { analyzeProfile, createMatcher, DEFAULT_WEIGHTS } from "../../../src/matching";
import { hotel, profile, shoes, tahu, warung } from "./fixtures";

const slippers = profile({
  id: "i-slippers",
  name: "Sandal Hotel Berkah",
  sector: "industry",
  kbli: [{ code: "15209", version: "2020" }],
  offers: "Sandal hotel sekali pakai, bisa sablon logo",
  needs: "Langganan hotel, guesthouse dan spa",
});
const all = [warung, tahu, shoes, hotel, slippers];

describe("createMatcher().rank", () => {
  const m = createMatcher(all);

  it("returns only the other sector, never the business itself", () => {
    const ids = m.rank(warung.id, { limit: 10 }).map((s) => s.id);
    expect(ids).not.toContain(warung.id);
    expect(ids).not.toContain(hotel.id);
    expect(ids.sort()).toEqual([shoes.id, slippers.id, tahu.id].sort());
  });

  it("ranks the tofu maker first for a warung that needs tahu, and explains why", () => {
    const [top] = m.rank(warung.id);
    expect(top.id).toBe(tahu.id);
    expect(top.reasons.length).toBeGreaterThanOrEqual(1);
    expect(top.reasons.length).toBeLessThanOrEqual(3);
    expect(top.reasons[0]).toMatch(/tahu/);
    expect(top.pattern).toBe("rantai_pasok");
  });

  it("matches across languages: an English hotel's 'guest slippers' find the sandal maker", () => {
    expect(m.rank(hotel.id)[0].id).toBe(slippers.id);
  });

  it("writes reasons in English on request", () => {
    const [top] = m.rank(hotel.id, { lang: "en" });
    expect(top.reasons.join(" ")).toMatch(/They offer what you need/);
    const [topId] = m.rank(hotel.id, { lang: "id" });
    expect(topId.reasons.join(" ")).toMatch(/Mereka menawarkan/);
  });

  it("keeps every score and component in [0, 1] and sorts descending", () => {
    for (const p of all) {
      const list = m.rank(p.id, { limit: 50 });
      // Every business of the other sector is ranked, so the bounds below are checked on each.
      expect(list).toHaveLength(all.filter((q) => q.sector !== p.sector).length);
      for (const s of list) {
        for (const v of [s.score, s.components.category, s.components.location, s.components.text]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
      }
      expect(list.map((s) => s.score)).toEqual([...list.map((s) => s.score)].sort((a, b) => b - a));
    }
  });

  it("applies limit and minScore", () => {
    expect(m.rank(warung.id, { limit: 1 })).toHaveLength(1);
    const cut = m.rank(warung.id, { minScore: 0.99 });
    expect(cut.every((s) => s.score >= 0.99)).toBe(true);
  });

  it("returns nothing for an unknown id", () => {
    expect(m.rank("nope")).toEqual([]);
  });

  it("is deterministic and breaks ties by id", () => {
    const twins = [warung, { ...tahu, id: "i-b" }, { ...tahu, id: "i-a" }];
    const tm = createMatcher(twins);
    const r = tm.rank(warung.id);
    expect(r.map((s) => s.id)).toEqual(["i-a", "i-b"]);
    expect(r[0].score).toBe(r[1].score);
    expect(createMatcher(twins).rank(warung.id)).toEqual(r);
  });

  it("accepts stored analyses (JSON round trip) and gives the same result", () => {
    const stored = all.map((p) => JSON.parse(JSON.stringify(analyzeProfile(p))));
    expect(createMatcher(stored).rank(warung.id)).toEqual(m.rank(warung.id));
  });

  it("says so when a KBLI code is missing and the text names no activity, instead of sinking the business", () => {
    const noCode = {
      ...tahu,
      id: "i-nocode",
      name: "UD Makmur",
      kbli: [],
      offers: "Produk kami enak dan murah",
    };
    const r = createMatcher([warung, noCode]).rank(warung.id, { limit: 1, lang: "en" });
    expect(r[0].components.category).toBeCloseTo(0.3);
    expect(r[0].reasons.join(" ")).toContain("KBLI code missing");
  });

  it("reads a missing KBLI code from the offer text (KBLI 2020 descriptions)", () => {
    const noCode = { ...tahu, id: "i-nocode", kbli: [] };
    const r = createMatcher([warung, noCode]).rank(warung.id, { limit: 1 });
    // Inferred as 10392 (tahu), which trades with a warung (56102) like the declared code does.
    expect(r[0].components.category).toBeCloseTo(0.9);
    expect(r[0].score).toBeGreaterThan(0.3);
  });
});

describe("reciprocal fusion", () => {
  // A one-way fit: the candidate offers what the query needs, but wants nothing the query offers.
  const oneWay = profile({
    id: "i-oneway",
    sector: "industry",
    kbli: [{ code: "10392", version: "2020" }],
    offers: "tahu putih",
    needs: "mesin giling kedelai",
  });
  const twoWay = profile({
    id: "i-twoway",
    sector: "industry",
    kbli: [{ code: "10392", version: "2020" }],
    offers: "tahu putih",
    needs: "warung penyetan langganan",
  });

  it("ranks a fit in both directions above a one-way fit", () => {
    const m = createMatcher([warung, oneWay, twoWay]);
    expect(m.rank(warung.id).map((s) => s.id)).toEqual([twoWay.id, oneWay.id]);
  });

  it("harmonic fusion is never above the arithmetic mean of the two directions", () => {
    const h = createMatcher([warung, oneWay], { ...DEFAULT_WEIGHTS, fusion: "harmonic" }).score(
      warung.id,
      oneWay.id,
    );
    const a = createMatcher([warung, oneWay], { ...DEFAULT_WEIGHTS, fusion: "mean" }).score(
      warung.id,
      oneWay.id,
    );
    const mn = createMatcher([warung, oneWay], { ...DEFAULT_WEIGHTS, fusion: "min" }).score(
      warung.id,
      oneWay.id,
    );
    expect(h?.score).toBeLessThanOrEqual(a?.score ?? -1);
    expect(mn?.score).toBeLessThanOrEqual(h?.score ?? -1);
  });

  it("scores a pair the same from either side", () => {
    const m = createMatcher(all);
    expect(m.score(warung.id, tahu.id)?.score).toBeCloseTo(m.score(tahu.id, warung.id)?.score ?? -1, 10);
  });
});
