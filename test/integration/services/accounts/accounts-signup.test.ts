import { describe, expect, it } from "vitest";
import {
  call,
  confirmedSignUpThroughApi,
  expectProblem,
  industryBody,
  officerKey,
  seedBusiness,
  serviceBody,
  settleSuggestions,
  signUpThroughApi,
  uniqueEmail,
  uniqueNib,
  waitForRefreshes,
} from "../../helpers";

interface BusinessJson {
  id: string;
  name: string;
  status: string;
  rejectionReason: string | null;
  active: boolean;
  email: string;
  location: { kelurahan: string | null };
}

/** Each sign-up from its own address (a sign-up emails it; 5 a minute per address). */
async function signUp(body: Record<string, unknown>) {
  const res = await call("/v1/signup", { body: { ...body, email: uniqueEmail() } });
  expect(res.status).toBe(201);
  return (await res.json()) as { business: BusinessJson; next: string };
}

/** A sign-up confirmed from its address: what officers review. */
async function pendingSignUp(body: Record<string, unknown>): Promise<{ business: { id: string } }> {
  return { business: { id: await confirmedSignUpThroughApi({ ...body, email: uniqueEmail() }) } };
}

describe("POST /v1/signup", () => {
  it("lands a sign-up unconfirmed, without an API key, and says what happens next", async () => {
    const res = await call("/v1/signup", { body: industryBody({ nib: uniqueNib(), email: uniqueEmail() }) });
    expect(res.status).toBe(201);
    const { business, next, ...rest } = (await res.json()) as {
      business: BusinessJson;
      next: string;
    } & Record<string, unknown>;
    expect(business.status).toBe("unconfirmed");
    expect(business.rejectionReason).toBeNull();
    expect(business.active).toBe(true);
    expect(next).toContain("email");
    expect(next).toContain("petugas");
    expect(rest).toEqual({});
    expect(JSON.stringify({ business, next })).not.toMatch(/kmt_/);
  });

  it("answers in English when the profile asks for it", async () => {
    const { next } = await signUp(industryBody({ language: "en" }));
    expect(next).toContain("officer");
  });

  it("confirms the sign-up when its emailed link is used: pending review, signed in", async () => {
    const { business, token } = await signUpThroughApi(industryBody({ email: "confirm@signup.example.id" }));
    const res = await call("/v1/auth/callback", { body: { token } });
    expect(res.status).toBe(204);
    const cookie = /__Host-kemitraan_session=([^;]+)/.exec(res.headers.get("Set-Cookie") ?? "")?.[1];
    const own = await call(`/v1/businesses/${business.id}`, {
      headers: { Cookie: `__Host-kemitraan_session=${cookie}` },
    });
    expect(((await own.json()) as BusinessJson).status).toBe("pending_review");
  });

  it("refuses to publish or reject a sign-up nobody has confirmed (409 not_confirmed)", async () => {
    const officer = await officerKey();
    const { business } = await signUp(industryBody());
    await expectProblem(
      await call(`/v1/businesses/${business.id}/publish`, { key: officer, method: "POST" }),
      409,
      "not_confirmed",
    );
  });

  it("applies the registry's validation and normalisation", async () => {
    const res = await call("/v1/signup", {
      body: industryBody({ location: { kelurahan: "Atlantis" } }),
    });
    await expectProblem(res, 422, "validation_failed");
    const { business } = await signUp(industryBody({ location: { kelurahan: "gunung gedangan" } }));
    expect(business.location.kelurahan).toBe("Gununggedangan");
  });

  it("refuses `active` from the applicant", async () => {
    const res = await call("/v1/signup", { body: industryBody({ active: true }) });
    const problem = await expectProblem(res, 422, "validation_failed");
    expect(problem.errors?.map((e) => e.path)).toContain("active");
  });

  it("returns 409 when the NIB is already registered", async () => {
    const nib = uniqueNib();
    await seedBusiness(industryBody({ nib }));
    await expectProblem(await call("/v1/signup", { body: industryBody({ nib }) }), 409, "nib_taken");
  });

  it("keeps officer-created businesses published", async () => {
    const key = await officerKey();
    const res = await call("/v1/businesses", { key, body: industryBody() });
    const { business } = (await res.json()) as { business: BusinessJson };
    expect(business.status).toBe("published");
  });
});

describe("publish and reject", () => {
  it("publishes a pending sign-up, which then gets suggestions and is suggested to others", async () => {
    const officer = await officerKey();
    const shop = await seedBusiness(serviceBody({ name: "Toko Alas Kaki Published Test" }));
    const { business } = await pendingSignUp(industryBody({ name: "Pabrik Sepatu Pending" }));

    const before = (await (
      await call(`/v1/businesses/${shop.business.id}/matches?limit=50`, { key: shop.apiKey })
    ).json()) as {
      items: Array<{ business: { id: string } }>;
    };
    expect(before.items.map((m) => m.business.id)).not.toContain(business.id);
    await expectProblem(
      await call(`/v1/businesses/${business.id}/matches`, { key: officer }),
      409,
      "business_not_published",
    );

    const res = await call(`/v1/businesses/${business.id}/publish`, { key: officer, method: "POST" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as BusinessJson).status).toBe("published");
    // The publish's follow-up marks the shop's set after the response; the shop's next read serves
    // it as stored and starts its recompute, after which the set lists the new maker.
    await waitForRefreshes();
    await settleSuggestions([shop.business.id], officer);

    const after = (await (
      await call(`/v1/businesses/${shop.business.id}/matches?limit=50`, { key: shop.apiKey })
    ).json()) as {
      items: Array<{ business: { id: string } }>;
    };
    expect(after.items.map((m) => m.business.id)).toContain(business.id);
    expect((await call(`/v1/businesses/${business.id}/matches`, { key: officer })).status).toBe(200);
  });

  it("rejects a pending sign-up with its reason and never matches it", async () => {
    const officer = await officerKey();
    const shop = await seedBusiness(serviceBody({ name: "Toko Rejected Test" }));
    const { business } = await pendingSignUp(industryBody({ name: "Pabrik Sepatu Ditolak" }));
    const res = await call(`/v1/businesses/${business.id}/reject`, {
      key: officer,
      body: { reason: "NIB tidak cocok dengan OSS" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "rejected",
      rejectionReason: "NIB tidak cocok dengan OSS",
    });
    const matches = (await (
      await call(`/v1/businesses/${shop.business.id}/matches?limit=50`, { key: shop.apiKey })
    ).json()) as {
      items: Array<{ business: { id: string } }>;
    };
    expect(matches.items.map((m) => m.business.id)).not.toContain(business.id);
  });

  it("returns 409 already_reviewed on a second decision", async () => {
    const officer = await officerKey();
    const { business } = await pendingSignUp(industryBody());
    expect(
      (await call(`/v1/businesses/${business.id}/publish`, { key: officer, method: "POST" })).status,
    ).toBe(200);
    await expectProblem(
      await call(`/v1/businesses/${business.id}/reject`, { key: officer, body: { reason: "late" } }),
      409,
      "already_reviewed",
    );
    await expectProblem(
      await call(`/v1/businesses/${business.id}/publish`, { key: officer, method: "POST" }),
      409,
      "already_reviewed",
    );
  });

  it("lets exactly one of two officers deciding at once win; the other gets 409", async () => {
    const [a, b] = await Promise.all([officerKey(), officerKey()]);
    const { business } = await pendingSignUp(industryBody());
    const results = await Promise.all([
      call(`/v1/businesses/${business.id}/publish`, { key: a, method: "POST" }),
      call(`/v1/businesses/${business.id}/reject`, { key: b, body: { reason: "duplicate" } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it("requires a reason to reject", async () => {
    const officer = await officerKey();
    const { business } = await pendingSignUp(industryBody());
    await expectProblem(
      await call(`/v1/businesses/${business.id}/reject`, { key: officer, body: { reason: "  " } }),
      422,
      "validation_failed",
    );
  });

  it("returns 404 for an unknown business", async () => {
    const officer = await officerKey();
    await expectProblem(await call("/v1/businesses/biz_nope/publish", { key: officer, method: "POST" }), 404);
  });

  it("forbids a business from publishing itself (403) and anonymous callers (401)", async () => {
    const { business } = await pendingSignUp(industryBody());
    const other = await seedBusiness(serviceBody());
    await expectProblem(
      await call(`/v1/businesses/${other.business.id}/publish`, { key: other.apiKey, method: "POST" }),
      403,
      "forbidden",
    );
    await expectProblem(await call(`/v1/businesses/${business.id}/publish`, { method: "POST" }), 401);
  });
});

describe("listing by status", () => {
  it("filters the registry by review status", async () => {
    const officer = await officerKey();
    const { business } = await pendingSignUp(industryBody({ name: "Status Filter Pending" }));
    const pending = (await (
      await call("/v1/businesses?status=pending_review&limit=100", { key: officer })
    ).json()) as {
      items: BusinessJson[];
    };
    expect(pending.items.map((b) => b.id)).toContain(business.id);
    expect(pending.items.every((b) => b.status === "pending_review")).toBe(true);
    const published = (await (
      await call("/v1/businesses?status=published&limit=100", { key: officer })
    ).json()) as {
      items: BusinessJson[];
    };
    expect(published.items.map((b) => b.id)).not.toContain(business.id);
  });
});
