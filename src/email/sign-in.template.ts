import type { Language } from "../domain/language";
import type { EmailMessage } from "./mailer";

/**
 * The sign-in link email, in the business's language (Bahasa Indonesia by default, English by
 * preference): a plain-text part that works in any client and a small HTML part for phones (one
 * large button, the link also written out, no images, no external CSS).
 */

const COPY = {
  id: {
    subject: "Tautan masuk Kemitraan",
    intro: (name: string) => `Masuk ke Kemitraan sebagai ${name}:`,
    button: "Masuk ke Kemitraan",
    fallback: "Jika tombol tidak berfungsi, salin tautan ini ke peramban Anda:",
    validity: (minutes: number) => `Tautan ini hanya berlaku sekali, selama ${minutes} menit.`,
    ignore: "Abaikan email ini jika Anda tidak memintanya.",
    footer: "Kemitraan — Pemerintah Kota Mojokerto",
  },
  en: {
    subject: "Your Kemitraan sign-in link",
    intro: (name: string) => `Sign in to Kemitraan as ${name}:`,
    button: "Sign in to Kemitraan",
    fallback: "If the button does not work, copy this link into your browser:",
    validity: (minutes: number) => `The link works once, for ${minutes} minutes.`,
    ignore: "If you did not ask for it, ignore this email.",
    footer: "Kemitraan — Kota Mojokerto city government",
  },
} as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Subject, text and HTML of one sign-in link email (`to` is filled in by the caller). */
export function signInEmail(
  lang: Language,
  input: { businessName: string; link: string; validMinutes: number },
): Omit<EmailMessage, "to"> {
  const copy = COPY[lang];
  const text = [
    copy.intro(input.businessName),
    "",
    input.link,
    "",
    `${copy.validity(input.validMinutes)} ${copy.ignore}`,
    "",
    "-- ",
    copy.footer,
  ].join("\n");
  const link = escapeHtml(input.link);
  const html = `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(copy.subject)}</title></head>
<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1f2933;background:#ffffff">
<p>${escapeHtml(copy.intro(input.businessName))}</p>
<p><a href="${link}" style="display:inline-block;padding:12px 20px;background:#0b6e4f;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold">${escapeHtml(copy.button)}</a></p>
<p style="font-size:14px">${escapeHtml(copy.fallback)}<br><a href="${link}" style="word-break:break-all">${link}</a></p>
<p style="font-size:14px;color:#52606d">${escapeHtml(copy.validity(input.validMinutes))} ${escapeHtml(copy.ignore)}</p>
<p style="font-size:12px;color:#7b8794">${escapeHtml(copy.footer)}</p>
</body>
</html>
`;
  return { subject: copy.subject, text, html };
}
