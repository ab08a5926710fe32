import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { writeCsv } from "../../../src/lib/csv";
import { columnName, writeXlsx } from "../../../src/lib/xlsx";

/** Reads a written workbook back the way a spreadsheet would: the zip, the parts, the cells. */
function readBack(bytes: Uint8Array) {
  const files = unzipSync(bytes);
  const text = (name: string) => strFromU8(files[name] ?? new Uint8Array());
  const sheets = [
    ...text("xl/workbook.xml").matchAll(/<sheet name="([^"]*)" sheetId="(\d+)" r:id="(rId\d+)"\/>/g),
  ];
  const rels = text("xl/_rels/workbook.xml.rels");
  return {
    files,
    text,
    names: sheets.map((s) => s[1]),
    targets: sheets.map((s) => new RegExp(`Id="${s[3]}" [^>]*Target="([^"]+)"`).exec(rels)?.[1]),
    cells: (n: number) =>
      Object.fromEntries(
        [...text(`xl/worksheets/sheet${n}.xml`).matchAll(/<c r="([A-Z]+\d+)"([^>]*)>(.*?)<\/c>/g)].map(
          (c) => [
            c[1],
            /t="inlineStr"/.test(c[2] ?? "")
              ? /<t xml:space="preserve">(.*)<\/t>/.exec(c[3] ?? "")?.[1]
              : Number(/<v>(.*)<\/v>/.exec(c[3] ?? "")?.[1]),
          ],
        ),
      ),
  };
}

describe("writeXlsx", () => {
  const bytes = writeXlsx([
    {
      name: "Ringkasan",
      rows: [
        ["Angka", "Nilai"],
        ["Kemitraan dimulai", 3],
        ["Porsi", 0.25],
        ["Kosong", null],
      ],
    },
    {
      name: "Per kecamatan/kelurahan: [uji]",
      rows: [
        ["Nama", "Jumlah"],
        ['UD "Jaya" & <Sentosa>', 12],
      ],
    },
    { name: "Ringkasan", rows: [["dup"]] },
  ]);

  it("is a zip with the OOXML parts a spreadsheet needs, one worksheet per table", () => {
    const book = readBack(bytes);
    expect(Object.keys(book.files).sort()).toEqual(
      [
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/workbook.xml",
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet2.xml",
        "xl/worksheets/sheet3.xml",
      ].sort(),
    );
    expect(book.text("[Content_Types].xml")).toContain('PartName="/xl/worksheets/sheet3.xml"');
    expect(book.targets).toEqual(["worksheets/sheet1.xml", "worksheets/sheet2.xml", "worksheets/sheet3.xml"]);
    // Tab names: forbidden characters replaced, at most 31 characters, unique (case-insensitively).
    expect(book.names).toEqual(["Ringkasan", "Per kecamatan kelurahan   uji ", "Ringkasan~3"]);
    expect(book.names.every((n) => (n?.length ?? 0) <= 31)).toBe(true);
  });

  it("writes text as inline strings (escaped), numbers as numbers, and skips empty cells", () => {
    const book = readBack(bytes);
    expect(book.cells(1)).toEqual({
      A1: "Angka",
      B1: "Nilai",
      A2: "Kemitraan dimulai",
      B2: 3,
      A3: "Porsi",
      B3: 0.25,
      A4: "Kosong",
    });
    expect(book.cells(2).A2).toBe("UD &quot;Jaya&quot; &amp; &lt;Sentosa&gt;");
    expect(book.cells(2).B2).toBe(12);
    // The header row is bold (style 1, a bold font in styles.xml).
    expect(book.text("xl/worksheets/sheet1.xml")).toContain('<c r="A1" s="1" t="inlineStr">');
    expect(book.text("xl/styles.xml")).toContain("<font><b/>");
  });

  it("names columns past Z as a spreadsheet does", () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual([
      "A",
      "Z",
      "AA",
      "AB",
      "AZ",
      "BA",
      "ZZ",
      "AAA",
    ]);
  });

  it("drops control characters that XML cannot hold", () => {
    const book = readBack(writeXlsx([{ name: "x", rows: [["a\u0001b\u0008c"]] }]));
    expect(book.cells(1).A1).toBe("abc");
  });
});

describe("writeCsv", () => {
  it("writes UTF-8 CSV with a BOM, CRLF, quoting and plain numbers", () => {
    expect(
      writeCsv([
        ["Nama", "Jumlah"],
        ['UD "Jaya", Miji', 3],
        ["Porsi", 0.5],
        ["Kosong", null],
      ]),
    ).toBe('\uFEFFNama,Jumlah\r\n"UD ""Jaya"", Miji",3\r\nPorsi,0.5\r\nKosong,\r\n');
  });

  it("keeps a name a spreadsheet would run as a formula as text", () => {
    expect(writeCsv([['=HYPERLINK("x")', "-1 toko"]])).toBe('\uFEFF"\'=HYPERLINK(""x"")",\'-1 toko\r\n');
    // A number stays a number, negative or not.
    expect(writeCsv([[-1]])).toBe("\uFEFF-1\r\n");
  });
});
