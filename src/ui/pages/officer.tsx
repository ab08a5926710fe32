import type { Language } from "../../domain/language";
import { DECISION_REASON_MAX_LENGTH } from "../../domain/texts";
import type { AuditEntry } from "../../services/audit/audit.service";
import type { Business } from "../../services/businesses/businesses.views";
import type { Dashboard, ReviewQueueCounts } from "../../services/dashboard/dashboard.service";
import type { PairingInsight } from "../../services/dashboard/pairing-insights.service";
import type { MatchItem } from "../../services/matching/matches.service";
import type { Partnership } from "../../services/partnerships/partnerships.service";
import type { Proposal } from "../../services/partnerships/proposals.service";
import { formatTime, PartnershipTable, ScoreBreakdown } from "../components";
import { fill, label, t } from "../i18n";
import { Badge, Csrf, Done } from "../layout";
import { KelurahanMap } from "../map";

interface Common {
  lang: Language;
  csrfToken: string;
}

function RejectForm(props: Common & { action: string; label?: string }) {
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

function ProfileSummary(props: { lang: Language; business: Business }) {
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
export interface QueuePager {
  next: string | null;
  first: string | null;
}

function Pager(props: { lang: Language; pager: QueuePager }) {
  const s = t(props.lang);
  const { next, first } = props.pager;
  if (!next && !first) return null;
  return (
    <p class="pager">
      {first ? <a href={first}>← {s.firstPage}</a> : null}
      {first && next ? " · " : null}
      {next ? (
        <a href={next} rel="next">
          {s.next} →
        </a>
      ) : null}
    </p>
  );
}

export function QueuePage(
  props: Common & {
    pending: Business[];
    changed: Business[];
    pairings: Array<{ partnership: Partnership; insight: PairingInsight | null }>;
    drafts: Proposal[];
    /** Each list's full size (the lists show one page). */
    totals: ReviewQueueCounts;
    pages: Record<keyof ReviewQueueCounts, QueuePager>;
    done: boolean;
  },
) {
  const s = t(props.lang);
  return (
    <>
      <Done lang={props.lang} show={props.done} />
      <section aria-labelledby="q-pairings">
        <h2 id="q-pairings">
          {s.pendingPairings} ({props.totals.pairings})
        </h2>
        {props.pairings.length === 0 ? <p class="muted">{s.noPendingPairings}</p> : null}
        {props.pairings.map(({ partnership: p, insight }) => (
          <article class="card pairing" data-partnership={p.id}>
            <h3>
              <a href={`/ui/businesses/${p.requester.id}`}>{p.requester.name}</a> →{" "}
              <a href={`/ui/businesses/${p.partner.id}`}>{p.partner.name}</a>
            </h3>
            <p class="muted">
              {s.requestedPattern}: {label(s.patternLabels, p.pattern)} ·{" "}
              <Badge lang={props.lang} status={p.status} />
            </p>
            {p.message ? (
              <p>
                <strong>{s.message}:</strong> {p.message}
              </p>
            ) : null}
            {insight ? (
              <ScoreBreakdown lang={props.lang} insight={insight} />
            ) : (
              <p class="muted">{s.noInsight}</p>
            )}
            <div class="actions">
              <form method="post" action={`/ui/queue/partnerships/${p.id}/approve`}>
                <Csrf token={props.csrfToken} />
                <button type="submit">{s.approve}</button>
              </form>
            </div>
            <RejectForm {...props} action={`/ui/queue/partnerships/${p.id}/reject`} />
          </article>
        ))}
        <Pager lang={props.lang} pager={props.pages.pairings} />
      </section>
      <section aria-labelledby="q-signups">
        <h2 id="q-signups">
          {s.pendingSignups} ({props.totals.signups})
        </h2>
        {props.pending.length === 0 ? <p class="muted">{s.noPendingSignups}</p> : null}
        {props.pending.map((b) => (
          <article class="card signup" data-business={b.id}>
            <h3>
              <a href={`/ui/businesses/${b.id}`}>{b.name}</a>
            </h3>
            <ProfileSummary lang={props.lang} business={b} />
            <div class="actions">
              <form method="post" action={`/ui/queue/businesses/${b.id}/publish`}>
                <Csrf token={props.csrfToken} />
                <button type="submit">{s.publish}</button>
              </form>
            </div>
            <RejectForm {...props} action={`/ui/queue/businesses/${b.id}/reject`} />
          </article>
        ))}
        <Pager lang={props.lang} pager={props.pages.signups} />
      </section>
      <section aria-labelledby="q-changed">
        <h2 id="q-changed">
          {s.changedProfiles} ({props.totals.changed})
        </h2>
        <p class="muted">{s.changedProfilesHelp}</p>
        {props.changed.length === 0 ? <p class="muted">{s.noChangedProfiles}</p> : null}
        {props.changed.map((b) => (
          <article class="card changed" data-business={b.id}>
            <h3>
              <a href={`/ui/businesses/${b.id}`}>{b.name}</a>
            </h3>
            <p class="muted">
              {s.changedFields}: {(b.changesToReview?.fields ?? []).map((f) => s[f]).join(", ")} ·{" "}
              {formatTime(b.changesToReview?.since ?? b.updatedAt, props.lang)}
            </p>
            <ProfileSummary lang={props.lang} business={b} />
            <div class="actions">
              <form method="post" action={`/ui/queue/businesses/${b.id}/acknowledge`}>
                <Csrf token={props.csrfToken} />
                <button type="submit">{s.acknowledge}</button>
              </form>
            </div>
          </article>
        ))}
        <Pager lang={props.lang} pager={props.pages.changed} />
      </section>
      <section aria-labelledby="q-drafts" id="draft-pairings">
        <h2 id="q-drafts">
          {s.draftPairings} ({props.totals.drafts})
        </h2>
        <p class="muted">{s.draftPairingsHelp}</p>
        {props.drafts.map((d) => (
          <article class="card draft" data-proposal={d.id}>
            <h3>
              <a href={`/ui/businesses/${d.service.id}`}>{d.service.name}</a> →{" "}
              <a href={`/ui/businesses/${d.industry.id}`}>{d.industry.name}</a>
            </h3>
            <p class="muted">
              {s.draftWeek} {d.period}
            </p>
            <ScoreBreakdown
              lang={props.lang}
              insight={{
                score: d.score,
                components: d.components,
                reasons: props.lang === "en" ? d.reasons.en : d.reasons.id,
                pattern: d.pattern,
              }}
            />
            <div class="actions">
              <form method="post" action={`/ui/queue/drafts/${d.id}/publish`}>
                <Csrf token={props.csrfToken} />
                <button type="submit">{s.publishDraft}</button>
              </form>
            </div>
            <RejectForm {...props} action={`/ui/queue/drafts/${d.id}/discard`} label={s.discardDraft} />
          </article>
        ))}
        <Pager lang={props.lang} pager={props.pages.drafts} />
      </section>
    </>
  );
}

export interface DirectoryFilters {
  kecamatan?: string | undefined;
  kelurahan?: string | undefined;
  sector?: "service" | "industry" | undefined;
  kbliDivision?: string | undefined;
  status?: "unconfirmed" | "pending_review" | "published" | "rejected" | undefined;
  q?: string | undefined;
}

function Select(props: {
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

export function DirectoryPage(
  props: Common & {
    filters: DirectoryFilters;
    kecamatan: string[];
    kelurahan: string[];
    items: Business[];
    nextHref: string | null;
  },
) {
  const s = t(props.lang);
  const f = props.filters;
  return (
    <>
      <form method="get" action="/ui/businesses" class="card stack" aria-label={s.filter}>
        <div class="grid three">
          <Select
            name="kecamatan"
            label={s.kecamatan}
            all={s.all}
            value={f.kecamatan}
            options={props.kecamatan.map((k) => [k, k])}
          />
          <Select
            name="kelurahan"
            label={s.kelurahan}
            all={s.all}
            value={f.kelurahan}
            options={props.kelurahan.map((k) => [k, k])}
          />
          <Select
            name="sector"
            label={s.sector}
            all={s.all}
            value={f.sector}
            options={[
              ["service", label(s.sectorLabels, "service")],
              ["industry", label(s.sectorLabels, "industry")],
            ]}
          />
          <label>
            {s.kbliDivision}
            <input
              name="kbliDivision"
              inputmode="numeric"
              pattern="[0-9]{2}"
              maxlength={2}
              value={f.kbliDivision ?? ""}
            />
          </label>
          <Select
            name="status"
            label={s.status}
            all={s.all}
            value={f.status}
            options={(["unconfirmed", "pending_review", "published", "rejected"] as const).map((v) => [
              v,
              label(s.statusLabels, v),
            ])}
          />
          <label>
            {s.search}
            <input name="q" maxlength={100} value={f.q ?? ""} />
          </label>
        </div>
        <div>
          <button type="submit">{s.filter}</button>
        </div>
      </form>
      {props.items.length === 0 ? <p class="muted">{s.noResults}</p> : null}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{s.name}</th>
              <th>{s.sector}</th>
              <th>{s.kelurahan}</th>
              <th>KBLI</th>
              <th>{s.status}</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((b) => (
              <tr data-business={b.id}>
                <td>
                  <a href={`/ui/businesses/${b.id}`}>{b.name}</a>
                </td>
                <td>{label(s.sectorLabels, b.sector)}</td>
                <td>{b.location.kelurahan ?? b.location.city}</td>
                <td>{b.kbli.map((k) => k.code).join(", ")}</td>
                <td>
                  <Badge lang={props.lang} status={b.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.nextHref ? (
        <p>
          <a href={props.nextHref} rel="next">
            {s.next} →
          </a>
        </p>
      ) : null}
    </>
  );
}

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

function Bars(props: {
  items: Array<{ key: string; count: number }>;
  labelOf: (key: string) => string;
  empty: string;
}) {
  const max = Math.max(1, ...props.items.map((i) => i.count));
  if (props.items.length === 0) return <p class="muted">{props.empty}</p>;
  return (
    <ul class="bars">
      {props.items.map((i) => (
        <li>
          <span>{props.labelOf(i.key)}</span>
          <meter min={0} max={max} value={i.count} aria-label={`${props.labelOf(i.key)}: ${i.count}`} />
          <span>{i.count}</span>
        </li>
      ))}
    </ul>
  );
}

const percent = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)}%`);

export function DashboardPage(props: Common & { data: Dashboard; sectionName: (code: string) => string }) {
  const s = t(props.lang);
  const d = props.data;
  return (
    <>
      <div class="grid three">
        <section class="card" aria-labelledby="d-rate">
          <h2 id="d-rate">{s.acceptanceRate}</h2>
          <p class="big" data-metric="acceptance-rate">
            {percent(d.requests.acceptanceRate)}
          </p>
          <p class="muted">
            {fill(s.acceptedOf, {
              a: d.requests.accepted,
              n: d.requests.accepted + d.requests.declinedOrExpired,
            })}
          </p>
        </section>
        <section class="card" aria-labelledby="d-umkm">
          <h2 id="d-umkm">{s.umkmShare}</h2>
          <p class="big" data-metric="umkm-share">
            {percent(d.umkm.share)}
          </p>
          <p class="muted">{fill(s.umkmOf, { a: d.umkm.withActivePartner, n: d.umkm.registered })}</p>
        </section>
        <section class="card" aria-labelledby="d-proc">
          <h2 id="d-proc">{s.procurementReady}</h2>
          <p class="big" data-metric="procurement-ready">
            {d.procurement.ready}
          </p>
          <p>
            {s.procurementOneStep}:{" "}
            <strong data-metric="procurement-one-step">{d.procurement.oneStepAway}</strong>
          </p>
          <ul class="muted">
            {d.procurement.oneStepAwaySample.map((b) => (
              <li>
                <a href={`/ui/businesses/${b.id}`}>{b.name}</a> (
                {b.missing === "nib" ? s.missingNib : s.missingEkatalog})
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section class="card" aria-labelledby="d-map">
        <h2 id="d-map">{s.map}</h2>
        <KelurahanMap lang={props.lang} activity={d.kelurahan} />
      </section>
      <div class="grid three">
        <section class="card" aria-labelledby="d-kec">
          <h2 id="d-kec">{s.activeByKecamatan}</h2>
          <Bars items={d.activeByKecamatan} labelOf={(k) => k} empty={s.none} />
        </section>
        <section class="card" aria-labelledby="d-pattern">
          <h2 id="d-pattern">{s.activeByPattern}</h2>
          <Bars items={d.activeByPattern} labelOf={(k) => label(s.patternLabels, k)} empty={s.none} />
        </section>
        <section class="card" aria-labelledby="d-kbli">
          <h2 id="d-kbli">{s.activeByKbli}</h2>
          <Bars items={d.activeSidesByKbliSection} labelOf={props.sectionName} empty={s.none} />
        </section>
      </div>
    </>
  );
}
