/**
 * The owner's short "why" for a suggestion, read back from the reasons `explain` wrote: the same
 * claims, fewer words, no KBLI codes or scores. It adds nothing the engine did not say; a reason
 * it does not recognise is kept as it is.
 */
import type { Language } from "../domain/language";
import { REASON_LEADS } from "./explain";

/** "berjarak sekitar 2 km" / "about 2 km apart", as `explain`'s location reason writes it. */
const KM = /(?:berjarak sekitar|about) ([0-9]+(?:\.[0-9])?) km/;

const SHORT = {
  offer: {
    id: (x: string) => `Menawarkan ${x} yang Anda butuhkan`,
    en: (x: string) => `Offers ${x}, which you need`,
  },
  identity: {
    id: (x: string) => `Jenis usaha yang Anda cari (${x})`,
    en: (x: string) => `The kind of business you look for (${x})`,
  },
  need: {
    id: (x: string) => `Mencari ${x} yang Anda tawarkan`,
    en: (x: string) => `Looking for ${x}, which you offer`,
  },
  likeYou: {
    id: (x: string) => `Mencari usaha seperti Anda (${x})`,
    en: (x: string) => `Looking for businesses like yours (${x})`,
  },
} as const;

function shortLocation(reason: string, lang: Language): string {
  const km = KM.exec(reason)?.[1];
  if (km) return lang === "en" ? `about ${km} km from you` : `± ${km} km dari Anda`;
  // No distance: the tier part before the comma ("Satu kelurahan (Kranggan)").
  return reason.split(",")[0]?.trim() ?? reason;
}

/**
 * One reason in a few words: "Mereka menawarkan yang Anda butuhkan: kardus" → "Menawarkan kardus
 * yang Anda butuhkan"; a complementary-activities reason loses its KBLI codes; a distance becomes
 * "± 2 km dari Anda". The neutral-category note is not a reason to partner and gives null.
 */
export function shortReason(reason: string, lang: Language): string | null {
  if (reason === REASON_LEADS.categoryNeutral[lang]) return null;
  for (const kind of ["offer", "identity", "need", "likeYou"] as const) {
    const lead = REASON_LEADS[kind][lang];
    if (reason.startsWith(lead)) return SHORT[kind][lang](reason.slice(lead.length));
  }
  if (reason.startsWith(REASON_LEADS.category[lang])) {
    return lang === "en" ? "Complementary lines of business" : "Bidang usaha saling melengkapi";
  }
  if (
    KM.test(reason) ||
    /^(Satu |Same |Sama-sama di |Both in |Di |In )/.test(reason) ||
    / (bertetangga dengan|borders) /.test(reason)
  ) {
    return shortLocation(reason, lang);
  }
  return reason;
}

/** Up to `max` short reasons, strongest first (the order `explain` gave them). */
export function shortWhy(reasons: readonly string[], lang: Language, max = 3): string[] {
  const out: string[] = [];
  for (const r of reasons) {
    const s = shortReason(r, lang);
    if (s && !out.includes(s)) out.push(s);
    if (out.length === max) break;
  }
  return out;
}
