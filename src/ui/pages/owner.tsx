import type { Language } from "../../domain/language";
import { PARTNERSHIP_OUTCOMES } from "../../domain/partnership";
import { patternText } from "../../domain/partnership-patterns";
import { PARTNERSHIP_TEXT_MAX_LENGTH } from "../../domain/texts";
import { whatsAppLink } from "../../domain/whatsapp";
import { PARTNERSHIP_PATTERNS, shortWhy } from "../../matching";
import type { Business, PublicProfile } from "../../services/businesses/businesses.views";
import type { MatchItem } from "../../services/matching/matches.service";
import type { Partnership } from "../../services/partnerships/partnerships.shared";
import { ScoreBreakdown } from "../components";
import { fill, label, t } from "../i18n";
import { Badge, Csrf } from "../layout";

/** What the last form did, read back from the redirect (`?done=<what>&card=<id>`). */
export interface OwnerFlash {
  what: string;
  card: string;
  /** Where a suggestion marked "tidak berminat" stood, so its undo shows in the same place. */
  pos: number;
}

/** An end form that came back with an error: which partnership, what was typed, the message. */
export interface EndFormState {
  id: string;
  note: string;
  error: string;
}

export interface OwnerProps {
  lang: Language;
  csrfToken: string;
  business: Business;
  suggestions: MatchItem[];
  /** How many suggestions to show, after leaving out those with an open request. */
  suggestionsShown: number;
  partnerships: Partnership[];
  /** Public profiles of the businesses the owner has requests or partnerships with. */
  profiles: Map<string, PublicProfile>;
  /** Businesses the owner marked "tidak berminat", which the owner may take back. */
  declines: Array<{ id: string; name: string }>;
  flash: OwnerFlash | null;
  /** A business whose "tidak berminat" confirmation is shown open. */
  confirm: string | null;
  endForm: EndFormState | null;
  /** Forum invitations not answered yet (forums still ahead): shown beside the forums link. */
  forumInvitations: number;
}

const OPEN = new Set(["requested", "accepted", "active"]);

/** The card's anchor: `#card-<partnership or business id>`. */
export const cardId = (id: string) => `card-${id}`;

function Flash(props: { text: string | null }) {
  return props.text ? (
    <p class="notice ok flash" role="status">
      {props.text}
    </p>
  ) : null;
}

function Contact(props: { lang: Language; party: Partnership["partner"] }) {
  const s = t(props.lang);
  return props.party.contact ? (
    <p>
      {s.contact}: <a href={`mailto:${props.party.contact.email}`}>{props.party.contact.email}</a>
      {props.party.contact.whatsapp ? (
        <>
          {" · "}
          <a class="whatsapp" href={whatsAppLink(props.party.contact.whatsapp)} rel="noopener noreferrer">
            {s.chatOnWhatsapp} {props.party.contact.whatsapp}
          </a>
        </>
      ) : null}
    </p>
  ) : (
    <p class="muted">{s.contactHidden}</p>
  );
}

/** "Industri kecil · Kranggan · Usaha mikro": who they are, in one line. */
function Meta(props: { lang: Language; profile: PublicProfile | undefined; sector: string }) {
  const s = t(props.lang);
  const p = props.profile;
  const parts = [label(s.sectorLabels, props.sector)];
  if (p) {
    parts.push(p.location.kelurahan ?? p.location.city);
    parts.push(label(s.sizeWords, p.sizeClass));
  }
  return <p class="meta muted">{parts.join(" · ")}</p>;
}

function PatternLine(props: { lang: Language; code: string }) {
  const p = patternText(props.code, props.lang);
  return (
    <span>
      <strong>{p.name}</strong>
      {p.meaning ? <span class="muted"> · {p.meaning}</span> : null}
    </span>
  );
}

/** Radio choices: the engine's pattern checked first, the others under "lainnya". */
function PatternChoice(props: { lang: Language; suggested: string }) {
  const s = t(props.lang);
  const option = (code: string, checked: boolean) => {
    const p = patternText(code, props.lang);
    return (
      <label class="choice">
        <input type="radio" name="pattern" value={code} checked={checked} />
        <span>
          <strong>{p.name}</strong>
          {checked ? <span class="muted"> ({s.ownerSuggestedPattern})</span> : null}
          <br />
          <span class="muted">{p.meaning}</span>
        </span>
      </label>
    );
  };
  return (
    <fieldset class="patterns">
      <legend>{s.ownerPatternLegend}</legend>
      {option(props.suggested, true)}
      <details class="others">
        <summary>{s.ownerOtherPatterns}</summary>
        {PARTNERSHIP_PATTERNS.filter((c) => c !== props.suggested).map((c) => option(c, false))}
      </details>
    </fieldset>
  );
}

function Incoming(props: OwnerProps & { p: Partnership; note: string | null }) {
  const { p, lang } = props;
  const s = t(lang);
  const profile = props.profiles.get(p.requester.id);
  return (
    <article id={cardId(p.id)} class="card incoming" data-partnership={p.id}>
      <h3>{p.requester.name}</h3>
      <Meta lang={lang} profile={profile} sector={p.requester.sector} />
      {profile?.offers ? (
        <p class="clamp">
          <strong>{s.offers}:</strong> {profile.offers}
        </p>
      ) : null}
      {profile?.needs ? (
        <p class="clamp">
          <strong>{s.needs}:</strong> {profile.needs}
        </p>
      ) : null}
      <p>
        {s.ownerWantsPartnership}
        <PatternLine lang={lang} code={p.pattern} />
      </p>
      {p.message ? <blockquote class="msg">{p.message}</blockquote> : null}
      <Flash text={props.note} />
      <div class="actions">
        <form method="post" action={`/ui/me/partnerships/${p.id}/accept`}>
          <Csrf token={props.csrfToken} />
          <button type="submit">{s.accept}</button>
        </form>
        <details class="act">
          <summary class="btn secondary">{s.ownerRefuse}</summary>
          <p>{fill(s.ownerRefuseConfirm, { name: p.requester.name })}</p>
          <form method="post" action={`/ui/me/partnerships/${p.id}/decline`}>
            <Csrf token={props.csrfToken} />
            <button type="submit" class="danger">
              {s.ownerRefuseYes}
            </button>
          </form>
        </details>
      </div>
    </article>
  );
}

function OpenItem(props: OwnerProps & { p: Partnership; note: string | null }) {
  const { p, lang } = props;
  const s = t(lang);
  const me = props.business.id;
  const mine = p.requester.id === me;
  const other = mine ? p.partner : p.requester;
  const stateKey = p.status === "active" ? "active" : `${p.status}_${mine ? "mine" : "theirs"}`;
  const end = props.endForm?.id === p.id ? props.endForm : null;
  return (
    <article id={cardId(p.id)} class="card" data-partnership={p.id}>
      <h3>{other.name}</h3>
      <p>
        <Badge lang={lang} status={p.status} /> {label(s.ownerState, stateKey)}
      </p>
      <p class="muted">{patternText(p.pattern, lang).name}</p>
      <Flash text={props.note} />
      <Contact lang={lang} party={other} />
      {p.status === "active" ? (
        <details class="act" open={end !== null}>
          <summary class="btn secondary">{s.ownerEndButton}</summary>
          <form method="post" action={`/ui/me/partnerships/${p.id}/end`} class="stack">
            <Csrf token={props.csrfToken} />
            <p class="muted">{s.ownerEndHelp}</p>
            <label>
              {s.ownerOutcomeQuestion}
              <select name="outcome" required aria-invalid={end?.error ? "true" : undefined}>
                <option value="">{s.ownerOutcomeChoose}</option>
                {PARTNERSHIP_OUTCOMES.map((o) => (
                  <option value={o}>{label(s.ownerOutcomeOptions, o)}</option>
                ))}
              </select>
              {end?.error ? (
                <span class="field-error" role="alert" data-code="validation_failed">
                  {end.error}
                </span>
              ) : null}
            </label>
            <label>
              {s.outcomeNote}
              <input name="note" maxlength={PARTNERSHIP_TEXT_MAX_LENGTH} value={end?.note ?? ""} />
            </label>
            <button type="submit">{s.ownerEndButton}</button>
          </form>
        </details>
      ) : null}
      {mine && (p.status === "requested" || p.status === "accepted") ? (
        <form method="post" action={`/ui/me/partnerships/${p.id}/cancel`}>
          <Csrf token={props.csrfToken} />
          <button type="submit" class="secondary">
            {s.ownerCancelRequest}
          </button>
        </form>
      ) : null}
    </article>
  );
}

/** A closed request or partnership in a line or two. */
function ClosedItem(props: { lang: Language; me: string; p: Partnership; note: string | null }) {
  const { p, lang } = props;
  const s = t(lang);
  const mine = p.requester.id === props.me;
  const other = mine ? p.partner : p.requester;
  const line =
    p.status === "ended"
      ? label(s.ownerEnded, p.outcome ?? "")
      : p.status === "declined"
        ? label(s.ownerClosed, `declined_${mine ? "mine" : "theirs"}`)
        : label(s.ownerClosed, p.status);
  return (
    <li id={cardId(p.id)} data-partnership={p.id}>
      <strong>{other.name}</strong> · {line}
      {p.rejectionReason ? <span class="muted"> ({p.rejectionReason})</span> : null}
      {p.outcomeNote ? <span class="muted"> · “{p.outcomeNote}”</span> : null}
      <Flash text={props.note} />
    </li>
  );
}

function UndoForm(props: { csrfToken: string; lang: Language; partnerId: string; pos: number }) {
  return (
    <form method="post" action="/ui/me/declined/undo" class="inline">
      <Csrf token={props.csrfToken} />
      <input type="hidden" name="partnerId" value={props.partnerId} />
      <input type="hidden" name="pos" value={String(props.pos)} />
      <button type="submit" class="secondary">
        {t(props.lang).ownerUndo}
      </button>
    </form>
  );
}

function Suggestion(props: OwnerProps & { m: MatchItem; pos: number; note: string | null }) {
  const { m, lang } = props;
  const s = t(lang);
  const why = shortWhy(m.reasons, lang, 2);
  const pattern = patternText(m.pattern, lang);
  return (
    <article id={cardId(m.business.id)} class="card suggestion" data-business={m.business.id}>
      <h3>{m.business.name}</h3>
      {/* Beside the name while closed (the stylesheet's grid), full width once open. */}
      <details class="more">
        <summary>{s.ownerDetails}</summary>
        <ScoreBreakdown lang={lang} insight={m} />
        <p class="muted">{fill(s.ownerPatternSource, { a: `${pattern.name}: ${pattern.article}` })}</p>
        {m.business.kbli.length > 0 ? (
          <p class="muted">
            {s.ownerKbliCodes}: {m.business.kbli.map((k) => k.code).join(", ")}
          </p>
        ) : null}
      </details>
      <p class="oneline">
        <span class="muted">{m.business.location.kelurahan ?? m.business.location.city}</span>
        {m.business.offers ? ` · ${m.business.offers}` : null}
      </p>
      {why.length > 0 ? <p class="why">{why.join(" · ")}</p> : null}
      <Flash text={props.note} />
      {m.neighbourShard ? (
        <p class="muted">{fill(s.ownerNeighbourNote, { shard: m.neighbourShard })}</p>
      ) : null}
      <div class="actions">
        {/* A neighbour shard's business is suggested across the border but cannot be requested here. */}
        {m.neighbourShard ? null : (
          <details class="act">
            <summary class="btn">{s.askPartnership}</summary>
            <form method="post" action="/ui/me/requests" class="stack">
              <Csrf token={props.csrfToken} />
              <input type="hidden" name="partnerId" value={m.business.id} />
              <PatternChoice lang={lang} suggested={m.pattern} />
              <label>
                {s.ownerMessageOptional}
                <textarea
                  name="message"
                  maxlength={PARTNERSHIP_TEXT_MAX_LENGTH}
                  placeholder={s.messagePlaceholder}
                />
              </label>
              <button type="submit">{s.ownerSendRequest}</button>
            </form>
          </details>
        )}
        <details class="act" open={props.confirm === m.business.id}>
          <summary class="btn secondary">{s.notInterested}</summary>
          <p>{fill(s.ownerDeclineConfirm, { name: m.business.name })}</p>
          <form method="post" action="/ui/me/declined">
            <Csrf token={props.csrfToken} />
            <input type="hidden" name="partnerId" value={m.business.id} />
            <input type="hidden" name="pos" value={String(props.pos)} />
            <input type="hidden" name="confirm" value="yes" />
            <button type="submit" class="danger">
              {s.ownerDeclineYes}
            </button>
          </form>
        </details>
      </div>
    </article>
  );
}

/**
 * The owner's page, built for a phone: what waits for the owner's answer first, then their own
 * requests and partnerships, then suggestions as compact cards with a short "why" in words
 * (scores and codes behind "Rincian"); closed items and declines folded away at the end. After a
 * form, the message shows in the card acted on (the redirect carries `#card-<id>`).
 */
export function OwnerPage(props: OwnerProps) {
  const { lang } = props;
  const s = t(lang);
  const me = props.business.id;
  const incoming = props.partnerships.filter((p) => p.partner.id === me && p.status === "requested");
  const open = props.partnerships.filter(
    (p) => OPEN.has(p.status) && !(p.partner.id === me && p.status === "requested"),
  );
  const closed = props.partnerships.filter((p) => !OPEN.has(p.status));
  const openWith = new Set(
    props.partnerships
      .filter((p) => OPEN.has(p.status))
      .map((p) => (p.requester.id === me ? p.partner.id : p.requester.id)),
  );
  const suggestions = props.suggestions
    .filter((m) => !openWith.has(m.business.id))
    .slice(0, props.suggestionsShown);

  // The flash message, placed in the card it is about; the name comes from the page's own data.
  const f = props.flash;
  const nameOf = (id: string): string | null => {
    const p = props.partnerships.find((x) => x.id === id);
    if (p) return p.requester.id === me ? p.partner.name : p.requester.name;
    return (
      props.suggestions.find((m) => m.business.id === id)?.business.name ??
      props.declines.find((d) => d.id === id)?.name ??
      null
    );
  };
  const flashName = f ? nameOf(f.card) : null;
  const flashText =
    f && flashName !== null && s.ownerDone[f.what]
      ? fill(s.ownerDone[f.what] ?? "", { name: flashName })
      : null;
  const flashFor = (id: string) => (f && f.card === id ? flashText : null);
  const undoCard = f?.what === "notInterested" && props.declines.some((d) => d.id === f.card) ? f.card : null;
  const placed =
    undoCard !== null ||
    props.partnerships.some((p) => p.id === f?.card) ||
    suggestions.some((m) => m.business.id === f?.card);
  const undoPos = Math.min(Math.max(f?.pos ?? 0, 0), suggestions.length);

  const cards = suggestions.map((m, i) => (
    <Suggestion {...props} m={m} pos={i} note={flashFor(m.business.id)} />
  ));
  if (undoCard !== null) {
    cards.splice(
      undoPos,
      0,
      <article id={cardId(undoCard)} class="card undo" data-declined={undoCard}>
        <Flash text={flashText} />
        <UndoForm csrfToken={props.csrfToken} lang={lang} partnerId={undoCard} pos={undoPos} />
      </article>,
    );
  }

  return (
    <div class="owner">
      {/* A message whose card is gone from the page still shows, at the top. */}
      {!placed ? <Flash text={flashText} /> : null}
      {/* The business's status matters to its owner only until it is published. */}
      {props.business.status !== "published" ? (
        <p class="muted">
          {props.business.name} · <Badge lang={lang} status={props.business.status} />
        </p>
      ) : null}
      <p class="muted owner-links">
        <a href="/ui/me/profil">{s.profileLink}</a> · <a href="/ui/me/notifikasi">{s.notifyLink}</a> ·{" "}
        {props.forumInvitations > 0 ? (
          <a href="/ui/me/forum" aria-label={fill(s.myForumUnanswered, { n: props.forumInvitations })}>
            {s.myForumLink} <strong class="count">({props.forumInvitations})</strong>
          </a>
        ) : (
          <a href="/ui/me/forum">{s.myForumLink}</a>
        )}
      </p>
      {props.business.status === "pending_review" ? <p class="notice warn">{s.pendingReviewNotice}</p> : null}
      {props.business.status === "rejected" ? (
        <p class="notice warn">{fill(s.rejectedNotice, { r: props.business.rejectionReason ?? "" })}</p>
      ) : null}

      {incoming.length > 0 ? (
        <section aria-labelledby="o-waiting" class="waiting">
          <h2 id="o-waiting">
            {s.ownerWaiting} ({incoming.length})
          </h2>
          {incoming.map((p) => (
            <Incoming {...props} p={p} note={flashFor(p.id)} />
          ))}
        </section>
      ) : null}

      {open.length > 0 ? (
        <section aria-labelledby="o-open">
          <h2 id="o-open">{s.ownerOpen}</h2>
          {open.map((p) => (
            <OpenItem {...props} p={p} note={flashFor(p.id)} />
          ))}
        </section>
      ) : null}

      <section aria-labelledby="o-suggestions">
        <h2 id="o-suggestions">{s.ownerSuggestions}</h2>
        {cards.length === 0 ? <p class="muted">{s.ownerNoSuggestions}</p> : null}
        {cards}
      </section>

      {closed.length > 0 ? (
        <details class="history" open={closed.some((p) => p.id === f?.card)}>
          <summary>{fill(s.ownerHistory, { n: closed.length })}</summary>
          <ul class="plain">
            {closed.map((p) => (
              <ClosedItem lang={lang} me={me} p={p} note={flashFor(p.id)} />
            ))}
          </ul>
        </details>
      ) : null}

      {props.declines.length > 0 ? (
        <details class="history">
          <summary>{fill(s.ownerDeclinedList, { n: props.declines.length })}</summary>
          <p class="muted">{s.ownerDeclinedListHelp}</p>
          <ul class="plain">
            {props.declines.map((d) => (
              <li data-declined={d.id}>
                {d.name} <UndoForm csrfToken={props.csrfToken} lang={lang} partnerId={d.id} pos={0} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
