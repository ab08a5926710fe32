import { exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BODY_LIMIT_BYTES } from "../../../src/app";
import { snapshot } from "../db-snapshot";
import { industryBody, seedBusiness } from "../helpers";
import { ConsoleClient, officerClient } from "./console.helpers";

/**
 * What the console answers to requests no browser form sends: each a 4xx HTML page with its own
 * status (never a 500, never problem+json), and nothing written.
 */

afterEach(() => {
  vi.restoreAllMocks();
});

async function expectPage(res: Response, status: number, code: string): Promise<string> {
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(status);
  expect(res.headers.get("Content-Type")).toContain("text/html");
  expect(res.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
  expect(text).toContain(`data-code="${code}"`);
  return text;
}

/** A same-origin POST with the client's cookies and a raw body. */
function rawPost(client: ConsoleClient, path: string, body: BodyInit, contentType: string | null) {
  const headers: Record<string, string> = {
    Cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
    "Sec-Fetch-Site": "same-origin",
    Origin: client.origin,
  };
  if (contentType) headers["Content-Type"] = contentType;
  return exports.default.fetch(
    new Request(new URL(path, client.origin), { method: "POST", headers, body, redirect: "manual" }),
  );
}

describe("console: requests no form sends", () => {
  it("a body over the limit is a 413 page, the database untouched", async () => {
    const client = await officerClient();
    const before = await snapshot();
    const big = new URLSearchParams({ _csrf: client.csrf(), reason: "x".repeat(BODY_LIMIT_BYTES + 10) });
    const { business } = await seedBusiness(industryBody({ name: "Terlalu Besar" }));
    const afterSeed = await snapshot();
    expect(afterSeed).not.toEqual(before);
    const res = await rawPost(
      client,
      `/ui/queue/businesses/${business.id}/reject`,
      big.toString(),
      "application/x-www-form-urlencoded",
    );
    await expectPage(res, 413, "payload_too_large");
    expect(await snapshot()).toEqual(afterSeed);
    const logout = await rawPost(client, "/ui/logout", "x".repeat(BODY_LIMIT_BYTES + 1), "text/plain");
    await expectPage(logout, 413, "payload_too_large");
  });

  it("a body that is not a form is a 415 page; a broken multipart body a 400 page", async () => {
    const client = await officerClient();
    const before = await snapshot();
    await expectPage(
      await rawPost(client, "/ui/logout", JSON.stringify({ _csrf: client.csrf() }), "application/json"),
      415,
      "unsupported_media_type",
    );
    await expectPage(
      await rawPost(client, "/ui/logout", "not multipart at all", "multipart/form-data; boundary=x"),
      400,
      "malformed_form",
    );
    // The session survived both: the queue still opens.
    expect((await client.get("/ui/queue")).status).toBe(200);
    expect(await snapshot()).toEqual(before);
  });

  it("a POST without any body is refused for its missing form token (403)", async () => {
    const client = new ConsoleClient();
    await client.get("/ui/login");
    const res = await exports.default.fetch(
      new Request("http://localhost/ui/logout", {
        method: "POST",
        headers: { "Sec-Fetch-Site": "same-origin" },
      }),
    );
    await expectPage(res, 403, "csrf_failed");
  });

  it("a method a page does not take is a 405 page with Allow; an unknown page stays a 404", async () => {
    const client = await officerClient();
    expect((await client.get("/ui/businesses")).status).toBe(200);
    const res = await exports.default.fetch(
      new Request("http://localhost/ui/businesses", { method: "PATCH", body: "x" }),
    );
    await expectPage(res, 405, "method_not_allowed");
    expect(res.headers.get("Allow")).toBe("GET, HEAD");
    const get = await exports.default.fetch(new Request("http://localhost/ui/logout"));
    await expectPage(get, 405, "method_not_allowed");
    expect(get.headers.get("Allow")).toBe("POST");
    const action = await exports.default.fetch(
      new Request("http://localhost/ui/me/partnerships/pts_x/accept", { method: "DELETE" }),
    );
    expect(action.status).toBe(405);
    const unknownAction = await exports.default.fetch(
      new Request("http://localhost/ui/me/partnerships/pts_x/explode", { method: "DELETE" }),
    );
    await expectPage(unknownAction, 404, "not_found");
  });
});
