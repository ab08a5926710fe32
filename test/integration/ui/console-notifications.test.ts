import { describe, expect, it } from "vitest";
import { getEmailPreferences } from "../../../src/services/notifications/preferences";
import { deps, industryBody, seedBusiness } from "../helpers";
import { ownerClient } from "./console.helpers";

describe("owner email settings (/ui/me/notifikasi)", () => {
  it("is linked from the owner page, shows every switch on by default and saves unchecked ones as off", async () => {
    const { business } = await seedBusiness(industryBody({ email: "notify-owner@example.id" }));
    const owner = await ownerClient("notify-owner@example.id");
    await owner.get("/ui/me");
    expect(owner.lastHtml).toContain('href="/ui/me/notifikasi"');

    const page = await owner.get("/ui/me/notifikasi");
    expect(page.status).toBe(200);
    expect(owner.lastHtml).toContain("Permintaan kemitraan baru untuk usaha saya");
    // Seven switches: the forum agenda, and procurement opportunities (which shared "new requests" before).
    expect(owner.lastHtml.match(/type="checkbox"[^>]* checked/g)).toHaveLength(7);

    // The owner unticks "new requests" and "expired" and asks for a monthly digest.
    const saved = await owner.post("/ui/me/notifikasi", {
      cadence: "monthly",
      signUpDecision: "on",
      requestAnswered: "on",
      officerDecision: "on",
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("Location")).toBe("/ui/me/notifikasi?done=1");
    const prefs = await getEmailPreferences(deps(), { recipient: `business:${business.id}` });
    expect(prefs.cadence).toBe("monthly");
    expect(prefs.notifications).toEqual({
      signUpDecision: true,
      incomingRequest: false,
      requestAnswered: true,
      officerDecision: true,
      requestExpired: false,
      officerSummary: true,
      forumAgenda: false,
      procurementOpportunity: false,
    });
    await owner.get("/ui/me/notifikasi?done=1");
    expect(owner.lastHtml).toContain('role="status"');
    expect(owner.lastHtml.match(/type="checkbox"[^>]* checked/g)).toHaveLength(3);
    expect(owner.lastHtml).toMatch(/<option value="monthly" selected/);
  });

  it("refuses a form without its CSRF token and changes nothing", async () => {
    const { business } = await seedBusiness(industryBody({ email: "notify-csrf@example.id" }));
    const owner = await ownerClient("notify-csrf@example.id");
    await owner.get("/ui/me/notifikasi");
    const res = await owner.post("/ui/me/notifikasi", { cadence: "off" }, { csrf: null });
    expect(res.status).toBe(403);
    const prefs = await getEmailPreferences(deps(), { recipient: `business:${business.id}` });
    expect(prefs.cadence).toBe("weekly");
    expect(Object.values(prefs.notifications).every(Boolean)).toBe(true);
  });
});
