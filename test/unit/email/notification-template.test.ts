import { describe, expect, it } from "vitest";
import { type NotificationData, renderNotification } from "../../../src/email/notification.template";

const links = {
  app: "https://kemitraan.example.id/ui/me",
  preferences: "https://kemitraan.example.id/ui/me/notifikasi",
  unsubscribe:
    "https://kemitraan.example.id/v1/digests/unsubscribe?r=business%3Abiz_1&sig=abc&k=incomingRequest",
};

// Wednesday 2 December 2026, 07:00 WIB.
const now = Date.UTC(2026, 11, 2, 0, 0);
const pair = {
  businessName: "Toko Sepatu Prajurit",
  otherName: "Konveksi <Bu Siti> & Putra",
  pattern: "subkontrak",
};

function examples(language: "id" | "en"): NotificationData[] {
  const common = { language, links };
  return [
    { ...common, kind: "sign_up_published", businessName: "Toko Sepatu Prajurit" },
    {
      ...common,
      kind: "sign_up_rejected",
      businessName: "Toko Sepatu Prajurit",
      reason: "Mohon lengkapi NIB dan alamat kelurahan.",
    },
    {
      ...common,
      ...pair,
      kind: "request_received",
      message: "Kami butuh jahitan sol 200 pasang per bulan, dengan tempo 14 hari.",
      expiresAt: now + 14 * 24 * 3600_000,
    },
    { ...common, ...pair, kind: "request_accepted" },
    { ...common, ...pair, kind: "request_declined" },
    { ...common, ...pair, kind: "partnership_approved" },
    { ...common, ...pair, kind: "partnership_rejected", reason: "Kapasitas produksi belum cukup." },
    { ...common, ...pair, kind: "request_expired", role: "requester" },
    {
      ...common,
      links: { app: "https://kemitraan.example.id/ui/queue", preferences: null, unsubscribe: null },
      kind: "officer_summary",
      counts: { signUps: 3, changedProfiles: 0, acceptedRequests: 2, drafts: 41 },
      date: now,
    },
  ];
}

describe("notification templates (golden files)", () => {
  for (const language of ["id", "en"] as const) {
    for (const data of examples(language)) {
      it(`${data.kind} in ${language}`, async () => {
        const out = renderNotification(data);
        await expect(`${out.subject}\n\n${out.text}`).toMatchFileSnapshot(
          `./__golden__/notification-${data.kind}.${language}.txt`,
        );
        await expect(out.html).toMatchFileSnapshot(`./__golden__/notification-${data.kind}.${language}.html`);
      });
    }
  }

  it("escapes names in HTML and leaves them plain in text", () => {
    const out = renderNotification({ ...examples("id")[3], kind: "request_accepted" } as NotificationData);
    expect(out.html).toContain("Konveksi &lt;Bu Siti&gt; &amp; Putra");
    expect(out.html).not.toContain("<Bu Siti>");
    expect(out.text).toContain("Konveksi <Bu Siti> & Putra");
  });

  it("says which side a request expired for", () => {
    const base = examples("en")[7] as NotificationData & { kind: "request_expired" };
    expect(renderNotification({ ...base, role: "requester" }).text).toContain("did not answer your");
    expect(renderNotification({ ...base, role: "partner" }).text).toContain("was not answered in time");
  });

  it("lists only the officer summary lines that have something", () => {
    const out = renderNotification(examples("id")[8] as NotificationData);
    expect(out.subject).toBe("Kemitraan: 46 hal menunggu petugas");
    expect(out.text).toContain("- 3 pendaftaran untuk diperiksa");
    expect(out.text).not.toContain("profil yang diubah");
    expect(out.text).not.toContain("Berhenti menerima");
    expect(out.text).not.toContain("Atur email");
  });
});
