import { kelurahanNames } from "../../../domain/location";
import { DECISION_REASON_MAX_LENGTH, PARTNERSHIP_TEXT_MAX_LENGTH } from "../../../domain/texts";
import { PARTNERSHIP_PATTERNS } from "../../../matching";
import type { AuditEntry } from "../../../services/audit/audit.service";
import type { AuditNames } from "../../../services/audit/audit-names.service";
import type { Business } from "../../../services/businesses/businesses.views";
import type { MatchItem } from "../../../services/matching/matches.service";
import type { DeclinedPartner } from "../../../services/partnerships/declined-pairs.service";
import type { Partnership } from "../../../services/partnerships/partnerships.shared";
import { formatTime, PartnershipTable, ScoreBreakdown } from "../../components";
import type { EditField, EditValues } from "../../forms/business-edit.form";
import { label, t } from "../../i18n";
import { Badge, Csrf, Done } from "../../layout";
import { AuditTrail, type Common, EndPartnershipForm, ProfileSummary } from "./shared";

/** The edit form's values, and its errors by field (empty: show the stored profile). */
export interface EditState {
  values: EditValues;
  errors: Array<{ field: EditField; message: string }>;
}

function FieldError(props: { edit: EditState; field: EditField }) {
  const messages = props.edit.errors.filter((e) => e.field === props.field).map((e) => e.message);
  if (messages.length === 0) return null;
  return (
    <span class="field-error" id={`err-${props.field}`} data-field={props.field}>
      {messages.join(" ")}
    </span>
  );
}

function EditForm(props: Common & { business: Business; edit: EditState }) {
  const s = t(props.lang);
  const v = props.edit.values;
  const invalid = (f: EditField) =>
    props.edit.errors.some((e) => e.field === f)
      ? { "aria-invalid": "true", "aria-describedby": `err-${f}` }
      : {};
  const text = (f: EditField, title: string, extra: Record<string, unknown> = {}) => (
    <label>
      {title}
      <input name={f} value={v[f]} {...invalid(f)} {...extra} />
      <FieldError edit={props.edit} field={f} />
    </label>
  );
  const select = (f: EditField, title: string, options: Array<[string, string]>) => (
    <label>
      {title}
      <select name={f} {...invalid(f)}>
        {options.map(([value, text]) => (
          <option value={value} selected={value === v[f]}>
            {text}
          </option>
        ))}
      </select>
      <FieldError edit={props.edit} field={f} />
    </label>
  );
  const area = (f: EditField, title: string) => (
    <label>
      {title}
      <textarea name={f} rows={3} maxlength={4000} {...invalid(f)}>
        {v[f]}
      </textarea>
      <FieldError edit={props.edit} field={f} />
    </label>
  );
  return (
    <details open={props.edit.errors.length > 0} id="b-edit">
      <summary>{s.editProfile}</summary>
      {props.edit.errors.length > 0 ? (
        <p class="notice warn" role="alert" data-code="validation_failed">
          {s.formHasErrors}
        </p>
      ) : null}
      <form method="post" action={`/ui/businesses/${props.business.id}/edit`} class="stack">
        <Csrf token={props.csrfToken} />
        {text("name", s.name, { required: true, maxlength: 200 })}
        {select("sector", s.sector, [
          ["service", label(s.sectorLabels, "service")],
          ["industry", label(s.sectorLabels, "industry")],
        ])}
        {text("nib", s.nib, { inputmode: "numeric", maxlength: 13 })}
        {text("kbli", s.kbliCodes, { required: true })}
        {select("sizeClass", s.sizeClass, [
          ["mikro", "mikro"],
          ["kecil", "kecil"],
          ["menengah", "menengah"],
          ["besar", "besar"],
        ])}
        {props.business.location.kelurahan !== null ? (
          select(
            "kelurahan",
            s.kelurahan,
            kelurahanNames()
              .sort()
              .map((k) => [k, k]),
          )
        ) : (
          <p class="muted">{s.locationOutside}</p>
        )}
        {area("offers", s.offers)}
        {area("needs", s.needs)}
        {text("email", s.email, { type: "email", required: true })}
        {select("language", s.language, [
          ["id", "Bahasa Indonesia"],
          ["en", "English"],
        ])}
        {text("maxPartners", s.maxPartners, { inputmode: "numeric", size: 3 })}
        <input type="hidden" name="ekatalogListed" value="" />
        <label>
          <input type="checkbox" name="ekatalogListed" checked={v.ekatalogListed === "on"} /> {s.ekatalog}:{" "}
          {s.listed}
          <FieldError edit={props.edit} field="ekatalogListed" />
        </label>
        {text("ekatalogUrl", `${s.ekatalog} URL`, { type: "url" })}
        <button type="submit">{s.saveProfile}</button>
      </form>
    </details>
  );
}

function DirectPairing(props: Common & { business: Business; query: string; candidates: Business[] | null }) {
  const s = t(props.lang);
  const b = props.business;
  return (
    <details open={props.candidates !== null} id="b-pair">
      <summary>{s.directPairing}</summary>
      <p class="muted">{s.directPairingHelp}</p>
      <form method="get" action={`/ui/businesses/${b.id}#b-pair`} class="inline">
        <label>
          {s.partnerSearch}
          <input name="partner" value={props.query} maxlength={100} required />
        </label>
        <button type="submit">{s.search}</button>
      </form>
      {props.candidates !== null && props.candidates.length === 0 ? (
        <p class="muted">{s.noCandidates}</p>
      ) : null}
      {props.candidates !== null && props.candidates.length > 0 ? (
        <form method="post" action={`/ui/businesses/${b.id}/pairings`} class="stack">
          <Csrf token={props.csrfToken} />
          <fieldset>
            <legend>{s.choosePartner}</legend>
            {props.candidates.map((c, i) => (
              <label>
                <input type="radio" name="partnerId" value={c.id} required checked={i === 0} /> {c.name} (
                {c.location.kecamatan ?? c.location.city})
              </label>
            ))}
          </fieldset>
          <label>
            {s.pattern}
            <select name="pattern">
              {PARTNERSHIP_PATTERNS.map((p) => (
                <option value={p}>{label(s.patternLabels, p)}</option>
              ))}
            </select>
          </label>
          <label>
            {s.message}
            <input name="message" maxlength={PARTNERSHIP_TEXT_MAX_LENGTH} />
          </label>
          <button type="submit">{s.createPairing}</button>
        </form>
      ) : null}
    </details>
  );
}

/** One business's page for officers. */
export function BusinessPage(
  props: Common & {
    business: Business;
    suggestions: MatchItem[];
    partnerships: Partnership[];
    audit: AuditEntry[];
    auditNames: AuditNames;
    declined: DeclinedPartner[];
    partnerQuery: string;
    candidates: Business[] | null;
    edit: EditState;
    done: boolean;
  },
) {
  const s = t(props.lang);
  const b = props.business;
  const active = props.partnerships.filter((p) => p.status === "active");
  return (
    <>
      <Done lang={props.lang} show={props.done} />
      {b.active ? null : (
        <p class="notice warn" role="status" data-state="inactive">
          {s.inactiveBanner}
        </p>
      )}
      <section class="card" aria-labelledby="b-profile">
        <h2 id="b-profile">
          {s.profile} <Badge lang={props.lang} status={b.status} />
          {b.active ? null : (
            <>
              {" "}
              <span class="badge inactive">{s.inactive}</span>
            </>
          )}
        </h2>
        <ProfileSummary lang={props.lang} business={b} />
        <div class="actions">
          {b.active ? (
            <form method="post" action={`/ui/businesses/${b.id}/deactivate`}>
              <Csrf token={props.csrfToken} />
              <button type="submit" class="danger" title={s.deactivateHelp}>
                {s.deactivate}
              </button>
            </form>
          ) : (
            <form method="post" action={`/ui/businesses/${b.id}/reactivate`}>
              <Csrf token={props.csrfToken} />
              <button type="submit">{s.reactivate}</button>
            </form>
          )}
        </div>
        <EditForm {...props} business={b} edit={props.edit} />
        {b.active && b.status === "published" ? (
          <DirectPairing {...props} business={b} query={props.partnerQuery} candidates={props.candidates} />
        ) : null}
        {b.nib !== null ? (
          <details>
            <summary>{s.releaseNib}</summary>
            <p class="muted">{s.releaseNibHelp}</p>
            <form method="post" action={`/ui/businesses/${b.id}/release-nib`} class="inline">
              <Csrf token={props.csrfToken} />
              <label>
                {s.reason}
                <input
                  name="reason"
                  required
                  maxlength={DECISION_REASON_MAX_LENGTH}
                  placeholder={s.releaseNibPlaceholder}
                />
              </label>
              <button type="submit" class="danger">
                {s.releaseNib}
              </button>
            </form>
          </details>
        ) : null}
      </section>
      <section aria-labelledby="b-suggestions">
        <h2 id="b-suggestions">{s.suggestions}</h2>
        {props.suggestions.length === 0 ? <p class="muted">{s.noSuggestions}</p> : null}
        <div class="grid two">
          {props.suggestions.map((m) => (
            <article class="card">
              <h3>
                {/* A neighbour shard's business has no page in this deployment: its shard is named. */}
                {m.neighbourShard ? (
                  <>
                    {m.business.name} <span class="muted">· {m.neighbourShard}</span>
                  </>
                ) : (
                  <a href={`/ui/businesses/${m.business.id}`}>{m.business.name}</a>
                )}
              </h3>
              <details>
                <summary>
                  {s.score} {m.score.toFixed(2)}
                </summary>
                <ScoreBreakdown lang={props.lang} insight={m} />
              </details>
            </article>
          ))}
        </div>
      </section>
      <section aria-labelledby="b-partnerships">
        <h2 id="b-partnerships">{s.requestsAndPartnerships}</h2>
        {props.partnerships.length === 0 ? (
          <p class="muted">{s.noPartnerships}</p>
        ) : (
          <PartnershipTable lang={props.lang} items={props.partnerships} linkBusinesses />
        )}
        {active.map((p) => (
          <details class="card" data-end={p.id}>
            <summary>
              {s.endPartnership}: {p.requester.name} – {p.partner.name}
            </summary>
            <p class="muted">{s.endHelp}</p>
            <EndPartnershipForm lang={props.lang} csrfToken={props.csrfToken} partnershipId={p.id} />
          </details>
        ))}
      </section>
      <section aria-labelledby="b-declined">
        <h2 id="b-declined">{s.declinedPairs}</h2>
        {props.declined.length === 0 ? <p class="muted">{s.noDeclined}</p> : null}
        <ul>
          {props.declined.map((d) => (
            <li data-declined={d.id}>
              <a href={`/ui/businesses/${d.id}`}>{d.name}</a> ·{" "}
              {d.declinedBy === b.id ? s.declinedByThis : s.declinedByOther} · {formatTime(d.at, props.lang)}{" "}
              <form method="post" action={`/ui/businesses/${b.id}/declined/${d.id}/reset`} class="inline">
                <Csrf token={props.csrfToken} />
                <button type="submit" class="secondary">
                  {s.resetPair}
                </button>
              </form>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="b-audit">
        <h2 id="b-audit">{s.auditTrail}</h2>
        <AuditTrail lang={props.lang} entries={props.audit} names={props.auditNames} />
      </section>
    </>
  );
}
