import type { Language } from "../../../domain/language";
import { DECISION_REASON_MAX_LENGTH } from "../../../domain/texts";
import type { Business } from "../../../services/businesses/businesses.views";
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
