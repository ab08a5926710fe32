import { describe, expect, it } from "vitest";
import { call, industryBody, seedBusiness, serviceBody, uniqueEmail } from "../../helpers";
import { ownerClient } from "../../ui/console.helpers";
import { act, expectStatus, type PartnershipJson, request } from "./partnerships.helpers";

/**
 * The WhatsApp number is contact data like the email: a business sees the other side's only once
 * both sides agreed (the requester by asking, the partner by accepting), in the API and on the
 * owner's page, where it becomes a click-to-chat link.
 */

const MAKER_WA = "+6281311112222";
const SHOP_WA = "+6281277770001";

async function seed() {
  const makerEmail = uniqueEmail("wa-maker");
  const shopEmail = uniqueEmail("wa-shop");
  const maker = await seedBusiness(industryBody({ email: makerEmail, whatsapp: MAKER_WA }));
  const shop = await seedBusiness(serviceBody({ email: shopEmail, whatsapp: SHOP_WA }));
  return { maker, shop, makerEmail, shopEmail };
}

async function asSeenBy(id: string, key: string): Promise<PartnershipJson> {
  const res = await call(`/v1/partnerships/${id}`, { key });
  expect(res.status).toBe(200);
  return (await res.json()) as PartnershipJson;
}

/** The owner's page as HTML, signed in by emailed link. */
async function ownerPage(email: string): Promise<string> {
  const client = await ownerClient(email);
  const res = await client.get("/ui/me");
  expect(res.status).toBe(200);
  return client.lastHtml;
}

describe("WhatsApp number revealed only after both accept", () => {
  it("hides both numbers while requested, in the API and on both owners' pages, and shows them after the accept", async () => {
    const { maker, shop, makerEmail, shopEmail } = await seed();
    const p = await request(shop.apiKey, maker.business.id);

    // Requested: neither side sees the other's number (nor email).
    expect(p.partner.contact).toBeNull();
    expect((await asSeenBy(p.id, maker.apiKey)).requester.contact).toBeNull();
    for (const [email, hidden] of [
      [shopEmail, MAKER_WA],
      [makerEmail, SHOP_WA],
    ] as const) {
      const html = await ownerPage(email);
      expect(html).not.toContain(hidden);
      expect(html).not.toContain(`https://wa.me/${hidden.slice(1)}`);
    }

    // The partner accepts: both see the other's number, and the page links it to a chat.
    await expectStatus(await act(p.id, "accept", maker.apiKey), "accepted");
    expect((await asSeenBy(p.id, shop.apiKey)).partner.contact).toEqual({
      email: makerEmail,
      whatsapp: MAKER_WA,
    });
    expect((await asSeenBy(p.id, maker.apiKey)).requester.contact).toEqual({
      email: shopEmail,
      whatsapp: SHOP_WA,
    });
    expect(await ownerPage(shopEmail)).toContain(`href="https://wa.me/${MAKER_WA.slice(1)}"`);
    expect(await ownerPage(makerEmail)).toContain(`href="https://wa.me/${SHOP_WA.slice(1)}"`);
  });

  it("keeps the numbers hidden when the partner declines", async () => {
    const { maker, shop, shopEmail } = await seed();
    const p = await request(shop.apiKey, maker.business.id);
    await expectStatus(await act(p.id, "decline", maker.apiKey), "declined");
    expect((await asSeenBy(p.id, shop.apiKey)).partner.contact).toBeNull();
    expect((await asSeenBy(p.id, maker.apiKey)).requester.contact).toBeNull();
    expect(await ownerPage(shopEmail)).not.toContain(MAKER_WA);
  });
});
