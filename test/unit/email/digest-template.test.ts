import { describe, expect, it } from "vitest";
import {
  type BusinessDigestData,
  isEmptyDigest,
  type OfficerDigestData,
  renderDigest,
} from "../../../src/email/digest.template";
import { renderReminder } from "../../../src/email/reminder.template";

const links = {
  app: "https://kemitraan.example.id/",
  unsubscribe: "https://kemitraan.example.id/v1/digests/unsubscribe?r=business%3Abiz_1&sig=abc",
};

// Monday 7 December 2026, 07:00 WIB, and the week before.
const end = Date.UTC(2026, 11, 7, 0, 0);
const start = end - 7 * 24 * 3600_000;

function businessData(language: "id" | "en"): BusinessDigestData {
  return {
    kind: "business",
    language,
    cadence: "weekly",
    businessName: "Toko Sepatu Prajurit",
    windowStart: start,
    windowEnd: end,
    newSuggestions: [
      {
        name: "UD Sepatu Miji Jaya",
        sector: "industry",
        kelurahan: "Miji",
        score: 0.6397,
        pattern: "rantai_pasok",
        reasons:
          language === "id"
            ? ["Mereka menawarkan yang Anda butuhkan: alas kaki", "Jarak 2,1 km (kecamatan yang sama)"]
            : ["They offer what you need: footwear", "2.1 km away (same kecamatan)"],
      },
      {
        name: "Konveksi <Bu Siti> & Putra",
        sector: "industry",
        kelurahan: null,
        score: 0.51,
        pattern: "subkontrak",
        reasons: [],
      },
    ],
    moreSuggestions: 3,
    waiting: [
      {
        requesterName: "Warung Makan Bu Tini",
        pattern: "perdagangan_umum",
        message:
          "Kami butuh kerupuk 200 bungkus per minggu untuk warung kami di Magersari, dengan tempo 14 hari.",
        expiresAt: end + 5 * 24 * 3600_000,
      },
    ],
    changes: [
      {
        partnerName: "Batik Sekar",
        action: "accept",
        toState: "accepted",
        at: end - 2 * 24 * 3600_000,
        reason: null,
      },
      {
        partnerName: "Kripik Tempe Pak Dul",
        action: "reject",
        toState: "rejected",
        at: end - 24 * 3600_000,
        reason: "Kapasitas produksi belum cukup",
      },
    ],
    links,
  };
}

function officerData(language: "id" | "en"): OfficerDigestData {
  return {
    kind: "officer",
    language,
    cadence: "weekly",
    windowStart: start,
    windowEnd: end,
    signups: { names: ["Kue Basah Bu Ani", "Sablon Kaos Meri"], total: 7 },
    pairings: {
      items: [
        {
          requesterName: "Toko Sepatu Prajurit",
          partnerName: "UD Sepatu Miji Jaya",
          pattern: "rantai_pasok",
        },
      ],
      total: 1,
    },
    expiring: {
      items: [
        {
          requesterName: "Hotel Majapahit",
          partnerName: "Laundry Bersih",
          expiresAt: end + 2 * 24 * 3600_000,
        },
      ],
      total: 1,
    },
    numbers: {
      signups: 7,
      requests: 12,
      accepted: 4,
      declined: 2,
      approved: 3,
      rejected: 1,
      expired: 1,
      ended: 0,
    },
    links: { ...links, unsubscribe: links.unsubscribe.replace("business%3Abiz_1", "officer%3Aofc_1") },
  };
}

describe("digest template (golden files)", () => {
  for (const language of ["id", "en"] as const) {
    it(`renders a business digest in ${language}`, async () => {
      const out = renderDigest(businessData(language));
      await expect(`${out.subject}\n`).toMatchFileSnapshot(
        `./__golden__/digest-business.${language}.subject.txt`,
      );
      await expect(out.text).toMatchFileSnapshot(`./__golden__/digest-business.${language}.txt`);
      await expect(out.html).toMatchFileSnapshot(`./__golden__/digest-business.${language}.html`);
    });

    it(`renders an officer digest in ${language}`, async () => {
      const out = renderDigest(officerData(language));
      await expect(`${out.subject}\n`).toMatchFileSnapshot(
        `./__golden__/digest-officer.${language}.subject.txt`,
      );
      await expect(out.text).toMatchFileSnapshot(`./__golden__/digest-officer.${language}.txt`);
      await expect(out.html).toMatchFileSnapshot(`./__golden__/digest-officer.${language}.html`);
    });

    it(`renders the expiry reminder in ${language}`, async () => {
      const out = renderReminder({
        language,
        partnerName: "UD Sepatu Miji Jaya",
        requesterName: "Toko Sepatu Prajurit",
        pattern: "rantai_pasok",
        message: "Kami ingin menjual sepatu Anda",
        expiresAt: end + 3 * 24 * 3600_000,
        appUrl: "https://kemitraan.example.id/",
      });
      await expect(`${out.subject}\n\n${out.text}`).toMatchFileSnapshot(
        `./__golden__/reminder.${language}.txt`,
      );
      await expect(out.html).toMatchFileSnapshot(`./__golden__/reminder.${language}.html`);
    });
  }
});

describe("digest template", () => {
  it("speaks the recipient's language", () => {
    expect(renderDigest(businessData("id")).subject).toBe(
      "Kemitraan: 5 calon mitra baru, 1 permintaan menunggu jawaban, 2 kabar permintaan untuk Toko Sepatu Prajurit",
    );
    expect(renderDigest(businessData("en")).subject).toBe(
      "Kemitraan: 5 new potential partners, 1 request awaiting your answer, 2 request updates for Toko Sepatu Prajurit",
    );
    expect(renderDigest(businessData("id")).html).toContain('<html lang="id">');
    expect(renderDigest(businessData("en")).text).toContain("They offer what you need: footwear");
  });

  it("is one column for phones: no tables, a viewport, a bounded width, escaped names", () => {
    for (const data of [businessData("id"), officerData("en")]) {
      const { html, text } = renderDigest(data);
      expect(html).not.toMatch(/<table|<style|<script/i);
      expect(html).toContain('name="viewport" content="width=device-width, initial-scale=1"');
      expect(html).toContain("max-width:600px");
      expect(html).toContain(data.links.unsubscribe.replace(/&/g, "&amp;"));
      expect(text).toContain(data.links.unsubscribe);
      // Plain-text lines stay readable on a phone-sized plain-text client.
      for (const line of text.split("\n")) {
        if (!line.includes("http")) expect(line.length).toBeLessThan(220);
      }
    }
    const { html, text } = renderDigest(businessData("id"));
    expect(html).toContain("Konveksi &lt;Bu Siti&gt; &amp; Putra");
    expect(html).not.toContain("<Bu Siti>");
    expect(text).toContain("Konveksi <Bu Siti> & Putra");
  });

  it("counts a digest with nothing new as empty", () => {
    const b = businessData("id");
    expect(isEmptyDigest(b)).toBe(false);
    expect(isEmptyDigest({ ...b, newSuggestions: [], moreSuggestions: 0, waiting: [], changes: [] })).toBe(
      true,
    );
    expect(isEmptyDigest({ ...b, newSuggestions: [], moreSuggestions: 0, changes: [] })).toBe(false);
    const o = officerData("id");
    const quiet = {
      signups: 0,
      requests: 0,
      accepted: 0,
      declined: 0,
      approved: 0,
      rejected: 0,
      expired: 0,
      ended: 0,
    };
    const idle = {
      ...o,
      signups: { names: [], total: 0 },
      pairings: { items: [], total: 0 },
      expiring: { items: [], total: 0 },
      numbers: quiet,
    };
    expect(isEmptyDigest(idle)).toBe(true);
    expect(isEmptyDigest({ ...idle, numbers: { ...quiet, expired: 1 } })).toBe(false);
  });
});
