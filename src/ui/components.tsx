import type { Language } from "../domain/language";
import type { PairingInsight } from "../services/dashboard/pairing-insights.service";
import type { Partnership } from "../services/partnerships/partnerships.shared";
import { label, t } from "./i18n";
import { Badge, Csrf } from "./layout";

const pct = (v: number) => `${Math.round(v * 100)}%`;

/** Score, its three components as meters, the reasons and the suggested pattern. */
export function ScoreBreakdown(props: { lang: Language; insight: PairingInsight }) {
  const s = t(props.lang);
  const { insight } = props;
  const rows: Array<[string, number]> = [
    [s.componentText, insight.components.text],
    [s.componentCategory, insight.components.category],
    [s.componentLocation, insight.components.location],
  ];
  return (
    <div class="score">
      <p>
        <strong>{s.score}:</strong> <span class="score-value">{insight.score.toFixed(2)}</span>
      </p>
      <h4 class="muted">{s.components}</h4>
      <ul class="bars">
        {rows.map(([name, value]) => (
          <li data-component={name}>
            <span>{name}</span>
            <meter min={0} max={1} value={value} aria-label={`${name} ${pct(value)}`} />
            <span>{pct(value)}</span>
          </li>
        ))}
      </ul>
      {insight.reasons.length > 0 ? (
        <>
          <h4 class="muted">{s.reasons}</h4>
          <ul class="reasons">
            {insight.reasons.map((r) => (
              <li>{r}</li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <strong>{s.suggestedPattern}:</strong> {label(s.patternLabels, insight.pattern)}
      </p>
    </div>
  );
}

/** One request or partnership in a table row: sides, pattern, status, dates. */
export function PartnershipTable(props: {
  lang: Language;
  items: Partnership[];
  /** Officers link businesses to their directory page. */
  linkBusinesses?: boolean;
}) {
  const s = t(props.lang);
  const name = (p: Partnership["requester"]) =>
    props.linkBusinesses ? <a href={`/ui/businesses/${p.id}`}>{p.name}</a> : p.name;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>{s.requester}</th>
            <th>{s.partner}</th>
            <th>{s.pattern}</th>
            <th>{s.status}</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((p) => (
            <tr data-partnership={p.id}>
              <td>{name(p.requester)}</td>
              <td>{name(p.partner)}</td>
              <td>{label(s.patternLabels, p.pattern)}</td>
              <td>
                {props.linkBusinesses ? (
                  <a href={`/ui/partnerships/${p.id}`}>
                    <Badge lang={props.lang} status={p.status} />
                  </a>
                ) : (
                  <Badge lang={props.lang} status={p.status} />
                )}
                {p.rejectionReason ? <div class="muted">{p.rejectionReason}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function formatTime(iso: string, lang: Language): string {
  return new Date(iso).toLocaleString(lang === "id" ? "id-ID" : "en-GB", {
    timeZone: "Asia/Jakarta",
    dateStyle: "medium",
    timeStyle: "short",
  });
}

/**
 * An action that asks first: a `<details>` whose form posts on confirmation (no script). `fields`
 * go along as hidden inputs (the partner an owner's action is about, say).
 */
export function ConfirmedPost(props: {
  testId?: string;
  summary: string;
  help: string;
  confirm: string;
  action: string;
  csrfToken: string;
  fields?: Record<string, string>;
}) {
  return (
    <details data-testid={props.testId}>
      <summary>{props.summary}</summary>
      <p class="muted">{props.help}</p>
      <form method="post" action={props.action}>
        <Csrf token={props.csrfToken} />
        {Object.entries(props.fields ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button type="submit" class="secondary">
          {props.confirm}
        </button>
      </form>
    </details>
  );
}
