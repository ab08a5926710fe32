import { describe, expect, it } from "vitest";
import { call, expectProblem, industryBody, officerKey, seedBusiness, uniqueNib } from "../../helpers";

function paths(problem: { errors?: Array<{ path: string }> }): string[] {
  return (problem.errors ?? []).map((e) => e.path).sort();
}

describe("malformed and unsupported bodies", () => {
  it("returns 400 for unparseable JSON", async () => {
    const key = await officerKey();
    const res = await call("/v1/businesses", {
      key,
      method: "POST",
      rawBody: '{"name": "x",',
      headers: { "Content-Type": "application/json" },
    });
    await expectProblem(res, 400, "malformed_body");
  });

  it("returns 415 for a body that is not JSON", async () => {
    const key = await officerKey();
    const res = await call("/v1/businesses", {
      key,
      method: "POST",
      rawBody: "name=x",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    await expectProblem(res, 415, "unsupported_media_type");
  });

  it("returns 413 for a body over the size limit", async () => {
    const key = await officerKey();
    const res = await call("/v1/businesses", { key, body: industryBody({ offers: "x".repeat(70 * 1024) }) });
    await expectProblem(res, 413, "payload_too_large");
  });
});

describe("invalid fields (422 with paths)", () => {
  it.each([
    ["a 12-digit NIB", { nib: "912000123456" }, ["nib"]],
    ["a NIB with letters", { nib: "91200012345AB" }, ["nib"]],
    ["a 4-digit KBLI code", { kbli: [{ code: "1520", version: "2020" }] }, ["kbli.0.code"]],
    ["an unknown KBLI version", { kbli: [{ code: "15201", version: "2009" }] }, ["kbli.0.version"]],
    ["no KBLI codes", { kbli: [] }, ["kbli"]],
    [
      "six KBLI codes",
      { kbli: Array.from({ length: 6 }, (_, i) => ({ code: `1520${i}`, version: "2020" })) },
      ["kbli"],
    ],
    ["an unknown sector", { sector: "retail" }, ["sector"]],
    ["an unknown size class", { sizeClass: "huge" }, ["sizeClass"]],
    ["maxPartners above 50", { maxPartners: 51 }, ["maxPartners"]],
    ["maxPartners of 0", { maxPartners: 0 }, ["maxPartners"]],
    ["an invalid email", { email: "not-an-email" }, ["email"]],
    ["offers over 4000 characters", { offers: "x".repeat(4001) }, ["offers"]],
    [
      "a plain-http e-katalog link",
      { ekatalog: { listed: true, url: "http://katalog.example/x" } },
      ["ekatalog.url"],
    ],
    ["an unknown top-level field", { colour: "red" }, ["colour"]],
    ["an unknown nested field", { location: { kelurahan: "Miji", rt: "02" } }, ["location.rt"]],
    ["a missing name", { name: undefined }, ["name"]],
    ["latitude outside Indonesia", { location: { city: "Jombang", lat: 40, lng: 112 } }, ["location.lat"]],
  ])("rejects %s", async (_label, overrides, expected) => {
    const key = await officerKey();
    const res = await call("/v1/businesses", { key, body: industryBody(overrides) });
    const problem = await expectProblem(res, 422, "validation_failed");
    expect(paths(problem)).toEqual(expected);
    for (const e of problem.errors ?? []) expect(e.message.length).toBeGreaterThan(0);
  });

  it.each([
    ["a KBLI division that does not exist", { kbli: [{ code: "04100", version: "2020" }] }, ["kbli.0.code"]],
    [
      "a KBLI 2020 division used with version 2025 (45 was merged away)",
      {
        kbli: [
          { code: "10792", version: "2020" },
          { code: "45201", version: "2025" },
        ],
      },
      ["kbli.1.code"],
    ],
    [
      "the same KBLI code twice",
      {
        kbli: [
          { code: "15201", version: "2020" },
          { code: "15201", version: "2020" },
        ],
      },
      ["kbli.1"],
    ],
    ["an unknown kelurahan", { location: { kelurahan: "Trowulan" } }, ["location.kelurahan"]],
    [
      "a kecamatan that does not contain the kelurahan",
      { location: { kelurahan: "Miji", kecamatan: "Magersari" } },
      ["location.kecamatan"],
    ],
    ["a city without coordinates", { location: { city: "Jombang" } }, ["location.lat"]],
    [
      "Kota Mojokerto without a kelurahan",
      { location: { city: "Kota Mojokerto", lat: -7.47, lng: 112.43 } },
      ["location.kelurahan"],
    ],
    ["an e-katalog listing without its link", { ekatalog: { listed: true } }, ["ekatalog.url"]],
  ])("rejects %s (domain rule)", async (_label, overrides, expected) => {
    const key = await officerKey();
    const res = await call("/v1/businesses", { key, body: industryBody(overrides) });
    const problem = await expectProblem(res, 422, "validation_failed");
    expect(paths(problem)).toEqual(expected);
  });

  it("rejects an empty PATCH", async () => {
    const key = await officerKey();
    const { business } = await seedBusiness(industryBody());
    const res = await call(`/v1/businesses/${business.id}`, { key, method: "PATCH", body: {} });
    await expectProblem(res, 422, "validation_failed");
  });

  it("rejects out-of-range list parameters and unknown query parameters", async () => {
    const key = await officerKey();
    expect(paths(await expectProblem(await call("/v1/businesses?limit=101", { key }), 422))).toEqual([
      "limit",
    ]);
    expect(paths(await expectProblem(await call("/v1/businesses?limit=0", { key }), 422))).toEqual(["limit"]);
    expect(paths(await expectProblem(await call("/v1/businesses?kbliDivision=1", { key }), 422))).toEqual([
      "kbliDivision",
    ]);
    expect(paths(await expectProblem(await call("/v1/businesses?sectr=industry", { key }), 422))).toEqual([
      "sectr",
    ]);
    expect(paths(await expectProblem(await call("/v1/businesses?cursor=%%%", { key }), 422))).toEqual([
      "cursor",
    ]);
    expect(paths(await expectProblem(await call("/v1/businesses?kelurahan=Trowulan", { key }), 422))).toEqual(
      ["kelurahan"],
    );
  });

  it("writes nothing when a create is rejected", async () => {
    const key = await officerKey();
    const before = ((await (await call("/v1/businesses?limit=100", { key })).json()) as { items: unknown[] })
      .items.length;
    await call("/v1/businesses", { key, body: industryBody({ kbli: [{ code: "04100", version: "2020" }] }) });
    const after = ((await (await call("/v1/businesses?limit=100", { key })).json()) as { items: unknown[] })
      .items.length;
    expect(after).toBe(before);
  });
});

describe("conflicts and missing resources", () => {
  it("returns 409 when the NIB is already registered", async () => {
    const key = await officerKey();
    const nib = uniqueNib();
    await seedBusiness(industryBody({ nib }));
    const res = await call("/v1/businesses", { key, body: industryBody({ nib, name: "Another" }) });
    await expectProblem(res, 409, "nib_taken");
  });

  it("returns 409 when a PATCH takes another business's NIB", async () => {
    const key = await officerKey();
    const nib = uniqueNib();
    await seedBusiness(industryBody({ nib }));
    const { business } = await seedBusiness(industryBody({ name: "Second" }));
    const res = await call(`/v1/businesses/${business.id}`, { key, method: "PATCH", body: { nib } });
    await expectProblem(res, 409, "nib_taken");
  });

  it("lets a business keep its own NIB in a PATCH", async () => {
    const key = await officerKey();
    const nib = uniqueNib();
    const { business } = await seedBusiness(industryBody({ nib }));
    const res = await call(`/v1/businesses/${business.id}`, {
      key,
      method: "PATCH",
      body: { nib, name: "Renamed" },
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ["GET", "/v1/businesses/biz_missing"],
    ["PATCH", "/v1/businesses/biz_missing"],
    ["POST", "/v1/businesses/biz_missing/deactivate"],
    ["GET", "/v1/businesses/biz_missing/matches"],
  ])("returns 404 for %s %s", async (method, path) => {
    const key = await officerKey();
    const res = await call(path, { key, method, ...(method === "PATCH" ? { body: { name: "x" } } : {}) });
    await expectProblem(res, 404, "not_found");
  });

  it("returns a problem for an unknown route", async () => {
    const body = await expectProblem(await call("/nope"), 404, "not_found");
    expect(body.instance).toBe("/nope");
  });
});

describe("KBLI versions", () => {
  it("accepts division 45 under KBLI 2020", async () => {
    const key = await officerKey();
    const res = await call("/v1/businesses", {
      key,
      body: industryBody({ kbli: [{ code: "45201", version: "2020" }] }),
    });
    expect(res.status).toBe(201);
  });
});

describe("races", () => {
  it("answers the loser of a concurrent NIB race with 409 and writes nothing for it", async () => {
    const nib = uniqueNib();
    const results = await Promise.allSettled([
      seedBusiness(industryBody({ nib, name: "Racer A" })),
      seedBusiness(industryBody({ nib, name: "Racer B" })),
    ]);
    const rejected = results.filter((r) => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({ status: 409, code: "nib_taken" });
    const key = await officerKey();
    const page = (await (await call("/v1/businesses?q=Racer", { key })).json()) as { items: unknown[] };
    expect(page.items).toHaveLength(1);
  });
});
