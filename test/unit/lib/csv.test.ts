import { describe, expect, it } from "vitest";
import { CsvSyntaxError, detectDelimiter, parseCsv } from "../../../src/lib/csv";

describe("parseCsv", () => {
  it("reads comma-separated records with quoted separators, doubled quotes and CRLF", () => {
    const { delimiter, records } = parseCsv('a,b,c\r\n1,"x, y","say ""hi"""\r\n');
    expect(delimiter).toBe(",");
    expect(records).toEqual([
      { line: 1, fields: ["a", "b", "c"] },
      { line: 2, fields: ["1", "x, y", 'say "hi"'] },
    ]);
  });

  it("detects the semicolon of Indonesian Excel exports and keeps decimal commas in fields", () => {
    const { delimiter, records } = parseCsv("name;lat\nWarung;-7,4722\n");
    expect(delimiter).toBe(";");
    expect(records[1]?.fields).toEqual(["Warung", "-7,4722"]);
  });

  it("numbers records by the physical line they start on, across embedded line breaks and blank lines", () => {
    const text = 'h1,h2\n"multi\nline\r\ncell",x\n\n,\nlast,y';
    const { records } = parseCsv(text);
    expect(records.map((r) => r.line)).toEqual([1, 2, 7]);
    expect(records[1]?.fields[0]).toBe("multi\nline\r\ncell");
    expect(records[2]?.fields).toEqual(["last", "y"]);
  });

  it("ignores a leading byte order mark", () => {
    expect(parseCsv("\uFEFFname,sector\nA,service").records[0]?.fields).toEqual(["name", "sector"]);
  });

  it("keeps empty quoted fields and a trailing empty field", () => {
    expect(parseCsv('a,b,c\n"",x,\n').records[1]?.fields).toEqual(["", "x", ""]);
  });

  it("rejects an unclosed quote with the line it opened on", () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(CsvSyntaxError);
    try {
      parseCsv('a,b\n1,"open\n2,3\n');
    } catch (err) {
      expect((err as CsvSyntaxError).line).toBe(2);
    }
  });

  it("rejects text after a closing quote", () => {
    expect(() => parseCsv('a,b\n"x"y,1\n')).toThrow(/after a closing quote/);
  });

  it("ignores separators inside quotes when detecting the delimiter", () => {
    expect(detectDelimiter('"a;b;c",d,e\n')).toBe(",");
    expect(detectDelimiter("a\tb\tc;d\n")).toBe("\t");
  });
});
