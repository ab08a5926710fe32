import { describe, expect, it } from "vitest";
import {
  auditTrail,
  call,
  confirmedSignUpThroughApi,
  industryBody,
  officerKey,
  uniqueEmail,
  uniqueNib,
} from "../../helpers";

describe("audit log of business changes", () => {
  it("records an officer's create, a business's own edit and an officer's deactivation, with who and the states", async () => {
    const officer = await officerKey();
    const created = await call("/v1/businesses", { key: officer, body: industryBody({ nib: uniqueNib() }) });
    expect(created.status).toBe(201);
    const { business, apiKey } = (await created.json()) as { business: { id: string }; apiKey: string };

    const edit = await call(`/v1/businesses/${business.id}`, {
      method: "PATCH",
      key: apiKey,
      body: { offers: "Sepatu pantofel kulit, 60 pasang sehari" },
    });
    expect(edit.status).toBe(200);
    const off = await call(`/v1/businesses/${business.id}/deactivate`, { method: "POST", key: officer });
    expect(off.status).toBe(200);

    const rows = await auditTrail("business", business.id, officer);
    expect(rows.map((r) => [r.action, r.fromState, r.toState, r.actor.kind])).toEqual([
      ["create", null, "published", "officer"],
      ["update", "active", "active", "business"],
      ["deactivate", "active", "inactive", "officer"],
    ]);
    expect(rows[1].actor.id).toBe(business.id);
    // A published business's own edit of its offers waits for an officer's look.
    expect(rows[1].details).toEqual({ fields: ["offers"], flaggedForReview: ["offers"] });
  });

  it("records a self sign-up, its confirmation and the officer's decision on it", async () => {
    const officer = await officerKey();
    const id = await confirmedSignUpThroughApi({
      ...industryBody({ nib: uniqueNib(), email: uniqueEmail() }),
      active: undefined,
    });
    const business = { id };
    const reject = await call(`/v1/businesses/${business.id}/reject`, {
      key: officer,
      body: { reason: "NIB tidak cocok" },
    });
    expect(reject.status).toBe(200);

    const rows = await auditTrail("business", business.id, officer);
    expect(rows.map((r) => [r.action, r.fromState, r.toState, r.actor.kind])).toEqual([
      ["sign_up", null, "unconfirmed", "business"],
      ["confirm_sign_up", "unconfirmed", "pending_review", "business"],
      ["reject", "pending_review", "rejected", "officer"],
    ]);
    expect(rows[2].details).toEqual({ reason: "NIB tidak cocok" });
  });

  it("writes no audit row for a refused edit", async () => {
    const officer = await officerKey();
    const created = await call("/v1/businesses", { key: officer, body: industryBody({ nib: uniqueNib() }) });
    const { business, apiKey } = (await created.json()) as { business: { id: string }; apiKey: string };
    const refused = await call(`/v1/businesses/${business.id}`, {
      method: "PATCH",
      key: apiKey,
      body: { active: false },
    });
    expect(refused.status).toBe(403);
    const rows = await auditTrail("business", business.id, officer);
    expect(rows.map((r) => r.action)).toEqual(["create"]);
  });

  it("writes exactly one audit row when two edits race and one gets 409", async () => {
    const officer = await officerKey();
    const created = await call("/v1/businesses", { key: officer, body: industryBody({ nib: uniqueNib() }) });
    const { business } = (await created.json()) as { business: { id: string } };
    const edits = await Promise.all(
      ["Sepatu kerja", "Sandal wanita", "Sepatu sekolah"].map((offers) =>
        call(`/v1/businesses/${business.id}`, { method: "PATCH", key: officer, body: { offers } }),
      ),
    );
    const ok = edits.filter((r) => r.status === 200).length;
    expect(ok).toBeGreaterThanOrEqual(1);
    expect(edits.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const rows = await auditTrail("business", business.id, officer);
    expect(rows.filter((r) => r.action === "update")).toHaveLength(ok);
  });
});
