import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { reactivateBusiness } from "../../../../src/services/businesses/activation.service";
import { call, deps, industryBody, officerKey, seedBusiness } from "../../helpers";

async function auditActions(id: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "select action from audit_log where entity_type = 'business' and entity_id = ? order by id",
  )
    .bind(id)
    .all<{ action: string }>();
  return results.map((r) => r.action);
}

describe("reactivating a business", () => {
  it("puts a deactivated business back, audited once; a repeat changes nothing", async () => {
    const m = await seedBusiness(industryBody({ email: "react@example.id", name: "UD Reaktif" }));
    const key = await officerKey();
    const off = await call(`/v1/businesses/${m.business.id}/deactivate`, { key, method: "POST" });
    expect(((await off.json()) as { active: boolean }).active).toBe(false);
    const on = await call(`/v1/businesses/${m.business.id}/reactivate`, { key, method: "POST" });
    expect(on.status).toBe(200);
    expect(((await on.json()) as { active: boolean }).active).toBe(true);
    const again = await reactivateBusiness(deps(), {
      id: m.business.id,
      now: Date.now(),
      actor: { kind: "officer", id: "key_test" },
    });
    expect(again.active).toBe(true);
    expect(await auditActions(m.business.id)).toEqual(["create", "deactivate", "reactivate"]);
  });

  it("is for officers only: the business itself gets 403", async () => {
    const m = await seedBusiness(industryBody({ email: "react2@example.id", name: "UD Reaktif 2" }));
    const res = await call(`/v1/businesses/${m.business.id}/reactivate`, { key: m.apiKey, method: "POST" });
    expect(res.status).toBe(403);
  });
});
