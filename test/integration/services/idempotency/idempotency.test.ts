import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { idempotencyKeys } from "../../../../schema";
import { app } from "../../../../src/app";
import { createDb } from "../../../../src/db";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  IDEMPOTENCY_TTL_MS,
  IN_FLIGHT_LEASE_MS,
} from "../../../../src/services/idempotency/idempotency.service";
import { call, expectProblem, industryBody, officerKey, serviceBody } from "../../helpers";

const db = () => createDb(env.DB);
const deps = () => ({ db: db(), secret: env.IDEMPOTENCY_SECRET ?? "" });

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
    const first = await create(officer, "replay-000000010", body);
    expect(first.status).toBe(201);
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    const firstBody = (await first.json()) as { business: { id: string }; apiKey: string };

    const again = await create(officer, "replay-000000010", body);
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
    const res = await create(officer, "secret-at-rest-0001", industryBody({ name: "Idem At Rest" }));
    const { apiKey, business } = (await res.json()) as { apiKey: string; business: { id: string } };
    const rows = await db().select().from(idempotencyKeys);
    // Only the ids of the businesses a response names are in clear (erasure looks them up).
    const dump = JSON.stringify(rows.map(({ businessIds: _, ...row }) => row));
    expect(dump).not.toContain(apiKey);
    expect(dump).not.toContain(business.id);
    expect(dump).not.toContain("secret-at-rest-0001");
    expect(dump).not.toContain("Idem At Rest");
    expect(rows.find((r) => r.businessIds?.includes(business.id))?.businessIds).toEqual([business.id]);
  });

  it("answers 422 idempotency_key_reused for the same key with a different body, and keeps the first", async () => {
    const officer = await officerKey();
    expect((await create(officer, "reuse-0000000010", industryBody({ name: "Idem First" }))).status).toBe(
      201,
    );
    const res = await create(officer, "reuse-0000000010", industryBody({ name: "Idem Second" }));
    await expectProblem(res, 422, "idempotency_key_reused");
    expect(await businessCount("Idem Second")).toBe(0);
    // The first request still replays.
    const replay = await create(officer, "reuse-0000000010", industryBody({ name: "Idem First" }));
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
  });

  it("answers 422 for the same key on another path", async () => {
    const officer = await officerKey();
    expect((await create(officer, "path-00000000010", industryBody({ name: "Idem Path" }))).status).toBe(201);
    const res = await call("/v1/signup", {
      body: industryBody({ name: "Idem Path" }),
      key: officer,
      headers: { "Idempotency-Key": "path-00000000010" },
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
    const claim = await claimIdempotencyKey(deps(), {
      principal: `officer:${officerId}`,
      key: "inflight-0000010",
      method: "POST",
      path: "/v1/businesses",
      body: JSON.stringify(body),
      now: Date.now(),
    });
    expect(claim.outcome).toBe("claimed");
    const res = await create(officer, "inflight-0000010", body);
    await expectProblem(res, 409, "idempotency_key_in_flight");
    expect(res.headers.get("Retry-After")).toBe("1");
    expect(await businessCount("Idem In Flight")).toBe(0);
  });

  it("takes over a claim abandoned for longer than the lease (its request died before completing)", async () => {
    const officer = await officerKey();
    const body = industryBody({ name: "Idem Abandoned" });
    const claim = await claimIdempotencyKey(deps(), {
      principal: `officer:${await officerIdOf(officer)}`,
      key: "abandoned-000010",
      method: "POST",
      path: "/v1/businesses",
      body: JSON.stringify(body),
      now: Date.now() - IN_FLIGHT_LEASE_MS - 1000,
    });
    expect(claim.outcome).toBe("claimed");
    const res = await create(officer, "abandoned-000010", body);
    expect(res.status).toBe(201);
    expect(res.headers.get("Idempotent-Replayed")).toBeNull();
    const again = await create(officer, "abandoned-000010", body);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await businessCount("Idem Abandoned")).toBe(1);
  });

  it("lets exactly one of several concurrent duplicates create the resource", async () => {
    const officer = await officerKey();
    const body = industryBody({ name: "Idem Concurrent" });
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => create(officer, "race-00000000010", body)),
    );
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
    const bad = await create(
      officer,
      "fix-me-000000010",
      industryBody({ name: "Idem Fixed", sector: "nope" }),
    );
    await expectProblem(bad, 422, "validation_failed");
    const fixed = await create(officer, "fix-me-000000010", industryBody({ name: "Idem Fixed" }));
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get("Idempotent-Replayed")).toBeNull();
  });

  it("scopes keys to the caller: another officer's same key and body creates its own", async () => {
    const [a, b] = [await officerKey(), await officerKey()];
    const body = industryBody({ name: "Idem Scoped" });
    const first = (await (await create(a, "shared-key-00010", body)).json()) as { business: { id: string } };
    const second = await create(b, "shared-key-00010", body);
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
      key: "old-key-00000010",
      method: "POST",
      path: "/v1/businesses",
      body: JSON.stringify(body),
    };
    const claim = await claimIdempotencyKey(deps(), { ...input, now: old });
    if (claim.outcome !== "claimed") throw new Error("expected a claim");
    await completeIdempotencyKey(deps(), {
      principal,
      key: "old-key-00000010",
      claimToken: claim.claimToken,
      response: { status: 201, headers: { "content-type": "application/json" }, body: '{"stale":true}' },
      now: old,
    });
    const res = await create(officer, "old-key-00000010", body);
    expect(res.status).toBe(201);
    expect(res.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await businessCount("Idem Expired")).toBe(1);
  });

  it("keeps a stored response unreadable to whoever holds a copy of the row and the client's key", async () => {
    const officer = await officerKey();
    const idem = "3f1c9a7e-copy-of-the-database";
    const res = await create(officer, idem, industryBody({ name: "Idem Stolen Row" }));
    expect(res.status).toBe(201);
    const { apiKey } = (await res.json()) as { apiKey: string };
    const principal = `officer:${await officerIdOf(officer)}`;
    const row = await env.DB.prepare("SELECT body, body_iv FROM idempotency_keys WHERE principal = ?")
      .bind(principal)
      .first<{ body: string; body_iv: string }>();
    if (!row) throw new Error("no stored response");
    const bytes = (b64: string) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const enc = new TextEncoder();
    const open = async (key: CryptoKey) =>
      new TextDecoder().decode(
        await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes(row.body_iv) }, key, bytes(row.body)),
      );
    const hkdf = async (secret: string) =>
      crypto.subtle.deriveKey(
        {
          name: "HKDF",
          hash: "SHA-256",
          salt: enc.encode("kemitraan/idempotency-body/v1"),
          info: enc.encode(`${principal}\n${idem}`),
        },
        await crypto.subtle.importKey("raw", enc.encode(secret), "HKDF", false, ["deriveKey"]),
        { name: "AES-GCM", length: 256 },
        false,
        ["decrypt"],
      );
    // What an attacker with the row can compute: the key from the caller and the client's key alone
    // (how responses were once stored), or from a guessed secret.
    const withoutSecret = await crypto.subtle.importKey(
      "raw",
      await crypto.subtle.digest("SHA-256", enc.encode(`idempotency-body\n${principal}\n${idem}`)),
      "AES-GCM",
      false,
      ["decrypt"],
    );
    await expect(open(withoutSecret)).rejects.toThrow();
    await expect(open(await hkdf("a guessed secret"))).rejects.toThrow();
    // The server, with its secret, reads it (and it held the minted key).
    expect(await open(await hkdf(env.IDEMPOTENCY_SECRET ?? ""))).toContain(apiKey);
  });

  it("answers a response stored under another secret with 409, not a 500 or a second write", async () => {
    const officer = await officerKey();
    const body = industryBody({ name: "Idem Rotated" });
    const idem = "rotated-secret-00000001";
    expect((await create(officer, idem, body)).status).toBe(201);
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request("https://kemitraan.test/v1/businesses", {
        method: "POST",
        headers: {
          Authorization: `Bearer ${officer}`,
          "Content-Type": "application/json",
          "Idempotency-Key": idem,
        },
        body: JSON.stringify(body),
      }),
      { ...env, IDEMPOTENCY_SECRET: "a rotated secret" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    await expectProblem(res, 409, "idempotency_key_unreadable");
    expect(await businessCount("Idem Rotated")).toBe(1);
  });

  it("refuses idempotent requests (503) rather than store a response without the server's secret", async () => {
    const officer = await officerKey();
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request("https://kemitraan.test/v1/businesses", {
        method: "POST",
        headers: {
          Authorization: `Bearer ${officer}`,
          "Content-Type": "application/json",
          "Idempotency-Key": "no-secret-0000000001",
        },
        body: JSON.stringify(industryBody({ name: "Idem No Secret" })),
      }),
      { ...env, IDEMPOTENCY_SECRET: "" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const problem = await expectProblem(res, 503, "not_configured");
    expect(problem.detail).toMatch(/IDEMPOTENCY_SECRET/);
    expect(await businessCount("Idem No Secret")).toBe(0);
  });

  it("refuses keys shorter than 16 characters with a 422 saying so, and creates nothing", async () => {
    const officer = await officerKey();
    for (const short of ["a", "k", "order-12345678", "x".repeat(15)]) {
      const problem = await expectProblem(
        await create(officer, short, industryBody({ name: "Idem Short Key" })),
        422,
        "validation_failed",
      );
      expect(problem.errors).toEqual([
        { path: "Idempotency-Key", message: "Too short: use at least 16 characters, e.g. a random UUID." },
      ]);
    }
    expect(await businessCount("Idem Short Key")).toBe(0);
    expect((await create(officer, "x".repeat(16), industryBody({ name: "Idem Short Key" }))).status).toBe(
      201,
    );
  });

  it("rejects a malformed key with 422 naming the header", async () => {
    const officer = await officerKey();
    const problem = await expectProblem(
      await create(officer, "has space in the key", industryBody({ name: "Idem Bad Key" })),
      422,
      "validation_failed",
    );
    expect(problem.errors?.[0]?.path).toBe("Idempotency-Key");
    await expectProblem(await create(officer, "x".repeat(256), industryBody()), 422, "validation_failed");
  });

  it("replays an anonymous sign-up for the same client address", async () => {
    const body = serviceBody({ name: "Idem Signup", email: "idem-signup@example.id" });
    const headers = { "Idempotency-Key": "signup-000000010", "CF-Connecting-IP": "203.0.113.77" };
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
