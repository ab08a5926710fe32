import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../../../src/services/audit/audit.service";
import type { AuditNames } from "../../../src/services/audit/audit-names.service";
import { auditSentence } from "../../../src/ui/audit-text";
import { t } from "../../../src/ui/i18n";

const names: AuditNames = {
  business: new Map([
    ["biz_SARI", "Toko Sari"],
    ["biz_MIJI", "UD Miji"],
  ]),
  officer: new Map([["key_SITI", "Siti"]]),
  partnership: new Map([["ptn_1", ["Toko Sari", "UD Miji"]]]),
  proposal: new Map([["prp_1", ["Toko Sari", "UD Miji"]]]),
};

function entry(over: Partial<AuditEntry>): AuditEntry {
  return {
    id: 1,
    at: "2026-12-01T00:00:00.000Z",
    actor: { kind: "officer", id: "key_SITI" },
    entity: { type: "business", id: "biz_SARI" },
    action: "publish",
    fromState: "pending_review",
    toState: "published",
    details: null,
    ...over,
  };
}

describe("auditSentence", () => {
  it("says an officer's approval of a sign-up with names, in both languages", () => {
    expect(auditSentence(entry({}), "id", names)).toBe("Siti menerbitkan profil Toko Sari.");
    expect(auditSentence(entry({}), "en", names)).toBe("Siti published Toko Sari's profile.");
  });

  it("carries a reason, an outcome in words, and the fields edited", () => {
    const reject = entry({ action: "reject", details: { reason: "NIB tidak valid" } });
    expect(auditSentence(reject, "id", names)).toBe(
      "Siti menolak pendaftaran Toko Sari (alasan: NIB tidak valid).",
    );
    const end = entry({
      entity: { type: "partnership", id: "ptn_1" },
      action: "end",
      details: { outcome: "cooperation_started" },
    });
    expect(auditSentence(end, "id", names)).toBe(
      "Siti mengakhiri kemitraan Toko Sari dan UD Miji (hasil: Kerja sama dimulai).",
    );
    expect(auditSentence(end, "en", names)).toBe(
      "Siti ended the partnership of Toko Sari and UD Miji (outcome: Cooperation started).",
    );
    const update = entry({ action: "update", details: { fields: ["offers", "name"] } });
    expect(auditSentence(update, "id", names)).toBe("Siti mengubah profil Toko Sari (menawarkan, nama).");
  });

  it("names a declined pair's two businesses and a business or the system as the actor", () => {
    const decline = entry({
      actor: { kind: "business", id: "biz_SARI" },
      entity: { type: "declined_pair", id: "biz_MIJI:biz_SARI" },
      action: "decline",
    });
    expect(auditSentence(decline, "id", names)).toBe(
      "Toko Sari menyatakan tidak berminat bermitra: UD Miji dan Toko Sari.",
    );
    const expire = entry({
      actor: { kind: "system", id: "expire-requests" },
      entity: { type: "partnership", id: "ptn_1" },
      action: "expire",
    });
    expect(auditSentence(expire, "en", names)).toBe(
      "The partnership request of Toko Sari and UD Miji expired unanswered.",
    );
    const propose = entry({
      actor: { kind: "system", id: "propose-pairings" },
      entity: { type: "pairing_proposal", id: "prp_1" },
      action: "propose",
    });
    expect(auditSentence(propose, "id", names)).toBe("Sistem mengusulkan pasangan Toko Sari dan UD Miji.");
  });

  it("falls back to generic words for unknown ids and actions, never raw ids", () => {
    const unknown = entry({
      actor: { kind: "officer", id: "key_GONE" },
      entity: { type: "business", id: "biz_GONE" },
    });
    expect(auditSentence(unknown, "id", names)).toBe("Petugas menerbitkan profil sebuah usaha.");
    const odd = entry({ action: "teleport" });
    expect(auditSentence(odd, "en", names)).toBe("Siti: teleport (Toko Sari).");
  });

  it("has a template in both languages for every action the services write", () => {
    const keys = Object.keys(t("id").auditSentences).sort();
    expect(Object.keys(t("en").auditSentences).sort()).toEqual(keys);
    for (const action of [
      "business.publish",
      "business.reject",
      "business.update",
      "business.deactivate",
      "business.reactivate",
      "partnership.request",
      "partnership.create_pairing",
      "partnership.accept",
      "partnership.approve",
      "partnership.end",
      "pairing_proposal.propose",
      "pairing_proposal.publish",
      "pairing_proposal.discard",
      "declined_pair.reset",
    ]) {
      expect(keys).toContain(action);
    }
  });
});
