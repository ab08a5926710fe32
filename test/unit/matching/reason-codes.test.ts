/**
 * Stored reason codes: what a stored suggestion keeps (`rankForStorage`) renders, in either
 * language, to exactly the sentences the engine says for that pair in that language (`rank`).
 */
import { describe, expect, it } from "vitest";
import { generateDemoRegistry } from "../../../scripts/demo/generate";
import { loadDataset, toProfile } from "../../../scripts/eval/dataset";
import { createMatcher, type MatchProfile, renderReasons } from "../../../src/matching";

const dev = loadDataset("data/eval/mojokerto-dev.json");
const devProfiles: MatchProfile[] = dev.businesses.map((b) => toProfile(b, dev.kbliVersion ?? "2020"));

function expectCodesRenderAsSentences(profiles: MatchProfile[], sample: number) {
  const m = createMatcher(profiles);
  const step = Math.max(1, Math.floor(profiles.length / sample));
  let compared = 0;
  for (const p of profiles.filter((_, i) => i % step === 0)) {
    const stored = m.rankForStorage(p.id, { limit: 50 });
    for (const lang of ["id", "en"] as const) {
      const said = m.rank(p.id, { limit: 50, lang });
      expect(stored.map((s) => s.id)).toEqual(said.map((s) => s.id));
      expect(
        stored.map((s) => renderReasons(s.reasons, lang)),
        `${p.id} ${lang}`,
      ).toEqual(said.map((s) => s.reasons));
      compared += said.length;
    }
  }
  expect(compared).toBeGreaterThan(100);
}

describe("stored reason codes render as the engine's sentences", () => {
  it("dev set: every business's top 50, in Indonesian and English", () => {
    expectCodesRenderAsSentences(devProfiles, devProfiles.length);
  });

  it("demo registry: a sample's top 50, in Indonesian and English", () => {
    expectCodesRenderAsSentences(generateDemoRegistry(), 60);
  });

  it("says a code the same way every time, in the language asked, past the bound of sentences kept", () => {
    const codes = Array.from({ length: 5000 }, (_, i) => ["l", "city", String(i), "Kota Mojokerto", null]);
    for (const round of [1, 2]) {
      const id = renderReasons(codes, "id");
      const en = renderReasons(codes, "en");
      expect(id[4999], `round ${round}`).toBe("Sama-sama di Kota Mojokerto, berjarak sekitar 4999 km");
      expect(en[4999], `round ${round}`).toBe("Both in Kota Mojokerto, about 4999 km apart");
      expect(new Set(id).size).toBe(5000);
      expect(id[0]).not.toBe(en[0]);
    }
  });

  it("a list it does not know gives no reasons rather than an error", () => {
    expect(renderReasons(null, "id")).toEqual([]);
    expect(renderReasons([["zz", 1], "x", ["c0"]], "en")).toEqual([
      "KBLI code missing or unusual for this sector: category counted as neutral",
    ]);
  });
});
