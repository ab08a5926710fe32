import { describe, expect, it } from "vitest";
import { ApiError } from "../../../../src/errors";
import { getBusiness } from "../../../../src/services/businesses/read.service";
import { resubmitBusiness } from "../../../../src/services/businesses/resubmit.service";
import { reviewBusiness } from "../../../../src/services/businesses/review.service";
import {
  auditTrail,
  confirmedSignUp,
  deps,
  industryBody,
  officerKey,
  seedBusiness,
  uniqueEmail,
  uniqueNib,
} from "../../helpers";

/** resubmitBusiness: a rejected sign-up, fixed by its owner, goes back to the officers. */

async function auditOf(id: string) {
  return auditTrail("business", id, await officerKey());
}

const owner = (businessId: string) => ({ kind: "business" as const, businessId, keyId: null });

/** Sign-up fields (no NIB) under a fresh address. */
function signUpFields(local: string, name: string): Parameters<typeof confirmedSignUp>[0] {
  return {
    ...industryBody({ email: uniqueEmail(local), name }),
    nib: null,
    language: "id",
    maxPartners: 3,
    ekatalog: { listed: false },
  } as Parameters<typeof confirmedSignUp>[0];
}

/** A confirmed sign-up (no NIB) that an officer rejected with a reason. */
async function rejectedSignUp(reason = "Mohon lengkapi NIB.") {
  const business = await confirmedSignUp(signUpFields("resubmit", "UD Kerupuk Ditolak"));
  await reviewBusiness(deps(), {
    id: business.id,
    decision: "reject",
    reason,
    officerId: "key_officer",
    now: Date.now(),
  });
  return business;
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return (err as ApiError).code;
}

describe("resubmitting a rejected sign-up", () => {
  it("saves the owner's fixes, goes back to review without the reason, and audits who resubmitted what", async () => {
    const business = await rejectedSignUp();
    const nib = uniqueNib();
    const now = Date.now();
    const back = await resubmitBusiness(deps(), {
      actor: owner(business.id),
      patch: { nib, offers: "Kerupuk udang, kerupuk puli dan rambak untuk warung" },
      now,
    });
    expect(back.status).toBe("pending_review");
    expect(back.rejectionReason).toBeNull();
    expect(back.nib).toBe(nib);
    expect(back.offers).toBe("Kerupuk udang, kerupuk puli dan rambak untuk warung");

    const audit = await auditOf(business.id);
    const last = audit.at(-1);
    expect(last).toMatchObject({
      action: "resubmit",
      fromState: "rejected",
      toState: "pending_review",
      actor: { kind: "business", id: business.id },
      // The officer's reason leaves the business row but stays on record here.
      details: { rejectionReason: "Mohon lengkapi NIB." },
    });
    // The fixes went through the update (its own audit row) before the status changed.
    expect(audit.map((a) => a.action).slice(-3)).toEqual(["reject", "update", "resubmit"]);

    // Back in review: an officer can decide on it again.
    const published = await reviewBusiness(deps(), {
      id: business.id,
      decision: "publish",
      officerId: "key_officer",
      now: now + 1000,
    });
    expect(published.status).toBe("published");
  });

  it("resubmits without changes too, and a second submit is refused and audited once", async () => {
    const business = await rejectedSignUp("Alamat kurang jelas.");
    const back = await resubmitBusiness(deps(), { actor: owner(business.id), now: Date.now() });
    expect(back.status).toBe("pending_review");
    expect(await refusal(resubmitBusiness(deps(), { actor: owner(business.id), now: Date.now() }))).toBe(
      "not_rejected",
    );
    const actions = (await auditOf(business.id)).map((a) => a.action);
    expect(actions.filter((a) => a === "resubmit")).toHaveLength(1);
    expect(actions).not.toContain("update");
  });

  it("refuses a business that is not rejected (waiting for review, or published) and changes nothing", async () => {
    const pending = await confirmedSignUp(signUpFields("pending", "UD Menunggu"));
    expect(
      await refusal(
        resubmitBusiness(deps(), { actor: owner(pending.id), patch: { offers: "diubah" }, now: Date.now() }),
      ),
    ).toBe("not_rejected");
    const { business: published } = await seedBusiness(industryBody({ email: uniqueEmail("published") }));
    expect(await refusal(resubmitBusiness(deps(), { actor: owner(published.id), now: Date.now() }))).toBe(
      "not_rejected",
    );

    for (const id of [pending.id, published.id]) {
      const actions = (await auditOf(id)).map((a) => a.action);
      expect(actions).not.toContain("resubmit");
      expect(actions).not.toContain("update");
    }
    const row = await getBusiness(deps(), { id: pending.id });
    expect(row.status).toBe("pending_review");
    expect(row.offers).not.toBe("diubah");
  });

  it("refuses, and keeps the sign-up rejected, when its NIB went to another business meanwhile", async () => {
    const business = await rejectedSignUp();
    const nib = uniqueNib();
    // Set up: the first resubmit gives it the NIB; rejected again (a rejected sign-up holds no NIB),
    // another business registers with it.
    const first = await resubmitBusiness(deps(), {
      actor: owner(business.id),
      patch: { nib },
      now: Date.now(),
    });
    expect(first.nib).toBe(nib);
    await reviewBusiness(deps(), {
      id: business.id,
      decision: "reject",
      reason: "Lagi",
      officerId: "key_officer",
      now: Date.now() + 1,
    });
    await seedBusiness(industryBody({ email: uniqueEmail("holder"), nib }));
    expect(await refusal(resubmitBusiness(deps(), { actor: owner(business.id), now: Date.now() + 2 }))).toBe(
      "nib_taken",
    );
    expect((await getBusiness(deps(), { id: business.id })).status).toBe("rejected");
  });
});
