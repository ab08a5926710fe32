import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { idempotencyKeys } from "../../schema";
import { createDb } from "../../src/db";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  IDEMPOTENCY_TTL_MS,
  IN_FLIGHT_LEASE_MS,
} from "../../src/services/idempotency.service";
import { call, expectProblem, industryBody, officerKey, serviceBody } from "./helpers";

const db = () => createDb(env.DB);

/** The officer id behind an officer key (its prefix is characters 4-11). */
async function officerIdOf(key: string): Promise<string> {
  const row = await env.DB.prepare("SELECT id FROM api_keys WHERE prefix = ?")
    .bind(key.slice(4, 12))
    .first<{ id: string }>();
  if (!row) throw new Error("unknown key");
  return row.id;
}

async function businessCount(name: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM businesses WHERE name = ?").bind(name).first<{
    n: number;
  }>();
  return row?.n ?? 0;
}

function create(key: string, idem: string | undefined, body: Record<string, unknown>) {
  return call("/v1/businesses", {
    key,
    body,
    headers: idem === undefined ? {} : { "Idempotency-Key": idem },
  });
}

describe("Idempotency-Key on creating POSTs", () => {
  it("replays the first response to a repeat and creates nothing more", async () => {
    const officer = await officerKey();
    const body = industryBody({ name: "Idem Replay" });
    const first = await create(officer, "replay-1", body);
    expect(first.status).toBe(201);
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    const firstBody = (await first.json()) as { business: { id: string }; apiKey: string };

    const again = await create(officer, "replay-1", body);
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(again.headers.get("Content-Type")).toContain("application/json");
    expect(again.headers.get("X-Request-Id")).not.toBe(first.headers.get("X-Request-Id"));
    expect(again.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(await again.json()).toEqual(firstBody);
    expect(await businessCount("Idem Replay")).toBe(1);
  });

  it("stores the replayed body encrypted and the key only as a hash", async () => {
    const officer = await officerKey();
    const res = await create(officer, "secret-at-rest", industryBody({ name: "Idem At Rest" }));
    const { apiKey, business } = (await res.json()) as { apiKey: string; business: { id: string } };
    const rows = await db().select().from(idempotencyKeys);
    // Only the ids of the businesses a response names are in clear (erasure looks them up).
    const dump = JSON.stringify(rows.map(({ businessIds: _, ...row }) => row));
    expect(dump).not.toContain(apiKey);
    expect(dump).not.toContain(business.id);
    expect(dump).not.toContain("secret-at-rest");
    expect(dump).not.toContain("Idem At Rest");
    expect(rows.find((r) => r.businessIds?.includes(business.id))?.businessIds).toEqual([business.id]);
  });

  it("answers 422 idempotency_key_reused for the same key with a different body, and keeps the first", async () => {
    const officer = await officerKey();
    expect((await create(officer, "reuse-1", industryBody({ name: "Idem First" }))).status).toBe(201);
    const res = await create(officer, "reuse-1", industryBody({ name: "Idem Second" }));
    await expectProblem(res, 422, "idempotency_key_reused");
    expect(await businessCount("Idem Second")).toBe(0);
    // The first request still replays.
    const replay = await create(officer, "reuse-1", industryBody({ name: "Idem First" }));
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
  });

  it("answers 422 for the same key on another path", async () => {
    const officer = await officerKey();
    expect((await create(officer, "path-1", industryBody({ name: "Idem Path" }))).status).toBe(201);
    const res = await call("/v1/signup", {
      body: industryBody({ name: "Idem Path" }),
      key: officer,
      headers: { "Idempotency-Key": "path-1" },
    });
    await expectProblem(res, 422, "idempotency_key_reused");
  });

  it("answers 409 with Retry-After while the first request with the key is in flight", async () => {
    const officer = await officerKey();
    const body = industryBody({ name: "Idem In Flight" });
    const me = await call("/v1/businesses?limit=1", { key: officer });
    expect(me.status).toBe(200);
    // Claim the key as the request would, without finishing it.
    const officerId = await officerIdOf(officer);
    const claim = await claimIdempotencyKey(
      { db: db() },
      {
        principal: `officer:${officerId}`,
        key: "inflight-1",
        method: "POST",
        path: "/v1/businesses",
        body: JSON.stringify(body),
        now: Date.now(),
      },
    );
    expect(claim.outcome).toBe("claimed");
    const res = await create(officer, "inflight-1", body);
    await expectProblem(res, 409, "idempotency_key_in_flight");
    expect(res.headers.get("Retry-After")).toBe("1");
    expect(await businessCount("Idem In Flight")).toBe(0);
  });

  it("takes over a claim abandoned for longer than the lease (its request died before completing)", async () => {
    const officer = await officerKey();
    const body = industryBody({ name: "Idem Abandoned" });
    const claim = await claimIdempotencyKey(
      { db: db() },
      {
        principal: `officer:${await officerIdOf(officer)}`,
        key: "abandoned-1",
        method: "POST",
        path: "/v1/businesses",
        body: JSON.stringify(body),
        now: Date.now() - IN_FLIGHT_LEASE_MS - 1000,
      },
    );
    expect(claim.outcome).toBe("claimed");
    const res = await create(officer, "abandoned-1", body);
    expect(res.status).toBe(201);
    expect(res.headers.get("Idempotent-Replayed")).toBeNull();
    const again = await create(officer, "abandoned-1", body);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await businessCount("Idem Abandoned")).toBe(1);
  });

  it("lets exactly one of several concurrent duplicates create the resource", async () => {
    const officer = await officerKey();
    const body = industryBody({ name: "Idem Concurrent" });
    const responses = await Promise.all(Array.from({ length: 6 }, () => create(officer, "race-1", body)));
    const statuses = responses.map((r) => r.status);
    const originals = responses.filter((r) => r.status === 201 && !r.headers.get("Idempotent-Replayed"));
    expect(originals).toHaveLength(1);
    for (const s of statuses) expect([201, 409]).toContain(s);
    for (const r of responses.filter((x) => x.status === 409)) {
      await expectProblem(r, 409, "idempotency_key_in_flight");
    }
    expect(await businessCount("Idem Concurrent")).toBe(1);
  });

  it("keeps nothing for a rejected request, so the fixed request may reuse the key", async () => {
    const officer = await officerKey();
    const bad = await create(officer, "fix-me", industryBody({ name: "Idem Fixed", sector: "nope" }));
    await expectProblem(bad, 422, "validation_failed");
    const fixed = await create(officer, "fix-me", industryBody({ name: "Idem Fixed" }));
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get("Idempotent-Replayed")).toBeNull();
  });

  it("scopes keys to the caller: another officer's same key and body creates its own", async () => {
    const [a, b] = [await officerKey(), await officerKey()];
    const body = industryBody({ name: "Idem Scoped" });
    const first = (await (await create(a, "shared-key", body)).json()) as { business: { id: string } };
    const second = await create(b, "shared-key", body);
    expect(second.status).toBe(201);
    expect(second.headers.get("Idempotent-Replayed")).toBeNull();
    const other = (await second.json()) as { business: { id: string } };
    expect(other.business.id).not.toBe(first.business.id);
  });

  it("forgets a key after 24 hours", async () => {
    const officer = await officerKey();
    const body = serviceBody({ name: "Idem Expired" });
    const officerId = await officerIdOf(officer);
    const principal = `officer:${officerId}`;
    const old = Date.now() - IDEMPOTENCY_TTL_MS - 1000;
    const input = {
      principal,
      key: "old-key",
      method: "POST",
      path: "/v1/businesses",
      body: JSON.stringify(body),
    };
    const claim = await claimIdempotencyKey({ db: db() }, { ...input, now: old });
    if (claim.outcome !== "claimed") throw new Error("expected a claim");
    await completeIdempotencyKey(
      { db: db() },
      {
        principal,
        key: "old-key",
        claimToken: claim.claimToken,
        response: { status: 201, headers: { "content-type": "application/json" }, body: '{"stale":true}' },
        now: old,
      },
    );
    const res = await create(officer, "old-key", body);
    expect(res.status).toBe(201);
    expect(res.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await businessCount("Idem Expired")).toBe(1);
  });

  it("rejects a malformed key with 422 naming the header", async () => {
    const officer = await officerKey();
    const problem = await expectProblem(
      await create(officer, "has space", industryBody({ name: "Idem Bad Key" })),
      422,
      "validation_failed",
    );
    expect(problem.errors?.[0]?.path).toBe("Idempotency-Key");
    await expectProblem(await create(officer, "x".repeat(256), industryBody()), 422, "validation_failed");
  });

  it("replays an anonymous sign-up for the same client address", async () => {
    const body = serviceBody({ name: "Idem Signup", email: "idem-signup@example.id" });
    const headers = { "Idempotency-Key": "signup-1", "CF-Connecting-IP": "203.0.113.77" };
    const first = await call("/v1/signup", { body, headers });
    expect(first.status).toBe(201);
    const again = await call("/v1/signup", { body, headers });
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    expect(await businessCount("Idem Signup")).toBe(1);
  });

  it("is documented as a reusable header parameter on the creating routes", async () => {
    const doc = (await (await call("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { parameters?: Array<{ $ref?: string; name?: string }> }>>;
      components: { parameters?: Record<string, { name: string; in: string }> };
    };
    expect(doc.components.parameters?.IdempotencyKey).toMatchObject({
      name: "Idempotency-Key",
      in: "header",
    });
    for (const [path, method] of [
      ["/v1/businesses", "post"],
      ["/v1/signup", "post"],
      ["/v1/businesses/{id}/keys", "post"],
      ["/v1/officers", "post"],
      ["/v1/partnerships", "post"],
    ] as const) {
      const refs = (doc.paths[path]?.[method]?.parameters ?? []).map((p) => p.$ref);
      expect(refs, `${method} ${path}`).toContain("#/components/parameters/IdempotencyKey");
    }
  });
});
