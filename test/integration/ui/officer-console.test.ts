import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { PARTNERSHIP_PAGE_SIZE } from "../../../src/ui/console/partnerships.routes";
import { QUEUE_PAGE_SIZE } from "../../../src/ui/console/queue.routes";
import { call, industryBody, officerKey, seedBusiness, serviceBody } from "../helpers";
import { insertDraft, storeSuggestions } from "../services/partnerships/proposals.helpers";
import { ConsoleClient, officerClient } from "./console.helpers";

/**
 * The officer console that operates (issue 14): the queue's counts, pages, filters and bulk
 * actions, the admin's proposals button, the business page's actions, the partnership list and
 * history, and the audit trail as sentences.
 */

let n = 0;
const tag = () => `${Date.now().toString(36)}${++n}`;

async function shopIn(kelurahan: string, name = `Toko ${tag()}`) {
  return seedBusiness(serviceBody({ name, email: `s-${tag()}@example.id`, location: { kelurahan } }));
}
async function makerIn(kelurahan: string, name = `UD ${tag()}`, extra: Record<string, unknown> = {}) {
  return seedBusiness(
    industryBody({ name, email: `m-${tag()}@example.id`, location: { kelurahan }, ...extra }),
  );
}

const draftsOn = (html: string) =>
  [...html.matchAll(/class="card draft" data-proposal="(prp_[0-9A-Za-z]+)"/g)].map((m) => m[1] ?? "");
const heading = (html: string, list: string) =>
  Number(new RegExp(`<h2 id="q-${list}">[^<]*\\((\\d+)\\)</h2>`).exec(html)?.[1] ?? "-1");
const amp = (href: string) => href.replace(/&amp;/g, "&");

async function adminClient(): Promise<ConsoleClient> {
  const client = new ConsoleClient();
  const res = await client.officerLogin(await officerKey("admin"));
  expect(res.status).toBe(303);
  return client;
}

async function activePartnership(requesterKey: string, partnerKey: string, partnerId: string) {
  const req = await call("/v1/partnerships", {
    key: requesterKey,
    body: { partnerId, pattern: "rantai_pasok", message: "Halo" },
  });
  expect(req.status).toBe(201);
  const id = ((await req.json()) as { id: string }).id;
  expect((await call(`/v1/partnerships/${id}/accept`, { key: partnerKey, method: "POST" })).status).toBe(200);
  const officer = await officerKey();
  expect((await call(`/v1/partnerships/${id}/approve`, { key: officer, method: "POST" })).status).toBe(200);
  return id;
}

describe("review queue: counts, pages and filters", () => {
  beforeEach(async () => {
    await env.DB.prepare("delete from pairing_proposals").run();
  });

  it("heads each list with the filtered total, pages past a page and keeps the filters on the next link", async () => {
    const maker = await makerIn("Miji"); // Kranggan
    const shop = await shopIn("Magersari");
    // One pair, a draft per week: more drafts than a page holds, 10 of them scoring high.
    const now = Date.now();
    await env.DB.batch(
      Array.from({ length: QUEUE_PAGE_SIZE + 3 }, (_, i) =>
        env.DB.prepare(
          `insert into pairing_proposals (id, period, service_id, industry_id, score, components, reasons_id,
            reasons_en, reasons_for, pattern, status, revision, run_id, created_at, updated_at)
           values (?, ?, ?, ?, ?, '{"category":0.5,"location":0.5,"text":0.5}', '[]', '[]', 'service',
            'rantai_pasok', 'draft', 'rev0', 'prun_filters', ?, ?)`,
        ).bind(
          `prp_FILTER${String(i).padStart(4, "0")}`,
          `2031-W${String(i).padStart(2, "0")}`,
          shop.business.id,
          maker.business.id,
          i < 10 ? 0.9 : 0.4,
          now,
          now,
        ),
      ),
    );
    const elsewhereShop = await shopIn("Kauman"); // Prajuritkulon
    const elsewhereMaker = await makerIn("Kauman");
    await insertDraft(elsewhereShop.business.id, elsewhereMaker.business.id, 0.95);

    const officer = await officerClient();
    await officer.get("/ui/queue");
    expect(heading(officer.lastHtml, "drafts")).toBe(QUEUE_PAGE_SIZE + 4);
    expect(draftsOn(officer.lastHtml)).toHaveLength(QUEUE_PAGE_SIZE);
    // Details are collapsed: the breakdown sits inside a <details> of each card.
    expect(officer.lastHtml).toMatch(/class="card draft"[^>]*>.*?<details><summary>Rincian<\/summary>/s);

    await officer.get("/ui/queue?kecamatan=Kranggan");
    expect(heading(officer.lastHtml, "drafts")).toBe(QUEUE_PAGE_SIZE + 3);
    const next = amp(/<a href="([^"]+)" rel="next">/.exec(officer.lastHtml)?.[1] ?? "");
    expect(next).toContain("kecamatan=Kranggan");
    await officer.get(next);
    expect(draftsOn(officer.lastHtml)).toHaveLength(3);
    expect(heading(officer.lastHtml, "drafts")).toBe(QUEUE_PAGE_SIZE + 3);

    await officer.get("/ui/queue?minScore=0,85");
    expect(heading(officer.lastHtml, "drafts")).toBe(11);
    expect(draftsOn(officer.lastHtml)).toHaveLength(11);
    await officer.get("/ui/queue?kecamatan=Prajuritkulon&minScore=0.9");
    expect(draftsOn(officer.lastHtml)).toHaveLength(1);
    expect(officer.lastHtml).toContain('<option value="Prajuritkulon" selected="">');
  });

  it("filters sign-ups by sector and counts them", async () => {
    const officer = await officerClient();
    await officer.get("/ui/queue?sector=service");
    const services = heading(officer.lastHtml, "signups");
    await officer.get("/ui/queue?sector=industry");
    const industries = heading(officer.lastHtml, "signups");
    await officer.get("/ui/queue");
    expect(heading(officer.lastHtml, "signups")).toBe(services + industries);
  });
});

describe("bulk actions on drafts", () => {
  it("approves the ticked drafts through the single action's service and reports the one that failed", async () => {
    await env.DB.prepare("delete from pairing_proposals").run();
    const maker = await makerIn("Miji", `UD Bulk ${tag()}`);
    const a = await shopIn("Magersari");
    const b = await shopIn("Magersari");
    const full = await makerIn("Meri", `UD Penuh ${tag()}`, { active: false });
    const ok1 = await insertDraft(a.business.id, maker.business.id, 0.8);
    const ok2 = await insertDraft(b.business.id, maker.business.id, 0.7);
    const bad = await insertDraft(a.business.id, full.business.id, 0.6);

    const officer = await officerClient();
    await officer.get("/ui/queue");
    expect(officer.lastHtml).toContain('form="bulk-drafts"');
    const body = new URLSearchParams({ _csrf: officer.csrf(), decision: "publish" });
    for (const id of [ok1, ok2, bad]) body.append("ids", id);
    const sent = await postForm(officer, "/ui/queue/drafts/bulk", body);
    expect(sent.status).toBe(200);
    const html = await sent.text();
    expect(html).toContain('data-succeeded="2"');
    expect(html).toContain("2 usulan disetujui dan dikirim ke usaha.");
    expect(html).toContain(`<li data-proposal="${bad}" data-code="partner_unavailable">`);
    const statuses = await env.DB.prepare("select id, status from pairing_proposals where id in (?, ?, ?)")
      .bind(ok1, ok2, bad)
      .all<{ id: string; status: string }>();
    expect(Object.fromEntries(statuses.results.map((r) => [r.id, r.status]))).toEqual({
      [ok1]: "published",
      [ok2]: "published",
      [bad]: "draft",
    });
  });

  it("declines ticked drafts with one reason, and refuses a decline without one", async () => {
    const maker = await makerIn("Miji");
    const a = await shopIn("Wates");
    const d1 = await insertDraft(a.business.id, maker.business.id, 0.5);
    const officer = await officerClient();
    await officer.get("/ui/queue");
    const none = new URLSearchParams({ _csrf: officer.csrf(), decision: "discard", ids: d1, reason: " " });
    expect((await postForm(officer, "/ui/queue/drafts/bulk", none)).status).toBe(422);
    const ok = new URLSearchParams({
      _csrf: officer.csrf(),
      decision: "discard",
      ids: d1,
      reason: "Tidak relevan",
    });
    const res = await postForm(officer, "/ui/queue/drafts/bulk", ok);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("1 usulan ditolak.");
    const row = await env.DB.prepare(
      "select status, discard_reason as reason from pairing_proposals where id = ?",
    )
      .bind(d1)
      .first<{ status: string; reason: string }>();
    expect(row).toEqual({ status: "discarded", reason: "Tidak relevan" });
  });
});

/**
 * Posts a urlencoded body with the client's cookies and a browser's headers: the client's own
 * `post` takes a record, and a bulk form repeats `ids`.
 */
async function postForm(client: ConsoleClient, path: string, body: URLSearchParams): Promise<Response> {
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return exports.default.fetch(
    new Request(new URL(path, client.origin), {
      method: "POST",
      headers: {
        Cookie: cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "Sec-Fetch-Site": "same-origin",
        Origin: client.origin,
      },
      body,
      redirect: "manual",
    }),
  );
}

describe("the admin's proposals button", () => {
  it("shows only to admins; an officer's post is a 403; an admin's reports the drafts made", async () => {
    await env.DB.batch([
      env.DB.prepare("delete from pairing_proposals"),
      env.DB.prepare("update businesses set active = 0"),
    ]);
    const s = await shopIn("Kranggan");
    const m = await makerIn("Meri");
    await storeSuggestions([[s.business.id, m.business.id, 0.8]]);

    const officer = await officerClient();
    await officer.get("/ui/queue");
    expect(officer.lastHtml).not.toContain('action="/ui/queue/propose"');
    expect((await officer.post("/ui/queue/propose", {})).status).toBe(403);

    const admin = await adminClient();
    await admin.get("/ui/queue");
    expect(admin.lastHtml).toContain('action="/ui/queue/propose"');
    expect(admin.lastHtml).toContain("Susun usulan minggu ini");
    const res = await admin.post("/ui/queue/propose", {});
    expect(res.status).toBe(200);
    expect(admin.lastHtml).toContain('data-written="1"');
    expect(admin.lastHtml).toMatch(/1 usulan baru disusun untuk minggu \d{4}-W\d{2}\./);
    const again = await admin.post("/ui/queue/propose", {});
    expect(again.status).toBe(200);
    expect(admin.lastHtml).toContain('data-written="0"');
  });
});

describe("business page actions", () => {
  it("re-renders the edit form with the officer's values and the error at the field, saving nothing", async () => {
    const m = await makerIn("Miji", `UD Edit ${tag()}`);
    const officer = await officerClient();
    await officer.get(`/ui/businesses/${m.business.id}`);
    const res = await officer.post(`/ui/businesses/${m.business.id}/edit`, {
      name: "UD Edit Baru",
      kbli: "1520",
      offers: "Sandal kulit buatan tangan",
      maxPartners: "3",
    });
    expect(res.status).toBe(422);
    expect(officer.lastHtml).toContain('value="UD Edit Baru"');
    expect(officer.lastHtml).toContain("Sandal kulit buatan tangan</textarea>");
    expect(officer.lastHtml).toMatch(/name="kbli" value="1520" aria-invalid="true"/);
    expect(officer.lastHtml).toMatch(
      /<span class="field-error" id="err-kbli" data-field="kbli">[^<]+<\/span>/,
    );
    expect(officer.lastHtml).toContain('<details open="" id="b-edit">');
    const stored = (await (
      await call(`/v1/businesses/${m.business.id}`, { key: await officerKey() })
    ).json()) as {
      name: string;
    };
    expect(stored.name).toBe(m.business.name);

    await officer.get(`/ui/businesses/${m.business.id}`);
    const ok = await officer.post(`/ui/businesses/${m.business.id}/edit`, {
      name: "UD Edit Baru",
      kbli: "15201",
    });
    expect(ok.status).toBe(303);
    await officer.get(`/ui/businesses/${m.business.id}`);
    expect(officer.lastHtml).toContain("<h1>UD Edit Baru</h1>");
  });

  it("deactivates with a Nonaktif banner and reactivates, each in the audit trail as a sentence", async () => {
    const m = await makerIn("Miji", `UD Aktif ${tag()}`);
    const officer = await officerClient();
    await officer.get(`/ui/businesses/${m.business.id}`);
    expect(officer.lastHtml).not.toContain('data-state="inactive"');
    expect((await officer.post(`/ui/businesses/${m.business.id}/deactivate`, {})).status).toBe(303);
    await officer.get(`/ui/businesses/${m.business.id}`);
    expect(officer.lastHtml).toContain('data-state="inactive"');
    expect(officer.lastHtml).toContain("Nonaktif:");
    expect(officer.lastHtml).toContain(`menonaktifkan ${m.business.name}.`);
    expect((await officer.post(`/ui/businesses/${m.business.id}/reactivate`, {})).status).toBe(303);
    await officer.get(`/ui/businesses/${m.business.id}`);
    expect(officer.lastHtml).not.toContain('data-state="inactive"');
    expect(officer.lastHtml).toContain(`mengaktifkan kembali ${m.business.name}.`);
  });

  it("pairs directly with a business found by search: an active partnership", async () => {
    const m = await makerIn("Miji", `UD Langsung ${tag()}`);
    const name = `Toko Carilah ${tag()}`;
    const s = await shopIn("Kranggan", name);
    const officer = await officerClient();
    await officer.get(`/ui/businesses/${m.business.id}?partner=${encodeURIComponent(name)}`);
    expect(officer.lastHtml).toContain(`name="partnerId" value="${s.business.id}"`);
    const res = await officer.post(`/ui/businesses/${m.business.id}/pairings`, {
      partnerId: s.business.id,
      pattern: "subkontrak",
      message: "",
    });
    expect(res.status).toBe(303);
    const list = (await (
      await call(`/v1/partnerships?businessId=${m.business.id}`, { key: await officerKey() })
    ).json()) as { items: Array<{ status: string; origin: string; partner: { id: string } }> };
    expect(list.items).toEqual([
      expect.objectContaining({
        status: "active",
        origin: "officer",
        partner: expect.objectContaining({ id: s.business.id }),
      }),
    ]);
  });

  it("lists a declined pair and resets it", async () => {
    const m = await makerIn("Miji");
    const s = await shopIn("Kranggan");
    expect(
      (await call("/v1/declined-pairs", { key: s.apiKey, body: { partnerId: m.business.id } })).status,
    ).toBe(200);
    const officer = await officerClient();
    await officer.get(`/ui/businesses/${m.business.id}`);
    expect(officer.lastHtml).toContain(`data-declined="${s.business.id}"`);
    expect(
      (await officer.post(`/ui/businesses/${m.business.id}/declined/${s.business.id}/reset`, {})).status,
    ).toBe(303);
    await officer.get(`/ui/businesses/${m.business.id}`);
    expect(officer.lastHtml).not.toContain(`data-declined="${s.business.id}"`);
    expect(
      (await officer.post(`/ui/businesses/${m.business.id}/declined/${s.business.id}/reset`, {})).status,
    ).toBe(404);
  });

  it("ends a partnership only with a chosen outcome; the select preselects none", async () => {
    const m = await makerIn("Miji", `UD Akhir ${tag()}`);
    const s = await shopIn("Kranggan", `Toko Akhir ${tag()}`);
    const id = await activePartnership(s.apiKey, m.apiKey, m.business.id);
    const officer = await officerClient();
    await officer.get(`/ui/businesses/${m.business.id}`);
    expect(officer.lastHtml).toMatch(
      /<select name="outcome" required=""><option value="" selected="">— pilih hasil —<\/option>/,
    );
    expect((await officer.post(`/ui/partnerships/${id}/end`, { outcome: "", note: "" })).status).toBe(422);
    await officer.get(`/ui/partnerships/${id}`);
    const res = await officer.post(`/ui/partnerships/${id}/end`, {
      outcome: "cooperation_started",
      note: "Lancar",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/ui/partnerships/${id}?done=1`);
    await officer.get(`/ui/partnerships/${id}`);
    expect(officer.lastHtml).toContain('data-outcome="cooperation_started"');
  });
});

describe("partnership list and history", () => {
  it("filters by status, kecamatan and pattern and shows each one's history as sentences", async () => {
    const m = await makerIn("Sentanan", `UD Riwayat ${tag()}`); // Kranggan
    const s = await shopIn("Sentanan", `Toko Riwayat ${tag()}`);
    const id = await activePartnership(s.apiKey, m.apiKey, m.business.id);
    const officer = await officerClient();
    await officer.get("/ui/partnerships?status=active&kecamatan=Kranggan&pattern=rantai_pasok");
    expect(officer.lastHtml).toContain(`data-partnership="${id}"`);
    expect(officer.lastHtml).toContain('href="/ui/partnerships"');
    await officer.get("/ui/partnerships?status=active&kecamatan=Magersari");
    expect(officer.lastHtml).not.toContain(`data-partnership="${id}"`);
    await officer.get("/ui/partnerships?status=ended&kecamatan=Kranggan");
    expect(officer.lastHtml).not.toContain(`data-partnership="${id}"`);

    await officer.post(`/ui/partnerships/${id}/end`, { outcome: "useful_no_cooperation", note: "" });
    const page = await officer.get(`/ui/partnerships/${id}`);
    expect(page.status).toBe(200);
    const history = /<ol class="audit">(.*?)<\/ol>/s.exec(officer.lastHtml)?.[1] ?? "";
    const pair = `${s.business.name} dan ${m.business.name}`;
    expect(history).toContain(`${s.business.name} mengajukan kemitraan: ${pair}.`);
    expect(history).toContain(`${m.business.name} menerima permintaan kemitraan ${pair}.`);
    expect(history).toMatch(new RegExp(`[^>]+ menyetujui kemitraan ${pair}\\.`));
    expect(history).toContain(`mengakhiri kemitraan ${pair} (hasil: Bermanfaat, tanpa kerja sama).`);
    expect(history).not.toContain("biz_");

    await officer.get(`/ui/partnerships/${id}?lang=en`);
    const en = /<ol class="audit">(.*?)<\/ol>/s.exec(officer.lastHtml)?.[1] ?? "";
    expect(en).toContain(
      `${m.business.name} accepted the partnership request of ${s.business.name} and ${m.business.name}.`,
    );
  });

  it("pages the list past its page size", async () => {
    const m = await makerIn("Blooto"); // Prajuritkulon
    const s = await shopIn("Blooto");
    const now = Date.now();
    await env.DB.batch(
      Array.from({ length: PARTNERSHIP_PAGE_SIZE + 2 }, (_, i) =>
        env.DB.prepare(
          `insert into partnerships (id, requester_id, partner_id, origin, pattern, status, revision, created_by,
            created_at, updated_at) values (?, ?, ?, 'request', 'waralaba', 'cancelled', 'r', ?, ?, ?)`,
        ).bind(
          `ptn_PAGE${String(i).padStart(4, "0")}`,
          s.business.id,
          m.business.id,
          `business:${s.business.id}`,
          now,
          now,
        ),
      ),
    );
    const officer = await officerClient();
    await officer.get("/ui/partnerships?pattern=waralaba&kecamatan=Prajuritkulon");
    const rows = (html: string) =>
      [...html.matchAll(/<tr data-partnership="(ptn_PAGE\d+)"/g)].map((x) => x[1]);
    const first = rows(officer.lastHtml);
    expect(first).toHaveLength(PARTNERSHIP_PAGE_SIZE);
    const next = amp(/<a href="([^"]+)" rel="next">/.exec(officer.lastHtml)?.[1] ?? "");
    expect(next).toContain("pattern=waralaba");
    await officer.get(next);
    expect(rows(officer.lastHtml)).toHaveLength(2);
    expect(officer.lastHtml).not.toContain('rel="next"');
  });
});
