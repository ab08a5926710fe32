import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { writeXlsx } from "../../../src/lib/xlsx";
import { readXlsx, XlsxReadError } from "../../../src/lib/xlsx-read";

describe("readXlsx", () => {
  it("reads back what the laporan writer wrote (inline strings and numbers)", () => {
    const bytes = writeXlsx([
      {
        name: "RUP",
        rows: [
          ["Nama Paket", "Pagu"],
          ["Belanja ATK", 60000000],
          ["Seragam & batik <PNS>", 1],
        ],
      },
    ]);
    expect(readXlsx(bytes)).toEqual([
      { line: 1, cells: ["Nama Paket", "Pagu"] },
      { line: 2, cells: ["Belanja ATK", "60000000"] },
      { line: 3, cells: ["Seragam & batik <PNS>", "1"] },
    ]);
  });

  it("reads shared strings and keeps gaps between cells and rows", () => {
    const sheet =
      '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>' +
      '<row r="4"><c r="B4"><v>42</v></c></row></sheetData></worksheet>';
    const bytes = zipSync({
      "xl/sharedStrings.xml": strToU8(
        "<sst><si><t>Satuan Kerja</t></si><si><r><t>Pa</t></r><r><t>gu</t></r></si></sst>",
      ),
      "xl/worksheets/sheet1.xml": strToU8(sheet),
    });
    expect(readXlsx(bytes)).toEqual([
      { line: 1, cells: ["Satuan Kerja", "", "Pagu"] },
      { line: 4, cells: ["", "42"] },
    ]);
  });

  it("refuses bytes that are not a workbook", () => {
    expect(() => readXlsx(strToU8("not a zip"))).toThrow(XlsxReadError);
  });
});
