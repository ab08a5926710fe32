import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { QUEUE_PAGE_SIZE } from "../../../src/ui/console/queue.routes";
import {
  call,
  confirmedSignUpThroughApi,
  industryBody,
  officerKey,
  seedBusiness,
  serviceBody,
} from "../helpers";
import { insertDraft } from "../services/partnerships/proposals.helpers";
import { ConsoleClient, officerClient, ownerClient } from "./console.helpers";

/**
 * The partnership lifecycle through the console pages only: an owner requests from a suggestion,
 * the partner accepts, an officer reviews the pairing with its score breakdown and approves it.
 */

async function partnershipStatus(id: string): Promise<string> {
  const res = await call(`/v1/partnerships/${id}`, { key: await officerKey() });
  return ((await res.json()) as { status: string }).status;
}

function partnershipIds(html: string): string[] {
  return [...html.matchAll(/data-partnership="(ptn_[0-9A-Z]+)"/g)].map((m) => m[1] ?? "");
}

describe("owner page", () => {
  it("shows suggestions with reasons and a request form; a request lands as requested", async () => {
    await seedBusiness(industryBody({ email: "flow-maker@example.id" }));
    const shop = await seedBusiness(serviceBody({ email: "flow-shop@example.id" }));
    const owner = await ownerClient("flow-shop@example.id");
    const page = await owner.get("/ui/me");
    expect(page.status).toBe(200);
    expect(owner.lastHtml).toContain("Ajukan kemitraan");
    expect(owner.lastHtml).toContain("Tidak berminat");
    expect(owner.lastHtml).toMatch(/class="reasons"><li>/);
    const partnerId =
      /class="card suggestion" data-business="(biz_[0-9A-Z]+)"/.exec(owner.lastHtml)?.[1] ?? "";
    expect(partnerId).not.toBe("");

    const res = await owner.post("/ui/me/requests", { partnerId, pattern: "rantai_pasok", message: "Halo" });
    expect(res.status).toBe(303);
    const location = res.headers.get("Location") ?? "";
    const [id] = /card=(ptn_[0-9A-Z]+)/.exec(location)?.slice(1) ?? [];
    expect(location).toBe(`/ui/me?done=requested&card=${id}#card-${id}`);
    await owner.get(location);
    expect(partnershipIds(owner.lastHtml)).toContain(id);
    expect(await partnershipStatus(id ?? "")).toBe("requested");
    // Contact details stay hidden until both sides agree.
    expect(owner.lastHtml).toContain("Kontak tampil setelah kedua pihak setuju.");
    expect(owner.lastHtml).not.toContain("mailto:flow-maker@example.id");
    expect(shop.business.status).toBe("published");
  });

  it("'tidak berminat' removes the suggestion once confirmed", async () => {
    await seedBusiness(industryBody({ email: "decl-maker@example.id", name: "UD Sandal Decl" }));
    await seedBusiness(serviceBody({ email: "decl-shop@example.id", name: "Toko Decl" }));
    const owner = await ownerClient("decl-shop@example.id");
    await owner.get("/ui/me");
    const ids = [...owner.lastHtml.matchAll(/class="card suggestion" data-business="(biz_[0-9A-Z]+)"/g)].map(
      (m) => m[1],
    );
    const target = ids[0] ?? "";
    // Without the confirmation's field, the answer is the confirmation, and nothing is declined.
    const unconfirmed = await owner.post("/ui/me/declined", { partnerId: target });
    expect(unconfirmed.headers.get("Location")).toBe(`/ui/me?confirm=${target}#card-${target}`);
    await owner.get("/ui/me");
    expect(owner.lastHtml).toContain(`class="card suggestion" data-business="${target}"`);
    expect((await owner.post("/ui/me/declined", { partnerId: target, confirm: "yes" })).status).toBe(303);
    await owner.get("/ui/me");
    expect(owner.lastHtml).not.toContain(`class="card suggestion" data-business="${target}"`);
  });

  it("lets the partner accept an incoming request, then shows the contact", async () => {
    await seedBusiness(industryBody({ email: "acc-maker@example.id", name: "UD Acc Maker" }));
    await seedBusiness(serviceBody({ email: "acc-shop@example.id", name: "Toko Acc" }));
    const shop = await ownerClient("acc-shop@example.id");
    await shop.get("/ui/me");
    const makerId = /data-business="(biz_[0-9A-Z]+)">\s*<h3>UD Acc Maker/.exec(shop.lastHtml)?.[1] ?? "";
    expect(makerId).not.toBe("");
    await shop.post("/ui/me/requests", { partnerId: makerId, pattern: "subkontrak", message: "" });

    const maker = await ownerClient("acc-maker@example.id");
    await maker.get("/ui/me");
    expect(maker.lastHtml).toContain("Menunggu jawaban Anda (1)");
    const id = /data-partnership="(ptn_[0-9A-Z]+)"><h3>Toko Acc/.exec(maker.lastHtml)?.[1] ?? "";
    expect(id).not.toBe("");
    expect((await maker.post(`/ui/me/partnerships/${id}/accept`, {})).status).toBe(303);
    expect(await partnershipStatus(id)).toBe("accepted");
    await shop.get("/ui/me");
    expect(shop.lastHtml).toContain("mailto:acc-maker@example.id");
  });

  it("ends an active partnership with an outcome", async () => {
    const maker = await seedBusiness(industryBody({ email: "end-maker@example.id", name: "UD End Maker" }));
    const shop = await seedBusiness(serviceBody({ email: "end-shop@example.id", name: "Toko End" }));
    const key = await officerKey();
    const req = await call("/v1/partnerships", {
      key: shop.apiKey,
      body: { partnerId: maker.business.id, pattern: "rantai_pasok" },
    });
    const id = ((await req.json()) as { id: string }).id;
    await call(`/v1/partnerships/${id}/accept`, { key: maker.apiKey, method: "POST" });
    await call(`/v1/partnerships/${id}/approve`, { key, method: "POST" });
    const owner = await ownerClient("end-shop@example.id");
    await owner.get("/ui/me");
    expect(owner.lastHtml).toContain(`action="/ui/me/partnerships/${id}/end"`);
    const bad = await owner.post(`/ui/me/partnerships/${id}/end`, { outcome: "great" });
    expect(bad.status).toBe(422);
    await owner.get("/ui/me");
    const res = await owner.post(`/ui/me/partnerships/${id}/end`, {
      outcome: "cooperation_started",
      note: "Lancar",
    });
    expect(res.status).toBe(303);
    const body = (await (await call(`/v1/partnerships/${id}`, { key })).json()) as {
      status: string;
      outcome: string;
    };
    expect([body.status, body.outcome]).toEqual(["ended", "cooperation_started"]);
  });

  it("refuses to answer someone else's request (wrong business)", async () => {
    await seedBusiness(industryBody({ email: "wb-maker@example.id", name: "UD WB Maker" }));
    await seedBusiness(serviceBody({ email: "wb-shop@example.id", name: "Toko WB" }));
    await seedBusiness(serviceBody({ email: "wb-other@example.id", name: "Toko Lain WB" }));
    const shop = await ownerClient("wb-shop@example.id");
    await shop.get("/ui/me");
    const makerId = /data-business="(biz_[0-9A-Z]+)">\s*<h3>UD WB Maker/.exec(shop.lastHtml)?.[1] ?? "";
    await shop.post("/ui/me/requests", { partnerId: makerId, pattern: "subkontrak", message: "" });
    await shop.get("/ui/me");
    const [id] = partnershipIds(shop.lastHtml);
    const other = await ownerClient("wb-other@example.id");
    await other.get("/ui/me");
    const res = await other.post(`/ui/me/partnerships/${id}/accept`, {});
    expect(res.status).toBe(404);
    expect(await partnershipStatus(id ?? "")).toBe("requested");
  });
});

describe("officer review queue", () => {
  async function acceptedPairing(tag: string) {
    const maker = await seedBusiness(industryBody({ email: `${tag}-m@example.id`, name: `UD ${tag} Maker` }));
    const shop = await seedBusiness(serviceBody({ email: `${tag}-s@example.id`, name: `Toko ${tag}` }));
    const req = await call("/v1/partnerships", {
      key: shop.apiKey,
      body: { partnerId: maker.business.id, pattern: "rantai_pasok", message: `Pesan ${tag}` },
    });
    const id = ((await req.json()) as { id: string }).id;
    expect((await call(`/v1/partnerships/${id}/accept`, { key: maker.apiKey, method: "POST" })).status).toBe(
      200,
    );
    return id;
  }

  it("shows an accepted pairing with its score breakdown, reasons and suggested pattern; approve makes it active", async () => {
    const id = await acceptedPairing("Q1");
    const officer = await officerClient();
    await officer.get("/ui/queue");
    const card = new RegExp(
      `<article class="card pairing" data-partnership="${id}">(.*?)</article>`,
      "s",
    ).exec(officer.lastHtml)?.[1];
    expect(card).toBeDefined();
    expect(card).toContain("Pesan Q1");
    expect(card).toMatch(/class="score-value">0\.\d\d</);
    for (const part of ["Teks", "Kategori (KBLI)", "Lokasi"])
      expect(card).toContain(`data-component="${part}"`);
    expect(card).toMatch(/class="reasons"><li>[^<]+<\/li>/);
    expect(card).toContain("Pola yang disarankan");
    expect(officer.lastHtml).toContain('id="draft-pairings"');

    const res = await officer.post(`/ui/queue/partnerships/${id}/approve`, {});
    expect(res.status).toBe(303);
    expect(await partnershipStatus(id)).toBe("active");
    await officer.get("/ui/queue?done=1");
    expect(officer.lastHtml).not.toContain(`data-partnership="${id}"`);
    // A second approval (another officer, a stale page) is a friendly 409 page.
    const again = await officer.post(`/ui/queue/partnerships/${id}/approve`, {});
    expect(again.status).toBe(409);
    const text = await again.text();
    expect(text).toContain('data-code="invalid_state"');
    expect(text).toContain("Status kemitraan sudah berubah");
  });

  it("rejects a pairing only with a reason", async () => {
    const id = await acceptedPairing("Q2");
    const officer = await officerClient();
    await officer.get("/ui/queue");
    const empty = await officer.post(`/ui/queue/partnerships/${id}/reject`, { reason: " " });
    expect(empty.status).toBe(422);
    await officer.get("/ui/queue");
    expect(
      (await officer.post(`/ui/queue/partnerships/${id}/reject`, { reason: "Data belum lengkap" })).status,
    ).toBe(303);
    expect(await partnershipStatus(id)).toBe("rejected");
  });

  it("publishes and rejects pending sign-ups", async () => {
    const signup = (email: string, name: string) => confirmedSignUpThroughApi(industryBody({ email, name }));
    const a = await signup("su-a@example.id", "UD Daftar A");
    const b = await signup("su-b@example.id", "UD Daftar B");
    const officer = await officerClient();
    await officer.get("/ui/queue");
    expect(officer.lastHtml).toContain(`class="card signup" data-business="${a}"`);
    expect((await officer.post(`/ui/queue/businesses/${a}/publish`, {})).status).toBe(303);
    await officer.get("/ui/queue");
    expect(
      (await officer.post(`/ui/queue/businesses/${b}/reject`, { reason: "NIB tidak valid" })).status,
    ).toBe(303);
    const key = await officerKey();
    const statusOf = async (id: string) =>
      ((await (await call(`/v1/businesses/${id}`, { key })).json()) as { status: string }).status;
    expect(await statusOf(a)).toBe("published");
    expect(await statusOf(b)).toBe("rejected");
    await officer.get("/ui/queue");
    expect(officer.lastHtml).not.toContain(`data-business="${a}"`);
  });
});

describe("officer review queue paging", () => {
  it("pages each list past QUEUE_PAGE_SIZE with a next link, and its heading counts every item", async () => {
    const maker = await seedBusiness(industryBody({ email: "pg-m@example.id", name: "UD Paging Maker" }));
    const shop = await seedBusiness(serviceBody({ email: "pg-s@example.id", name: "Toko Paging" }));
    // One pair, a draft per week: more drafts than one page holds.
    const now = Date.now();
    await env.DB.batch(
      Array.from({ length: QUEUE_PAGE_SIZE + 5 }, (_, n) =>
        env.DB.prepare(
          `insert into pairing_proposals (id, period, service_id, industry_id, score, components, reasons_id,
            reasons_en, reasons_for, pattern, status, revision, run_id, created_at, updated_at)
           values (?, ?, ?, ?, 0.5, '{"category":0.5,"location":0.5,"text":0.5}', '[]', '[]', 'service',
            'rantai_pasok', 'draft', 'rev0', 'prun_paging', ?, ?)`,
        ).bind(
          `prp_PAGING${String(n).padStart(4, "0")}`,
          `2030-W${String(n).padStart(2, "0")}`,
          shop.business.id,
          maker.business.id,
          now,
          now,
        ),
      ),
    );
    const all = (
      await env.DB.prepare("select id from pairing_proposals where status = 'draft' order by id").all<{
        id: string;
      }>()
    ).results.map((r) => r.id);
    expect(all.length).toBeGreaterThan(QUEUE_PAGE_SIZE);

    const officer = await officerClient();
    const draftsOn = (html: string) =>
      [...html.matchAll(/class="card draft" data-proposal="(prp_[0-9A-Za-z]+)"/g)].map((m) => m[1]);
    const draftSection = (html: string) =>
      /<section[^>]*id="draft-pairings">(.*?)<\/section>/s.exec(html)?.[1] ?? "";
    const link = (html: string, rel: RegExp) =>
      rel.exec(draftSection(html))?.[1]?.replace(/&amp;/g, "&") ?? "";

    await officer.get("/ui/queue?done=1");
    const first = draftsOn(officer.lastHtml);
    expect(first).toHaveLength(QUEUE_PAGE_SIZE);
    expect(officer.lastHtml).toMatch(new RegExp(`<h2 id="q-drafts">[^<]*\\(${all.length}\\)</h2>`));
    const next = link(officer.lastHtml, /<a href="([^"]+)" rel="next">/);
    expect(next).toMatch(/^\/ui\/queue\?drafts=[^&#]+#q-drafts$/);

    await officer.get(next);
    const second = draftsOn(officer.lastHtml);
    expect(second).toHaveLength(all.length - QUEUE_PAGE_SIZE);
    expect([...first, ...second].sort()).toEqual(all);
    expect(draftSection(officer.lastHtml)).not.toContain('rel="next"');
    expect(officer.lastHtml).toMatch(new RegExp(`<h2 id="q-drafts">[^<]*\\(${all.length}\\)</h2>`));
    expect(link(officer.lastHtml, /<a href="([^"]+)">← /)).toBe("/ui/queue#q-drafts");
    // Leave the queue as it was for the tests that follow.
    await env.DB.prepare("delete from pairing_proposals where run_id = 'prun_paging'").run();
  });
});

describe("directory and business page", () => {
  it("filters by kelurahan and sector and pages with a keyset cursor", async () => {
    for (const n of [1, 2, 3])
      await seedBusiness(
        industryBody({ name: `UD Gedangan ${n}`, location: { kelurahan: "Gununggedangan" } }),
      );
    await seedBusiness(serviceBody({ name: "Toko Gedangan", location: { kelurahan: "Gununggedangan" } }));
    const officer = await officerClient();
    await officer.get("/ui/businesses?kelurahan=Gununggedangan&sector=industry&limit=2");
    const names = (html: string) =>
      [...html.matchAll(/<a href="\/ui\/businesses\/biz_[0-9A-Z]+">([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(names(officer.lastHtml)).toEqual(["UD Gedangan 1", "UD Gedangan 2"]);
    const next = /<a href="([^"]+)" rel="next">/.exec(officer.lastHtml)?.[1]?.replace(/&amp;/g, "&") ?? "";
    expect(next).toContain("cursor=");
    await officer.get(next);
    expect(names(officer.lastHtml)).toEqual(["UD Gedangan 3"]);
    expect(officer.lastHtml).not.toContain('rel="next"');
  });

  it("shows a business with its suggestions, partnerships and audit trail", async () => {
    const maker = await seedBusiness(industryBody({ email: "bp-m@example.id", name: "UD BP Maker" }));
    const officer = await officerClient();
    const res = await officer.get(`/ui/businesses/${maker.business.id}`);
    expect(res.status).toBe(200);
    expect(officer.lastHtml).toContain("<h1>UD BP Maker</h1>");
    expect(officer.lastHtml).toContain("Saran mitra");
    expect(officer.lastHtml).toContain("Jejak audit");
    // The audit trail reads as sentences now (issue 14), not "business create".
    expect(officer.lastHtml).toContain("menambahkan UD BP Maker ke direktori.");
    expect((await officer.get("/ui/businesses/biz_nope")).status).toBe(404);
  });
});

describe("dashboard page", () => {
  it("renders the figures and an inline SVG map of the 18 kelurahan with a legend", async () => {
    const officer = await officerClient();
    const res = await officer.get("/ui/dashboard");
    expect(res.status).toBe(200);
    const svg = /<svg class="map"[^>]*>(.*?)<\/svg>/s.exec(officer.lastHtml)?.[1] ?? "";
    expect([...svg.matchAll(/<path d="M/g)]).toHaveLength(18);
    expect(officer.lastHtml).toContain('role="img"');
    expect(officer.lastHtml).toContain('class="legend"');
    expect(officer.lastHtml).toContain('data-metric="acceptance-rate"');
    expect(officer.lastHtml).toContain('data-metric="procurement-ready"');
    expect(new ConsoleClient().origin).toBe("http://localhost");
  });
});

describe("engine-proposed drafts in the review queue", () => {
  it("shows each draft with its score breakdown and reasons; publish makes a request, discard needs a reason", async () => {
    const shop = await seedBusiness(serviceBody({ email: "draft-s@example.id", name: "Toko Draf" }));
    const maker = await seedBusiness(industryBody({ email: "draft-m@example.id", name: "UD Draf" }));
    const other = await seedBusiness(industryBody({ email: "draft-o@example.id", name: "UD Draf Lain" }));
    const published = await insertDraft(shop.business.id, maker.business.id, 0.81);
    const discarded = await insertDraft(shop.business.id, other.business.id, 0.42);

    const officer = await officerClient();
    await officer.get("/ui/queue");
    const card = new RegExp(
      `<article class="card draft" data-proposal="${published}">(.*?)</article>`,
      "s",
    ).exec(officer.lastHtml)?.[1];
    expect(card).toBeDefined();
    expect(card).toContain("Toko Draf");
    expect(card).toContain("UD Draf");
    expect(card).toContain('class="score-value">0.81<');
    expect(card).toContain("<li>Mereka menawarkan yang Anda butuhkan: alas kaki</li>");
    expect(card).toContain(`/ui/queue/drafts/${published}/publish`);

    expect((await officer.post(`/ui/queue/drafts/${published}/publish`, {})).status).toBe(303);
    const drafts = await call(`/v1/proposals/${published}`, { key: await officerKey() });
    const proposal = (await drafts.json()) as { status: string; partnershipId: string };
    expect(proposal.status).toBe("published");
    expect(await partnershipStatus(proposal.partnershipId)).toBe("requested");

    await officer.get("/ui/queue");
    expect(officer.lastHtml).not.toContain(`data-proposal="${published}"`);
    expect((await officer.post(`/ui/queue/drafts/${discarded}/discard`, { reason: "" })).status).toBe(422);
    await officer.get("/ui/queue");
    expect(
      (await officer.post(`/ui/queue/drafts/${discarded}/discard`, { reason: "Sudah bermitra di luar" }))
        .status,
    ).toBe(303);
    const after = (await (await call(`/v1/proposals/${discarded}`, { key: await officerKey() })).json()) as {
      status: string;
      discardReason: string;
    };
    expect(after).toMatchObject({ status: "discarded", discardReason: "Sudah bermitra di luar" });
  });

  it("keeps drafts from businesses: an owner gets 403 on the draft actions", async () => {
    const shop = await seedBusiness(serviceBody({ email: "draft2-s@example.id" }));
    const maker = await seedBusiness(industryBody({ email: "draft2-m@example.id" }));
    const id = await insertDraft(shop.business.id, maker.business.id);
    const owner = await ownerClient("draft2-s@example.id");
    await owner.get("/ui/me");
    expect(owner.lastHtml).not.toContain(id);
    expect((await owner.post(`/ui/queue/drafts/${id}/publish`, {})).status).toBe(403);
  });
});
