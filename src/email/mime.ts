import { MailError } from "./errors";

/**
 * An RFC 5322 / MIME message builder, pure (no I/O, no dependencies), so the same bytes can be
 * built in a Worker, in Node and in tests. What it guarantees:
 * - header injection is impossible: any CR, LF or NUL in a header value, display name or address
 *   is refused with a MailError (`invalid`), never stripped or passed through;
 * - non-ASCII in Subject and display names becomes RFC 2047 encoded-words (UTF-8, Q encoding),
 *   each at most 75 characters and split on character boundaries, on lines of at most 76;
 * - ASCII header lines are folded at whitespace to at most 78 characters; nothing exceeds 998;
 * - bodies are UTF-8, quoted-printable (lines of at most 76), CRLF line ends; with `html` the
 *   message is multipart/alternative (text first, html last = preferred), otherwise text/plain.
 */

export interface MailAddress {
  email: string;
  /** Display name; any Unicode, encoded when needed. */
  name?: string | undefined;
}

export interface MimeInput {
  from: MailAddress;
  to: string | MailAddress;
  subject: string;
  text: string;
  html?: string | undefined;
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post, X-...): ASCII values, no line breaks. */
  headers?: Record<string, string> | undefined;
  /** Defaults to now. */
  date?: Date | undefined;
  /** `<id@domain>`; defaults to a random UUID at the sender's domain. */
  messageId?: string | undefined;
  /** Multipart boundary; random by default (tests pin it). */
  boundary?: string | undefined;
}

export interface MimeMessage {
  messageId: string;
  /**
   * The message's own headers (From, To, Subject, Date, Message-ID, then the extra ones), values
   * already encoded and folded; without MIME-Version and Content-*, which belong to the body.
   */
  headers: Array<[name: string, value: string]>;
  /** The whole message, CRLF line ends, ready for SMTP DATA (before dot-stuffing). */
  raw: string;
}

const CRLF = "\r\n";
const MAX_LINE = 78;
const HARD_MAX_LINE = 998;
/** RFC 2047: an encoded-word is at most 75 characters; "=?UTF-8?Q?" + "?=" take 12. */
const MAX_ENCODED_WORD = 75;
const WORD_PREFIX = "=?UTF-8?Q?";
const WORD_SUFFIX = "?=";

/** Headers the builder writes itself; callers may not pass them as extras. */
const RESERVED_HEADERS = new Set([
  "from",
  "to",
  "cc",
  "bcc",
  "reply-to",
  "sender",
  "subject",
  "date",
  "message-id",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
  "received",
  "return-path",
]);

function invalid(message: string): MailError {
  return new MailError("invalid", message);
}

/** Refuses CR, LF and NUL anywhere in something that ends up in a header. */
export function assertNoLineBreaks(what: string, value: string): void {
  if (/[\r\n\0]/.test(value))
    throw invalid(`${what} contains a line break (CR/LF) or NUL; refused to prevent header injection.`);
}

// dot-atom local part and a hostname (no IP literals, no quoted local parts, no SMTPUTF8).
const ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/**
 * Checks a bare address (`local@domain`) and returns it unchanged.
 * @throws MailError `invalid` naming the field and the reason.
 */
export function checkAddress(field: string, email: string): string {
  assertNoLineBreaks(`${field} address`, email);
  if (email.length > 254) throw invalid(`${field} address is longer than 254 characters.`);
  if (/[\u0080-\uffff]/.test(email))
    throw invalid(`${field} address "${email}" is not ASCII; internationalised addresses are not supported.`);
  if (!ADDRESS.test(email)) throw invalid(`${field} address "${email}" is not a valid email address.`);
  return email;
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function hex(byte: number): string {
  return `=${byte.toString(16).toUpperCase().padStart(2, "0")}`;
}

/** Q-encodes one character; only characters safe in both `*text` and `phrase` stay literal. */
function qChar(char: string): string {
  if (char === " ") return "_";
  if (/^[A-Za-z0-9!*+\-/]$/.test(char)) return char;
  let out = "";
  for (const byte of utf8(char)) out += hex(byte);
  return out;
}

/**
 * RFC 2047 encoded-words for `text`, one per output line. The first word fits after `offset`
 * characters already on its line; every word stays within 75 characters and whole characters
 * (code points) are never split across words.
 */
function encodedWords(text: string, offset: number): string[] {
  const words: string[] = [];
  let current = "";
  // The first line holds "Name: " already; later lines start with one folding space.
  let room = Math.min(MAX_ENCODED_WORD, 76 - offset) - WORD_PREFIX.length - WORD_SUFFIX.length;
  for (const char of text) {
    const encoded = qChar(char);
    if (current.length + encoded.length > room && current) {
      words.push(WORD_PREFIX + current + WORD_SUFFIX);
      current = "";
      room = MAX_ENCODED_WORD - WORD_PREFIX.length - WORD_SUFFIX.length;
    }
    current += encoded;
  }
  words.push(WORD_PREFIX + current + WORD_SUFFIX);
  return words;
}

/**
 * Folds an ASCII value at whitespace so each line (the first one after `offset` characters) is
 * at most 78 characters. Returns null when some piece cannot be made to fit.
 */
function foldAscii(value: string, offset: number, limit = MAX_LINE): string | null {
  if (offset + value.length <= MAX_LINE) return value;
  const pieces = value.split(/(?=[ \t])/);
  const lines: string[] = [];
  let line = "";
  let used = offset;
  for (const piece of pieces) {
    if (line && used + piece.length > MAX_LINE) {
      lines.push(line);
      line = piece;
      used = piece.length;
    } else {
      line += piece;
      used += piece.length;
    }
    if (used > limit) return null;
  }
  lines.push(line);
  return lines.join(CRLF);
}

function isPlainAscii(value: string): boolean {
  return /^[\x20-\x7e\t]*$/.test(value);
}

/** An unstructured header value (Subject): plain and folded when ASCII, encoded-words otherwise. */
function unstructured(name: string, value: string): string {
  const offset = name.length + 2;
  // "=?" in plain text could be read as the start of an encoded-word: encode those too.
  if (isPlainAscii(value) && !value.includes("=?") && value.trim() === value) {
    const folded = foldAscii(value, offset);
    if (folded !== null) return folded;
  }
  return encodedWords(value, offset).join(`${CRLF} `);
}

/** A display name: a quoted-string when ASCII, encoded-words otherwise. */
function displayName(name: string, offset: number): string {
  if (isPlainAscii(name) && !name.includes("=?")) return `"${name.replace(/(["\\])/g, "\\$1")}"`;
  return encodedWords(name, offset).join(`${CRLF} `);
}

/** Formats `"Name" <local@domain>` (or the bare address), folding before the address if long. */
export function formatAddress(field: string, address: MailAddress, offset = field.length + 2): string {
  const email = checkAddress(field, address.email);
  const name = address.name?.trim();
  if (!name) return email;
  assertNoLineBreaks(`${field} display name`, name);
  const phrase = displayName(name, offset);
  const lastLine = phrase.slice(phrase.lastIndexOf("\n") + 1);
  const lastLength = phrase.includes("\n") ? lastLine.length : offset + lastLine.length;
  return lastLength + email.length + 3 > MAX_LINE ? `${phrase}${CRLF} <${email}>` : `${phrase} <${email}>`;
}

/** RFC 5322 date-time in UTC: `Mon, 30 Nov 2026 00:00:00 +0000`. */
export function formatDate(date: Date): string {
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${days[date.getUTCDay()]}, ${two(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

/**
 * Validates and folds caller-supplied headers. Names: letters, digits and hyphens, at most 100
 * characters, not one the builder writes itself, no duplicates. Values: non-empty printable ASCII
 * (URIs, tokens), no line breaks.
 */
export function extraHeaders(headers: Record<string, string> | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(headers ?? {})) {
    assertNoLineBreaks(`Header name "${name.replace(/[\r\n]/g, "\\n")}"`, name);
    if (!/^[A-Za-z0-9-]{1,100}$/.test(name))
      throw invalid(`Header name "${name}" may only contain letters, digits and hyphens (1-100).`);
    const lower = name.toLowerCase();
    if (RESERVED_HEADERS.has(lower))
      throw invalid(`Header ${name} is written by the mailer and cannot be set.`);
    if (seen.has(lower)) throw invalid(`Header ${name} is given twice.`);
    seen.add(lower);
    assertNoLineBreaks(`Header ${name}`, value);
    if (!value.trim()) throw invalid(`Header ${name} is empty.`);
    if (!isPlainAscii(value)) throw invalid(`Header ${name} must be printable ASCII (encode URIs).`);
    const folded = foldAscii(value.trim(), name.length + 2, HARD_MAX_LINE);
    if (folded === null) throw invalid(`Header ${name} has a line longer than ${HARD_MAX_LINE} characters.`);
    out.push([name, folded]);
  }
  return out;
}

/**
 * Quoted-printable (RFC 2045 6.7) of UTF-8 text with CRLF line ends: encoded lines are at most
 * 76 characters, whitespace before a line end is encoded, and "=" never appears except as an
 * escape or soft break (which is why a boundary starting with "=_" can never collide).
 */
export function quotedPrintable(text: string): string {
  const lines = text.replace(/\r\n|\r/g, "\n").split("\n");
  const out: string[] = [];
  for (const line of lines) {
    const bytes = utf8(line);
    let current = "";
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i] as number;
      const last = i === bytes.length - 1;
      let token: string;
      if ((byte === 0x20 || byte === 0x09) && last) token = hex(byte);
      else if (byte === 0x20 || byte === 0x09 || (byte >= 33 && byte <= 126 && byte !== 61))
        token = String.fromCharCode(byte);
      else token = hex(byte);
      // Keep one column for the soft break "=" (76 including it).
      if (current.length + token.length > 75) {
        out.push(`${current}=`);
        current = "";
      }
      current += token;
    }
    out.push(current);
  }
  return out.join(CRLF);
}

function randomBoundary(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `=_kemitraan_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1);
}

/** The message's own headers, encoded and validated: what an SMTP library can send verbatim. */
export function buildHeaders(input: MimeInput): { messageId: string; headers: Array<[string, string]> } {
  const to = typeof input.to === "string" ? { email: input.to } : input.to;
  assertNoLineBreaks("Subject", input.subject);
  const messageId =
    input.messageId ?? `<${crypto.randomUUID()}@${domainOf(checkAddress("From", input.from.email))}>`;
  if (!/^<[^<>\s@]+@[^<>\s@]+>$/.test(messageId))
    throw invalid(`Message-ID "${messageId}" is not <id@domain>.`);
  return {
    messageId,
    headers: [
      ["From", formatAddress("From", input.from)],
      ["To", formatAddress("To", to)],
      ["Subject", unstructured("Subject", input.subject)],
      ["Date", formatDate(input.date ?? new Date())],
      ["Message-ID", messageId],
      ...extraHeaders(input.headers),
    ],
  };
}

/**
 * Builds the whole message.
 *
 * @example
 * buildMime({ from: { email: "noreply@kota.example", name: "Kemitraan" }, to: "a@b.example",
 *   subject: "Kemitraan: 3 usulan mitra baru — Kota Mojokerto", text: "…", html: "<p>…</p>" }).raw
 */
export function buildMime(input: MimeInput): MimeMessage {
  const { messageId, headers } = buildHeaders(input);
  const lines = headers.map(([name, value]) => `${name}: ${value}`);
  lines.push("MIME-Version: 1.0");
  const textPart = ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"];
  let body: string;
  if (input.html === undefined) {
    lines.push(...textPart);
    body = quotedPrintable(input.text);
  } else {
    const boundary = input.boundary ?? randomBoundary();
    if (!/^[A-Za-z0-9'()+_,\-./:=?]{1,70}$/.test(boundary))
      throw invalid("Boundary is not a valid MIME boundary.");
    lines.push(`Content-Type: multipart/alternative;${CRLF} boundary="${boundary}"`);
    body = [
      "This is a multi-part message in MIME format.",
      `--${boundary}`,
      ...textPart,
      "",
      quotedPrintable(input.text),
      `--${boundary}`,
      "Content-Type: text/html; charset=utf-8",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      quotedPrintable(input.html),
      `--${boundary}--`,
    ].join(CRLF);
  }
  return { messageId, headers, raw: `${lines.join(CRLF)}${CRLF}${CRLF}${body}${CRLF}` };
}
