import type { NotificationTopic } from "../domain/notifications";
import { escapeHtml } from "./format";

/** What a notification link stops, in both languages (the page shows both). */
const TOPIC_NAMES: Record<NotificationTopic, { id: string; en: string }> = {
  signUpDecision: { id: "hasil pemeriksaan pendaftaran", en: "sign-up decisions" },
  incomingRequest: { id: "permintaan kemitraan baru", en: "new partnership requests" },
  requestAnswered: { id: "jawaban atas permintaan Anda", en: "answers to your requests" },
  officerDecision: { id: "keputusan petugas atas kemitraan", en: "officers' partnership decisions" },
  requestExpired: { id: "permintaan yang berakhir", en: "expired requests" },
  officerSummary: { id: "ringkasan harian petugas", en: "the officers' daily summary" },
  forumAgenda: { id: "agenda forum kemitraan", en: "partnership forum agendas" },
  procurementOpportunity: { id: "peluang pengadaan pemerintah kota", en: "city procurement opportunities" },
};

/**
 * The small page behind a digest's unsubscribe link, in Bahasa Indonesia with English below (the
 * link does not say who opens it). `confirm`: one button that POSTs back (opening the link must not
 * unsubscribe: mail scanners prefetch links); `done`: the confirmation.
 */
export function renderUnsubscribePage(input: {
  state: "confirm" | "done";
  action: string;
  /** A notification's link: stop only this kind of email. */
  topic?: NotificationTopic | undefined;
}): string {
  const topic = input.topic ? TOPIC_NAMES[input.topic] : null;
  const body = topic
    ? input.state === "confirm"
      ? `<h1 style="font-size:20px">Berhenti menerima email tentang ${escapeHtml(topic.id)}?</h1>
<p>Email jenis lain tetap dikirim. Anda bisa menyalakannya lagi di pengaturan email pemberitahuan.</p>
<p lang="en" style="color:#52606d">Stop emails about ${escapeHtml(topic.en)}? Other emails still come. You can turn it back on in your email settings.</p>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit" style="padding:12px 20px;font-size:16px;background:#0b6e4f;color:#fff;border:0;border-radius:4px">Berhenti / Stop</button>
</form>`
      : `<h1 style="font-size:20px">Email tentang ${escapeHtml(topic.id)} tidak dikirim lagi.</h1>
<p>Anda bisa menyalakannya lagi di pengaturan email pemberitahuan.</p>
<p lang="en" style="color:#52606d">Emails about ${escapeHtml(topic.en)} are turned off. You can turn them back on in your email settings.</p>`
    : input.state === "confirm"
      ? `<h1 style="font-size:20px">Berhenti berlangganan ringkasan Kemitraan?</h1>
<p>Anda tidak akan lagi menerima ringkasan mingguan atau bulanan. Anda bisa berlangganan lagi di pengaturan akun.</p>
<p lang="en" style="color:#52606d">Stop receiving Kemitraan digests? You can subscribe again in your account settings.</p>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit" style="padding:12px 20px;font-size:16px;background:#0b6e4f;color:#fff;border:0;border-radius:4px">Berhenti berlangganan / Unsubscribe</button>
</form>`
      : `<h1 style="font-size:20px">Anda sudah berhenti berlangganan.</h1>
<p>Ringkasan Kemitraan tidak akan dikirim lagi. Anda bisa berlangganan lagi di pengaturan akun.</p>
<p lang="en" style="color:#52606d">You are unsubscribed from Kemitraan digests. You can subscribe again in your account settings.</p>`;
  return `<!doctype html>
<html lang="id">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Kemitraan</title></head>
<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;color:#1f2933;line-height:1.5">
<div style="max-width:480px;margin:0 auto">
${body}
</div>
</body>
</html>
`;
}
