import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../../../src/db";
import { MemoryMailer } from "../../../../src/email/mailer";
import { requestSignInLink } from "../../../../src/services/accounts/sign-in.service";
import { call, expectProblem, industryBody, officerKey, seedBusiness, uniqueNib } from "../../helpers";
import { ConsoleClient, officerClient } from "../../ui/console.helpers";

/**
 * Smaller review gaps: NIBs held by sign-ups that were never published, the sign-in confirmation
 * page naming the business, and officers seeing a published profile change.
 */

afterEach(() => {
  vi.restoreAllMocks();
});

let counter = 0;
const address = (tag: string) =>
  `${tag}-${Date.now().toString(36)}${(counter++).toString(36)}@review.example.id`;

/** A confirmed sign-up (pending review): signed up through the API, its emailed link used. */
async function pendingSignUp(body: Record<string, unknown>): Promise<string> {
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  const res = await call("/v1/signup", { body });
  expect(res.status).toBe(201);
  const { business } = (await res.json()) as { business: { id: string } };
  let token = "";
  await vi.waitFor(() => {
    const line = log.mock.calls.map((c) => String(c[0])).find((l) => l.includes(String(body.email)));
    token = /token=([A-Za-z0-9_-]{43})/.exec(line ?? "")?.[1] ?? "";
    expect(token).not.toBe("");
  });
  log.mockRestore();
  expect((await call("/v1/auth/callback", { body: { token } })).status).toBe(204);
  return business.id;
}

async function auditActions(id: string, key: string): Promise<Array<{ action: string; details: unknown }>> {
  const res = await call(`/v1/audit?entity=business&entityId=${id}`, { key });
  return ((await res.json()) as { items: Array<{ action: string; details: unknown }> }).items;
}

describe("NIBs of sign-ups that were never published", () => {
  it("a rejected sign-up does not hold its NIB", async () => {
    const officer = await officerKey();
    const nib = uniqueNib();
    const squatter = await pendingSignUp(industryBody({ email: address("squat"), nib }));
    await expectProblem(
      await call("/v1/signup", { body: industryBody({ email: address("x"), nib }) }),
      409,
      "nib_taken",
    );
    const rejected = await call(`/v1/businesses/${squatter}/reject`, {
      key: officer,
      body: { reason: "NIB palsu" },
    });
    expect(rejected.status).toBe(200);
    await pendingSignUp(industryBody({ email: address("real"), nib }));
  });

  it("officers release the NIB of a pending sign-up, with a reason, audited", async () => {
    const officer = await officerKey();
    const nib = uniqueNib();
    const squatter = await pendingSignUp(industryBody({ email: address("hold"), nib }));
    const biz = await seedBusiness(industryBody({ email: address("biz") }));

    await expectProblem(
      await call(`/v1/businesses/${squatter}/release-nib`, { body: { reason: "x" } }),
      401,
      "unauthorized",
    );
    await expectProblem(
      await call(`/v1/businesses/${squatter}/release-nib`, { key: biz.apiKey, body: { reason: "x" } }),
      403,
      "forbidden",
    );
    await expectProblem(
      await call(`/v1/businesses/${squatter}/release-nib`, { key: officer, body: { reason: " " } }),
      422,
      "validation_failed",
    );
    const res = await call(`/v1/businesses/${squatter}/release-nib`, {
      key: officer,
      body: { reason: "Pemilik NIB sebenarnya datang ke kantor" },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { nib: string | null }).nib).toBeNull();
    const audit = await auditActions(squatter, officer);
    expect(audit.at(-1)).toMatchObject({
      action: "release_nib",
      details: { nib, reason: "Pemilik NIB sebenarnya datang ke kantor" },
    });
    await pendingSignUp(industryBody({ email: address("owner"), nib }));
  });

  it("keeps one holder per NIB among confirmed, unrejected businesses in the database itself", async () => {
    const nib = uniqueNib();
    const insert = (id: string, status: string) =>
      env.DB.prepare(
        `insert into businesses (id, name, sector, nib, kbli, size_class, city, lat, lng, email, status, created_at, updated_at)
         values (?, 'x', 'industry', ?, '[]', 'mikro', 'Kota Mojokerto', 0, 0, 'x@example.id', ?, 0, 0)`,
      )
        .bind(id, nib, status)
        .run();
    await insert(`biz_rej1_${nib}`, "rejected");
    await insert(`biz_rej2_${nib}`, "rejected");
    await insert(`biz_unc_${nib}`, "unconfirmed");
    await insert(`biz_pub_${nib}`, "published");
    await expect(insert(`biz_pen_${nib}`, "pending_review")).rejects.toThrow(
      /UNIQUE constraint failed: businesses\.nib/,
    );
  });
});

describe("the sign-in confirmation page", () => {
  it("names the business the link signs in as (a forged link shows whose it is)", async () => {
    const email = address("named");
    await seedBusiness(industryBody({ email, name: "CV Nama Di Halaman" }));
    const mailer = new MemoryMailer();
    await requestSignInLink(
      { db: createDb(env.DB), mailer },
      { email, callbackUrl: "https://kemitraan.test/ui/login/confirm", now: Date.now() },
    );
    const token = /token=([A-Za-z0-9_-]{43})/.exec(mailer.sent[0]?.text ?? "")?.[1] ?? "";
    const client = new ConsoleClient();
    expect((await client.get(`/ui/login/confirm?token=${token}`)).status).toBe(200);
    expect(client.lastHtml).toContain("CV Nama Di Halaman");
  });
});

describe("changes to a published profile", () => {
  it("flags a business's own edit of its name, offers or needs for officers until one acknowledges it", async () => {
    const officer = await officerKey();
    const biz = await seedBusiness(industryBody({ email: address("edit"), name: "UD Sebelum Ganti" }));
    const flagged = async () =>
      (
        (await (await call("/v1/businesses?changesToReview=true&limit=100", { key: officer })).json()) as {
          items: Array<{ id: string; changesToReview: { fields: string[] } | null }>;
        }
      ).items.find((b) => b.id === biz.business.id);

    // Capacity is not something officers re-check; the name and the offers are.
    expect(
      (
        await call(`/v1/businesses/${biz.business.id}`, {
          key: biz.apiKey,
          method: "PATCH",
          body: { maxPartners: 5 },
        })
      ).status,
    ).toBe(200);
    expect(await flagged()).toBeUndefined();
    const patch = await call(`/v1/businesses/${biz.business.id}`, {
      key: biz.apiKey,
      method: "PATCH",
      body: { name: "UD Sesudah Ganti", offers: "Jasa lain sama sekali" },
    });
    expect(patch.status).toBe(200);
    expect((await flagged())?.changesToReview?.fields).toEqual(["name", "offers"]);

    const browser = await officerClient();
    await browser.get("/ui/queue");
    expect(browser.lastHtml).toContain("UD Sesudah Ganti");
    expect(browser.lastHtml).toContain(`/ui/queue/businesses/${biz.business.id}/acknowledge`);

    const ack = await call(`/v1/businesses/${biz.business.id}/acknowledge-changes`, {
      key: officer,
      method: "POST",
    });
    expect(ack.status).toBe(200);
    expect(((await ack.json()) as { changesToReview: unknown }).changesToReview).toBeNull();
    expect(await flagged()).toBeUndefined();
    const audit = await auditActions(biz.business.id, officer);
    expect(audit.at(-1)).toMatchObject({
      action: "acknowledge_changes",
      details: { fields: ["name", "offers"] },
    });
  });

  it("drops the flag when the business's data is erased (nothing is left to re-read)", async () => {
    const officer = await officerKey();
    const biz = await seedBusiness(industryBody({ email: address("erase") }));
    await call(`/v1/businesses/${biz.business.id}`, {
      key: biz.apiKey,
      method: "PATCH",
      body: { needs: "Kebutuhan baru" },
    });
    const asked = await call(`/v1/businesses/${biz.business.id}/deletion-request`, {
      key: biz.apiKey,
      method: "POST",
    });
    const { id } = (await asked.json()) as { id: string };
    expect((await call(`/v1/deletion-requests/${id}/confirm`, { key: officer, method: "POST" })).status).toBe(
      200,
    );
    const listed = (await (
      await call("/v1/businesses?changesToReview=true&limit=100", { key: officer })
    ).json()) as {
      items: Array<{ id: string }>;
    };
    expect(listed.items.map((b) => b.id)).not.toContain(biz.business.id);
  });

  it("does not flag an officer's own edit", async () => {
    const officer = await officerKey();
    const biz = await seedBusiness(industryBody({ email: address("officer-edit") }));
    const res = await call(`/v1/businesses/${biz.business.id}`, {
      key: officer,
      method: "PATCH",
      body: { name: "Diubah Petugas" },
    });
    expect(((await res.json()) as { changesToReview: unknown }).changesToReview).toBeNull();
  });
});
