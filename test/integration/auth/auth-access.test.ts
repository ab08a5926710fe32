import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { officers } from "../../../schema";
import { app } from "../../../src/app";
import {
  ACCESS_JWT_HEADER,
  accessConfig,
  createAccessJwtResolver,
} from "../../../src/auth/access-jwt.resolver";
import { resolvePrincipal } from "../../../src/auth/principal";
import { newId } from "../../../src/lib/ids";
import { deps, expectProblem, industryBody, seedBusiness } from "../helpers";

const TEAM = "kemitraan-test.cloudflareaccess.com";
const ISSUER = `https://${TEAM}`;
const AUD = "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2";
const accessEnv = { ...env, ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD };

let privateKey: CryptoKey;
let jwks: { keys: JsonWebKey[] };
let otherKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  privateKey = pair.privateKey;
  const jwk = await exportJWK(pair.publicKey);
  jwks = { keys: [{ ...jwk, kid: "test-kid", alg: "RS256", use: "sig" } as JsonWebKey] };
  otherKey = (await generateKeyPair("RS256")).privateKey;
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function token(
  claims: JWTPayload & { email?: string } = {},
  options: { key?: CryptoKey; issuer?: string; audience?: string; expiresIn?: string | number } = {},
): Promise<string> {
  return new SignJWT({ email: "officer@mojokertokota.go.id", type: "app", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: "test-kid" })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUD)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "10m")
    .sign(options.key ?? privateKey);
}

async function addOfficer(email: string, role: "officer" | "admin" = "officer", active = true) {
  const id = newId("ofc_");
  await deps().db.insert(officers).values({ id, email, role, active, createdAt: Date.now() });
  return id;
}

const resolver = createAccessJwtResolver({ keySet: () => createLocalJWKSet(jwks as never) });

function resolve(jwt: string | null, e: Env = accessEnv) {
  const headers = new Headers(jwt ? { [ACCESS_JWT_HEADER]: jwt } : {});
  return resolvePrincipal([resolver], new Request("https://kemitraan.test/v1/businesses", { headers }), e);
}

describe("Cloudflare Access settings", () => {
  it("is off unless both the team domain and the audience are set", () => {
    expect(accessConfig({ ACCESS_TEAM_DOMAIN: "", ACCESS_AUD: AUD })).toBeNull();
    expect(accessConfig({ ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: " " })).toBeNull();
  });

  it("takes the team domain with or without a scheme and derives issuer and certs URL", () => {
    for (const domain of [TEAM, `${ISSUER}/`]) {
      const config = accessConfig({ ACCESS_TEAM_DOMAIN: domain, ACCESS_AUD: AUD });
      expect(config?.issuer).toBe(ISSUER);
      expect(config?.certsUrl.href).toBe(`${ISSUER}/cdn-cgi/access/certs`);
    }
  });

  it("ignores the header when Access is not configured, so it cannot be forged", async () => {
    await addOfficer("ignored@mojokertokota.go.id");
    const result = await resolve(await token({ email: "ignored@mojokertokota.go.id" }), {
      ...env,
      ACCESS_TEAM_DOMAIN: "",
      ACCESS_AUD: "",
    });
    expect(result.status).toBe("none");
  });
});

describe("Access JWT resolver", () => {
  it("signs in a registered officer with a valid token, with the officer's role", async () => {
    const id = await addOfficer("kepala@mojokertokota.go.id", "admin");
    const result = await resolve(await token({ email: "Kepala@Mojokertokota.go.id" }));
    expect(result).toEqual({ status: "ok", principal: { kind: "officer", id, role: "admin" } });
  });

  it("passes when no header is sent", async () => {
    expect((await resolve(null)).status).toBe("none");
  });

  it.each([
    ["the wrong audience", () => token({}, { audience: "another-app" })],
    ["the wrong issuer", () => token({}, { issuer: "https://evil.cloudflareaccess.com" })],
    ["an expired token", () => token({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 })],
    ["a signature by another key", () => token({}, { key: otherKey })],
    ["garbage", async () => "not.a.jwt"],
  ])("refuses %s as invalid (401)", async (_label, make) => {
    await addOfficer(`refused-${crypto.randomUUID()}@mojokertokota.go.id`);
    const result = await resolve(await make());
    expect(result.status).toBe("invalid");
  });

  it("forbids a valid token whose email is not a registered officer (403)", async () => {
    const result = await resolve(await token({ email: "stranger@example.com" }));
    expect(result).toMatchObject({ status: "forbidden" });
  });

  it("forbids a deactivated officer", async () => {
    await addOfficer("former@mojokertokota.go.id", "officer", false);
    expect((await resolve(await token({ email: "former@mojokertokota.go.id" }))).status).toBe("forbidden");
  });

  it("forbids a service token without an email", async () => {
    const result = await resolve(await token({ email: undefined, common_name: "ci.access" }));
    expect(result.status).toBe("forbidden");
  });
});

describe("Access sign-in through the Worker", () => {
  let certsFetched = 0;

  async function fetchWithAccess(
    jwt: string,
    request: { path?: string; method?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    // The production resolver fetches the team's keys from the certs URL: serve them locally.
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url !== `${ISSUER}/cdn-cgi/access/certs`) return realFetch(input, init);
      certsFetched += 1;
      return Response.json(jwks);
    });
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request(`https://kemitraan.test${request.path ?? "/v1/businesses"}`, {
        method: request.method ?? "GET",
        headers: { ...request.headers, [ACCESS_JWT_HEADER]: jwt },
      }),
      accessEnv,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return res;
  }

  it("lets a registered officer list the registry", async () => {
    await addOfficer("petugas@mojokertokota.go.id");
    const res = await fetchWithAccess(await token({ email: "petugas@mojokertokota.go.id" }));
    expect(res.status).toBe(200);
  });

  it("answers 403 for an unknown email and 401 for a bad token", async () => {
    await expectProblem(
      await fetchWithAccess(await token({ email: "nobody@example.com" })),
      403,
      "forbidden",
    );
    await expectProblem(
      await fetchWithAccess(await token({}, { audience: "another-app" })),
      401,
      "unauthorized",
    );
  });

  it("fetches the team's keys at most once per isolate and reuses them", async () => {
    await addOfficer("cache@mojokertokota.go.id");
    for (let i = 0; i < 3; i++) {
      expect((await fetchWithAccess(await token({ email: "cache@mojokertokota.go.id" }))).status).toBe(200);
    }
    expect(certsFetched).toBe(1);
  });

  describe("a state-changing request must come from this site (the Access cookie rides along cross-site)", () => {
    async function activeOf(id: string): Promise<unknown> {
      return (await env.DB.prepare("SELECT active FROM businesses WHERE id = ?").bind(id).first())?.active;
    }

    async function target(): Promise<{ jwt: string; id: string }> {
      const email = `csrf-${crypto.randomUUID()}@mojokertokota.go.id`;
      await addOfficer(email);
      const { business } = await seedBusiness(industryBody({ name: `Access CSRF ${Date.now()}` }));
      return { jwt: await token({ email }), id: business.id };
    }

    it.each([
      [
        "another site (Sec-Fetch-Site and Origin)",
        { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" },
      ],
      ["another origin (Origin only)", { Origin: "https://evil.example" }],
      [
        "a sibling subdomain (same site)",
        { "Sec-Fetch-Site": "same-site", Origin: "https://x.kemitraan.test" },
      ],
      ["nowhere it says", {}],
    ])("refuses a forged POST from %s with 403 and changes nothing", async (_label, headers) => {
      const { jwt, id } = await target();
      const res = await fetchWithAccess(jwt, {
        path: `/v1/businesses/${id}/deactivate`,
        method: "POST",
        headers,
      });
      const problem = await expectProblem(res, 403, "forbidden");
      expect(problem.detail).toMatch(/own pages/);
      expect(await activeOf(id)).toBe(1);
    });

    it.each([
      ["Sec-Fetch-Site: same-origin", { "Sec-Fetch-Site": "same-origin", Origin: "https://kemitraan.test" }],
      ["an Origin equal to ours", { Origin: "https://kemitraan.test" }],
    ])("lets the officer's own page act (%s)", async (_label, headers) => {
      const { jwt, id } = await target();
      const res = await fetchWithAccess(jwt, {
        path: `/v1/businesses/${id}/deactivate`,
        method: "POST",
        headers,
      });
      expect(res.status).toBe(200);
      expect(await activeOf(id)).toBe(0);
    });

    it("still serves reads from anywhere (a GET changes nothing)", async () => {
      const { jwt, id } = await target();
      const res = await fetchWithAccess(jwt, {
        path: `/v1/businesses/${id}`,
        headers: { "Sec-Fetch-Site": "cross-site" },
      });
      expect(res.status).toBe(200);
    });
  });
});
