/**
 * Event notifications (src/domain/notifications.ts): data in, {subject, text, html} out, in the
 * recipient's language. Pure, like the digest template: the sender reads names, messages and
 * reasons from the rows when it sends and passes them here; nothing rendered is ever stored.
 */

import type { Language } from "../domain/language";
import type { OfficerSummaryCounts } from "../domain/notifications";
import type { RenderedEmail } from "./digest.template";
import { escapeHtml, excerpt, formatDate, patternLabel } from "./format";

export interface NotificationLinks {
  /** Where the recipient acts: the owner's page, or the officers' queue. */
  app: string;
  /** The page with every email switch (owners: /ui/me/notifikasi); null for officers (no page yet). */
  preferences: string | null;
  /** Signed one-click link that turns this kind of email off; null when links cannot be signed. */
  unsubscribe: string | null;
}

interface Common {
  language: Language;
  links: NotificationLinks;
}

/** About one business's own sign-up. */
interface SignUpData extends Common {
  businessName: string;
}

/** About a partnership, seen from the recipient's side (`otherName` is the other business). */
interface PairData extends Common {
  businessName: string;
  otherName: string;
  pattern: string;
}

export type NotificationData =
  | (SignUpData & { kind: "sign_up_published" })
  | (SignUpData & { kind: "sign_up_rejected"; reason: string | null })
  | (PairData & { kind: "request_received"; message: string; expiresAt: number | null })
  | (PairData & { kind: "request_accepted" | "request_declined" | "partnership_approved" })
  | (PairData & { kind: "partnership_rejected"; reason: string | null })
  | (PairData & { kind: "request_expired"; role: "requester" | "partner" })
  | (Common & { kind: "officer_summary"; counts: OfficerSummaryCounts; date: number })
  | (Common & {
      kind: "forum_agenda";
      businessName: string;
      forum: { name: string; date: string; venue: string };
      items: Array<{ start: string; end: string; tableNo: number; partner: string; why: string | null }>;
    })
  | (SignUpData & {
      kind: "procurement_opportunity";
      packageName: string;
      buyerName: string;
      /** Ceiling in rupiah, and the planned selection month "YYYY-MM". */
      pagu: number;
      plannedMonth: string;
    });

const T = {
  id: {
    greeting: (name: string) => `Halo, ${name}.`,
    greetingOfficer: "Selamat pagi.",
    signUpPublishedSubject: "Pendaftaran usaha Anda disetujui",
    signUpPublished: (name: string) =>
      `Petugas DPMPTSPNAKER Kota Mojokerto sudah memeriksa dan menyetujui pendaftaran ${name}. Profil Anda sekarang tampil untuk calon mitra, dan saran mitra untuk Anda sudah bisa dilihat.`,
    signUpRejectedSubject: "Pendaftaran usaha Anda perlu diperbaiki",
    signUpRejected: (name: string) =>
      `Petugas DPMPTSPNAKER Kota Mojokerto belum bisa menyetujui pendaftaran ${name}.`,
    reasonLabel: "Alasan petugas",
    signUpRejectedNext: "Perbaiki data pendaftaran Anda, lalu kirim ulang untuk diperiksa lagi.",
    requestReceivedSubject: (other: string) => `Permintaan kemitraan baru dari ${other}`,
    requestReceived: (other: string, pattern: string) =>
      `${other} ingin bermitra dengan usaha Anda (pola ${pattern}).`,
    answerBy: (date: string) => `Jawab sebelum ${date}; setelah itu permintaan berakhir sendiri.`,
    acceptedSubject: (other: string) => `${other} menerima permintaan kemitraan Anda`,
    accepted: (other: string, pattern: string) =>
      `${other} menerima permintaan kemitraan Anda (pola ${pattern}). Petugas akan memeriksanya; Anda mendapat email lagi setelah petugas memutuskan.`,
    declinedSubject: (other: string) => `${other} tidak menerima permintaan kemitraan Anda`,
    declined: (other: string) =>
      `${other} tidak berminat bermitra saat ini. Lihat saran mitra lain di aplikasi Kemitraan.`,
    approvedSubject: (other: string) => `Kemitraan dengan ${other} disetujui`,
    approved: (other: string, pattern: string) =>
      `Petugas menyetujui kemitraan Anda dengan ${other} (pola ${pattern}). Kontak mitra sekarang terlihat di aplikasi: silakan saling menghubungi.`,
    rejectedSubject: (other: string) => `Kemitraan dengan ${other} tidak disetujui`,
    rejected: (other: string) => `Petugas tidak menyetujui kemitraan Anda dengan ${other}.`,
    expiredSubject: (other: string) => `Permintaan kemitraan dengan ${other} berakhir`,
    expiredRequester: (other: string) =>
      `${other} tidak menjawab permintaan kemitraan Anda sampai batas waktunya, jadi permintaan itu berakhir. Anda bisa mencoba mitra lain.`,
    expiredPartner: (other: string) =>
      `Permintaan kemitraan dari ${other} berakhir karena tidak dijawab sampai batas waktunya.`,
    summarySubject: (n: number) => `Kemitraan: ${n} hal menunggu petugas`,
    summaryIntro: (date: string) => `Yang menunggu petugas per ${date}:`,
    summaryLines: {
      signUps: (n: number) => `${n} pendaftaran untuk diperiksa`,
      changedProfiles: (n: number) => `${n} profil yang diubah pemiliknya`,
      acceptedRequests: (n: number) => `${n} permintaan diterima yang menunggu persetujuan`,
      drafts: (n: number) => `${n} usulan pasangan dari sistem`,
    },
    agendaSubject: (forum: string) => `Agenda Anda di ${forum}`,
    agendaIntro: (forum: string, date: string, venue: string) =>
      `Jadwal pertemuan Anda di ${forum}, ${date}, ${venue}. Datang 10 menit sebelum pertemuan pertama.`,
    agendaLine: (start: string, end: string, table: number, partner: string, why: string | null) =>
      `${start}-${end} · Meja ${table} · ${partner}${why ? ` (${why})` : ""}`,
    agendaEmpty: "Belum ada pertemuan untuk Anda; petugas akan menghubungi Anda di lokasi.",
    opportunitySubject: (pkg: string) => `Peluang pengadaan: ${pkg}`,
    opportunity: (buyer: string, pkg: string, pagu: string, month: string) =>
      `${buyer} Kota Mojokerto berencana membeli "${pkg}" (pagu ${pagu}, pemilihan direncanakan ${month}). Petugas DPMPTSPNAKER menilai usaha Anda cocok.`,
    opportunityNext:
      'Lihat paketnya dan kontak OPD di menu "Peluang pengadaan" pada aplikasi. Untuk menjual ke pemerintah lewat e-katalog Anda perlu NIB dan produk yang tayang; daftar langkahnya ada di sana.',
    openApp: "Buka aplikasi Kemitraan",
    openQueue: "Buka antrean petugas",
    footer: "Email pemberitahuan Kemitraan Kota Mojokerto.",
    preferences: "Atur email pemberitahuan",
    unsubscribe: "Berhenti menerima email jenis ini",
  },
  en: {
    greeting: (name: string) => `Hello, ${name}.`,
    greetingOfficer: "Good morning.",
    signUpPublishedSubject: "Your business registration is approved",
    signUpPublished: (name: string) =>
      `Officers of DPMPTSPNAKER Kota Mojokerto reviewed and approved the registration of ${name}. Your profile is now shown to possible partners, and your partner suggestions are ready.`,
    signUpRejectedSubject: "Your business registration needs changes",
    signUpRejected: (name: string) =>
      `Officers of DPMPTSPNAKER Kota Mojokerto could not approve the registration of ${name} yet.`,
    reasonLabel: "The officer's reason",
    signUpRejectedNext: "Correct your registration, then submit it again for review.",
    requestReceivedSubject: (other: string) => `New partnership request from ${other}`,
    requestReceived: (other: string, pattern: string) =>
      `${other} would like to partner with your business (pattern: ${pattern}).`,
    answerBy: (date: string) => `Answer before ${date}; after that the request expires.`,
    acceptedSubject: (other: string) => `${other} accepted your partnership request`,
    accepted: (other: string, pattern: string) =>
      `${other} accepted your partnership request (pattern: ${pattern}). An officer reviews it next; you get another email once the officer decides.`,
    declinedSubject: (other: string) => `${other} declined your partnership request`,
    declined: (other: string) =>
      `${other} is not interested in a partnership now. See other suggested partners in the Kemitraan app.`,
    approvedSubject: (other: string) => `Partnership with ${other} approved`,
    approved: (other: string, pattern: string) =>
      `An officer approved your partnership with ${other} (pattern: ${pattern}). Your partner's contact is now shown in the app: get in touch.`,
    rejectedSubject: (other: string) => `Partnership with ${other} not approved`,
    rejected: (other: string) => `An officer did not approve your partnership with ${other}.`,
    expiredSubject: (other: string) => `Partnership request with ${other} expired`,
    expiredRequester: (other: string) =>
      `${other} did not answer your partnership request in time, so it expired. You can try other partners.`,
    expiredPartner: (other: string) =>
      `The partnership request from ${other} expired because it was not answered in time.`,
    summarySubject: (n: number) => `Kemitraan: ${n} items wait for officers`,
    summaryIntro: (date: string) => `Waiting for officers as of ${date}:`,
    summaryLines: {
      signUps: (n: number) => `${n} sign-ups to review`,
      changedProfiles: (n: number) => `${n} profiles changed by their owners`,
      acceptedRequests: (n: number) => `${n} accepted requests awaiting approval`,
      drafts: (n: number) => `${n} draft pairings from the system`,
    },
    agendaSubject: (forum: string) => `Your agenda at ${forum}`,
    agendaIntro: (forum: string, date: string, venue: string) =>
      `Your meetings at ${forum}, ${date}, ${venue}. Please arrive 10 minutes before your first meeting.`,
    agendaLine: (start: string, end: string, table: number, partner: string, why: string | null) =>
      `${start}-${end} · Table ${table} · ${partner}${why ? ` (${why})` : ""}`,
    agendaEmpty: "No meeting for you yet; an officer will help you at the venue.",
    opportunitySubject: (pkg: string) => `Procurement opportunity: ${pkg}`,
    opportunity: (buyer: string, pkg: string, pagu: string, month: string) =>
      `${buyer} of Kota Mojokerto plans to buy "${pkg}" (ceiling ${pagu}, selection planned for ${month}). An officer of DPMPTSPNAKER found your business a good fit.`,
    opportunityNext:
      'See the package and its office\'s contact under "Procurement opportunities" in the app. To sell to the city through the e-katalog you need an NIB and a listing; the checklist there shows the steps.',
    openApp: "Open the Kemitraan app",
    openQueue: "Open the officers' queue",
    footer: "A Kemitraan Kota Mojokerto notification email.",
    preferences: "Email settings",
    unsubscribe: "Stop emails of this kind",
  },
} as const;

interface Layout {
  language: Language;
  subject: string;
  greeting: string;
  paragraphs: string[];
  /** Quoted text (a request's message, an officer's reason), shown set apart. */
  quote: { label: string | null; text: string } | null;
  /** Lines of a list (the officer summary). */
  list: string[];
  after: string[];
  action: { label: string; url: string };
  links: NotificationLinks;
}

function layoutOf(d: NotificationData): Layout {
  const t = T[d.language];
  const base = { language: d.language, quote: null, list: [], after: [], links: d.links };
  const app = { label: t.openApp, url: d.links.app };
  const reason = (r: string | null) => (r ? { label: t.reasonLabel, text: excerpt(r, 600) } : null);
  switch (d.kind) {
    case "sign_up_published":
      return {
        ...base,
        subject: t.signUpPublishedSubject,
        greeting: t.greeting(d.businessName),
        paragraphs: [t.signUpPublished(d.businessName)],
        action: app,
      };
    case "sign_up_rejected":
      return {
        ...base,
        subject: t.signUpRejectedSubject,
        greeting: t.greeting(d.businessName),
        paragraphs: [t.signUpRejected(d.businessName)],
        quote: reason(d.reason),
        after: [t.signUpRejectedNext],
        action: app,
      };
    case "request_received": {
      const pattern = patternLabel(d.pattern, d.language);
      return {
        ...base,
        subject: t.requestReceivedSubject(d.otherName),
        greeting: t.greeting(d.businessName),
        paragraphs: [t.requestReceived(d.otherName, pattern)],
        quote: d.message ? { label: null, text: excerpt(d.message, 300) } : null,
        after: d.expiresAt === null ? [] : [t.answerBy(formatDate(d.expiresAt, d.language))],
        action: app,
      };
    }
    case "request_accepted":
      return {
        ...base,
        subject: t.acceptedSubject(d.otherName),
        greeting: t.greeting(d.businessName),
        paragraphs: [t.accepted(d.otherName, patternLabel(d.pattern, d.language))],
        action: app,
      };
    case "request_declined":
      return {
        ...base,
        subject: t.declinedSubject(d.otherName),
        greeting: t.greeting(d.businessName),
        paragraphs: [t.declined(d.otherName)],
        action: app,
      };
    case "partnership_approved":
      return {
        ...base,
        subject: t.approvedSubject(d.otherName),
        greeting: t.greeting(d.businessName),
        paragraphs: [t.approved(d.otherName, patternLabel(d.pattern, d.language))],
        action: app,
      };
    case "partnership_rejected":
      return {
        ...base,
        subject: t.rejectedSubject(d.otherName),
        greeting: t.greeting(d.businessName),
        paragraphs: [t.rejected(d.otherName)],
        quote: reason(d.reason),
        action: app,
      };
    case "request_expired":
      return {
        ...base,
        subject: t.expiredSubject(d.otherName),
        greeting: t.greeting(d.businessName),
        paragraphs: [
          d.role === "requester" ? t.expiredRequester(d.otherName) : t.expiredPartner(d.otherName),
        ],
        action: app,
      };
    case "officer_summary": {
      const c = d.counts;
      const keys = ["signUps", "changedProfiles", "acceptedRequests", "drafts"] as const;
      return {
        ...base,
        subject: t.summarySubject(summaryTotal(c)),
        greeting: t.greetingOfficer,
        paragraphs: [t.summaryIntro(formatDate(d.date, d.language))],
        list: keys.filter((k) => c[k] > 0).map((k) => t.summaryLines[k](c[k])),
        action: { label: t.openQueue, url: d.links.app },
      };
    }
    case "forum_agenda":
      return {
        ...base,
        subject: t.agendaSubject(d.forum.name),
        greeting: t.greeting(d.businessName),
        paragraphs: [t.agendaIntro(d.forum.name, d.forum.date, d.forum.venue)],
        list: d.items.map((i) => t.agendaLine(i.start, i.end, i.tableNo, i.partner, i.why)),
        after: d.items.length === 0 ? [t.agendaEmpty] : [],
        action: app,
      };
    case "procurement_opportunity": {
      const rupiah = `Rp${d.pagu.toLocaleString("id-ID")}`;
      return {
        ...base,
        subject: t.opportunitySubject(excerpt(d.packageName, 80)),
        greeting: t.greeting(d.businessName),
        paragraphs: [t.opportunity(d.buyerName, d.packageName, rupiah, d.plannedMonth)],
        after: [t.opportunityNext],
        action: app,
      };
    }
  }
}

/** Everything waiting, summed: 0 means the summary is not sent. */
export function summaryTotal(c: OfficerSummaryCounts): number {
  return c.signUps + c.changedProfiles + c.acceptedRequests + c.drafts;
}

function renderText(l: Layout): string {
  const t = T[l.language];
  const out = [l.greeting, "", ...l.paragraphs.flatMap((p) => [p, ""])];
  if (l.quote) out.push(l.quote.label ? `${l.quote.label}: “${l.quote.text}”` : `“${l.quote.text}”`, "");
  if (l.list.length > 0) out.push(...l.list.map((line) => `- ${line}`), "");
  for (const p of l.after) out.push(p, "");
  out.push(`${l.action.label}: ${l.action.url}`, "", "--", t.footer);
  if (l.links.preferences) out.push(`${t.preferences}: ${l.links.preferences}`);
  if (l.links.unsubscribe) out.push(`${t.unsubscribe}: ${l.links.unsubscribe}`);
  out.push("");
  return out.join("\n");
}

function renderHtml(l: Layout): string {
  const t = T[l.language];
  const e = escapeHtml;
  const p = (s: string, style = "") =>
    `<p style="margin:0 0 12px;font-size:15px;line-height:1.5${style}">${e(s)}</p>`;
  const out = [
    "<!doctype html>",
    `<html lang="${l.language}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(l.subject)}</title>`,
    "</head>",
    '<body style="margin:0;padding:0;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933">',
    '<div style="max-width:600px;margin:0 auto;padding:16px;background:#ffffff">',
    p(l.greeting),
    ...l.paragraphs.map((s) => p(s)),
  ];
  if (l.quote) {
    out.push(
      '<div style="margin:0 0 12px;padding:10px 12px;border-left:3px solid #0b6e4f;background:#f7faf9">',
      ...(l.quote.label
        ? [`<p style="margin:0 0 4px;font-size:13px;color:#52606d">${e(l.quote.label)}</p>`]
        : []),
      `<p style="margin:0;font-size:15px;line-height:1.5;font-style:italic">${e(l.quote.text)}</p>`,
      "</div>",
    );
  }
  if (l.list.length > 0) {
    out.push(
      '<ul style="margin:0 0 12px;padding-left:20px;font-size:15px;line-height:1.6">',
      ...l.list.map((line) => `<li>${e(line)}</li>`),
      "</ul>",
    );
  }
  out.push(
    ...l.after.map((s) => p(s)),
    `<p style="margin:20px 0"><a href="${e(l.action.url)}" style="display:inline-block;padding:12px 20px;background:#0b6e4f;color:#ffffff;text-decoration:none;border-radius:4px;font-size:15px">${e(l.action.label)}</a></p>`,
    `<p style="margin:24px 0 0;font-size:12px;line-height:1.5;color:#7b8794">${[
      e(t.footer),
      ...(l.links.preferences
        ? [`<a href="${e(l.links.preferences)}" style="color:#7b8794">${e(t.preferences)}</a>`]
        : []),
      ...(l.links.unsubscribe
        ? [`<a href="${e(l.links.unsubscribe)}" style="color:#7b8794">${e(t.unsubscribe)}</a>`]
        : []),
    ].join(" · ")}</p>`,
    "</div>",
    "</body>",
    "</html>",
  );
  return `${out.join("\n")}\n`;
}

/**
 * Renders a notification in its language.
 *
 * @example renderNotification({ kind: "request_declined", language: "id", otherName: "UD Miji", ... }).subject
 *   // "UD Miji tidak menerima permintaan kemitraan Anda"
 */
export function renderNotification(data: NotificationData): RenderedEmail {
  const l = layoutOf(data);
  return { subject: l.subject, text: renderText(l), html: renderHtml(l) };
}
