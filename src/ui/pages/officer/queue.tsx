import type { Language } from "../../../domain/language";
import type { Business } from "../../../services/businesses/businesses.views";
import type { ReviewQueueCounts } from "../../../services/dashboard/dashboard.service";
import type { PairingInsight } from "../../../services/dashboard/pairing-insights.service";
import type { Partnership } from "../../../services/partnerships/partnerships.service";
import type { Proposal } from "../../../services/partnerships/proposals.service";
import { formatTime, ScoreBreakdown } from "../../components";
import { label, t } from "../../i18n";
import { Badge, Csrf, Done } from "../../layout";
import { type Common, ProfileSummary, RejectForm } from "./shared";

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
