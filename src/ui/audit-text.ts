import type { Language } from "../domain/language";
import type { AuditEntry } from "../services/audit/audit.service";
import type { AuditNames } from "../services/audit/audit-names.service";
import { label, t } from "./i18n";

/** Names a sentence falls back on when an id resolves to nothing (a deleted row...). */
const EMPTY_NAMES: AuditNames = {
  business: new Map(),
  officer: new Map(),
  partnership: new Map(),
  proposal: new Map(),
};

function actorName(e: AuditEntry, names: AuditNames, lang: Language): string {
  const s = t(lang);
  switch (e.actor.kind) {
    case "officer":
      return names.officer.get(e.actor.id) ?? s.auditOfficer;
    case "business":
      return names.business.get(e.actor.id) ?? s.auditSomeBusiness;
    default:
      return s.auditSystem;
  }
}

function pair(a: string | undefined, b: string | undefined, lang: Language): string {
  const s = t(lang);
  return `${a ?? s.auditSomeBusiness} ${s.auditAnd} ${b ?? s.auditSomeBusiness}`;
}

function targetName(e: AuditEntry, names: AuditNames, lang: Language): string {
  const s = t(lang);
  const { type, id } = e.entity;
  switch (type) {
    case "business":
      return names.business.get(id) ?? s.auditSomeBusiness;
    case "partnership": {
      const p = names.partnership.get(id);
      return pair(p?.[0], p?.[1], lang);
    }
    case "pairing_proposal": {
      const p = names.proposal.get(id);
      return pair(p?.[0], p?.[1], lang);
    }
    case "declined_pair": {
      const [a = "", b = ""] = id.split(":");
      return pair(names.business.get(a), names.business.get(b), lang);
    }
    default:
      return type;
  }
}

const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v : null);

/** The tail a few actions carry: a reason, an outcome and its note, the fields edited. */
function detailOf(e: AuditEntry, lang: Language): string {
  const s = t(lang);
  const d = e.details ?? {};
  const parts: string[] = [];
  const reason = str(d.reason);
  if (reason) parts.push(`${s.auditReason}: ${reason}`);
  const outcome = str(d.outcome);
  if (outcome) parts.push(`${s.auditOutcome}: ${label(s.outcomeLabels, outcome)}`);
  const note = str(d.note);
  if (note) parts.push(`${s.auditNote}: ${note}`);
  if (e.action === "update" && Array.isArray(d.fields) && d.fields.length > 0) {
    const fieldNames = d.fields.map((f) => {
      const key = String(f) as keyof typeof s;
      const text = s[key];
      return typeof text === "string" ? text.toLowerCase() : String(f);
    });
    parts.push(fieldNames.join(", "));
  }
  return parts.length > 0 ? ` (${parts.join("; ")})` : "";
}

/**
 * One audit row as a sentence in the page's language, naming people and businesses instead of
 * ids: `{actor: officer, entity: business, action: "publish"}` → "Siti menerbitkan profil Toko
 * Sari." / "Siti published Toko Sari's profile.". Each known `entity.action` has a template in
 * i18n/officer.ts; an unknown one reads "<actor>: <action> (<target>)".
 */
export function auditSentence(entry: AuditEntry, lang: Language, names: AuditNames = EMPTY_NAMES): string {
  const s = t(lang);
  const vars = {
    actor: actorName(entry, names, lang),
    target: targetName(entry, names, lang),
    detail: detailOf(entry, lang),
  };
  const template = s.auditSentences[`${entry.entity.type}.${entry.action}`];
  return template ? template(vars) : s.auditFallback({ ...vars, action: entry.action });
}
