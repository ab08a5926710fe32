import { READINESS_STEPS } from "../../domain/procurement";
import type { Opportunity } from "../../services/procurement/opportunities.service";
import type { Checklist } from "../../services/procurement/readiness-checklist.service";
import { label, t } from "../i18n";
import { Csrf } from "../layout";
import type { Common } from "./officer/shared";

/** The owner's "peluang pengadaan": packages an officer sent, and the readiness checklist. */

const rupiah = (n: number) => `Rp${n.toLocaleString("id-ID")}`;

function OpportunityCard(props: Common & { o: Opportunity; full?: boolean }) {
  const s = t(props.lang);
  const o = props.o;
  return (
    <article class="card stack" data-opportunity={o.id}>
      <h2>{props.full ? o.name : <a href={`/ui/me/pengadaan/${o.id}`}>{o.name}</a>}</h2>
      <dl class="kv">
        <dt>{s.procBuyer}</dt>
        <dd>{o.buyerName}</dd>
        <dt>{s.procPagu}</dt>
        <dd>{rupiah(o.pagu)}</dd>
        <dt>{s.procMethod}</dt>
        <dd>{label(s.procMethods, o.method)}</dd>
        <dt>{s.procType}</dt>
        <dd>{label(s.procTypes, o.type)}</dd>
        <dt>{s.procOppPlanned}</dt>
        <dd>{o.plannedMonth}</dd>
        {props.full ? (
          <>
            <dt>{s.procOppContact}</dt>
            <dd>
              {[o.contactName, o.contactEmail, o.contactPhone].filter(Boolean).join(", ") || s.procNoContact}
            </dd>
          </>
        ) : null}
      </dl>
    </article>
  );
}

export function OpportunitiesPage(
  props: Common & { items: Opportunity[]; checklist: Checklist; showChecklist: boolean; saved: boolean },
) {
  const s = t(props.lang);
  const done = new Set(props.checklist.done);
  return (
    <>
      <p class="lead">{s.procOppIntro}</p>
      {props.items.length === 0 ? <p class="muted">{s.procOppNone}</p> : null}
      {props.items.map((o) => (
        <OpportunityCard lang={props.lang} csrfToken={props.csrfToken} o={o} />
      ))}
      {props.showChecklist ? (
        <form method="post" action="/ui/me/pengadaan/langkah" class="card stack" aria-labelledby="ck">
          <h2 id="ck">{s.procChecklist}</h2>
          <p class="muted">{s.procChecklistIntro}</p>
          {props.saved ? (
            <p class="notice ok" role="status">
              {props.checklist.completedAt ? s.procChecklistDone : s.procChecklistSave}
            </p>
          ) : null}
          <Csrf token={props.csrfToken} />
          {READINESS_STEPS.map((step) => (
            <label class="check">
              <input type="checkbox" name="step" value={step.id} checked={done.has(step.id)} />
              {step.text[props.lang]}
              <small class="muted">
                {" "}
                ({s.procSource}: {step.source})
              </small>
            </label>
          ))}
          <p>
            <button type="submit">{s.procChecklistSave}</button>
          </p>
        </form>
      ) : null}
    </>
  );
}

export function OpportunityPage(props: Common & { o: Opportunity }) {
  return <OpportunityCard lang={props.lang} csrfToken={props.csrfToken} o={props.o} full />;
}
