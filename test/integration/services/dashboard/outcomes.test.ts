import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { resolvePeriod, wibMidnight } from "../../../../src/domain/calendar";
import { type Dashboard, getDashboard } from "../../../../src/services/dashboard/dashboard.service";
import { listOneStepAway } from "../../../../src/services/dashboard/readiness.service";
import { call, deps, industryBody, officerKey, seedBusiness, serviceBody, uniqueNib } from "../../helpers";

/**
 * Outcome figures over a registry built here (storage is per file, so counts are exact). Three
 * industry UMKM, two shops; partnerships:
 * - A: shop1 x maker1 (Miji, Kranggan), approved, ended "cooperation_started": started;
 * - B: shop2 x maker2 (Gununggedangan, Magersari), approved and active: started;
 * - C: shop1 x maker3, approved, ended "did_not_take_place": not started;
 * - D: shop2 x maker3, requested only: not started.
 * Approval times are then set by hand: A in November 2026 (WIB), B and C in December 2026.
 */

let all: Dashboard;
const ids: Record<string, string> = {};

async function post(path: string, key: string, body?: unknown) {
  const res = await call(path, { key, method: "POST", ...(body === undefined ? {} : { body }) });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as { id: string };
}

async function approved(
  requester: { apiKey: string },
  partner: { business: { id: string }; apiKey: string },
  pattern: string,
  officer: string,
) {
  const p = await post("/v1/partnerships", requester.apiKey, { partnerId: partner.business.id, pattern });
  await post(`/v1/partnerships/${p.id}/accept`, partner.apiKey);
  await post(`/v1/partnerships/${p.id}/approve`, officer);
  return p.id;
}

const at = (y: number, m: number, d: number, hourWib = 12) => wibMidnight(y, m, d) + hourWib * 3_600_000;

beforeAll(async () => {
  const officer = await officerKey();
  const maker1 = await seedBusiness(
    industryBody({ name: "UD Mulai", email: "o-m1@example.id", location: { kelurahan: "Miji" } }),
  );
  const maker2 = await seedBusiness(
    industryBody({
      name: "UD Batik Jalan",
      email: "o-m2@example.id",
      kbli: [{ code: "13134", version: "2020" }],
      location: { kelurahan: "Gununggedangan" },
    }),
  );
  const maker3 = await seedBusiness(
    industryBody({
      name: "UD Batal",
      email: "o-m3@example.id",
      nib: uniqueNib(),
      location: { kelurahan: "Miji" },
    }),
  );
  const shop1 = await seedBusiness(serviceBody({ name: "Toko Satu", email: "o-s1@example.id" }));
  const shop2 = await seedBusiness(
    serviceBody({ name: "Toko Dua", email: "o-s2@example.id", location: { kelurahan: "Gununggedangan" } }),
  );
  ids.a = await approved(shop1, maker1, "rantai_pasok", officer);
  await post(`/v1/partnerships/${ids.a}/end`, shop1.apiKey, { outcome: "cooperation_started" });
  ids.b = await approved(shop2, maker2, "subkontrak", officer);
  ids.c = await approved(shop1, maker3, "rantai_pasok", officer);
  await post(`/v1/partnerships/${ids.c}/end`, shop1.apiKey, { outcome: "did_not_take_place" });
  ids.d = (
    await post("/v1/partnerships", shop2.apiKey, { partnerId: maker3.business.id, pattern: "subkontrak" })
  ).id;

  const setDecided = env.DB.prepare("update partnerships set decided_at = ?, created_at = ? where id = ?");
  await env.DB.batch([
    setDecided.bind(at(2026, 11, 10), at(2026, 11, 9), ids.a),
    setDecided.bind(at(2026, 12, 1, 0), at(2026, 11, 30), ids.b),
    setDecided.bind(at(2026, 12, 5), at(2026, 12, 4), ids.c),
    env.DB.prepare("update partnerships set created_at = ? where id = ?").bind(at(2026, 12, 6), ids.d),
  ]);
  all = await getDashboard(deps());
});

function period(kind: "this_month" | "last_month" | "custom", now: number, from?: string, to?: string) {
  const r = resolvePeriod({ kind, from, to }, now);
  if ("issues" in r) throw new Error(JSON.stringify(r.issues));
  return r.period;
}

describe("partnerships started", () => {
  it("counts active ones and those ended with cooperation_started, not one ended without it", () => {
    expect(all.started.total).toBe(2);
    expect(all.started.byPattern).toEqual([
      { key: "rantai_pasok", count: 1 },
      { key: "subkontrak", count: 1 },
    ]);
  });

  it("breaks them down by each side's kecamatan and KBLI section", () => {
    // A: Miji (Kranggan) x Prajurit Kulon; B: Gununggedangan (Magersari) on both sides.
    expect(all.started.byKecamatan).toEqual([
      { key: "Kranggan", count: 1 },
      { key: "Magersari", count: 1 },
      { key: "Prajuritkulon", count: 1 },
    ]);
    // Makers are C (15201 footwear, 13134 batik); shops G (47711): both partnerships in each.
    expect(all.started.byKbliSection).toEqual([
      { key: "C", count: 2 },
      { key: "G", count: 2 },
    ]);
  });

  it("counts industry UMKM with a started partnership, the ended-with-cooperation one included", () => {
    expect(all.umkmPartnered).toEqual({ registered: 3, withPartner: 2, share: 2 / 3 });
    // The older figure (active partners only) misses maker1, whose partnership ended well.
    expect(all.umkm.withActivePartner).toBe(2);
  });
});

describe("the period filter", () => {
  const inDecember = at(2026, 12, 15);

  it("counts what started in the period and leaves out what started before", () => {
    const december = getDashboard(deps(), { period: period("this_month", inDecember) });
    const november = getDashboard(deps(), { period: period("last_month", inDecember) });
    return Promise.all([december, november]).then(([dec, nov]) => {
      expect(dec.period?.firstDay).toBe("2026-12-01");
      expect(dec.period?.lastDay).toBe("2026-12-31");
      // B was approved at 00:00 WIB on 1 December (17:00 UTC on 30 November): December in WIB.
      expect(dec.started.total).toBe(1);
      expect(dec.started.byPattern).toEqual([{ key: "subkontrak", count: 1 }]);
      expect(nov.started.total).toBe(1);
      expect(nov.started.byPattern).toEqual([{ key: "rantai_pasok", count: 1 }]);
      // Requests by creation: D (6 Dec) and C (4 Dec) in December; A (9 Nov) and B (30 Nov) before.
      expect(dec.requestsSent).toBe(2);
      expect(nov.requestsSent).toBe(2);
      // The stock does not move with the period.
      expect(dec.umkmPartnered).toEqual(all.umkmPartnered);
      expect(nov.procurement).toEqual(all.procurement);
    });
  });

  it("takes custom WIB dates with both ends included", async () => {
    const oneDay = await getDashboard(deps(), {
      period: period("custom", inDecember, "2026-11-10", "2026-11-10"),
    });
    expect(oneDay.started.total).toBe(1);
    const before = await getDashboard(deps(), {
      period: period("custom", inDecember, "2026-11-01", "2026-11-09"),
    });
    expect(before.started.total).toBe(0);
    expect(before.started.byKecamatan).toEqual([]);
  });

  it("refuses a custom period that ends before it starts, or a date that does not exist", () => {
    expect(resolvePeriod({ kind: "custom", from: "2026-12-10", to: "2026-12-01" }, inDecember)).toEqual({
      issues: [{ field: "to", problem: "order" }],
    });
    expect(resolvePeriod({ kind: "custom", from: "2026-02-30", to: "" }, inDecember)).toEqual({
      issues: [
        { field: "from", problem: "invalid" },
        { field: "to", problem: "missing" },
      ],
    });
  });
});

describe("the procurement-readiness list", () => {
  it("pages through every UMKM one step away, by kecamatan then name", async () => {
    const extra = [
      ["UD Zebra", "Miji"],
      ["UD Anggrek", "Gununggedangan"],
      ["ud bambu", "Miji"],
      ["UD Cempaka", "Sentanan"],
    ];
    for (const [name, kelurahan] of extra)
      await seedBusiness(
        industryBody({
          name,
          email: `${name.replace(/ /g, "")}@example.id`,
          nib: uniqueNib(),
          location: { kelurahan },
        }),
      );
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listOneStepAway(deps(), { limit: 2, cursor });
      expect(page.total).toBe(5);
      seen.push(...page.items.map((b) => `${b.kecamatan} ${b.name}`));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    // Kranggan (Miji, Sentanan) before Magersari; names case-insensitively.
    expect(seen).toEqual([
      "Kranggan ud bambu",
      "Kranggan UD Batal",
      "Kranggan UD Cempaka",
      "Kranggan UD Zebra",
      "Magersari UD Anggrek",
    ]);
  });

  it("refuses a cursor it did not issue", async () => {
    await expect(listOneStepAway(deps(), { limit: 2, cursor: "%%%" })).rejects.toMatchObject({
      code: "validation_failed",
    });
  });
});
