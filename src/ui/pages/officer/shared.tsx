import type { Language } from "../../../domain/language";
import { PARTNERSHIP_OUTCOMES } from "../../../domain/partnership";
import { DECISION_REASON_MAX_LENGTH, PARTNERSHIP_TEXT_MAX_LENGTH } from "../../../domain/texts";
import type { AuditEntry } from "../../../services/audit/audit.service";
import type { AuditNames } from "../../../services/audit/audit-names.service";
import type { Business } from "../../../services/businesses/businesses.views";
import { auditSentence } from "../../audit-text";
import { formatTime } from "../../components";
import { label, t } from "../../i18n";
import { Csrf } from "../../layout";

/** Pieces several officer pages share: the reject form, a profile summary, a labelled select. */

export interface Common {
  lang: Language;
  csrfToken: string;
}

export function RejectForm(props: Common & { action: string; label?: string }) {
  const s = t(props.lang);
  return (
    <form method="post" action={props.action} class="inline">
      <Csrf token={props.csrfToken} />
      <label>
        {s.reason}
        <input
          name="reason"
          required
          maxlength={DECISION_REASON_MAX_LENGTH}
          placeholder={s.reasonPlaceholder}
        />
      </label>
      <button type="submit" class="danger">
        {props.label ?? s.reject}
      </button>
    </form>
  );
}

export function ProfileSummary(props: { lang: Language; business: Business }) {
  const s = t(props.lang);
  const b = props.business;
  return (
    <dl class="kv">
      <dt>{s.sector}</dt>
      <dd>{label(s.sectorLabels, b.sector)}</dd>
      <dt>KBLI</dt>
      <dd>{b.kbli.map((k) => `${k.code} (${k.version})`).join(", ")}</dd>
      <dt>{s.kelurahan}</dt>
      <dd>{[b.location.kelurahan, b.location.kecamatan, b.location.city].filter(Boolean).join(", ")}</dd>
      <dt>{s.sizeClass}</dt>
      <dd>{b.sizeClass}</dd>
      <dt>{s.nib}</dt>
      <dd>{b.nib ?? "—"}</dd>
      <dt>{s.ekatalog}</dt>
      <dd>{b.ekatalog.listed ? s.listed : s.notListed}</dd>
      <dt>{s.offers}</dt>
      <dd>{b.offers || "—"}</dd>
      <dt>{s.needs}</dt>
      <dd>{b.needs || "—"}</dd>
      <dt>{s.email}</dt>
      <dd>{b.email}</dd>
    </dl>
  );
}

/** A form's values as typed and a message per bad field. */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

export interface TextFieldProps {
  name: string;
  text: string;
  form: FormState;
  /** The error's id is `${idPrefix}-${name}-error`. */
  idPrefix: string;
  type?: string;
  required?: boolean;
  min?: number;
  max?: number;
}

/** A labelled input with the value typed and, when the last post was wrong there, the message. */
export function TextField(props: TextFieldProps) {
  const err = props.form.errors[props.name];
  const errorId = `${props.idPrefix}-${props.name}-error`;
  return (
    <label>
      {props.text}
      <input
        name={props.name}
        type={props.type ?? "text"}
        value={props.form.values[props.name] ?? ""}
        required={props.required}
        min={props.min}
        max={props.max}
        aria-invalid={err ? "true" : undefined}
        aria-describedby={err ? errorId : undefined}
      />
      {err ? (
        <span class="field-error" id={errorId} data-code="validation_failed">
          {err}
        </span>
      ) : null}
    </label>
  );
}

/** Links to a list's next page and back to its first, when there are any. */

export function Select(props: {
  name: string;
  label: string;
  all: string;
  value?: string | undefined;
  options: Array<[string, string]>;
}) {
  return (
    <label>
      {props.label}
      <select name={props.name}>
        <option value="">{props.all}</option>
        {props.options.map(([v, text]) => (
          <option value={v} selected={v === props.value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * An officer ends an active partnership: the outcome is a required choice with an empty first
 * option, so no outcome is recorded by default.
 */
export function EndPartnershipForm(props: Common & { partnershipId: string; title?: string }) {
  const s = t(props.lang);
  return (
    <form method="post" action={`/ui/partnerships/${props.partnershipId}/end`} class="inline end-form">
      <Csrf token={props.csrfToken} />
      {props.title ? <p class="muted">{props.title}</p> : null}
      <label>
        {s.outcome}
        <select name="outcome" required>
          <option value="" selected>
            {s.chooseOutcome}
          </option>
          {PARTNERSHIP_OUTCOMES.map((o) => (
            <option value={o}>{label(s.outcomeLabels, o)}</option>
          ))}
        </select>
      </label>
      <label>
        {s.outcomeNote}
        <input name="note" maxlength={PARTNERSHIP_TEXT_MAX_LENGTH} />
      </label>
      <button type="submit" class="danger">
        {s.endPartnership}
      </button>
    </form>
  );
}

/** An audit trail as sentences in the page's language, newest last, with the time of each. */
export function AuditTrail(props: { lang: Language; entries: AuditEntry[]; names: AuditNames }) {
  const s = t(props.lang);
  if (props.entries.length === 0) return <p class="muted">{s.noAudit}</p>;
  return (
    <ol class="audit">
      {props.entries.map((a) => (
        <li data-action={`${a.entity.type}.${a.action}`}>
          <time datetime={a.at}>{formatTime(a.at, props.lang)}</time>{" "}
          {auditSentence(a, props.lang, props.names)}
        </li>
      ))}
    </ol>
  );
}
