import type { Language } from "../../../domain/language";
import { PARTNERSHIP_PATTERNS } from "../../../matching";
import type { AuditEntry } from "../../../services/audit/audit.service";
import type { AuditNames } from "../../../services/audit/audit-names.service";
import type { Partnership } from "../../../services/partnerships/partnerships.shared";
import { formatTime, PartnershipTable } from "../../components";
import { label, t } from "../../i18n";
import { Badge, Done } from "../../layout";
import { AuditTrail, type Common, EndPartnershipForm, Select } from "./shared";

/** The officers' partnership list and one partnership's page with its history. */

const STATUS_OPTIONS = [
  "requested",
  "accepted",
  "active",
  "ended",
  "declined",
  "expired",
  "cancelled",
  "rejected",
];

export function PartnershipListPage(
  props: Common & {
    filters: { status?: string | undefined; kecamatan?: string | undefined; pattern?: string | undefined };
    kecamatan: string[];
    items: Partnership[];
    nextHref: string | null;
    firstHref: string | null;
  },
) {
  const s = t(props.lang);
  return (
    <>
      <form method="get" action="/ui/partnerships" class="filters card">
        <Select
          name="status"
          label={s.status}
          all={s.all}
          value={props.filters.status}
          options={STATUS_OPTIONS.map((v) => [v, label(s.statusLabels, v)])}
        />
        <Select
          name="kecamatan"
          label={s.kecamatan}
          all={s.all}
          value={props.filters.kecamatan}
          options={props.kecamatan.map((k) => [k, k])}
        />
        <Select
          name="pattern"
          label={s.pattern}
          all={s.all}
          value={props.filters.pattern}
          options={PARTNERSHIP_PATTERNS.map((p) => [p, label(s.patternLabels, p)])}
        />
        <button type="submit">{s.filter}</button>
      </form>
      {props.items.length === 0 ? (
        <p class="muted">{s.noPartnerships}</p>
      ) : (
        <PartnershipTable lang={props.lang} items={props.items} linkBusinesses />
      )}
      {props.nextHref || props.firstHref ? (
        <p class="pager">
          {props.firstHref ? <a href={props.firstHref}>← {s.firstPage}</a> : null}
          {props.firstHref && props.nextHref ? " · " : null}
          {props.nextHref ? (
            <a href={props.nextHref} rel="next">
              {s.next} →
            </a>
          ) : null}
        </p>
      ) : null}
    </>
  );
}

function When(props: { lang: Language; title: string; at: string | null }) {
  if (!props.at) return null;
  return (
    <>
      <dt>{props.title}</dt>
      <dd>{formatTime(props.at, props.lang)}</dd>
    </>
  );
}

export function PartnershipPage(
  props: Common & {
    partnership: Partnership;
    audit: AuditEntry[];
    auditNames: AuditNames;
    done: boolean;
  },
) {
  const s = t(props.lang);
  const p = props.partnership;
  return (
    <>
      <Done lang={props.lang} show={props.done} />
      <section class="card" aria-labelledby="p-summary" data-partnership={p.id}>
        <h2 id="p-summary">
          <a href={`/ui/businesses/${p.requester.id}`}>{p.requester.name}</a> →{" "}
          <a href={`/ui/businesses/${p.partner.id}`}>{p.partner.name}</a>{" "}
          <Badge lang={props.lang} status={p.status} />
        </h2>
        <dl class="kv">
          <dt>{s.pattern}</dt>
          <dd>{label(s.patternLabels, p.pattern)}</dd>
          <dt>{s.origin}</dt>
          <dd>{label(s.originLabels, p.origin)}</dd>
          {p.message ? (
            <>
              <dt>{s.message}</dt>
              <dd>{p.message}</dd>
            </>
          ) : null}
          <When lang={props.lang} title={s.createdAt} at={p.createdAt} />
          {p.rejectionReason ? (
            <>
              <dt>{s.reason}</dt>
              <dd>{p.rejectionReason}</dd>
            </>
          ) : null}
          {p.outcome ? (
            <>
              <dt>{s.outcome}</dt>
              <dd data-outcome={p.outcome}>{label(s.outcomeLabels, p.outcome)}</dd>
            </>
          ) : null}
          {p.outcomeNote ? (
            <>
              <dt>{s.outcomeNote}</dt>
              <dd>{p.outcomeNote}</dd>
            </>
          ) : null}
        </dl>
        {p.status === "active" ? (
          <details>
            <summary>{s.endPartnership}</summary>
            <p class="muted">{s.endHelp}</p>
            <EndPartnershipForm lang={props.lang} csrfToken={props.csrfToken} partnershipId={p.id} />
          </details>
        ) : null}
      </section>
      <section aria-labelledby="p-history">
        <h2 id="p-history">{s.history}</h2>
        <AuditTrail lang={props.lang} entries={props.audit} names={props.auditNames} />
      </section>
    </>
  );
}
