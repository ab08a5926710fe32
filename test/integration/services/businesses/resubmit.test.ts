import { describe, expect, it } from "vitest";
import { ApiError } from "../../../../src/errors";
import { reviewBusiness } from "../../../../src/services/businesses/businesses.service";
import { resubmitBusiness } from "../../../../src/services/businesses/resubmit.service";
import {
  call,
  confirmedSignUp,
  deps,
  industryBody,
  officerKey,
  seedBusiness,
  uniqueEmail,
  uniqueNib,
} from "../../helpers";

/** resubmitBusiness: a rejected sign-up, fixed by its owner, goes back to the officers. */

interface AuditRow {
  action: string;
  fromState: string | null;
  toState: string | null;
  actor: { kind: string; id: string };
  details: Record<string, unknown> | null;
}

async function auditOf(id: string): Promise<AuditRow[]> {
  const res = await call(`/v1/audit?entity=business&entityId=${id}`, { key: await officerKey() });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: AuditRow[] }).items;
}

const owner = (businessId: string) => ({ kind: "business" as const, businessId, keyId: null });

/** A confirmed sign-up (no NIB) that an officer rejected with a reason. */
async function rejectedSignUp(reason = "Mohon lengkapi NIB.") {
  const fields = {
    ...industryBody({ email: uniqueEmail("resubmit"), name: "UD Kerupuk Ditolak" }),
    nib: null,
    language: "id",
    maxPartners: 3,
    ekatalog: { listed: false },
  } as Parameters<typeof confirmedSignUp>[0];
  const business = await confirmedSignUp(fields);
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
    const pending = await confirmedSignUp({
      ...industryBody({ email: uniqueEmail("pending"), name: "UD Menunggu" }),
      nib: null,
      language: "id",
      maxPartners: 3,
      ekatalog: { listed: false },
    } as Parameters<typeof confirmedSignUp>[0]);
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
    const res = await call(`/v1/businesses/${pending.id}`, { key: await officerKey() });
    const row = (await res.json()) as { status: string; offers: string };
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
    const res = await call(`/v1/businesses/${business.id}`, { key: await officerKey() });
    expect(((await res.json()) as { status: string }).status).toBe("rejected");
  });
});
