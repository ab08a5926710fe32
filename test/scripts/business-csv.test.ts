import { describe, expect, it } from "vitest";
import { generateDemoRegistry } from "../../scripts/demo/generate";
import { businessesToCsv } from "../../scripts/lib/business-csv";
import { toSeedBusiness } from "../../scripts/local/demo-registry";
import { parseCsv } from "../../src/lib/csv";
import {
  columnOfPath,
  IMPORT_COLUMNS,
  rowToCreateBody,
  validateImport,
} from "../../src/services/businesses/business-import.validate";

describe("business CSV round trip", () => {
  const fields = generateDemoRegistry({ count: 60, seed: 42 }).map((b) => toSeedBusiness(b).fields);

  for (const options of [
    { delimiter: "," as const },
    { delimiter: ";" as const, bom: true, decimalComma: true },
  ]) {
    it(`reads back every business it wrote (${JSON.stringify(options)})`, () => {
      const csv = businessesToCsv(fields, options);
      const { records } = parseCsv(csv);
      expect(records[0]?.fields).toEqual([...IMPORT_COLUMNS]);
      const bodies = records.slice(1).map((r) => {
        const row = Object.fromEntries(IMPORT_COLUMNS.map((c, i) => [c, r.fields[i] ?? ""]));
        return rowToCreateBody(row);
      });
      bodies.forEach((body, i) => {
        const f = fields[i];
        expect(body).toMatchObject({
          name: f?.name,
          sector: f?.sector,
          kbli: f?.kbli,
          offers: f?.offers,
          needs: f?.needs,
          email: f?.email,
          maxPartners: f?.maxPartners,
          active: f?.active,
        });
        expect((body.location as { lat: number }).lat).toBe(f?.location.lat);
      });
      const report = validateImport(csv);
      expect(report.errors).toEqual([]);
      expect(report.valid).toHaveLength(fields.length);
    });
  }
});

describe("columnOfPath", () => {
  it("maps contract paths back to the CSV column they came from", () => {
    expect(columnOfPath("location.kelurahan")).toBe("kelurahan");
    expect(columnOfPath("location.lat")).toBe("lat");
    expect(columnOfPath("kbli.2.code")).toBe("kbli");
    expect(columnOfPath("kbli.0.version")).toBe("kbliVersion");
    expect(columnOfPath("ekatalog.url")).toBe("ekatalogUrl");
    expect(columnOfPath("ekatalog")).toBe("ekatalogListed");
    expect(columnOfPath("maxPartners")).toBe("maxPartners");
  });
});

describe("rowToCreateBody", () => {
  it("leaves empty cells out, reads Indonesian booleans and decimal commas, and keeps bad values for the contract to name", () => {
    expect(
      rowToCreateBody({
        name: " Warung ",
        nib: "",
        kbli: "56101 | 47211",
        kbliVersion: "",
        lat: "-7,47",
        lng: "abc",
        ekatalogListed: "Ya",
        active: "tidak",
        maxPartners: "4",
      }),
    ).toEqual({
      name: "Warung",
      kbli: [
        { code: "56101", version: "2020" },
        { code: "47211", version: "2020" },
      ],
      location: { lat: -7.47, lng: "abc" },
      ekatalog: { listed: true },
      active: false,
      maxPartners: 4,
    });
  });
});
