/**
 * WhatsApp numbers. Owners here write their mobile number as `0812-3456-7890`, `+62 812 3456 7890`
 * or `6281234567890`; it is stored in E.164 (`+6281234567890`) so the click-to-chat link
 * (`https://wa.me/<digits>`) works whichever way it was typed. Only Indonesian mobile numbers
 * (`08…` nationally, 9 to 12 digits after the leading 0, per the Kominfo numbering plan's 08xx
 * blocks) are accepted: a landline has no WhatsApp account a business would share.
 */

/** E.164 Indonesian mobile: +62, then 8, then 8 to 11 more digits. */
const E164_MOBILE = /^\+628\d{8,11}$/;

/** What separators people write between digits: spaces, dashes, dots, brackets. */
const SEPARATORS = /[\s\-.()]/g;

/**
 * The number in E.164 (`+628…`), or null when it is not an Indonesian mobile number.
 * @example normaliseWhatsApp("0812-3456-7890") === "+6281234567890"
 * @example normaliseWhatsApp("+62 812 3456 7890") === "+6281234567890"
 * @example normaliseWhatsApp("021 555 1234") === null  // a Jakarta landline
 */
export function normaliseWhatsApp(raw: string): string | null {
  const compact = raw.replace(SEPARATORS, "");
  let e164: string;
  if (compact.startsWith("+62")) e164 = compact;
  else if (compact.startsWith("62")) e164 = `+${compact}`;
  else if (compact.startsWith("0")) e164 = `+62${compact.slice(1)}`;
  else return null;
  return E164_MOBILE.test(e164) ? e164 : null;
}

export function isWhatsAppNumber(raw: string): boolean {
  return normaliseWhatsApp(raw) !== null;
}

/** The click-to-chat link of a stored (E.164) number. */
export function whatsAppLink(e164: string): string {
  return `https://wa.me/${e164.replace(/\D/g, "")}`;
}

export const WHATSAPP_FORMAT_MESSAGE =
  "Give an Indonesian mobile number, e.g. 0812-3456-7890 or +62 812 3456 7890.";
