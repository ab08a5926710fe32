import fc from "fast-check";
import { type AddressObject, simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { MailError } from "../../../src/email/errors";
import { buildHeaders, buildMime, type MimeInput, quotedPrintable } from "../../../src/email/mime";

const SUBJECT = "Kemitraan: 3 usulan mitra baru — Kota Mojokerto";

function input(overrides: Partial<MimeInput> = {}): MimeInput {
  return {
    from: { email: "noreply@kemitraan.example.id", name: "Kemitraan Kota Mojokerto" },
    to: "pemilik@umkm.example.id",
    subject: SUBJECT,
    text: "Halo,\n\nAda 3 usulan mitra baru untuk Anda.\nhttps://kemitraan.example.id/v1/digest?x=1",
    html: '<p>Halo,</p><p>Ada <b>3</b> usulan mitra baru untuk Anda — lihat <a href="https://kemitraan.example.id/">di sini</a>.</p>',
    date: new Date("2026-11-30T00:00:00Z"),
    ...overrides,
  };
}

function lines(raw: string): string[] {
  expect(raw).not.toMatch(/[^\r]\n/); // every line ends in CRLF
  return raw.split("\r\n");
}

function headerBlock(raw: string): string[] {
  return raw.slice(0, raw.indexOf("\r\n\r\n")).split("\r\n");
}

function address(value: AddressObject | AddressObject[] | undefined) {
  return (Array.isArray(value) ? value[0] : value)?.value[0];
}

describe("buildMime", () => {
  it("builds a multipart/alternative message mailparser reads back: headers, both parts, non-ASCII subject", async () => {
    const built = buildMime(
      input({
        headers: {
          "List-Unsubscribe": "<https://kemitraan.example.id/u/abc>",
          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
      }),
    );
    const mail = await simpleParser(built.raw);
    expect(mail.subject).toBe(SUBJECT);
    expect(address(mail.from)).toEqual({
      address: "noreply@kemitraan.example.id",
      name: "Kemitraan Kota Mojokerto",
    });
    expect(address(mail.to)?.address).toBe("pemilik@umkm.example.id");
    expect(mail.messageId).toBe(built.messageId);
    expect(built.messageId).toMatch(/^<[0-9a-f-]{36}@kemitraan\.example\.id>$/);
    expect(mail.date?.toISOString()).toBe("2026-11-30T00:00:00.000Z");
    expect(mail.text?.trimEnd()).toBe(input().text.replace(/\n/g, "\n"));
    expect(mail.html).toBe(input().html);
    expect(mail.headers.get("mime-version")).toBe("1.0");
    expect((mail.headers.get("content-type") as { value: string }).value).toBe("multipart/alternative");
    const line = (key: string) => mail.headerLines.find((h) => h.key === key)?.line;
    expect(line("list-unsubscribe")).toBe("List-Unsubscribe: <https://kemitraan.example.id/u/abc>");
    expect(line("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    // text first, html last (the preferred alternative), both UTF-8 quoted-printable
    const raw = built.raw;
    expect(raw.indexOf("Content-Type: text/plain; charset=utf-8")).toBeLessThan(
      raw.indexOf("Content-Type: text/html; charset=utf-8"),
    );
    expect(raw.match(/Content-Transfer-Encoding: quoted-printable/g)).toHaveLength(2);
  });

  it("encodes the non-ASCII subject as RFC 2047 encoded-words of at most 75 characters", () => {
    const subject =
      headerBlock(buildMime(input()).raw)
        .join("\r\n")
        .match(/^Subject: .*(?:\r\n[ \t].*)*/m)?.[0] ?? "";
    const words = subject.match(/=\?UTF-8\?Q\?[^?]*\?=/g) ?? [];
    expect(words.length).toBeGreaterThan(0);
    for (const w of words) expect(w.length).toBeLessThanOrEqual(75);
    expect(subject).toContain("=E2=80=94"); // the em dash, as UTF-8 bytes
    expect(subject).not.toMatch(/[\u0080-\uffff]/);
  });

  it("keeps a plain ASCII subject readable and folds long headers to 78 columns", async () => {
    const long = "Weekly digest: ".concat(Array.from({ length: 20 }, (_, i) => `word${i}`).join(" "));
    const built = buildMime(input({ subject: long, html: undefined }));
    const head = headerBlock(built.raw);
    expect(head.some((l) => l.startsWith("Subject: Weekly digest: word0"))).toBe(true);
    for (const line of head) expect(line.length).toBeLessThanOrEqual(78);
    expect((await simpleParser(built.raw)).subject).toBe(long);
  });

  it("sends text only as a single text/plain part", async () => {
    const built = buildMime(input({ html: undefined }));
    expect(built.raw).not.toContain("multipart");
    const mail = await simpleParser(built.raw);
    expect(mail.html).toBe(false);
    expect(mail.text?.trimEnd()).toBe(input().text);
  });

  it("keeps every body line within 76 characters, even a 3,000-character line of Indonesian text", async () => {
    const text = "Usaha katering — nasi kotak, prasmanan. ".repeat(75);
    const built = buildMime(input({ text, html: `<p>${text}</p>` }));
    for (const line of lines(built.raw)) expect(line.length).toBeLessThanOrEqual(78);
    const mail = await simpleParser(built.raw);
    expect(mail.text?.trimEnd()).toBe(text.trimEnd());
    expect(mail.html).toBe(`<p>${text}</p>`);
  });

  it("encodes display names that are not ASCII and quotes those with specials", async () => {
    const built = buildMime(
      input({
        from: { email: "a@kota.example.id", name: "Dinas Koperasi, UKM & Perdagangan — Mojokerto" },
        to: { email: "b@example.id", name: 'Bu "Sri" Wahyuni' },
      }),
    );
    const mail = await simpleParser(built.raw);
    expect(address(mail.from)?.name).toBe("Dinas Koperasi, UKM & Perdagangan — Mojokerto");
    expect(address(mail.to)).toEqual({ address: "b@example.id", name: 'Bu "Sri" Wahyuni' });
  });

  it("round-trips any subject, text and html through mailparser", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ unit: "grapheme", minLength: 1, maxLength: 120 })
          .filter((s) => !/[\r\n\0]/.test(s) && s.trim() === s && s.length > 0),
        fc.string({ unit: "grapheme", maxLength: 400 }).map((s) => s.replace(/\r\n?|\0/g, "\n")),
        async (subject, text) => {
          const built = buildMime(input({ subject, text: `${text}.`, html: `<div>${text}.</div>` }));
          for (const line of lines(built.raw)) expect(line.length).toBeLessThanOrEqual(998);
          for (const line of headerBlock(built.raw)) expect(line.length).toBeLessThanOrEqual(78);
          const mail = await simpleParser(built.raw);
          expect(mail.subject).toBe(subject);
          expect(mail.text?.replace(/\n$/, "")).toBe(`${text}.`);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("header injection and bad input", () => {
  const cases: Array<[string, Partial<MimeInput>, RegExp]> = [
    [
      "a CR/LF in the subject",
      { subject: "Halo\r\nBcc: victim@example.id" },
      /Subject contains a line break/,
    ],
    [
      "a LF in a header value",
      { headers: { "List-Unsubscribe": "<https://x.example/u>\nBcc: v@example.id" } },
      /List-Unsubscribe contains a line break/,
    ],
    ["a CR/LF in a header name", { headers: { "X-Evil\r\nBcc": "v@example.id" } }, /line break/],
    ["a LF in the recipient", { to: "a@example.id\nBcc: v@example.id" }, /To address contains a line break/],
    [
      "a CR in a display name",
      { from: { email: "a@example.id", name: "Kemitraan\rBcc: v@example.id" } },
      /From display name contains a line break/,
    ],
    [
      "an invalid address",
      { to: "not-an-address" },
      /To address "not-an-address" is not a valid email address/,
    ],
    ["a non-ASCII address", { to: "pemilik@mojokérto.id" }, /not ASCII/],
    ["a reserved header", { headers: { Bcc: "v@example.id" } }, /Bcc is written by the mailer/],
    ["a header name with a space", { headers: { "Bad Header": "x" } }, /letters, digits and hyphens/],
    ["a non-ASCII header value", { headers: { "X-Kota": "Mojokertó" } }, /printable ASCII/],
    ["an empty header value", { headers: { "X-Empty": " " } }, /X-Empty is empty/],
  ];
  for (const [what, overrides, message] of cases) {
    it(`refuses ${what} with a clear, non-retryable MailError`, () => {
      let error: unknown;
      try {
        buildMime(input(overrides));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(MailError);
      expect((error as MailError).kind).toBe("invalid");
      expect((error as MailError).retryable).toBe(false);
      expect((error as MailError).message).toMatch(message);
    });
  }

  it("refuses a header given twice in different case", () => {
    expect(() => buildHeaders(input({ headers: { "X-A": "1", "x-a": "2" } }))).toThrow(/given twice/);
  });
});

describe("quotedPrintable", () => {
  it("escapes '=', trailing whitespace and non-ASCII, and soft-breaks long lines", () => {
    expect(quotedPrintable("a=b")).toBe("a=3Db");
    expect(quotedPrintable("trailing \nnext\t")).toBe("trailing=20\r\nnext=09");
    expect(quotedPrintable("—")).toBe("=E2=80=94");
    const encoded = quotedPrintable("x".repeat(200));
    expect(encoded.split("\r\n").map((l) => l.length)).toEqual([76, 76, 50]);
  });
});
