import type { ForumRow } from "../../../../schema";
import type { Business } from "../../../services/businesses/businesses.views";
import type { ForumStats } from "../../../services/forums/forum-stats.service";
import type { ForumParticipantView } from "../../../services/forums/participants.service";
import { ConfirmedPost } from "../../components";
import { fill, label, t } from "../../i18n";
import { Csrf } from "../../layout";
import { type Common, type FormState, TextField, type TextFieldProps } from "./shared";

/** The officers' forum pages: the list with the create form, and one forum's page. */

export type { FormState };

/** A field of the forum forms (its error's id `fo-<name>-error`). */
export const FoField = (props: Omit<TextFieldProps, "idPrefix">) => TextField({ ...props, idPrefix: "fo" });

export const NEW_FORUM_FORM: FormState = {
  values: {
    venue: "Pendopo Sabha Kridatama",
    meetingMinutes: "20",
    start: "09:00",
    end: "12:00",
    breaks: "10:30-10:45",
    tables: "20",
    maxMeetings: "8",
    maxRequests: "5",
  },
  errors: {},
};

function CreateForumForm(props: Common & { form: FormState }) {
  const s = t(props.lang);
  const f = props.form;
  return (
    <form
      method="post"
      action="/ui/forum"
      class="card stack"
      aria-labelledby="fo-new"
      data-testid="forum-create"
    >
      <h2 id="fo-new">{s.foCreateTitle}</h2>
      <Csrf token={props.csrfToken} />
      <FoField name="name" text={s.foName} form={f} required />
      <div class="grid two">
        <FoField name="date" text={s.foDate} form={f} type="date" required />
        <FoField name="venue" text={s.foVenue} form={f} required />
      </div>
      <div class="grid three">
        <FoField name="meetingMinutes" text={s.foMeetingMinutes} form={f} type="number" min={5} max={120} />
        <FoField name="start" text={s.foStart} form={f} type="time" required />
        <FoField name="end" text={s.foEnd} form={f} type="time" required />
      </div>
      <FoField name="breaks" text={s.foBreaks} form={f} />
      <div class="grid three">
        <FoField name="tables" text={s.foTables} form={f} type="number" min={1} max={500} />
        <FoField name="maxMeetings" text={s.foMaxMeetings} form={f} type="number" min={1} max={40} />
        <FoField name="maxRequests" text={s.foMaxRequests} form={f} type="number" min={0} max={40} />
      </div>
      <p>
        <button type="submit">{s.foCreate}</button>
      </p>
    </form>
  );
}

export function ForumsPage(props: Common & { forums: ForumRow[]; form: FormState }) {
  const s = t(props.lang);
  return (
    <>
      <p class="lead">{s.foIntro}</p>
      {props.forums.length === 0 ? (
        <p class="muted">{s.foNone}</p>
      ) : (
        <ul class="fo-list" data-testid="forum-list">
          {props.forums.map((f) => (
            <li class="card" data-forum={f.id}>
              <h3>
                <a href={`/ui/forum/${f.id}`}>{f.name}</a>
              </h3>
              <p class="muted">
                {f.date} · {f.venue} · <span class="badge">{label(s.foStatusLabels, f.status)}</span>
              </p>
            </li>
          ))}
        </ul>
      )}
      <CreateForumForm lang={props.lang} csrfToken={props.csrfToken} form={props.form} />
    </>
  );
}

/** The three figures of one forum (also on the dashboard). */
export function ForumFigures(props: Common & { stats: ForumStats | undefined }) {
  const s = t(props.lang);
  const st = props.stats;
  return (
    <dl class="fo-figures">
      <div>
        <dt>{s.foHeld}</dt>
        <dd data-metric="forum-meetings-held">{st?.meetingsHeld ?? 0}</dd>
      </div>
      <div>
        <dt>{s.foFollowUps}</dt>
        <dd data-metric="forum-follow-ups">{st?.followUps ?? 0}</dd>
      </div>
      <div>
        <dt>{s.foPartnerships}</dt>
        <dd data-metric="forum-partnerships">{st?.partnershipsStarted ?? 0}</dd>
      </div>
    </dl>
  );
}

/** The dashboard's forum section: each forum with its figures. */
export function DashboardForums(props: Common & { items: ForumStats[] }) {
  const s = t(props.lang);
  return (
    <section class="card" aria-labelledby="d-forums" data-testid="dashboard-forums">
      <h2 id="d-forums">{s.foDashTitle}</h2>
      {props.items.length === 0 ? <p class="muted">{s.foDashNone}</p> : null}
      {props.items.map((f) => (
        <div data-forum={f.forumId}>
          <h3>
            <a href={`/ui/forum/${f.forumId}`}>{f.name}</a> <span class="muted">{f.date}</span>
          </h3>
          <ForumFigures lang={props.lang} csrfToken={props.csrfToken} stats={f} />
        </div>
      ))}
    </section>
  );
}

export interface ForumPageData {
  forum: ForumRow;
  stats: ForumStats | undefined;
  participants: ForumParticipantView[];
  kecamatan: string[];
  /** The chosen-business search: its text and its results (null when none was run). */
  search: { q: string; items: Business[] | null };
  inviteForm: FormState;
  /** Flash message after a redirect. */
  message: string | null;
  /** Why the last action was refused (closing too early, say), with its code. */
  refusal: { code: string; text: string } | null;
  /** The forum can be closed now (`canCloseForum`: scheduled, its day has come). */
  closable: boolean;
}

function InviteForms(props: Common & { data: ForumPageData }) {
  const s = t(props.lang);
  const d = props.data;
  const f = d.inviteForm;
  const action = `/ui/forum/${d.forum.id}/undang`;
  const filterError = f.errors.filters;
  return (
    <div class="grid two">
      <form
        method="post"
        action={action}
        class="card stack"
        aria-labelledby="fo-inv"
        data-testid="forum-invite-filters"
      >
        <h2 id="fo-inv">{s.foInviteFilters}</h2>
        <p class="muted">{s.foInviteFiltersHelp}</p>
        <Csrf token={props.csrfToken} />
        <label>
          {s.foKecamatan}
          <select name="kecamatan">
            <option value="">{s.foAnyKecamatan}</option>
            {d.kecamatan.map((k) => (
              <option value={k} selected={f.values.kecamatan === k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          {s.foSector}
          <select name="sector">
            <option value="">{s.foAnySector}</option>
            {(["service", "industry"] as const).map((v) => (
              <option value={v} selected={f.values.sector === v}>
                {label(s.sectorLabels, v)}
              </option>
            ))}
          </select>
        </label>
        <FoField name="kbli" text={s.foKbli} form={f} />
        {filterError ? (
          <p class="field-error" id="fo-filters-error" data-code="validation_failed" role="alert">
            {filterError}
          </p>
        ) : null}
        <p>
          <button type="submit">{s.foInvite}</button>
        </p>
      </form>
      <div class="card stack" data-testid="forum-invite-choose">
        <h2 id="fo-choose">{s.foInviteChoose}</h2>
        <form method="get" action={`/ui/forum/${d.forum.id}`} class="inline">
          <label>
            {s.foSearch}
            <input name="q" value={d.search.q} maxlength={100} />
          </label>
          <button type="submit" class="secondary">
            {s.foSearchButton}
          </button>
        </form>
        {d.search.items === null ? null : d.search.items.length === 0 ? (
          <p class="muted">{s.foNoResults}</p>
        ) : (
          <form method="post" action={action} class="stack">
            <Csrf token={props.csrfToken} />
            <fieldset>
              <legend>{s.foInviteChoose}</legend>
              {d.search.items.map((b) => (
                <label class="check">
                  <input type="checkbox" name="business" value={b.id} />
                  <span>
                    {b.name} <span class="muted">({label(s.sectorLabels, b.sector)})</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <p>
              <button type="submit">{s.foInviteChosen}</button>
            </p>
          </form>
        )}
      </div>
    </div>
  );
}

function Participants(props: Common & { data: ForumPageData }) {
  const s = t(props.lang);
  const d = props.data;
  const ps = d.participants;
  const allSlots = d.forum.slots.length;
  if (ps.length === 0) return <p class="muted">{s.foNoParticipants}</p>;
  return (
    <>
      <p class="muted">
        {fill(s.foParticipantCount, {
          n: ps.length,
          c: ps.filter((p) => p.status === "confirmed").length,
          d: ps.filter((p) => p.status === "declined").length,
        })}
      </p>
      <ul class="fo-people" data-testid="forum-participants">
        {ps.map((p) => (
          <li data-business={p.businessId} data-status={p.status}>
            <strong>{p.name}</strong> <span class="muted">{label(s.sectorLabels, p.sector)}</span>{" "}
            <span class={`badge ${p.status}`}>{label(s.foPartLabels, p.status)}</span>
            {p.checkedIn ? <span class="badge active">{s.foCheckedIn}</span> : null}
            <br />
            <span class="muted">
              {s.foSlots}:{" "}
              {p.status !== "confirmed"
                ? "—"
                : p.available.length === allSlots
                  ? s.foAllSlots
                  : p.available.join(", ")}{" "}
              · {s.foMeetings}: <span data-meetings={p.meetings}>{p.meetings}</span>
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The flash after a redirect, and a refusal's message with its code. */
export function Notices(props: {
  ok?: string | null;
  warn?: string | null | undefined;
  code?: string | undefined;
}) {
  return (
    <>
      {props.ok ? (
        <p class="notice ok" role="status" data-testid="forum-message">
          {props.ok}
        </p>
      ) : null}
      {props.warn ? (
        <p class="notice warn" role="alert" data-code={props.code}>
          {props.warn}
        </p>
      ) : null}
    </>
  );
}

/** What a closed forum's pages say in place of the actions it no longer takes. */
export function ClosedNote(props: { lang: Common["lang"] }) {
  return (
    <p class="notice" data-testid="forum-closed">
      {t(props.lang).foClosedNote}
    </p>
  );
}

export function ForumSummary(props: Common & { forum: ForumRow }) {
  const s = t(props.lang);
  const f = props.forum;
  return (
    <p class="muted" data-status={f.status}>
      {fill(s.foSummary, {
        date: f.date,
        venue: f.venue,
        slots: f.slots.length,
        tables: f.tables,
        minutes: f.meetingMinutes,
      })}{" "}
      · <span class="badge">{label(s.foStatusLabels, f.status)}</span>
    </p>
  );
}

export function ForumPage(props: Common & { data: ForumPageData }) {
  const s = t(props.lang);
  const d = props.data;
  const id = d.forum.id;
  const scheduled = d.forum.status === "scheduled";
  // A closed forum takes no schedule run and no invitation (both refused): only its results show.
  const closed = d.forum.status === "closed";
  return (
    <>
      <ForumSummary lang={props.lang} csrfToken={props.csrfToken} forum={d.forum} />
      <Notices ok={d.message} warn={d.refusal?.text} code={d.refusal?.code} />
      <p class="actions">
        <a class="button secondary" href={`/ui/forum/${id}/meja`} data-testid="forum-table-plan-link">
          {s.foTablePlan}
        </a>
        <a class="button secondary" href={`/ui/forum/${id}/hadir`} data-testid="forum-checkin-link">
          {s.foCheckIn}
        </a>
        <a class="button secondary" href={`/ui/forum/${id}/meja/cetak`} data-testid="forum-print-link">
          {s.foPrint}
        </a>
      </p>
      <section class="card" aria-labelledby="fo-fig">
        <h2 id="fo-fig">{s.foFigures}</h2>
        <ForumFigures lang={props.lang} csrfToken={props.csrfToken} stats={d.stats} />
      </section>
      <section class="card" aria-labelledby="fo-sched">
        <h2 id="fo-sched">{s.foSchedule}</h2>
        {closed ? (
          <ClosedNote lang={props.lang} />
        ) : (
          <>
            <p class="muted">{s.foScheduleHelp}</p>
            <div class="actions">
              <form method="post" action={`/ui/forum/${id}/jadwal`} data-testid="forum-run-schedule">
                <Csrf token={props.csrfToken} />
                <button type="submit">{scheduled ? s.foRerunSchedule : s.foRunSchedule}</button>
              </form>
              {scheduled ? (
                <form method="post" action={`/ui/forum/${id}/kirim-agenda`} data-testid="forum-send-agendas">
                  <Csrf token={props.csrfToken} />
                  <button type="submit" class="secondary">
                    {s.foSendAgendas}
                  </button>
                </form>
              ) : null}
            </div>
            {scheduled ? <p class="muted">{s.foSendHelp}</p> : null}
          </>
        )}
        {d.closable ? (
          <ConfirmedPost
            testId="forum-close"
            summary={s.foClose}
            help={s.foCloseHelp}
            confirm={s.foCloseConfirm}
            action={`/ui/forum/${id}/tutup`}
            csrfToken={props.csrfToken}
          />
        ) : null}
      </section>
      {closed ? null : <InviteForms lang={props.lang} csrfToken={props.csrfToken} data={d} />}
      <section aria-labelledby="fo-parts">
        <h2 id="fo-parts">{s.foParticipants}</h2>
        <Participants lang={props.lang} csrfToken={props.csrfToken} data={d} />
      </section>
    </>
  );
}
