import { escapeHtml } from "./format";

/**
 * The small page behind a digest's unsubscribe link, in Bahasa Indonesia with English below (the
 * link does not say who opens it). `confirm`: one button that POSTs back (opening the link must not
 * unsubscribe: mail scanners prefetch links); `done`: the confirmation.
 */
export function renderUnsubscribePage(input: { state: "confirm" | "done"; action: string }): string {
  const body =
    input.state === "confirm"
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
