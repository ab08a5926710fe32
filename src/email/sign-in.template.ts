import type { Language } from "../domain/language";
import type { EmailMessage } from "./mailer";

/**
 * The emails that carry one-time links: the sign-in link (one link per business of the address,
 * so the owner chooses which to sign in as) and a sign-up's confirmation. In the recipient's
 * language (Bahasa Indonesia by default, English by preference): a plain-text part that works in
 * any client and a small HTML part for phones (large buttons, each link also written out, no
 * images, no external CSS).
 */

const COPY = {
  id: {
    subject: "Tautan masuk Kemitraan",
    intro: (name: string) => `Masuk ke Kemitraan sebagai ${name}:`,
    chooseIntro: (n: number) =>
      `Alamat email ini terdaftar untuk ${n} usaha di Kemitraan. Pilih usaha yang ingin Anda masuki:`,
    button: "Masuk ke Kemitraan",
    buttonAs: (name: string) => `Masuk sebagai ${name}`,
    fallback: "Jika tombol tidak berfungsi, salin tautan ini ke peramban Anda:",
    validity: (minutes: number) => `Tautan ini hanya berlaku sekali, selama ${minutes} menit.`,
    validityMany: (minutes: number) => `Setiap tautan hanya berlaku sekali, selama ${minutes} menit.`,
    ignore: "Abaikan email ini jika Anda tidak memintanya.",
    footer: "Kemitraan — Pemerintah Kota Mojokerto",
    confirmSubject: "Konfirmasi pendaftaran usaha di Kemitraan",
    confirmIntro:
      "Seseorang mendaftarkan sebuah usaha di Kemitraan, layanan kemitraan usaha Pemerintah Kota " +
      "Mojokerto, dengan alamat email ini.",
    confirmAsk:
      "Jika itu Anda, buka tautan ini untuk mengonfirmasi pendaftaran. Halaman itu menampilkan " +
      "data yang didaftarkan sebelum Anda mengonfirmasi:",
    confirmButton: "Konfirmasi pendaftaran",
    confirmValidity: (hours: number) => `Tautan ini hanya berlaku sekali, selama ${hours} jam.`,
    confirmIgnore: (hours: number) =>
      `Jika bukan Anda, abaikan email ini. Tanpa konfirmasi, pendaftaran itu dihapus setelah ${hours} ` +
      "jam dan tidak ada email lain yang dikirim karenanya.",
  },
  en: {
    subject: "Your Kemitraan sign-in link",
    intro: (name: string) => `Sign in to Kemitraan as ${name}:`,
    chooseIntro: (n: number) =>
      `This email address is registered for ${n} businesses on Kemitraan. Choose the one to sign in as:`,
    button: "Sign in to Kemitraan",
    buttonAs: (name: string) => `Sign in as ${name}`,
    fallback: "If the button does not work, copy this link into your browser:",
    validity: (minutes: number) => `The link works once, for ${minutes} minutes.`,
    validityMany: (minutes: number) => `Each link works once, for ${minutes} minutes.`,
    ignore: "If you did not ask for it, ignore this email.",
    footer: "Kemitraan — Kota Mojokerto city government",
    confirmSubject: "Confirm a business registration on Kemitraan",
    confirmIntro:
      "Someone registered a business on Kemitraan, the Kota Mojokerto city government's business " +
      "partnership service, with this email address.",
    confirmAsk:
      "If it was you, open this link to confirm the registration. The page shows what was " +
      "registered before you confirm:",
    confirmButton: "Confirm the registration",
    confirmValidity: (hours: number) => `The link works once, for ${hours} hours.`,
    confirmIgnore: (hours: number) =>
      `If it was not you, ignore this email. Without confirmation the registration is deleted after ${hours} ` +
      "hours, and nothing else is sent because of it.",
  },
} as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const BUTTON_STYLE =
  "display:inline-block;padding:12px 20px;background:#0b6e4f;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold";

function button(link: string, label: string): string {
  return `<p><a href="${escapeHtml(link)}" style="${BUTTON_STYLE}">${escapeHtml(label)}</a></p>`;
}

function writtenOut(link: string, fallback: string): string {
  const href = escapeHtml(link);
  return `<p style="font-size:14px">${escapeHtml(fallback)}<br><a href="${href}" style="word-break:break-all">${href}</a></p>`;
}

/** The HTML page around `body` (already escaped markup). */
function page(lang: Language, subject: string, body: string, small: string[]): string {
  const notes = small.map((s) => `<p style="font-size:14px;color:#52606d">${escapeHtml(s)}</p>`).join("\n");
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1f2933;background:#ffffff">
${body}
${notes}
<p style="font-size:12px;color:#7b8794">${escapeHtml(COPY[lang].footer)}</p>
</body>
</html>
`;
}

export interface SignInChoice {
  businessName: string;
  link: string;
}

/**
 * Subject, text and HTML of the sign-in email (`to` is filled in by the caller): one link per
 * business registered under the address, each named, so the owner picks which to sign in as.
 * Only businesses the address's owner confirmed (or an officer registered) are ever listed, so
 * every name here was written or accepted by the recipient or by the city.
 */
export function signInEmail(
  lang: Language,
  input: { choices: SignInChoice[]; validMinutes: number },
): Omit<EmailMessage, "to"> {
  const copy = COPY[lang];
  const [only] = input.choices;
  if (input.choices.length === 1 && only) {
    const text = [
      copy.intro(only.businessName),
      "",
      only.link,
      "",
      `${copy.validity(input.validMinutes)} ${copy.ignore}`,
      "",
      "-- ",
      copy.footer,
    ].join("\n");
    const body = [
      `<p>${escapeHtml(copy.intro(only.businessName))}</p>`,
      button(only.link, copy.button),
      writtenOut(only.link, copy.fallback),
    ].join("\n");
    return {
      subject: copy.subject,
      text,
      html: page(lang, copy.subject, body, [`${copy.validity(input.validMinutes)} ${copy.ignore}`]),
    };
  }
  const text = [
    copy.chooseIntro(input.choices.length),
    "",
    ...input.choices.flatMap((c) => [`${c.businessName}:`, c.link, ""]),
    `${copy.validityMany(input.validMinutes)} ${copy.ignore}`,
    "",
    "-- ",
    copy.footer,
  ].join("\n");
  const body = [
    `<p>${escapeHtml(copy.chooseIntro(input.choices.length))}</p>`,
    ...input.choices.map((c) =>
      [button(c.link, copy.buttonAs(c.businessName)), writtenOut(c.link, copy.fallback)].join("\n"),
    ),
  ].join("\n");
  return {
    subject: copy.subject,
    text,
    html: page(lang, copy.subject, body, [`${copy.validityMany(input.validMinutes)} ${copy.ignore}`]),
  };
}

/**
 * The confirmation email of a self sign-up. Anyone can sign a business up under any address, so
 * this goes to an address that may not have asked: it says only that someone registered a business
 * with it, and nothing the applicant typed. Not the business's name either: a name is free text,
 * and "PT Blokir Akun: hubungi 0812..." in an email from the city is exactly what an attacker
 * wants. The confirmation page (behind the link, on our site, framed as what was registered) shows
 * the profile before anything is confirmed. The only choice the applicant makes here is between
 * our two languages.
 */
export function signUpConfirmationEmail(
  lang: Language,
  input: { link: string; validHours: number },
): Omit<EmailMessage, "to"> {
  const copy = COPY[lang];
  const text = [
    copy.confirmIntro,
    "",
    copy.confirmAsk,
    "",
    input.link,
    "",
    copy.confirmValidity(input.validHours),
    "",
    copy.confirmIgnore(input.validHours),
    "",
    "-- ",
    copy.footer,
  ].join("\n");
  const body = [
    `<p>${escapeHtml(copy.confirmIntro)}</p>`,
    `<p>${escapeHtml(copy.confirmAsk)}</p>`,
    button(input.link, copy.confirmButton),
    writtenOut(input.link, copy.fallback),
  ].join("\n");
  return {
    subject: copy.confirmSubject,
    text,
    html: page(lang, copy.confirmSubject, body, [
      copy.confirmValidity(input.validHours),
      copy.confirmIgnore(input.validHours),
    ]),
  };
}
