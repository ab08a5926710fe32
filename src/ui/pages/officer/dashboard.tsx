import { PERIOD_KINDS, type PeriodKind } from "../../../domain/calendar";
import type { Dashboard } from "../../../services/dashboard/dashboard.service";
import { LAPORAN_TABLES } from "../../../services/dashboard/laporan.service";
import type { ProvinceDashboard, ShardFigures } from "../../../services/dashboard/province.service";
import type { OneStepAway } from "../../../services/dashboard/readiness.service";
import type { ForumStats } from "../../../services/forums/forum-stats.service";
import { fill, label, t } from "../../i18n";
import { KelurahanMap } from "../../map";
import { DashboardForums } from "./forums";
import type { Common } from "./shared";

/** What the period form shows: the choice as typed, and a message per bad field. */
export interface PeriodForm {
  kind: PeriodKind;
  from: string;
  to: string;
  errors: Partial<Record<"from" | "to", string>>;
}

/** The period form (GET, no script): a choice of period, and dates for a custom one. */
export function PeriodFilter(props: Common & { form: PeriodForm }) {
  const s = t(props.lang);
  const f = props.form;
  const dateField = (name: "from" | "to", text: string) => (
    <label>
      {text}
      <input
        type="date"
        name={name}
        value={f[name]}
        min="2000-01-01"
        max="2100-12-31"
        aria-invalid={f.errors[name] ? "true" : undefined}
        aria-describedby={f.errors[name] ? `period-${name}-error` : undefined}
      />
      {f.errors[name] ? (
        <span class="field-error" id={`period-${name}-error`}>
          {f.errors[name]}
        </span>
      ) : null}
    </label>
  );
  return (
    <form method="get" action="/ui/dashboard" class="card stack" aria-label={s.dashPeriod}>
      <div class="grid three">
        <label>
          {s.dashPeriod}
          <select name="period">
            {PERIOD_KINDS.map((k) => (
              <option value={k} selected={k === f.kind}>
                {label(s.dashPeriodLabels, k)}
              </option>
            ))}
          </select>
        </label>
        {dateField("from", s.dashFrom)}
        {dateField("to", s.dashTo)}
      </div>
      <p>
        <button type="submit">{s.dashShow}</button>
      </p>
    </form>
  );
}

/** "Bulan ini: 2026-12-01 s.d. 2026-12-31 (WIB)", the period in words. */
export function periodHeading(lang: Common["lang"], d: Dashboard): string {
  const s = t(lang);
  const p = d.period;
  const name = label(s.dashPeriodLabels, p?.kind ?? "all");
  const range = p?.firstDay ? ` · ${fill(s.dashRange, { from: p.firstDay, to: p.lastDay ?? "" })}` : "";
  return fill(s.dashHeading, { period: `${name}${range}` });
}

/** The dashboard page. */

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

/** A province deployment: each shard's headline figures and the totals (`getProvinceDashboard`). */
function ProvinceTable(props: { lang: Common["lang"]; province: ProvinceDashboard }) {
  const s = t(props.lang);
  const cells = (f: ShardFigures | null) =>
    f ? (
      <>
        <td>{f.started}</td>
        <td>{f.signups.registered}</td>
        <td>{f.requestsSent}</td>
        <td>
          {percent(f.umkmPartnered.share)} ({f.umkmPartnered.withPartner}/{f.umkmPartnered.registered})
        </td>
        <td>{f.procurement.ready}</td>
      </>
    ) : (
      <td colspan={5}>—</td>
    );
  return (
    <section class="card" aria-labelledby="d-province" data-table="province">
      <h2 id="d-province">{s.dashProvince}</h2>
      <p class="muted">{s.dashProvinceNote}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{s.dashShard}</th>
            <th scope="col">{s.dashStarted}</th>
            <th scope="col">{s.dashSignups}</th>
            <th scope="col">{s.dashRequestsSent}</th>
            <th scope="col">{s.dashUmkmPartnered}</th>
            <th scope="col">{s.procurementReady}</th>
          </tr>
        </thead>
        <tbody>
          {props.province.shards.map((row) => (
            <tr data-shard={row.shard}>
              <th scope="row">{row.shard}</th>
              {cells(row.figures)}
            </tr>
          ))}
          <tr data-shard="total">
            <th scope="row">{s.dashTotal}</th>
            {cells(props.province.totals)}
          </tr>
        </tbody>
      </table>
      {props.province.complete ? null : <p class="muted">{s.dashProvinceIncomplete}</p>}
    </section>
  );
}

export function DashboardPage(
  props: Common & {
    data: Dashboard | null;
    form: PeriodForm;
    /** The period's query string ("period=custom&from=...") for the export links. */
    periodQuery: string;
    sectionName: (code: string) => string;
    /** Per forum: meetings held, follow-ups, partnerships started (all time, not the period's). */
    forums?: ForumStats[];
    /** A province deployment: every shard's headline figures for the same period. */
    province?: ProvinceDashboard | null;
  },
) {
  const s = t(props.lang);
  const d = props.data;
  if (!d) return <PeriodFilter lang={props.lang} csrfToken={props.csrfToken} form={props.form} />;
  const q = props.periodQuery ? `?${props.periodQuery}` : "";
  const amp = props.periodQuery ? `?${props.periodQuery}&` : "?";
  return (
    <>
      <PeriodFilter lang={props.lang} csrfToken={props.csrfToken} form={props.form} />
      <h2 id="d-period" data-period={d.period?.kind ?? "all"}>
        {periodHeading(props.lang, d)}
      </h2>
      <p class="muted">{s.dashFlowsNote}</p>
      <div class="grid three">
        <section class="card" aria-labelledby="d-started">
          <h2 id="d-started">{s.dashStarted}</h2>
          <p class="big" data-metric="partnerships-started">
            {d.started.total}
          </p>
          <p class="muted">{s.dashStartedNote}</p>
        </section>
        <section class="card" aria-labelledby="d-signups">
          <h2 id="d-signups">{s.dashSignups}</h2>
          <p class="big" data-metric="signups">
            {d.signups.registered}
          </p>
          <p class="muted">{fill(s.dashSignupsOf, { p: d.signups.published })}</p>
        </section>
        <section class="card" aria-labelledby="d-sent">
          <h2 id="d-sent">{s.dashRequestsSent}</h2>
          <p class="big" data-metric="requests-sent">
            {d.requestsSent}
          </p>
        </section>
      </div>
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
          <h2 id="d-umkm">{s.dashUmkmPartnered}</h2>
          <p class="big" data-metric="umkm-share">
            {percent(d.umkmPartnered.share)}
          </p>
          <p class="muted">
            {fill(s.dashUmkmPartneredOf, { a: d.umkmPartnered.withPartner, n: d.umkmPartnered.registered })}
          </p>
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
          {d.procurement.oneStepAway > 0 ? (
            <p>
              <a href="/ui/dashboard/readiness">{fill(s.dashSeeAll, { n: d.procurement.oneStepAway })}</a>
            </p>
          ) : null}
        </section>
      </div>
      <section class="card" aria-labelledby="d-map">
        <h2 id="d-map">{s.map}</h2>
        <KelurahanMap lang={props.lang} activity={d.kelurahan} />
      </section>
      <div class="grid three">
        <section class="card" aria-labelledby="d-kec" data-table="kecamatan">
          <h2 id="d-kec">{s.dashStartedByKecamatan}</h2>
          <Bars items={d.started.byKecamatan} labelOf={(k) => k} empty={s.none} />
        </section>
        <section class="card" aria-labelledby="d-pattern" data-table="pattern">
          <h2 id="d-pattern">{s.dashStartedByPattern}</h2>
          <Bars items={d.started.byPattern} labelOf={(k) => label(s.patternLabels, k)} empty={s.none} />
        </section>
        <section class="card" aria-labelledby="d-kbli" data-table="kbli">
          <h2 id="d-kbli">{s.dashStartedByKbli}</h2>
          <Bars items={d.started.byKbliSection} labelOf={props.sectionName} empty={s.none} />
        </section>
      </div>
      {props.province ? <ProvinceTable lang={props.lang} province={props.province} /> : null}
      {props.forums ? (
        <DashboardForums lang={props.lang} csrfToken={props.csrfToken} items={props.forums} />
      ) : null}
      <section class="card" aria-labelledby="d-export">
        <h2 id="d-export">{s.dashExport}</h2>
        <p>
          <a href={`/ui/dashboard/export.xlsx${q}`} download>
            {s.dashExportXlsx}
          </a>
        </p>
        <p>
          {s.dashExportCsv}{" "}
          {LAPORAN_TABLES.map((table, i) => (
            <>
              {i > 0 ? ", " : ""}
              <a href={`/ui/dashboard/export.csv${amp}table=${table}`} download>
                {label(s.dashTables, table)}
              </a>
            </>
          ))}
        </p>
      </section>
    </>
  );
}

/** The full readiness list, one page at a time. */
export function ReadinessPage(
  props: Common & { total: number; items: OneStepAway[]; nextHref: string | null; first: boolean },
) {
  const s = t(props.lang);
  return (
    <>
      <p>{s.dashReadinessIntro}</p>
      <p>
        {s.procurementOneStep}: <strong data-metric="procurement-one-step">{props.total}</strong>
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{s.kecamatan}</th>
              <th scope="col">{s.name}</th>
              <th scope="col">{s.kelurahan}</th>
              <th scope="col">{s.procurementOneStep}</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((b) => (
              <tr data-business={b.id}>
                <td>{b.kecamatan ?? s.dashOutside}</td>
                <td>
                  <a href={`/ui/businesses/${b.id}`}>{b.name}</a>
                </td>
                <td>{b.kelurahan ?? ""}</td>
                <td>{b.missing === "nib" ? s.missingNib : s.missingEkatalog}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        {props.first ? null : <a href="/ui/dashboard/readiness">← {s.dashFirstPage}</a>}{" "}
        {props.nextHref ? (
          <a href={props.nextHref} rel="next">
            {s.next} →
          </a>
        ) : null}
      </p>
    </>
  );
}
