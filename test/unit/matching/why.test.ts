import { describe, expect, it } from "vitest";
import { REASON_LEADS } from "../../../src/matching/explain";
import { shortReason, shortWhy } from "../../../src/matching/why";

describe("shortWhy: the engine's reasons in a few words", () => {
  it("rewords each kind of reason without adding a claim", () => {
    expect(shortReason(`${REASON_LEADS.offer.id}kardus kemasan`, "id")).toBe(
      "Menawarkan kardus kemasan yang Anda butuhkan",
    );
    expect(shortReason(`${REASON_LEADS.need.en}snacks and cakes`, "en")).toBe(
      "Looking for snacks and cakes, which you offer",
    );
    expect(shortReason(`${REASON_LEADS.identity.id}hotel`, "id")).toBe("Jenis usaha yang Anda cari (hotel)");
    expect(shortReason(`${REASON_LEADS.likeYou.id}toko & penjual ulang`, "id")).toBe(
      "Mencari usaha seperti Anda (toko & penjual ulang)",
    );
  });

  it("drops KBLI codes and the neutral-category note, and keeps a distance as distance", () => {
    expect(shortReason(`${REASON_LEADS.category.id}katering (56210) dan kue (10710)`, "id")).toBe(
      "Bidang usaha saling melengkapi",
    );
    expect(shortReason(REASON_LEADS.categoryNeutral.id, "id")).toBeNull();
    expect(shortReason("Satu kecamatan (Prajurit Kulon), berjarak sekitar 2 km", "id")).toBe(
      "± 2 km dari Anda",
    );
    expect(shortReason("Same kelurahan (Miji), about 0.4 km apart", "en")).toBe("about 0.4 km from you");
    // No distance known: the tier, without the dangling comma.
    expect(shortReason("Satu kelurahan (Miji), ", "id")).toBe("Satu kelurahan (Miji)");
  });

  it("keeps an unknown reason as it is, and caps the count", () => {
    expect(shortReason("Alasan lain", "id")).toBe("Alasan lain");
    const reasons = [
      `${REASON_LEADS.offer.id}sandal`,
      REASON_LEADS.categoryNeutral.id,
      "Di Kabupaten Mojokerto, berjarak sekitar 9 km",
    ];
    expect(shortWhy(reasons, "id")).toEqual(["Menawarkan sandal yang Anda butuhkan", "± 9 km dari Anda"]);
    expect(shortWhy(reasons, "id", 1)).toEqual(["Menawarkan sandal yang Anda butuhkan"]);
  });
});
