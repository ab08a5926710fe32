import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getBusiness } from "../../../src/services/businesses/read.service";
import { recordStage } from "../../../src/services/procurement/ekatalog-pipeline.service";
import { deps, seedBusiness, serviceBody, uniqueNib } from "../helpers";
import { officerClient, ownerClient } from "./console.helpers";

const actor = { kind: "officer" as const, id: "ofc_test" };

async function auditActions(businessId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "select action, to_state as toState from audit_log where entity_type = 'business' and entity_id = ? and action like 'ekatalog%' order by id",
  )
    .bind(businessId)
    .all<{ action: string; toState: string }>();
  return results.map((r) => `${r.action}:${r.toState}`);
}

describe("the assisted e-katalog registration pipeline", () => {
  it("officers record stages on the console; 'tayang' lists the business; the owner sees where it is", async () => {
    const nib = uniqueNib();
    const { business } = await seedBusiness(
      serviceBody({ name: "Batik Uji Tahap", email: "pipeline-owner@example.id", nib, sizeClass: "mikro" }),
    );
    const officer = await officerClient();

    // Found by its NIB from the readiness page.
    await officer.get("/ui/pengadaan/kesiapan");
    expect(officer.lastHtml).toContain('action="/ui/pengadaan/kesiapan/cari"');
    const found = await officer.get(`/ui/pengadaan/kesiapan/cari?q=${nib}`);
    expect(found.status).toBe(303);
    expect(found.headers.get("Location")).toBe(`/ui/pengadaan/kesiapan/${business.id}`);
    const missing = await officer.get("/ui/pengadaan/kesiapan/cari?q=9999999999999");
    expect(missing.headers.get("Location")).toContain("missing=1");

    await officer.get(`/ui/pengadaan/kesiapan/${business.id}`);
    const first = await officer.post(`/ui/pengadaan/kesiapan/${business.id}`, {
      stage: "diajukan",
      date: "2026-04-02",
      note: "Didampingi di Mal Pelayanan Publik",
    });
    expect(first.status).toBe(303);

    // A bad date re-renders the form with the values and the message at the field; nothing saved.
    await officer.get(`/ui/pengadaan/kesiapan/${business.id}`);
    const bad = await officer.post(`/ui/pengadaan/kesiapan/${business.id}`, {
      stage: "dokumen_lengkap",
      date: "2026-02-31",
      note: "NPWP menyusul",
    });
    expect(bad.status).toBe(422);
    expect(officer.lastHtml).toContain('id="stage-date-error"');
    expect(officer.lastHtml).toContain('value="NPWP menyusul"');
    expect(officer.lastHtml).toMatch(/<option value="dokumen_lengkap" selected/);

    await officer.get("/ui/pengadaan/kesiapan");
    expect(officer.lastHtml).toMatch(
      new RegExp(`data-stage="diajukan" data-count="\\d+">[\\s\\S]*?data-business="${business.id}"`),
    );
    expect((await getBusiness(deps(), { id: business.id })).ekatalog.listed).toBe(false);

    // The owner sees the stage reached.
    const owner = await ownerClient("pipeline-owner@example.id");
    await owner.get("/ui/me/pengadaan");
    expect(owner.lastHtml).toContain('data-pipeline="diajukan"');
    expect(owner.lastHtml).toContain("Didampingi di Mal Pelayanan Publik");

    await officer.get(`/ui/pengadaan/kesiapan/${business.id}`);
    const listed = await officer.post(`/ui/pengadaan/kesiapan/${business.id}`, {
      stage: "tayang",
      date: "2026-05-20",
      url: "https://katalog.example/kota-mojokerto/batik-uji",
    });
    expect(listed.status).toBe(303);
    const b = await getBusiness(deps(), { id: business.id });
    expect(b.ekatalog).toEqual({ listed: true, url: "https://katalog.example/kota-mojokerto/batik-uji" });
    expect(await auditActions(business.id)).toEqual([
      "ekatalog_stage:diajukan",
      "ekatalog_stage:tayang",
      "ekatalog_listed:listed",
    ]);
    await owner.get("/ui/me/pengadaan");
    expect(owner.lastHtml).toContain('data-pipeline="tayang"');
  });

  it("keeps the furthest stage as current when an earlier one is recorded later", async () => {
    const { business } = await seedBusiness(serviceBody({ name: "Kue Uji Urut", sizeClass: "mikro" }));
    await recordStage(deps(), {
      businessId: business.id,
      step: { stage: "diverifikasi", date: "2026-03-10" },
      actor,
      now: Date.now(),
    });
    const p = await recordStage(deps(), {
      businessId: business.id,
      step: { stage: "diajukan", date: "2026-02-01", note: "dicatat belakangan" },
      actor,
      now: Date.now(),
    });
    expect(p.current).toBe("diverifikasi");
    expect(p.steps.map((s) => s.date)).toEqual(["2026-02-01", null, "2026-03-10", null]);
  });

  it("is officers' only: an owner gets 403 on the board and the record form", async () => {
    const { business } = await seedBusiness(
      serviceBody({ name: "Toko Uji Akses", email: "pipeline-nosy@example.id", sizeClass: "mikro" }),
    );
    const owner = await ownerClient("pipeline-nosy@example.id");
    expect((await owner.get("/ui/pengadaan/kesiapan")).status).toBe(403);
    expect((await owner.get(`/ui/pengadaan/kesiapan/${business.id}`)).status).toBe(403);
    await owner.get("/ui/me/pengadaan");
    const post = await owner.post(`/ui/pengadaan/kesiapan/${business.id}`, {
      stage: "tayang",
      date: "2026-05-01",
    });
    expect(post.status).toBe(403);
    expect((await getBusiness(deps(), { id: business.id })).ekatalog.listed).toBe(false);
  });
});
