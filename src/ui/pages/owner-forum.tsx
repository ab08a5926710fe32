import { parseIsoDay, wibMidnight } from "../../domain/calendar";
import { canWithdrawAccepted, FORUM_RATINGS } from "../../domain/forum";
import type { Language } from "../../domain/language";
import { formatDate } from "../../email/format";
import { shortWhy } from "../../matching";
import type { ForumPartner, ForumPartners } from "../../services/forums/forum-partners.service";
import type { MyForum } from "../../services/forums/my-forums.service";
import type { OwnerAgenda, OwnerAgendaItem } from "../../services/forums/owner-agenda.service";
import { ConfirmedPost } from "../components";
import { fill, label, t } from "../i18n";
import { Csrf } from "../layout";
import { cardId } from "./owner";

/**
 * The owner's forum pages (docs/FORUMS.md, "The owner's pages"): invitations, one forum (attendance,
 * suggested partners, requests), the agenda with ratings, and the agenda's printable A4 page.
 * No script: every action is a small form; "tidak berminat" confirms in a <details>.
 */

interface Common {
  lang: Language;
  csrfToken: string;
}

/** What the last action did (`?done=`), near the card it was about. */
export interface ForumFlash {
  what: string;
  card: string | null;
  /** After a rating: the problem code that kept a follow-up request from opening. */
  refused: string | null;
}

/** A refused action shown at its card (or at the top when `card` is null). */
export interface CardError {
  card: string | null;
  text: string;
}

export interface AttendanceForm {
  attending: string;
  available: string[];
  error: { field: "attending" | "available"; text: string } | null;
}

/** "10 Desember 2026" from the forum's "YYYY-MM-DD" (the emails' month names). */
export function forumDate(date: string, lang: Language): string {
  const d = parseIsoDay(date);
  return d ? formatDate(wibMidnight(d.year, d.month, d.day), lang) : date;
}

const slotText = (slot: { start: string; end: string }) => `${slot.start}–${slot.end}`;

const base = (forumId: string) => `/ui/me/forum/${forumId}`;

function Notice(props: { text: string | null | undefined; warn?: boolean }) {
  if (!props.text) return null;
  return props.warn ? (
    <p class="notice warn" role="alert">
      {props.text}
    </p>
  ) : (
    <p class="notice ok" role="status">
      {props.text}
    </p>
  );
}

function ForumFacts(props: { lang: Language; my: MyForum }) {
  const s = t(props.lang);
  const f = props.my.forum;
  const first = f.slots[0];
  const last = f.slots[f.slots.length - 1];
  return (
    <dl class="kv">
      <dt>{s.myForumDate}</dt>
      <dd>{forumDate(f.date, props.lang)}</dd>
      <dt>{s.myForumVenue}</dt>
      <dd>{f.venue}</dd>
      {first && last ? (
        <>
          <dt>{s.myForumTime}</dt>
          <dd>
            {first.start}–{last.end} · {fill(s.myForumMeetingLength, { m: f.meetingMinutes })}
          </dd>
        </>
      ) : null}
      <dt>{s.myForumYou}</dt>
      <dd data-participation={props.my.participation}>
        {label(s.myForumParticipation, props.my.participation)}
      </dd>
    </dl>
  );
}

export function MyForumsPage(props: Common & { items: MyForum[] }) {
  const s = t(props.lang);
  return (
    <div class="owner forum-owner">
      <p>{s.myForumsIntro}</p>
      {props.items.length === 0 ? <p class="muted">{s.myForumsNone}</p> : null}
      {props.items.map((my) => (
        <article class="card" data-forum={my.forum.id}>
          <h2>
            <a href={base(my.forum.id)}>{my.forum.name}</a>
          </h2>
          <p class="muted">{label(s.myForumStatus, my.forum.status)}</p>
          <ForumFacts lang={props.lang} my={my} />
          <p>
            <a class="button" href={base(my.forum.id)}>
              {s.myForumOpen}
            </a>
            {my.forum.status !== "open" && my.participation === "confirmed" ? (
              <a class="button secondary" href={`${base(my.forum.id)}/agenda`}>
                {s.myAgendaLink}
              </a>
            ) : null}
          </p>
        </article>
      ))}
    </div>
  );
}

function AttendanceSection(props: Common & { my: MyForum; form: AttendanceForm }) {
  const s = t(props.lang);
  const { my, form } = props;
  const err = form.error;
  return (
    <form
      method="post"
      action={`${base(my.forum.id)}/hadir`}
      class="card stack"
      aria-labelledby="f-att"
      id="hadir"
    >
      <h2 id="f-att">{s.myForumAttendance}</h2>
      <Csrf token={props.csrfToken} />
      <fieldset aria-invalid={err?.field === "attending" ? "true" : undefined}>
        <legend>{s.myForumAttending}</legend>
        <label class="check">
          <input type="radio" name="attending" value="ya" checked={form.attending === "ya"} />
          {s.myForumYes}
        </label>
        <label class="check">
          <input type="radio" name="attending" value="tidak" checked={form.attending === "tidak"} />
          {s.myForumNo}
        </label>
        {err?.field === "attending" ? <p class="field-error">{err.text}</p> : null}
      </fieldset>
      <fieldset aria-invalid={err?.field === "available" ? "true" : undefined}>
        <legend>{s.myForumSlots}</legend>
        <p class="muted">{s.myForumSlotsHelp}</p>
        {my.forum.slots.map((slot) => (
          <label class="check">
            <input
              type="checkbox"
              name="slot"
              value={slot.start}
              checked={form.available.includes(slot.start)}
            />
            {slotText(slot)}
          </label>
        ))}
        {err?.field === "available" ? <p class="field-error">{err.text}</p> : null}
      </fieldset>
      <p>
        <button type="submit">{s.myForumSave}</button>
      </p>
    </form>
  );
}

function stateOf(p: ForumPartner): string | null {
  const mineWants = p.mine === "requested" || p.mine === "accepted";
  const theyWant = p.theirs === "requested" || p.theirs === "accepted";
  if (mineWants && theyWant) return "mutual";
  if (p.mine === "requested" || p.mine === "accepted" || p.mine === "declined") return p.mine;
  if (p.theirs === "requested") return "theyAsked";
  return null;
}

function PartnerFacts(props: { lang: Language; p: ForumPartner }) {
  const s = t(props.lang);
  const why = shortWhy(props.p.why, props.lang, 3);
  return (
    <>
      <h3>{props.p.name}</h3>
      <p class="muted">{label(s.sectorLabels, props.p.sector)}</p>
      {why.length ? (
        <p>
          <strong>{s.myForumWhy}:</strong> {why.join(" · ")}
        </p>
      ) : null}
      {props.p.offers ? (
        <p>
          <strong>{s.myForumOffers}:</strong> {props.p.offers}
        </p>
      ) : null}
      {props.p.needs ? (
        <p>
          <strong>{s.myForumNeeds}:</strong> {props.p.needs}
        </p>
      ) : null}
    </>
  );
}

function PartnerCard(
  props: Common & {
    forumId: string;
    p: ForumPartner;
    note: string | null;
    error: string | null;
    /** The forum's status: before the schedule run an accepted request can still be withdrawn. */
    forumStatus: string;
  },
) {
  const s = t(props.lang);
  const { p } = props;
  const state = stateOf(p);
  const canAsk = p.mine !== "requested" && p.mine !== "accepted";
  return (
    <article id={cardId(p.id)} class="card" data-partner={p.id} data-state={state ?? "none"}>
      <Notice text={props.note} />
      <Notice text={props.error} warn />
      <PartnerFacts lang={props.lang} p={p} />
      {state ? <p class="state">{label(s.myForumState, state)}</p> : null}
      {canAsk ? (
        <form method="post" action={`${base(props.forumId)}/minta`} class="inline">
          <Csrf token={props.csrfToken} />
          <input type="hidden" name="partnerId" value={p.id} />
          <button type="submit">{s.myForumAsk}</button>
        </form>
      ) : null}
      {p.mine === "requested" ? (
        <form method="post" action={`${base(props.forumId)}/batal`} class="inline">
          <Csrf token={props.csrfToken} />
          <input type="hidden" name="partnerId" value={p.id} />
          <button type="submit" class="secondary" data-testid="forum-withdraw">
            {s.myForumWithdraw}
          </button>
        </form>
      ) : null}
      {p.mine === "accepted" && canWithdrawAccepted(props.forumStatus) ? (
        <ConfirmedPost
          testId="forum-withdraw-accepted"
          summary={s.myForumWithdrawAccepted}
          help={s.myForumWithdrawAcceptedHelp}
          confirm={s.myForumWithdrawAcceptedConfirm}
          action={`${base(props.forumId)}/batal`}
          csrfToken={props.csrfToken}
          fields={{ partnerId: p.id }}
        />
      ) : null}
      {/* After the run, until the forum closes, the officer can still move or drop the meeting. */}
      {p.mine === "accepted" && props.forumStatus === "scheduled" ? (
        <p class="muted">{s.myForumWithdrawAcceptedLate}</p>
      ) : null}
      <ConfirmedPost
        summary={s.myForumNotInterested}
        help={s.myForumNotInterestedHelp}
        confirm={s.myForumNotInterestedConfirm}
        action={`${base(props.forumId)}/tidak-berminat`}
        csrfToken={props.csrfToken}
        fields={{ partnerId: p.id }}
      />
    </article>
  );
}

function ReceivedCard(
  props: Common & { forumId: string; p: ForumPartner; note: string | null; error: string | null },
) {
  const s = t(props.lang);
  const { p } = props;
  return (
    <article id={cardId(`r-${p.id}`)} class="card" data-received={p.id} data-state={p.theirs ?? ""}>
      <Notice text={props.note} />
      <Notice text={props.error} warn />
      <PartnerFacts lang={props.lang} p={p} />
      <p class="state">{label(s.myForumReceivedState, p.theirs ?? "")}</p>
      {p.theirs === "requested" ? (
        <div class="actions">
          {(["terima", "tolak"] as const).map((answer) => (
            <form method="post" action={`${base(props.forumId)}/permintaan`} class="inline">
              <Csrf token={props.csrfToken} />
              <input type="hidden" name="fromId" value={p.id} />
              <input type="hidden" name="answer" value={answer} />
              <button type="submit" class={answer === "tolak" ? "secondary" : undefined}>
                {answer === "terima" ? s.myForumAccept : s.myForumDecline}
              </button>
            </form>
          ))}
        </div>
      ) : null}
    </article>
  );
}

export function ForumPage(
  props: Common & {
    my: MyForum;
    partners: ForumPartners | null;
    form: AttendanceForm;
    flash: ForumFlash | null;
    error: CardError | null;
  },
) {
  const s = t(props.lang);
  const { my, partners, flash, error } = props;
  const flashText = flash ? label(s.myForumDone, flash.what) : null;
  const noteFor = (card: string) => (flash?.card === card ? flashText : null);
  const errorFor = (card: string) => (error?.card === card ? error.text : null);
  const ids = new Set([
    ...(partners?.suggestions ?? []).map((p) => p.id),
    ...(partners?.received ?? []).map((p) => `r-${p.id}`),
  ]);
  return (
    <div class="owner forum-owner">
      {flash && !(flash.card && ids.has(flash.card)) ? <Notice text={flashText} /> : null}
      {error && !(error.card && ids.has(error.card)) ? <Notice text={error.text} warn /> : null}
      <p class="muted">{label(s.myForumStatus, my.forum.status)}</p>
      <ForumFacts lang={props.lang} my={my} />
      {my.forum.status !== "open" && my.participation === "confirmed" ? (
        <p>
          <a class="button" href={`${base(my.forum.id)}/agenda`}>
            {s.myAgendaLink}
          </a>
        </p>
      ) : null}
      {my.forum.status !== "closed" ? (
        <AttendanceSection lang={props.lang} csrfToken={props.csrfToken} my={my} form={props.form} />
      ) : null}
      {my.participation === "invited" ? <p class="notice">{s.myForumConfirmFirst}</p> : null}
      {partners && partners.received.length > 0 ? (
        <section aria-labelledby="f-received">
          <h2 id="f-received">{s.myForumReceived}</h2>
          {partners.received.map((p) => (
            <ReceivedCard
              lang={props.lang}
              csrfToken={props.csrfToken}
              forumId={my.forum.id}
              p={p}
              note={noteFor(`r-${p.id}`)}
              error={errorFor(`r-${p.id}`)}
            />
          ))}
        </section>
      ) : null}
      {partners && my.participation === "confirmed" ? (
        <section aria-labelledby="f-partners">
          <h2 id="f-partners">{s.myForumPartners}</h2>
          <p class="muted">{s.myForumPartnersIntro}</p>
          <p data-quota={`${partners.sentCounted}/${partners.maxRequests}`}>
            {fill(s.myForumQuota, { n: partners.sentCounted, max: partners.maxRequests })}
          </p>
          {partners.suggestions.length === 0 ? <p class="muted">{s.myForumPartnersNone}</p> : null}
          {partners.suggestions.map((p) => (
            <PartnerCard
              lang={props.lang}
              csrfToken={props.csrfToken}
              forumId={my.forum.id}
              p={p}
              note={noteFor(p.id)}
              error={errorFor(p.id)}
              forumStatus={my.forum.status}
            />
          ))}
        </section>
      ) : null}
      <p>
        <a href="/ui/me/forum">{s.myForumsTitle}</a>
      </p>
    </div>
  );
}

function BringUp(props: { lang: Language; m: OwnerAgendaItem }) {
  const s = t(props.lang);
  return (
    <ul class="bring">
      {props.m.partner.offers ? <li>{fill(s.myAgendaBringOffers, { x: props.m.partner.offers })}</li> : null}
      {props.m.partner.needs ? <li>{fill(s.myAgendaBringNeeds, { x: props.m.partner.needs })}</li> : null}
    </ul>
  );
}

function whyText(m: OwnerAgendaItem, lang: Language): string {
  const s = t(lang);
  return [label(s.myAgendaReason, m.reason), ...shortWhy(m.why, lang, 2)].join(" · ");
}

function RatingForm(props: Common & { forumId: string; m: OwnerAgendaItem; error: string | null }) {
  const s = t(props.lang);
  const { m } = props;
  return (
    <form method="post" action={`${base(props.forumId)}/nilai`} class="stack rate">
      <Csrf token={props.csrfToken} />
      <input type="hidden" name="meetingId" value={m.meetingId} />
      <fieldset aria-invalid={props.error ? "true" : undefined}>
        <legend>{s.myRateTitle}</legend>
        {FORUM_RATINGS.map((r) => (
          <label class="check">
            <input type="radio" name="rating" value={r} checked={m.rating === r} />
            {label(s.myRate, r)}
          </label>
        ))}
        {props.error ? <p class="field-error">{props.error}</p> : null}
      </fieldset>
      <p>
        <button type="submit">{s.myRateSave}</button>
      </p>
    </form>
  );
}

function FollowUp(props: { lang: Language; m: OwnerAgendaItem; refused: string | null }) {
  const s = t(props.lang);
  const { m } = props;
  if (m.followUpId)
    return (
      <p class="notice ok" data-follow-up={m.followUpId}>
        {s.myFollowUpOpened} <a href={`/ui/me#${cardId(m.followUpId)}`}>{s.myFollowUpSee}</a>
      </p>
    );
  if (!m.bothLanjut) return null;
  return (
    <p class="notice warn" data-follow-up-refused={props.refused ?? ""}>
      {(props.refused && s.myFollowUpRefused[props.refused]) || s.myFollowUpNone}
    </p>
  );
}

export function AgendaPage(
  props: Common & {
    my: MyForum;
    agenda: OwnerAgenda;
    flash: ForumFlash | null;
    error: CardError | null;
  },
) {
  const s = t(props.lang);
  const { my, agenda, flash, error } = props;
  const scheduled = my.forum.status === "scheduled" || my.forum.status === "closed";
  return (
    <div class="owner forum-owner">
      <p>
        <strong>{my.forum.name}</strong> · {forumDate(my.forum.date, props.lang)} · {my.forum.venue}
      </p>
      {!scheduled ? <p class="notice">{s.myAgendaNone}</p> : null}
      {scheduled && agenda.items.length === 0 ? <p class="notice warn">{s.myAgendaEmpty}</p> : null}
      {agenda.items.length > 0 ? (
        <p>
          <a class="button secondary" href={`${base(my.forum.id)}/agenda/cetak`}>
            {s.myAgendaPrint}
          </a>
        </p>
      ) : null}
      {agenda.items.length > 0 ? (
        <p class="muted">{agenda.ratingOpen ? s.myRateHelp : s.myRateLater}</p>
      ) : null}
      {agenda.items.map((m) => (
        <article id={`m-${m.meetingId}`} class="card meeting" data-meeting={m.meetingId}>
          {flash?.card === m.meetingId ? <Notice text={label(s.myForumDone, flash.what)} /> : null}
          <h2>
            {m.start}–{m.end} · {fill(s.myAgendaTable, { n: m.tableNo })}
          </h2>
          <h3>{m.partner.name}</h3>
          <p class="muted">{label(s.sectorLabels, m.partner.sector)}</p>
          <p>
            <strong>{s.myAgendaWhy}:</strong> {whyText(m, props.lang)}
          </p>
          <p>
            <strong>{s.myAgendaBring}:</strong>
          </p>
          <BringUp lang={props.lang} m={m} />
          {agenda.ratingOpen ? (
            <>
              <RatingForm
                lang={props.lang}
                csrfToken={props.csrfToken}
                forumId={my.forum.id}
                m={m}
                error={error?.card === m.meetingId ? error.text : null}
              />
              <FollowUp
                lang={props.lang}
                m={m}
                refused={flash?.card === m.meetingId ? flash.refused : null}
              />
            </>
          ) : null}
        </article>
      ))}
      <p>
        <a href={base(my.forum.id)}>{s.myAgendaBack}</a>
      </p>
    </div>
  );
}

/** The A4 page: one table, printed without the site's header (print CSS in forum-owner.styles.ts). */
export function PrintAgendaPage(props: Common & { my: MyForum; agenda: OwnerAgenda; businessName: string }) {
  const s = t(props.lang);
  const { my, agenda } = props;
  return (
    <div class="agenda-print">
      <p class="no-print muted">
        {s.myAgendaPrintHelp} <a href={`${base(my.forum.id)}/agenda`}>{s.myAgendaTitle}</a>
      </p>
      <p>
        <strong>{fill(s.myAgendaFor, { name: props.businessName })}</strong>
        <br />
        {my.forum.name} · {forumDate(my.forum.date, props.lang)} · {my.forum.venue}
      </p>
      {agenda.items.length === 0 ? <p>{s.myAgendaNone}</p> : null}
      {agenda.items.length > 0 ? (
        <table class="agenda">
          <thead>
            <tr>
              <th scope="col">{s.myAgendaColTime}</th>
              <th scope="col">{s.myAgendaColTable}</th>
              <th scope="col">{s.myAgendaPartner}</th>
              <th scope="col">{s.myAgendaWhy}</th>
              <th scope="col">{s.myAgendaBring}</th>
            </tr>
          </thead>
          <tbody>
            {agenda.items.map((m) => (
              <tr data-meeting={m.meetingId}>
                <td>
                  {m.start}–{m.end}
                </td>
                <td>{m.tableNo}</td>
                <td>
                  {m.partner.name}
                  <br />
                  <small>{label(s.sectorLabels, m.partner.sector)}</small>
                </td>
                <td>{whyText(m, props.lang)}</td>
                <td>
                  <BringUp lang={props.lang} m={m} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
