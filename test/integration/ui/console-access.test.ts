import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { officers } from "../../../schema";
import { app } from "../../../src/app";
import { ACCESS_JWT_HEADER } from "../../../src/auth/access-jwt.resolver";
import { newId } from "../../../src/lib/ids";
import { deps } from "../helpers";

/** Officers behind Cloudflare Access use the console with no extra sign-in step. */

const TEAM = "kemitraan-console.cloudflareaccess.com";
const ISSUER = `https://${TEAM}`;
const AUD = "c0ffee".repeat(10);
const accessEnv = { ...env, ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD };

let privateKey: CryptoKey;
let jwks: { keys: JsonWebKey[] };

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  privateKey = pair.privateKey;
  jwks = {
    keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" } as JsonWebKey],
  };
  await deps()
    .db.insert(officers)
    .values({
      id: newId("ofc_"),
      email: "konsol@mojokertokota.go.id",
      role: "officer",
      active: true,
      createdAt: Date.now(),
    });
});

afterEach(() => {
  vi.restoreAllMocks();
});

function token(email: string): Promise<string> {
  return new SignJWT({ email })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(ISSUER)
    .setAudience(AUD)
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(privateKey);
}

async function open(path: string, jwt: string, init: RequestInit = {}): Promise<Response> {
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, i) => {
    const url = input instanceof Request ? input.url : String(input);
    return url === `${ISSUER}/cdn-cgi/access/certs` ? Response.json(jwks) : realFetch(input, i);
  });
  const ctx = createExecutionContext();
  const headers = new Headers(init.headers);
  headers.set(ACCESS_JWT_HEADER, jwt);
  const res = await app.fetch(
    new Request(`https://kemitraan.test${path}`, { ...init, headers, redirect: "manual" }),
    accessEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

describe("console behind Cloudflare Access", () => {
  it("opens the queue and dashboard for a registered officer", async () => {
    const jwt = await token("konsol@mojokertokota.go.id");
    for (const path of ["/ui/queue", "/ui/dashboard"]) {
      const res = await open(path, jwt);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('href="/ui/queue"');
    }
  });

  it("shows an HTML 403 page (not problem+json) to an Access user who is not an officer", async () => {
    const res = await open("/ui/queue", await token("stranger@example.com"));
    expect(res.status).toBe(403);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    expect(res.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
  });

  it("signs an Access officer out through Access's logout", async () => {
    const jwt = await token("konsol@mojokertokota.go.id");
    const page = await open("/ui/queue", jwt);
    const html = await page.text();
    const csrf = /name="_csrf" value="([0-9a-f]{64})"/.exec(html)?.[1] ?? "";
    const secret = /__Host-kemitraan_csrf=([^;]+)/.exec(page.headers.get("Set-Cookie") ?? "")?.[1] ?? "";
    const res = await open("/ui/logout", jwt, {
      method: "POST",
      headers: {
        Cookie: `__Host-kemitraan_csrf=${secret}`,
        "Content-Type": "application/x-www-form-urlencoded",
        "Sec-Fetch-Site": "same-origin",
      },
      body: new URLSearchParams({ _csrf: csrf }),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/cdn-cgi/access/logout");
  });
});
