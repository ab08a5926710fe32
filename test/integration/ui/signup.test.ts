import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { businesses } from "../../../schema";
import { deps, industryBody, seedBusiness, uniqueEmail } from "../helpers";
import { ConsoleClient, ownerClient } from "./console.helpers";

/** The owner's own way in: the landing page, sign-up at /ui/daftar and the profile page. */

const signUpFields = (email: string) => ({
  name: "Kerupuk Bu Tini",
  email,
  sector: "industry",
  kbli: "2020:10794",
  kelurahan: "Miji",
  sizeClass: "mikro",
  offers: "kerupuk udang dan kerupuk puli untuk warung dan katering",
  needs: "kemasan plastik dan toko yang menjual",
  whatsapp: "0812-3456-7890",
  language: "id",
});

async function rowByEmail(email: string) {
  const [row] = await deps().db.select().from(businesses).where(eq(businesses.email, email));
  return row;
}

describe("landing page and sign-up in the console", () => {
  it("shows a landing page with Daftar and Masuk to a browser, and keeps the JSON index for API clients", async () => {
    const browser = new ConsoleClient();
    const page = await browser.get("/", { Accept: "text/html,application/xhtml+xml" });
    expect(page.status).toBe(200);
    expect(browser.lastHtml).toContain('href="/ui/daftar"');
    expect(browser.lastHtml).toContain('href="/ui/login"');
    const api = await new ConsoleClient().get("/", { Accept: "application/json" });
    expect(api.headers.get("Content-Type")).toContain("application/json");
  });

  it("redirects /ui/ and the sign-up aliases instead of answering 405 or 404", async () => {
    const c = new ConsoleClient();
    expect((await c.get("/ui/")).status).toBe(303);
    const alias = await c.get("/ui/signup");
    expect(alias.status).toBe(303);
    expect(alias.headers.get("Location")).toBe("/ui/daftar");
  });

  it("finds KBLI codes by their title and keeps what the owner typed", async () => {
    const c = new ConsoleClient();
    await c.get("/ui/daftar");
    const res = await c.post("/ui/daftar/cari", {
      ...signUpFields("cari@example.id"),
      kbli: "",
      kbli_q: "kerupuk",
    });
    expect(res.status).toBe(200);
    expect(c.lastHtml).toContain('value="2020:10794"');
    expect(c.lastHtml).toContain("Kerupuk Bu Tini");
  });

  it("signs up through the form: an unconfirmed sign-up with the WhatsApp number normalised", async () => {
    const email = uniqueEmail("daftar");
    const c = new ConsoleClient();
    await c.get("/ui/daftar");
    const res = await c.post("/ui/daftar", signUpFields(email));
    expect(res.status).toBe(200);
    expect(c.lastHtml).toContain(email);
    const row = await rowByEmail(email);
    expect(row?.status).toBe("unconfirmed");
    expect(row?.whatsapp).toBe("+6281234567890");
    expect(row?.kelurahan).toBe("Miji");
  });

  it("re-renders a bad sign-up with every value kept, the message at the field, and stores nothing", async () => {
    const email = uniqueEmail("daftar-bad");
    const c = new ConsoleClient();
    await c.get("/ui/daftar");
    // Outside the city without its regency: marked in the same round as the other fields.
    const res = await c.post("/ui/daftar", {
      ...signUpFields(email),
      name: "",
      whatsapp: "12",
      kelurahan: "luar",
      region: "",
    });
    expect(res.status).toBe(422);
    expect(c.lastHtml).toContain('id="err-location"');
    expect(c.lastHtml).toContain(email);
    expect(c.lastHtml).toContain("kerupuk udang dan kerupuk puli");
    expect(c.lastHtml).toMatch(/aria-invalid="true"/);
    expect(await rowByEmail(email)).toBeUndefined();
  });
});

describe("the owner's profile page", () => {
  it("edits the owner's own offers through the update service", async () => {
    const email = uniqueEmail("profil");
    const { business } = await seedBusiness(industryBody({ email }));
    const owner = await ownerClient(email);
    const page = await owner.get("/ui/me/profil");
    expect(page.status).toBe(200);
    expect(owner.lastHtml).toContain(`value="${email}"`);
    const saved = await owner.post("/ui/me/profil", {
      ...signUpFields(email),
      name: business.name,
      offers: "sepatu kulit dan sandal untuk hotel",
    });
    expect(saved.status).toBe(303);
    expect((await rowByEmail(email))?.offers).toBe("sepatu kulit dan sandal untuk hotel");
  });

  it("lets a rejected owner see the reason, fix the profile and resubmit it for review", async () => {
    const email = uniqueEmail("resubmit");
    const { business } = await seedBusiness(industryBody({ email }));
    await deps()
      .db.update(businesses)
      .set({ status: "rejected", rejectionReason: "Mohon lengkapi NIB." })
      .where(eq(businesses.id, business.id));
    const owner = await ownerClient(email);
    await owner.get("/ui/me/profil");
    expect(owner.lastHtml).toContain("Mohon lengkapi NIB.");
    const res = await owner.post("/ui/me/profil", { ...signUpFields(email), name: business.name });
    expect(res.status).toBe(303);
    const row = await rowByEmail(email);
    expect(row?.status).toBe("pending_review");
    expect(row?.rejectionReason).toBeNull();
  });
});
