/**
 * The reminder a partner gets once before an unanswered request expires: data in,
 * {subject, text, html} out. Pure, like the digest template.
 */

import type { Language } from "../domain/language";
import type { RenderedEmail } from "./digest.template";
import { escapeHtml, excerpt, formatDate, patternLabel } from "./format";

export interface ReminderData {
  language: Language;
  partnerName: string;
  requesterName: string;
  pattern: string;
  message: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Where the partner answers (the app). */
  appUrl: string;
}

const T = {
  id: {
    subject: (requester: string, date: string) =>
      `Pengingat: permintaan kemitraan dari ${requester} berakhir ${date}`,
    greeting: (name: string) => `Halo, ${name}.`,
    body: (requester: string, pattern: string, date: string) =>
      `${requester} mengajukan kemitraan (pola ${pattern}) dan menunggu jawaban Anda. Permintaan ini berakhir ${date} bila tidak dijawab.`,
    action: "Terima atau tolak di aplikasi Kemitraan",
    once: "Pengingat ini hanya dikirim sekali.",
  },
  en: {
    subject: (requester: string, date: string) =>
      `Reminder: the partnership request from ${requester} expires ${date}`,
    greeting: (name: string) => `Hello, ${name}.`,
    body: (requester: string, pattern: string, date: string) =>
      `${requester} requested a partnership (pattern: ${pattern}) and is waiting for your answer. The request expires on ${date} if unanswered.`,
    action: "Accept or decline in the Kemitraan app",
    once: "This reminder is sent only once.",
  },
} as const;

export function renderReminder(d: ReminderData): RenderedEmail {
  const t = T[d.language];
  const date = formatDate(d.expiresAt, d.language);
  const body = t.body(d.requesterName, patternLabel(d.pattern, d.language), date);
  const quote = d.message ? `“${excerpt(d.message, 300)}”` : null;
  const text = [
    t.greeting(d.partnerName),
    "",
    body,
    ...(quote ? ["", quote] : []),
    "",
    `${t.action}: ${d.appUrl}`,
    "",
    t.once,
    "",
  ].join("\n");
  const e = escapeHtml;
  const p = (s: string, style = "") =>
    `<p style="margin:0 0 12px;font-size:15px;line-height:1.5${style}">${e(s)}</p>`;
  const html = [
    "<!doctype html>",
    `<html lang="${d.language}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>',
    '<body style="margin:0;padding:0;font-family:Arial,Helvetica,sans-serif;color:#1f2933">',
    '<div style="max-width:600px;margin:0 auto;padding:16px">',
    p(t.greeting(d.partnerName)),
    p(body),
    ...(quote ? [p(quote, ";font-style:italic;color:#52606d")] : []),
    `<p style="margin:16px 0"><a href="${e(d.appUrl)}" style="display:inline-block;padding:12px 20px;background:#0b6e4f;color:#ffffff;text-decoration:none;border-radius:4px">${e(t.action)}</a></p>`,
    p(t.once, ";font-size:12px;color:#7b8794"),
    "</div>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
  return { subject: t.subject(d.requesterName, date), text, html };
}
