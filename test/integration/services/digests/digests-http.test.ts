import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MemoryMailer } from "../../../../src/email/mailer";
import { createOfficer } from "../../../../src/services/accounts/officers.service";
import {
  getDigestPreferences,
  setDigestPreferences,
} from "../../../../src/services/digests/digest-preferences.service";
import { unsubscribeUrl } from "../../../../src/services/digests/digest-unsubscribe.service";
import { call, deps, expectProblem, industryBody, officerKey, seedBusiness } from "../../helpers";

/** Every notification switch on: the default the JSON has carried since notifications were added. */
const ALL_ON = {
  signUpDecision: true,
  incomingRequest: true,
  requestAnswered: true,
  officerDecision: true,
  requestExpired: true,
  officerSummary: true,
  forumAgenda: true,
  procurementOpportunity: true,
};

import {
  digestDeps,
  monday,
  outboxOf,
  runUntilIdle,
  SIGNING_KEY,
  seedMatchedPair,
  uniqueEmail,
} from "./digests.helpers";

const config = { baseUrl: "https://kemitraan.test", signingKey: SIGNING_KEY, chunkSize: 25 };

/** The path and query of an absolute unsubscribe URL, for `call`. */
function pathOf(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}

async function prefsRow(recipient: string) {
  return env.DB.prepare("select cadence, unsubscribed_at from digest_preferences where recipient = ?")
    .bind(recipient)
    .first<{ cadence: string; unsubscribed_at: number | null }>();
}

describe("one-click unsubscribe", () => {
  it("puts a signed https link in List-Unsubscribe, with List-Unsubscribe-Post for one click", async () => {
    const { maker } = await seedMatchedPair();
    const mailer = new MemoryMailer();
    await runUntilIdle(digestDeps(mailer), monday(20));
    const message = mailer.sent.find((m) => m.to === maker.email);
    const link = await unsubscribeUrl(config, `business:${maker.id}`);
    expect(link).toMatch(
      /^https:\/\/kemitraan\.test\/v1\/digests\/unsubscribe\?r=business%3Abiz_\w+&sig=[\w-]{43}$/,
    );
    expect(message?.headers).toEqual({
      "List-Unsubscribe": `<${link}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    expect(message?.text).toContain(link);
    expect(message?.html).toContain(link.replace(/&/g, "&amp;"));
  });

  it("shows a confirm page on GET and changes nothing (scanners prefetch links)", async () => {
    const { business } = await seedBusiness(industryBody({ email: uniqueEmail("get") }));
    const link = await unsubscribeUrl(config, `business:${business.id}`);
    const res = await call(pathOf(link));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    expect(res.headers.get("Content-Security-Policy")).toContain("form-action 'self'");
    const page = await res.text();
    expect(page).toContain('<form method="post"');
    expect(page).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(page).not.toMatch(/<script/i);
    expect(await prefsRow(`business:${business.id}`)).toBeNull();
  });

  it("unsubscribes on the RFC 8058 POST, idempotently, and no digest follows", async () => {
    const { maker } = await seedMatchedPair();
    const recipient = `business:${maker.id}` as const;
    const link = await unsubscribeUrl(config, recipient);
    const post = () =>
      call(pathOf(link), {
        method: "POST",
        rawBody: "List-Unsubscribe=One-Click",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });
    const res = await post();
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("sudah berhenti berlangganan");
    const first = await prefsRow(recipient);
    expect(first?.cadence).toBe("off");
    expect(first?.unsubscribed_at).toBeGreaterThan(0);
    expect((await post()).status).toBe(200);
    expect((await prefsRow(recipient))?.unsubscribed_at).toBe(first?.unsubscribed_at);

    const mailer = new MemoryMailer();
    await runUntilIdle(digestDeps(mailer), monday(21));
    expect(mailer.sent.filter((m) => m.to === maker.email)).toEqual([]);
    expect(await outboxOf(recipient)).toEqual([]);
  });

  it("rejects a tampered or borrowed signature with 403, on GET and POST", async () => {
    const a = await seedBusiness(industryBody({ email: uniqueEmail("a") }));
    const b = await seedBusiness(industryBody({ email: uniqueEmail("b") }));
    const link = new URL(await unsubscribeUrl(config, `business:${a.business.id}`));
    const sig = link.searchParams.get("sig") ?? "";
    // The first character: the last one of a base64url HMAC carries 2 padding bits, so changing it
    // can decode to the same bytes (a flaky "tampered" signature that still verifies).
    const flipped = `${sig.startsWith("A") ? "B" : "A"}${sig.slice(1)}`;
    const cases = [
      `r=${encodeURIComponent(`business:${a.business.id}`)}&sig=${flipped}`,
      // A's signature on B's id.
      `r=${encodeURIComponent(`business:${b.business.id}`)}&sig=${sig}`,
      // Not a recipient at all.
      `r=${encodeURIComponent(`admin:${a.business.id}`)}&sig=${sig}`,
    ];
    for (const query of cases) {
      await expectProblem(await call(`/v1/digests/unsubscribe?${query}`), 403, "invalid_signature");
      await expectProblem(
        await call(`/v1/digests/unsubscribe?${query}`, {
          method: "POST",
          rawBody: "List-Unsubscribe=One-Click",
        }),
        403,
        "invalid_signature",
      );
    }
    await expectProblem(await call(`/v1/digests/unsubscribe?r=business%3Ax`), 422, "validation_failed");
    expect(await prefsRow(`business:${a.business.id}`)).toBeNull();
    expect(await prefsRow(`business:${b.business.id}`)).toBeNull();
  });
});

describe("digest preferences", () => {
  it("lets a business read and set its own cadence and language; choosing a cadence again opts back in", async () => {
    const { business, apiKey } = await seedBusiness(industryBody({ email: uniqueEmail("prefs") }));
    const get = await call("/v1/me/digest-preferences", { key: apiKey });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({
      cadence: "weekly",
      language: "id",
      unsubscribedAt: null,
      notifications: ALL_ON,
    });

    const put = await call("/v1/me/digest-preferences", {
      key: apiKey,
      method: "PUT",
      body: { cadence: "monthly", language: "en" },
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({
      cadence: "monthly",
      language: "en",
      unsubscribedAt: null,
      notifications: ALL_ON,
    });

    const link = await unsubscribeUrl(config, `business:${business.id}`);
    await call(pathOf(link), { method: "POST", rawBody: "List-Unsubscribe=One-Click" });
    const off = (await (await call("/v1/me/digest-preferences", { key: apiKey })).json()) as {
      cadence: string;
      unsubscribedAt: string | null;
    };
    expect(off.cadence).toBe("off");
    expect(off.unsubscribedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const back = await call("/v1/me/digest-preferences", {
      key: apiKey,
      method: "PUT",
      body: { cadence: "weekly" },
    });
    expect(await back.json()).toEqual({
      cadence: "weekly",
      language: "en",
      unsubscribedAt: null,
      notifications: ALL_ON,
    });
  });

  it("rejects empty or unknown settings and anonymous callers", async () => {
    const { apiKey } = await seedBusiness(industryBody({ email: uniqueEmail("bad") }));
    await expectProblem(
      await call("/v1/me/digest-preferences", { key: apiKey, method: "PUT", body: {} }),
      422,
    );
    const daily = await expectProblem(
      await call("/v1/me/digest-preferences", { key: apiKey, method: "PUT", body: { cadence: "daily" } }),
      422,
    );
    expect(daily.errors?.map((e) => e.path)).toEqual(["cadence"]);
    await expectProblem(
      await call("/v1/me/digest-preferences", { key: apiKey, method: "PUT", body: { cadence: "off", x: 1 } }),
      422,
    );
    await expectProblem(await call("/v1/me/digest-preferences"), 401);
  });

  it("gives officers their own preferences when they have an officer account; an officer key alone is 404", async () => {
    await expectProblem(
      await call("/v1/me/digest-preferences", { key: await officerKey() }),
      404,
      "not_found",
    );
    const { officer } = await createOfficer(deps(), {
      email: uniqueEmail("ofc"),
      role: "officer",
      actor: { kind: "officer", id: "ofc_test_admin", role: "admin" },
      now: Date.now(),
    });
    const recipient = `officer:${officer.id}` as const;
    expect(await getDigestPreferences(deps(), { recipient })).toEqual({
      cadence: "weekly",
      language: "id",
      unsubscribedAt: null,
    });
    expect(await setDigestPreferences(deps(), { recipient, language: "en", now: Date.now() })).toMatchObject({
      language: "en",
    });
    await expect(
      setDigestPreferences(deps(), { recipient: "officer:ofc_nobody", cadence: "off", now: Date.now() }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
