import { DECISION_REASON_MAX_LENGTH } from "../../../domain/texts";
import type { AuditEntry } from "../../../services/audit/audit.service";
import type { Business } from "../../../services/businesses/businesses.views";
import type { MatchItem } from "../../../services/matching/matches.service";
import type { Partnership } from "../../../services/partnerships/partnerships.service";
import { formatTime, PartnershipTable, ScoreBreakdown } from "../../components";
import { t } from "../../i18n";
import { Badge, Csrf } from "../../layout";
import { type Common, ProfileSummary } from "./shared";

/** One business's page for officers. */

export function BusinessPage(
  props: Common & {
    business: Business;
    suggestions: MatchItem[];
    partnerships: Partnership[];
    audit: AuditEntry[];
  },
) {
  const s = t(props.lang);
  return (
    <>
      <section class="card" aria-labelledby="b-profile">
        <h2 id="b-profile">
          {s.profile} <Badge lang={props.lang} status={props.business.status} />
        </h2>
        <ProfileSummary lang={props.lang} business={props.business} />
        {props.business.nib !== null ? (
          <details>
            <summary>{s.releaseNib}</summary>
            <p class="muted">{s.releaseNibHelp}</p>
            <form method="post" action={`/ui/businesses/${props.business.id}/release-nib`} class="inline">
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
                <a href={`/ui/businesses/${m.business.id}`}>{m.business.name}</a>
              </h3>
              <ScoreBreakdown lang={props.lang} insight={m} />
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
      </section>
      <section aria-labelledby="b-audit">
        <h2 id="b-audit">{s.auditTrail}</h2>
        {props.audit.length === 0 ? (
          <p class="muted">{s.noAudit}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{s.at}</th>
                  <th>{s.actor}</th>
                  <th>{s.action}</th>
                  <th>{s.change}</th>
                </tr>
              </thead>
              <tbody>
                {props.audit.map((a) => (
                  <tr>
                    <td>{formatTime(a.at, props.lang)}</td>
                    <td>
                      {a.actor.kind}:{a.actor.id}
                    </td>
                    <td>
                      {a.entity.type} {a.action}
                    </td>
                    <td>
                      {a.fromState ?? "—"} → {a.toState ?? "—"}
                      {a.details ? <div class="muted">{JSON.stringify(a.details)}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
