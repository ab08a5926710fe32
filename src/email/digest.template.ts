/**
 * The weekly (or monthly) digest, for a business and for an officer: data in, {subject, text, html}
 * out. Pure: no database, no clock, no environment, so the output can be compared with golden files.
 *
 * HTML is one column without tables (readable at 360 px and in clients that drop <style>), with
 * inline styles only; the text part says the same in plain lines for plain-text clients.
 */

import type { Language } from "../domain/language";
import { escapeHtml, excerpt, formatDate, patternLabel } from "./format";

export type Cadence = "weekly" | "monthly";

export interface DigestLinks {
  /** The app's start page. */
  app: string;
  /** The signed one-click unsubscribe page (GET shows a confirm button). */
  unsubscribe: string;
}

export interface SuggestionItem {
  name: string;
  sector: "service" | "industry";
  kelurahan: string | null;
  /** Fused score in [0, 1]. */
  score: number;
  pattern: string;
  /** Already in the digest's language. */
  reasons: string[];
}

export interface WaitingRequestItem {
  requesterName: string;
  pattern: string;
  message: string;
  /** Epoch ms; null for a request without expiry. */
  expiresAt: number | null;
}

export interface StatusChangeItem {
  partnerName: string;
  /** The audit action: accept, decline, approve, reject, expire, end, create_pairing, ... */
  action: string;
  toState: string | null;
  at: number;
  /** An officer's rejection reason, when there is one. */
  reason: string | null;
}

export interface BusinessDigestData {
  kind: "business";
  language: Language;
  cadence: Cadence;
  businessName: string;
  windowStart: number;
  windowEnd: number;
  newSuggestions: SuggestionItem[];
  /** New suggestions beyond those listed. */
  moreSuggestions: number;
  waiting: WaitingRequestItem[];
  changes: StatusChangeItem[];
  links: DigestLinks;
}

export interface ReviewPairingItem {
  requesterName: string;
  partnerName: string;
  pattern: string;
}

export interface ExpiringItem {
  requesterName: string;
  partnerName: string;
  expiresAt: number;
}

export interface OfficerNumbers {
  signups: number;
  requests: number;
  accepted: number;
  declined: number;
  approved: number;
  rejected: number;
  expired: number;
  ended: number;
}

export interface OfficerDigestData {
  kind: "officer";
  language: Language;
  cadence: Cadence;
  windowStart: number;
  windowEnd: number;
  /** Sign-ups pending review: the first few names and the total. */
  signups: { names: string[]; total: number };
  /** Accepted requests waiting for an officer's approval. */
  pairings: { items: ReviewPairingItem[]; total: number };
  /** Unanswered requests that expire soon. */
  expiring: { items: ExpiringItem[]; total: number };
  numbers: OfficerNumbers;
  links: DigestLinks;
}

export type DigestData = BusinessDigestData | OfficerDigestData;

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * What emptiness looks at: the lists and totals, whether filled in (`DigestData`) or still ids (the
 * outbox's stored content, checked at planning).
 */
export type DigestOutline =
  | {
      kind: "business";
      newSuggestions: readonly unknown[];
      waiting: readonly unknown[];
      changes: readonly unknown[];
    }
  | {
      kind: "officer";
      signups: { total: number };
      pairings: { total: number };
      expiring: { total: number };
      numbers: Partial<OfficerNumbers>;
    };

/**
 * True when the digest would say nothing new: no new suggestion, no request to answer, no status
 * change (business); nothing to review, nothing expiring and a quiet period (officer). Empty
 * digests are never sent.
 */
export function isEmptyDigest<T extends DigestOutline>(data: T): boolean {
  if (data.kind === "business") {
    return data.newSuggestions.length === 0 && data.waiting.length === 0 && data.changes.length === 0;
  }
  const quiet = Object.values(data.numbers).every((n) => n === 0);
  return data.signups.total === 0 && data.pairings.total === 0 && data.expiring.total === 0 && quiet;
}

const T = {
  id: {
    weekly: "mingguan",
    monthly: "bulanan",
    subjectBusiness: (name: string, parts: string[]) => `Kemitraan: ${parts.join(", ")} untuk ${name}`,
    subjectOfficer: (parts: string[]) => `Kemitraan: ${parts.join(", ")}`,
    nSuggestions: (n: number) => `${n} calon mitra baru`,
    nWaiting: (n: number) => `${n} permintaan menunggu jawaban`,
    nChanges: (n: number) => `${n} kabar permintaan`,
    nReview: (n: number) => `${n} menunggu tinjauan`,
    nExpiring: (n: number) => `${n} segera kedaluwarsa`,
    weekSummary: "ringkasan periode",
    greeting: (name: string) => `Halo, ${name}.`,
    greetingOfficer: "Halo.",
    intro: (cadence: Cadence, from: string, to: string) =>
      `Ringkasan ${cadence === "weekly" ? "mingguan" : "bulanan"} Kemitraan Kota Mojokerto, ${from} s.d. ${to}.`,
    suggestionsTitle: "Calon mitra baru",
    moreSuggestions: (n: number) => `dan ${n} calon mitra lain di aplikasi.`,
    score: "kecocokan",
    pattern: "pola",
    service: "usaha jasa",
    industry: "industri kecil",
    waitingTitle: "Permintaan menunggu jawaban Anda",
    expires: (d: string) => `berakhir ${d}`,
    changesTitle: "Kabar permintaan Anda",
    reason: "alasan",
    actions: {
      accept: "menerima permintaan Anda",
      decline: "menolak permintaan Anda (tidak berminat)",
      approve: "disetujui petugas: kemitraan aktif",
      reject: "ditolak petugas",
      expire: "kedaluwarsa tanpa jawaban",
      end: "kemitraan diakhiri",
      cancel: "dibatalkan",
      create_pairing: "dipasangkan oleh petugas: kemitraan aktif",
    } as Record<string, string>,
    changed: (to: string | null) => `status berubah menjadi ${to ?? "-"}`,
    signupsTitle: "Pendaftaran menunggu tinjauan",
    pairingsTitle: "Kemitraan menunggu persetujuan",
    expiringTitle: "Permintaan yang segera kedaluwarsa",
    andMore: (n: number) => `dan ${n} lainnya.`,
    numbersTitle: "Angka periode ini",
    numbers: {
      signups: "pendaftaran baru",
      requests: "permintaan baru",
      accepted: "diterima mitra",
      declined: "ditolak mitra",
      approved: "disetujui petugas",
      rejected: "ditolak petugas",
      expired: "kedaluwarsa",
      ended: "diakhiri",
    } as Record<keyof OfficerNumbers, string>,
    open: "Buka Kemitraan",
    footer: (cadence: Cadence) =>
      `Anda menerima email ini karena berlangganan ringkasan ${cadence === "weekly" ? "mingguan" : "bulanan"} Kemitraan. Ubah frekuensi atau bahasa di pengaturan akun.`,
    unsubscribe: "Berhenti berlangganan",
  },
  en: {
    weekly: "weekly",
    monthly: "monthly",
    subjectBusiness: (name: string, parts: string[]) => `Kemitraan: ${parts.join(", ")} for ${name}`,
    subjectOfficer: (parts: string[]) => `Kemitraan: ${parts.join(", ")}`,
    nSuggestions: (n: number) => `${n} new potential ${n === 1 ? "partner" : "partners"}`,
    nWaiting: (n: number) => `${n} ${n === 1 ? "request" : "requests"} awaiting your answer`,
    nChanges: (n: number) => `${n} request ${n === 1 ? "update" : "updates"}`,
    nReview: (n: number) => `${n} awaiting review`,
    nExpiring: (n: number) => `${n} expiring soon`,
    weekSummary: "period summary",
    greeting: (name: string) => `Hello, ${name}.`,
    greetingOfficer: "Hello.",
    intro: (cadence: Cadence, from: string, to: string) =>
      `Your ${cadence} Kemitraan Kota Mojokerto summary, ${from} to ${to}.`,
    suggestionsTitle: "New potential partners",
    moreSuggestions: (n: number) => `and ${n} more in the app.`,
    score: "match",
    pattern: "pattern",
    service: "service business",
    industry: "small industry",
    waitingTitle: "Requests awaiting your answer",
    expires: (d: string) => `expires ${d}`,
    changesTitle: "Updates on your requests",
    reason: "reason",
    actions: {
      accept: "accepted your request",
      decline: "declined your request (not interested)",
      approve: "approved by an officer: partnership active",
      reject: "rejected by an officer",
      expire: "expired without an answer",
      end: "partnership ended",
      cancel: "cancelled",
      create_pairing: "paired by an officer: partnership active",
    } as Record<string, string>,
    changed: (to: string | null) => `status changed to ${to ?? "-"}`,
    signupsTitle: "Sign-ups awaiting review",
    pairingsTitle: "Partnerships awaiting approval",
    expiringTitle: "Requests expiring soon",
    andMore: (n: number) => `and ${n} more.`,
    numbersTitle: "This period's numbers",
    numbers: {
      signups: "new sign-ups",
      requests: "new requests",
      accepted: "accepted by partners",
      declined: "declined by partners",
      approved: "approved by officers",
      rejected: "rejected by officers",
      expired: "expired",
      ended: "ended",
    } as Record<keyof OfficerNumbers, string>,
    open: "Open Kemitraan",
    footer: (cadence: Cadence) =>
      `You receive this because you subscribed to the ${cadence} Kemitraan summary. Change how often, or the language, in your account settings.`,
    unsubscribe: "Unsubscribe",
  },
} as const;

/** One section: a title and its lines, each line a main text and optional detail lines. */
interface Section {
  title: string;
  items: { main: string; details: string[] }[];
  after?: string;
}

interface Layout {
  subject: string;
  greeting: string;
  intro: string;
  sections: Section[];
  cadence: Cadence;
  language: Language;
  links: DigestLinks;
}

function businessLayout(d: BusinessDigestData): Layout {
  const t = T[d.language];
  const parts: string[] = [];
  const newCount = d.newSuggestions.length + d.moreSuggestions;
  if (newCount > 0) parts.push(t.nSuggestions(newCount));
  if (d.waiting.length > 0) parts.push(t.nWaiting(d.waiting.length));
  if (d.changes.length > 0) parts.push(t.nChanges(d.changes.length));
  const sections: Section[] = [];
  if (d.waiting.length > 0) {
    sections.push({
      title: t.waitingTitle,
      items: d.waiting.map((w) => ({
        main: `${w.requesterName}: ${t.pattern} ${patternLabel(w.pattern, d.language)}`,
        details: [
          ...(w.message ? [`“${excerpt(w.message, 160)}”`] : []),
          ...(w.expiresAt !== null ? [t.expires(formatDate(w.expiresAt, d.language))] : []),
        ],
      })),
    });
  }
  if (d.newSuggestions.length > 0) {
    sections.push({
      title: t.suggestionsTitle,
      items: d.newSuggestions.map((s) => ({
        main: `${s.name} (${s.sector === "service" ? t.service : t.industry}${s.kelurahan ? `, ${s.kelurahan}` : ""})`,
        details: [
          `${t.score} ${Math.round(s.score * 100)}%, ${t.pattern} ${patternLabel(s.pattern, d.language)}`,
          ...s.reasons.map((r) => `• ${r}`),
        ],
      })),
      ...(d.moreSuggestions > 0 ? { after: t.moreSuggestions(d.moreSuggestions) } : {}),
    });
  }
  if (d.changes.length > 0) {
    sections.push({
      title: t.changesTitle,
      items: d.changes.map((c) => ({
        main: `${c.partnerName}: ${t.actions[c.action] ?? t.changed(c.toState)}`,
        details: [formatDate(c.at, d.language), ...(c.reason ? [`${t.reason}: ${c.reason}`] : [])],
      })),
    });
  }
  return {
    subject: t.subjectBusiness(d.businessName, parts),
    greeting: t.greeting(d.businessName),
    intro: t.intro(d.cadence, formatDate(d.windowStart, d.language), formatDate(d.windowEnd, d.language)),
    sections,
    cadence: d.cadence,
    language: d.language,
    links: d.links,
  };
}

function officerLayout(d: OfficerDigestData): Layout {
  const t = T[d.language];
  const parts: string[] = [];
  const review = d.signups.total + d.pairings.total;
  if (review > 0) parts.push(t.nReview(review));
  if (d.expiring.total > 0) parts.push(t.nExpiring(d.expiring.total));
  if (parts.length === 0) parts.push(t.weekSummary);
  const more = (shown: number, total: number) => (total > shown ? { after: t.andMore(total - shown) } : {});
  const sections: Section[] = [];
  if (d.signups.total > 0) {
    sections.push({
      title: `${t.signupsTitle} (${d.signups.total})`,
      items: d.signups.names.map((name) => ({ main: name, details: [] })),
      ...more(d.signups.names.length, d.signups.total),
    });
  }
  if (d.pairings.total > 0) {
    sections.push({
      title: `${t.pairingsTitle} (${d.pairings.total})`,
      items: d.pairings.items.map((p) => ({
        main: `${p.requesterName} – ${p.partnerName}`,
        details: [`${t.pattern} ${patternLabel(p.pattern, d.language)}`],
      })),
      ...more(d.pairings.items.length, d.pairings.total),
    });
  }
  if (d.expiring.total > 0) {
    sections.push({
      title: `${t.expiringTitle} (${d.expiring.total})`,
      items: d.expiring.items.map((e) => ({
        main: `${e.requesterName} → ${e.partnerName}`,
        details: [t.expires(formatDate(e.expiresAt, d.language))],
      })),
      ...more(d.expiring.items.length, d.expiring.total),
    });
  }
  sections.push({
    title: t.numbersTitle,
    items: (Object.keys(t.numbers) as (keyof OfficerNumbers)[]).map((k) => ({
      main: `${t.numbers[k]}: ${d.numbers[k]}`,
      details: [],
    })),
  });
  return {
    subject: t.subjectOfficer(parts),
    greeting: t.greetingOfficer,
    intro: t.intro(d.cadence, formatDate(d.windowStart, d.language), formatDate(d.windowEnd, d.language)),
    sections,
    cadence: d.cadence,
    language: d.language,
    links: d.links,
  };
}

function renderText(l: Layout): string {
  const t = T[l.language];
  const lines: string[] = [l.greeting, "", l.intro];
  for (const s of l.sections) {
    lines.push("", s.title.toUpperCase(), "");
    for (const item of s.items) {
      lines.push(`- ${item.main}`);
      for (const detail of item.details) lines.push(`  ${detail}`);
    }
    if (s.after) lines.push(s.after);
  }
  lines.push(
    "",
    `${t.open}: ${l.links.app}`,
    "",
    "--",
    t.footer(l.cadence),
    `${t.unsubscribe}: ${l.links.unsubscribe}`,
  );
  return `${lines.join("\n")}\n`;
}

const FONT = "font-family:Arial,Helvetica,sans-serif";

function renderHtml(l: Layout): string {
  const t = T[l.language];
  const e = escapeHtml;
  const out: string[] = [
    "<!doctype html>",
    `<html lang="${l.language}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(l.subject)}</title>`,
    "</head>",
    `<body style="margin:0;padding:0;background:#f4f5f7;${FONT};color:#1f2933">`,
    '<div style="max-width:600px;margin:0 auto;padding:16px;background:#ffffff">',
    `<p style="margin:0 0 8px;font-size:16px;line-height:1.5">${e(l.greeting)}</p>`,
    `<p style="margin:0 0 16px;font-size:14px;line-height:1.5;color:#52606d">${e(l.intro)}</p>`,
  ];
  for (const s of l.sections) {
    out.push(`<h2 style="margin:24px 0 8px;font-size:17px;line-height:1.3;color:#0b6e4f">${e(s.title)}</h2>`);
    for (const item of s.items) {
      out.push(
        '<div style="margin:0 0 12px;padding:10px 12px;border-left:3px solid #0b6e4f;background:#f7faf9">',
      );
      out.push(`<p style="margin:0;font-size:15px;line-height:1.4;font-weight:bold">${e(item.main)}</p>`);
      for (const detail of item.details) {
        out.push(`<p style="margin:4px 0 0;font-size:14px;line-height:1.4">${e(detail)}</p>`);
      }
      out.push("</div>");
    }
    if (s.after) out.push(`<p style="margin:0 0 12px;font-size:14px;line-height:1.4">${e(s.after)}</p>`);
  }
  out.push(
    `<p style="margin:24px 0"><a href="${e(l.links.app)}" style="display:inline-block;padding:12px 20px;background:#0b6e4f;color:#ffffff;text-decoration:none;border-radius:4px;font-size:15px">${e(t.open)}</a></p>`,
    `<p style="margin:24px 0 0;font-size:12px;line-height:1.5;color:#7b8794">${e(t.footer(l.cadence))} <a href="${e(l.links.unsubscribe)}" style="color:#7b8794">${e(t.unsubscribe)}</a></p>`,
    "</div>",
    "</body>",
    "</html>",
  );
  return `${out.join("\n")}\n`;
}

/**
 * Renders a digest in its language.
 *
 * @example renderDigest({ kind: "business", language: "id", ... }).subject
 *   // "Kemitraan: 2 calon mitra baru, 1 permintaan menunggu jawaban untuk UD Sepatu Miji"
 */
export function renderDigest(data: DigestData): RenderedEmail {
  const layout = data.kind === "business" ? businessLayout(data) : officerLayout(data);
  return { subject: layout.subject, text: renderText(layout), html: renderHtml(layout) };
}
