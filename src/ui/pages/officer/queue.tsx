import type { Language } from "../../../domain/language";
import { DECISION_REASON_MAX_LENGTH } from "../../../domain/texts";
import type { Business } from "../../../services/businesses/businesses.views";
import type { PairingInsight } from "../../../services/dashboard/pairing-insights.service";
import type { ReviewQueueCounts } from "../../../services/dashboard/review-queue.service";
import type { Partnership } from "../../../services/partnerships/partnerships.shared";
import type { Proposal } from "../../../services/partnerships/proposals.shared";
import type { BulkProposalReport } from "../../../services/partnerships/proposals-bulk.service";
import { formatTime, ScoreBreakdown } from "../../components";
import { fill, label, t } from "../../i18n";
import { Badge, Csrf, Done } from "../../layout";
import { type Common, ProfileSummary, RejectForm, Select } from "./shared";

/** The review queue page. */

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
    isAdmin: boolean;
    filters: { kecamatan?: string | undefined; sector?: string | undefined; minScore?: string | undefined };
    kecamatan: string[];
  },
) {
  const s = t(props.lang);
  const filtered = Boolean(props.filters.kecamatan || props.filters.sector || props.filters.minScore);
  return (
    <>
      <Done lang={props.lang} show={props.done} />
      {props.isAdmin ? (
        <section class="card" aria-labelledby="q-propose">
          <h2 id="q-propose">{s.proposeTitle}</h2>
          <p class="muted">{s.proposeHelp}</p>
          <form method="post" action="/ui/queue/propose">
            <Csrf token={props.csrfToken} />
            <button type="submit">{s.proposeButton}</button>
          </form>
        </section>
      ) : null}
      <form method="get" action="/ui/queue" class="filters card" aria-label={s.queueFilterTitle}>
        <Select
          name="kecamatan"
          label={s.kecamatan}
          all={s.all}
          value={props.filters.kecamatan}
          options={props.kecamatan.map((k) => [k, k])}
        />
        <Select
          name="sector"
          label={s.sector}
          all={s.all}
          value={props.filters.sector}
          options={[
            ["service", label(s.sectorLabels, "service")],
            ["industry", label(s.sectorLabels, "industry")],
          ]}
        />
        <label>
          {s.minScore}
          <input
            name="minScore"
            inputmode="decimal"
            value={props.filters.minScore ?? ""}
            placeholder={s.minScoreHelp}
            size={6}
          />
        </label>
        <button type="submit">{s.filterApply}</button>
        {filtered ? <a href="/ui/queue">{s.filterReset}</a> : null}
      </form>
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
              {insight ? ` · ${s.score} ${insight.score.toFixed(2)}` : ""}
            </p>
            <div class="actions">
              <form method="post" action={`/ui/queue/partnerships/${p.id}/approve`}>
                <Csrf token={props.csrfToken} />
                <button type="submit">{s.approve}</button>
              </form>
            </div>
            <details>
              <summary>{s.showDetails}</summary>
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
              <RejectForm {...props} action={`/ui/queue/partnerships/${p.id}/reject`} />
            </details>
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
            <p class="muted">
              {label(s.sectorLabels, b.sector)} · {b.location.kecamatan ?? b.location.city}
            </p>
            <div class="actions">
              <form method="post" action={`/ui/queue/businesses/${b.id}/publish`}>
                <Csrf token={props.csrfToken} />
                <button type="submit">{s.publish}</button>
              </form>
            </div>
            <details>
              <summary>{s.showDetails}</summary>
              <ProfileSummary lang={props.lang} business={b} />
              <RejectForm {...props} action={`/ui/queue/businesses/${b.id}/reject`} />
            </details>
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
            <details>
              <summary>{s.showDetails}</summary>
              <ProfileSummary lang={props.lang} business={b} />
            </details>
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
        {props.drafts.length > 0 ? (
          <form method="post" action="/ui/queue/drafts/bulk" id="bulk-drafts" class="card bulk">
            <Csrf token={props.csrfToken} />
            <p class="muted">{s.bulkHelp}</p>
            <button type="submit" name="decision" value="publish">
              {s.bulkPublish}
            </button>
            <label>
              {s.bulkReason}
              <input name="reason" maxlength={DECISION_REASON_MAX_LENGTH} placeholder={s.reasonPlaceholder} />
            </label>
            <button type="submit" name="decision" value="discard" class="danger">
              {s.bulkDiscard}
            </button>
          </form>
        ) : null}
        {props.drafts.map((d) => (
          <article class="card draft" data-proposal={d.id}>
            <h3>
              <input
                type="checkbox"
                name="ids"
                value={d.id}
                form="bulk-drafts"
                aria-label={fill(s.selectDraft, { a: d.service.name, b: d.industry.name })}
              />{" "}
              <a href={`/ui/businesses/${d.service.id}`}>{d.service.name}</a> →{" "}
              <a href={`/ui/businesses/${d.industry.id}`}>{d.industry.name}</a>
            </h3>
            <p class="muted">
              {s.score} <strong>{d.score.toFixed(2)}</strong> · {d.service.kecamatan ?? d.service.city} /{" "}
              {d.industry.kecamatan ?? d.industry.city} · {s.draftWeek} {d.period}
            </p>
            <details>
              <summary>{s.showDetails}</summary>
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
            </details>
          </article>
        ))}
        <Pager lang={props.lang} pager={props.pages.drafts} />
      </section>
    </>
  );
}

/** What a bulk publish or discard did: how many went, and each draft that did not, with why. */
export function BulkResultPage(props: { lang: Language; report: BulkProposalReport }) {
  const s = t(props.lang);
  const { report } = props;
  const n = report.succeeded.length;
  return (
    <>
      <p class="notice" role="status" data-succeeded={n}>
        {fill(report.decision === "publish" ? s.bulkPublished : s.bulkDiscarded, { n })}
      </p>
      {report.failed.length > 0 ? (
        <section class="notice warn" aria-labelledby="bulk-failed" data-failed={report.failed.length}>
          <h2 id="bulk-failed">{fill(s.bulkFailed, { n: report.failed.length })}</h2>
          <ul>
            {report.failed.map((f) => (
              <li data-proposal={f.id} data-code={f.code}>
                <code>{f.id}</code>: {s.errorCodes[f.code] ?? f.detail}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p>
        <a href="/ui/queue#q-drafts">{s.backToQueue}</a>
      </p>
    </>
  );
}

/** What the admin's "build this week's proposals" did. */
export function ProposeResultPage(props: { lang: Language; written: number; period: string }) {
  const s = t(props.lang);
  return (
    <>
      <p class="notice" role="status" data-written={props.written}>
        {fill(s.proposeDone, { n: props.written, p: props.period })}
      </p>
      <p>
        <a href="/ui/queue#q-drafts">{s.backToQueue}</a>
      </p>
    </>
  );
}
