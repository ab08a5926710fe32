import { describe, expect, it } from "vitest";
import { shortWhy } from "../../../src/matching";
import { call, industryBody, officerKey, seedBusiness, serviceBody } from "../helpers";
import { ownerClient } from "./console.helpers";

/**
 * The owner's page (/ui/me) on a phone: what waits for the owner first, a short true "why",
 * the engine's pattern preselected, who is asking, "tidak berminat" confirmed and undoable, the
 * message in the card acted on, an end form that presumes no outcome.
 */

const plain = (html: string) =>
  html
    .replace(/<[^>]+>/g, "")
    .replaceAll("&amp;", "&")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'");

/** The `<article id="card-<id>" ...>...</article>` of one card (cards do not nest). */
function card(html: string, id: string): string {
  const start = html.indexOf(`id="card-${id}"`);
  expect(start, `card-${id} on the page`).toBeGreaterThan(-1);
  const open = html.lastIndexOf("<", start);
  const end = html.indexOf("</article>", start);
  return html.slice(open, end + "</article>".length);
}

function suggestionIds(html: string): string[] {
  return [...html.matchAll(/class="card suggestion" data-business="(biz_[0-9A-Z]+)"/g)].map(
    (m) => m[1] ?? "",
  );
}

async function request(fromKey: string, partnerId: string, message = ""): Promise<string> {
  const res = await call("/v1/partnerships", {
    key: fromKey,
    body: { partnerId, pattern: "rantai_pasok", message },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe("owner page order and profiles", () => {
  it("puts requests waiting for the owner first, then their own, then suggestions; the asker's profile shows", async () => {
    const maker = await seedBusiness(
      industryBody({ email: "ord-maker@example.id", name: "UD Ord Maker", sizeClass: "mikro" }),
    );
    const asker = await seedBusiness(
      serviceBody({
        email: "ord-asker@example.id",
        name: "Toko Ord Penanya",
        sizeClass: "kecil",
        location: { kelurahan: "Kranggan" },
        offers: "Toko oleh-oleh dekat alun-alun",
        needs: "Pemasok sandal kulit buatan lokal",
      }),
    );
    const asked = await seedBusiness(
      serviceBody({ email: "ord-asked@example.id", name: "Toko Ord Ditanya" }),
    );
    await seedBusiness(serviceBody({ email: "ord-other@example.id", name: "Toko Ord Saran" }));
    const incoming = await request(asker.apiKey, maker.business.id, "Kami ingin menjual sandal Anda.");
    const outgoing = await request(maker.apiKey, asked.business.id);

    const owner = await ownerClient("ord-maker@example.id");
    await owner.get("/ui/me");
    const html = owner.lastHtml;
    const waiting = html.indexOf('id="o-waiting"');
    const mine = html.indexOf('id="o-open"');
    const suggestions = html.indexOf('id="o-suggestions"');
    expect(waiting).toBeGreaterThan(-1);
    expect(waiting).toBeLessThan(mine);
    expect(mine).toBeLessThan(suggestions);
    expect(html.indexOf(`id="card-${incoming}"`)).toBeGreaterThan(waiting);
    expect(html.indexOf(`id="card-${incoming}"`)).toBeLessThan(mine);
    expect(html.indexOf(`id="card-${outgoing}"`)).toBeGreaterThan(mine);
    expect(html.indexOf(`id="card-${outgoing}"`)).toBeLessThan(suggestions);
    expect(suggestionIds(html).length).toBeGreaterThan(0);
    // The business with an open request is not suggested again below it.
    expect(suggestionIds(html)).not.toContain(asked.business.id);

    // Who is asking: sector, kelurahan, size in words, what they offer and need, with the message.
    const asking = plain(card(html, incoming));
    expect(asking).toContain("Toko Ord Penanya");
    expect(asking).toContain("Jasa · Kranggan · Usaha kecil");
    expect(asking).toContain("Menawarkan: Toko oleh-oleh dekat alun-alun");
    expect(asking).toContain("Membutuhkan: Pemasok sandal kulit buatan lokal");
    expect(asking).toContain("Kami ingin menjual sandal Anda.");
    expect(asking).toContain("Pemasok tetap");
  });
});

describe("suggestion cards", () => {
  it("say why in words from the engine's reasons; scores, percentages and codes only under Rincian", async () => {
    await seedBusiness(industryBody({ email: "why-maker@example.id", name: "UD Why Maker" }));
    await seedBusiness(industryBody({ email: "why-maker2@example.id", name: "UD Why Sandal" }));
    const shop = await seedBusiness(serviceBody({ email: "why-shop@example.id", name: "Toko Why" }));
    const owner = await ownerClient("why-shop@example.id");
    await owner.get("/ui/me");
    const ids = suggestionIds(owner.lastHtml);
    expect(ids.length).toBeGreaterThan(1);
    for (const id of ids) {
      const c = card(owner.lastHtml, id);
      const more = /<details class="more">[\s\S]*?<\/details>/.exec(c)?.[0] ?? "";
      expect(more).toContain('class="score-value"');
      const outside = plain(c.replace(more, ""));
      // No score, percentage or KBLI code outside the disclosure.
      expect(outside).not.toMatch(/\b0\.\d\d\b/);
      expect(outside).not.toMatch(/\d+%/);
      expect(outside).not.toMatch(/\b\d{5}\b/);
      expect(outside).not.toContain("Skor");
      // The why is the engine's reasons in fewer words: nothing the reasons do not say.
      const reasons = [...more.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => plain(m[1] ?? ""));
      expect(reasons.length).toBeGreaterThan(0);
      const why = plain(/<p class="why">([\s\S]*?)<\/p>/.exec(c)?.[1] ?? "");
      expect(why).toBe(shortWhy(reasons, "id", 2).join(" · "));
      expect(why).not.toBe("");
    }
    expect(shop.business.status).toBe("published");
  });

  it("preselect the engine's suggested pattern in plain words; the others under 'lainnya'", async () => {
    await seedBusiness(industryBody({ email: "pat-maker@example.id", name: "UD Pat Maker" }));
    const shop = await seedBusiness(serviceBody({ email: "pat-shop@example.id", name: "Toko Pat" }));
    const res = await call(`/v1/businesses/${shop.business.id}/matches?limit=10`, { key: shop.apiKey });
    const items = ((await res.json()) as { items: Array<{ business: { id: string }; pattern: string }> })
      .items;
    expect(items.length).toBeGreaterThan(0);
    const owner = await ownerClient("pat-shop@example.id");
    await owner.get("/ui/me");
    for (const item of items) {
      const c = card(owner.lastHtml, item.business.id);
      const checked = [...c.matchAll(/<input type="radio" name="pattern" value="([a-z_]+)" checked=""/g)].map(
        (m) => m[1],
      );
      expect(checked).toEqual([item.pattern]);
      const others = /<details class="others">[\s\S]*?<\/details>/.exec(c)?.[0] ?? "";
      expect([...others.matchAll(/name="pattern" value="/g)]).toHaveLength(9);
      expect(others).not.toContain(`value="${item.pattern}"`);
      // Plain words, not the regulation's terms.
      expect(c).not.toContain("Penyumberluaran");
      expect(c).toContain("Alih daya");
    }
  });
});

describe("tidak berminat", () => {
  it("asks first, then offers Batalkan in the card's place; undo brings the pair back to suggestions", async () => {
    await seedBusiness(industryBody({ email: "undo-maker@example.id", name: "UD Undo Sandal" }));
    await seedBusiness(industryBody({ email: "undo-maker2@example.id", name: "UD Undo Sepatu" }));
    const shop = await seedBusiness(serviceBody({ email: "undo-shop@example.id", name: "Toko Undo" }));
    const owner = await ownerClient("undo-shop@example.id");
    await owner.get("/ui/me");
    const before = suggestionIds(owner.lastHtml);
    const pos = 1;
    const target = before[pos] ?? "";
    expect(target).not.toBe("");
    const name = /<h3>([^<]+)<\/h3>/.exec(card(owner.lastHtml, target))?.[1] ?? "";

    // The confirmation: a details opened on the card; a post without it declines nothing.
    const ask = await owner.post("/ui/me/declined", { partnerId: target, pos: String(pos) });
    expect(ask.status).toBe(303);
    await owner.get(ask.headers.get("Location") ?? "");
    expect(card(owner.lastHtml, target)).toMatch(
      /<details class="act" open="">\s*<summary class="btn secondary">Tidak berminat/,
    );
    expect(suggestionIds(owner.lastHtml)).toEqual(before);

    const res = await owner.post("/ui/me/declined", { partnerId: target, pos: String(pos), confirm: "yes" });
    const location = res.headers.get("Location") ?? "";
    expect(location).toBe(`/ui/me?done=notInterested&card=${target}&pos=${pos}#card-${target}`);
    await owner.get(location);
    expect(suggestionIds(owner.lastHtml)).not.toContain(target);
    const undoCard = card(owner.lastHtml, target);
    expect(plain(undoCard)).toContain(`${name} tidak akan disarankan lagi.`);
    expect(undoCard).toContain('action="/ui/me/declined/undo"');
    expect(undoCard).toContain(">Batalkan</button>");
    // In the place the card stood: after the suggestion that was above it.
    expect(owner.lastHtml.indexOf(`id="card-${before[0]}"`)).toBeLessThan(
      owner.lastHtml.indexOf(`id="card-${target}"`),
    );
    expect(owner.lastHtml).not.toContain("Tersimpan.");

    const undo = await owner.post("/ui/me/declined/undo", { partnerId: target, pos: String(pos) });
    const back = undo.headers.get("Location") ?? "";
    expect(back).toBe(`/ui/me?done=undone&card=${target}#card-${target}`);
    await owner.get(back);
    expect(suggestionIds(owner.lastHtml)).toContain(target);
    expect(plain(card(owner.lastHtml, target))).toContain(`${name} kembali ke saran Anda.`);

    // Audited as a reset by the business itself.
    const [low, high] = [shop.business.id, target].sort();
    const trail = await call(`/v1/audit?entity=declined_pair&entityId=${low}:${high}`, {
      key: await officerKey(),
    });
    const rows = ((await trail.json()) as { items: Array<{ action: string; actor: unknown }> }).items;
    expect(rows.map((r) => r.action)).toEqual(["decline", "reset"]);
    expect(JSON.stringify(rows[1]?.actor)).toContain(shop.business.id);

    // A second undo finds nothing to undo.
    expect((await owner.post("/ui/me/declined/undo", { partnerId: target })).status).toBe(404);
  });

  it("lets only the business that declined undo it", async () => {
    const maker = await seedBusiness(industryBody({ email: "only-maker@example.id", name: "UD Only Maker" }));
    const shop = await seedBusiness(serviceBody({ email: "only-shop@example.id", name: "Toko Only" }));
    const declined = await call("/v1/declined-pairs", {
      key: shop.apiKey,
      body: { partnerId: maker.business.id },
    });
    expect(declined.status).toBe(200);
    const byPartner = await call("/v1/declined-pairs/undo", {
      key: maker.apiKey,
      body: { partnerId: shop.business.id },
    });
    expect(byPartner.status).toBe(404);
    const byOfficer = await call("/v1/declined-pairs/undo", {
      key: await officerKey(),
      body: { partnerId: shop.business.id },
    });
    expect(byOfficer.status).toBe(403);
    const bySelf = await call("/v1/declined-pairs/undo", {
      key: shop.apiKey,
      body: { partnerId: maker.business.id },
    });
    expect(bySelf.status).toBe(200);
    // The pair may be requested again.
    expect(
      (
        await call("/v1/partnerships", {
          key: shop.apiKey,
          body: { partnerId: maker.business.id, pattern: "rantai_pasok" },
        })
      ).status,
    ).toBe(201);
  });
});

describe("feedback and the end form", () => {
  it("puts each action's message in the card acted on, with its anchor", async () => {
    await seedBusiness(industryBody({ email: "fb-maker@example.id", name: "UD Fb Maker" }));
    await seedBusiness(serviceBody({ email: "fb-shop@example.id", name: "Toko Fb" }));
    const shop = await ownerClient("fb-shop@example.id");
    await shop.get("/ui/me");
    const makerId = /data-business="(biz_[0-9A-Z]+)"><h3>UD Fb Maker/.exec(shop.lastHtml)?.[1] ?? "";
    expect(makerId).not.toBe("");
    const sent = await shop.post("/ui/me/requests", {
      partnerId: makerId,
      pattern: "subkontrak",
      message: "Halo",
    });
    const location = sent.headers.get("Location") ?? "";
    const id = /card=(ptn_[0-9A-Z]+)/.exec(location)?.[1] ?? "";
    expect(location).toBe(`/ui/me?done=requested&card=${id}#card-${id}`);
    await shop.get(location);
    const c = plain(card(shop.lastHtml, id));
    expect(c).toContain("Permintaan terkirim ke UD Fb Maker.");
    expect(c).toContain("Menunggu jawaban mereka");
    // Only there: not at the top, and no generic "Tersimpan.".
    expect(shop.lastHtml.match(/Permintaan terkirim ke/g)).toHaveLength(1);
    expect(shop.lastHtml).not.toContain("Tersimpan.");

    const maker = await ownerClient("fb-maker@example.id");
    await maker.get("/ui/me");
    const accepted = await maker.post(`/ui/me/partnerships/${id}/accept`, {});
    expect(accepted.headers.get("Location")).toBe(`/ui/me?done=accepted&card=${id}#card-${id}`);
    await maker.get(accepted.headers.get("Location") ?? "");
    expect(plain(card(maker.lastHtml, id))).toContain("Anda menerima permintaan Toko Fb.");
  });

  it("offers no preselected outcome, keeps the note on a missing choice, and words each ended card", async () => {
    const maker = await seedBusiness(industryBody({ email: "eo-maker@example.id", name: "UD Eo Maker" }));
    const shop = await seedBusiness(serviceBody({ email: "eo-shop@example.id", name: "Toko Eo" }));
    const key = await officerKey();
    const id = await request(shop.apiKey, maker.business.id);
    await call(`/v1/partnerships/${id}/accept`, { key: maker.apiKey, method: "POST" });
    await call(`/v1/partnerships/${id}/approve`, { key, method: "POST" });
    const owner = await ownerClient("eo-shop@example.id");
    await owner.get("/ui/me");
    const c = card(owner.lastHtml, id);
    const select = /<select name="outcome"[^>]*>[\s\S]*?<\/select>/.exec(c)?.[0] ?? "";
    expect(select).toContain("required");
    expect(select).toMatch(/^<select[^>]*><option value="">Pilih hasilnya<\/option>/);
    expect(select).not.toContain("selected");

    const bad = await owner.post(`/ui/me/partnerships/${id}/end`, { outcome: "", note: "Sudah lancar" });
    expect(bad.status).toBe(422);
    const again = card(owner.lastHtml, id);
    expect(again).toContain('<details class="act" open="">');
    expect(again).toContain("Pilih hasil kemitraan terlebih dulu.");
    expect(again).toContain('value="Sudah lancar"');

    const ended = await owner.post(`/ui/me/partnerships/${id}/end`, {
      outcome: "cooperation_started",
      note: "Sudah lancar",
    });
    expect(ended.headers.get("Location")).toBe(`/ui/me?done=ended&card=${id}#card-${id}`);
    await owner.get(ended.headers.get("Location") ?? "");
    const row = plain(
      /<li id="card-[\s\S]*?<\/li>/.exec(
        owner.lastHtml.slice(owner.lastHtml.indexOf(`<li id="card-${id}"`)),
      )?.[0] ?? "",
    );
    expect(row).toContain("UD Eo Maker · Selesai · kerja sama sudah berjalan");
    expect(row).toContain("Kemitraan dengan UD Eo Maker diakhiri.");
    expect(owner.lastHtml).not.toContain("Hasil: Kerja sama dimulai");
    // The history it sits in is open, so the anchor lands on it.
    expect(owner.lastHtml).toMatch(/<details class="history" open="">\s*<summary>Riwayat \(1\)<\/summary>/);
  });
});
