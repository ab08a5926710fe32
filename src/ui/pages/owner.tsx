import type { Language } from "../../domain/language";
import { PARTNERSHIP_OUTCOMES } from "../../domain/partnership";
import { PARTNERSHIP_TEXT_MAX_LENGTH } from "../../domain/texts";
import { whatsAppLink } from "../../domain/whatsapp";
import { PARTNERSHIP_PATTERNS } from "../../matching";
import type { Business } from "../../services/businesses/businesses.views";
import type { MatchItem } from "../../services/matching/matches.service";
import type { Partnership } from "../../services/partnerships/partnerships.service";
import { ScoreBreakdown } from "../components";
import { fill, label, t } from "../i18n";
import { Badge, Csrf, Done } from "../layout";

interface OwnerProps {
  lang: Language;
  csrfToken: string;
  business: Business;
  suggestions: MatchItem[];
  partnerships: Partnership[];
  done: boolean;
}

const OPEN = new Set(["requested", "accepted", "active"]);

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

/** The owner's page: built for a phone, one column, big buttons. */
export function OwnerPage(props: OwnerProps) {
  const s = t(props.lang);
  const me = props.business.id;
  const incoming = props.partnerships.filter((p) => p.partner.id === me && p.status === "requested");
  const rest = props.partnerships.filter((p) => !(p.partner.id === me && p.status === "requested"));
  const openWith = new Map<string, Partnership>();
  for (const p of props.partnerships) {
    if (OPEN.has(p.status)) openWith.set(p.requester.id === me ? p.partner.id : p.requester.id, p);
  }
  return (
    <>
      <Done lang={props.lang} show={props.done} />
      <p class="muted">
        {props.business.name} · <Badge lang={props.lang} status={props.business.status} /> ·{" "}
        <a href="/ui/me/profil">{s.profileLink}</a>
      </p>
      {props.business.status === "pending_review" ? <p class="notice warn">{s.pendingReviewNotice}</p> : null}
      {props.business.status === "rejected" ? (
        <p class="notice warn">{fill(s.rejectedNotice, { r: props.business.rejectionReason ?? "" })}</p>
      ) : null}

      <section aria-labelledby="o-incoming">
        <h2 id="o-incoming">{s.incoming}</h2>
        {incoming.length === 0 ? <p class="muted">{s.noIncoming}</p> : null}
        {incoming.map((p) => (
          <article class="card" data-partnership={p.id}>
            <h3>
              {s.from}: {p.requester.name}
            </h3>
            <p class="muted">{label(s.patternLabels, p.pattern)}</p>
            {p.message ? <p>{p.message}</p> : null}
            <div class="actions">
              <form method="post" action={`/ui/me/partnerships/${p.id}/accept`}>
                <Csrf token={props.csrfToken} />
                <button type="submit">{s.accept}</button>
              </form>
              <form method="post" action={`/ui/me/partnerships/${p.id}/decline`}>
                <Csrf token={props.csrfToken} />
                <button type="submit" class="secondary">
                  {s.decline}
                </button>
              </form>
            </div>
          </article>
        ))}
      </section>

      <section aria-labelledby="o-suggestions">
        <h2 id="o-suggestions">{s.suggestions}</h2>
        {props.suggestions.length === 0 ? <p class="muted">{s.noSuggestions}</p> : null}
        {props.suggestions.map((m) => {
          const open = openWith.get(m.business.id);
          return (
            <article class="card suggestion" data-business={m.business.id}>
              <h3>{m.business.name}</h3>
              <p class="muted">
                {label(s.sectorLabels, m.business.sector)} ·{" "}
                {m.business.location.kelurahan ?? m.business.location.city}
              </p>
              {m.business.offers ? (
                <p>
                  <strong>{s.offers}:</strong> {m.business.offers}
                </p>
              ) : null}
              <ScoreBreakdown lang={props.lang} insight={m} />
              {open ? (
                <p>
                  <Badge lang={props.lang} status={open.status} />
                </p>
              ) : (
                <>
                  <form method="post" action="/ui/me/requests" class="stack">
                    <Csrf token={props.csrfToken} />
                    <input type="hidden" name="partnerId" value={m.business.id} />
                    <label>
                      {s.pattern}
                      <select name="pattern">
                        {PARTNERSHIP_PATTERNS.map((p) => (
                          <option value={p} selected={p === m.pattern}>
                            {label(s.patternLabels, p)}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label>
                      {s.message}
                      <textarea
                        name="message"
                        maxlength={PARTNERSHIP_TEXT_MAX_LENGTH}
                        placeholder={s.messagePlaceholder}
                      />
                    </label>
                    <button type="submit">{s.askPartnership}</button>
                  </form>
                  <form method="post" action="/ui/me/declined" class="inline">
                    <Csrf token={props.csrfToken} />
                    <input type="hidden" name="partnerId" value={m.business.id} />
                    <button type="submit" class="secondary">
                      {s.notInterested}
                    </button>
                  </form>
                </>
              )}
            </article>
          );
        })}
      </section>

      <section aria-labelledby="o-outgoing">
        <h2 id="o-outgoing">{s.outgoing}</h2>
        {rest.length === 0 ? <p class="muted">{s.noOutgoing}</p> : null}
        {rest.map((p) => {
          const mine = p.requester.id === me;
          const other = mine ? p.partner : p.requester;
          return (
            <article class="card" data-partnership={p.id}>
              <h3>
                {mine ? s.to : s.from}: {other.name}
              </h3>
              <p>
                <Badge lang={props.lang} status={p.status} /> · {label(s.patternLabels, p.pattern)}
              </p>
              {p.rejectionReason ? <p class="muted">{p.rejectionReason}</p> : null}
              <Contact lang={props.lang} party={other} />
              {p.status === "active" ? (
                <form method="post" action={`/ui/me/partnerships/${p.id}/end`} class="stack">
                  <Csrf token={props.csrfToken} />
                  <label>
                    {s.outcome}
                    <select name="outcome">
                      {PARTNERSHIP_OUTCOMES.map((o) => (
                        <option value={o}>{label(s.outcomeLabels, o)}</option>
                      ))}
                    </select>
                  </label>
                  <label>
                    {s.outcomeNote}
                    <input name="note" maxlength={PARTNERSHIP_TEXT_MAX_LENGTH} />
                  </label>
                  <button type="submit" class="secondary">
                    {s.endPartnership}
                  </button>
                </form>
              ) : null}
              {p.outcome ? (
                <p class="muted">
                  {s.outcome}: {label(s.outcomeLabels, p.outcome)}
                </p>
              ) : null}
              {mine && (p.status === "requested" || p.status === "accepted") ? (
                <form method="post" action={`/ui/me/partnerships/${p.id}/cancel`}>
                  <Csrf token={props.csrfToken} />
                  <button type="submit" class="secondary">
                    {s.cancel}
                  </button>
                </form>
              ) : null}
            </article>
          );
        })}
      </section>
    </>
  );
}
