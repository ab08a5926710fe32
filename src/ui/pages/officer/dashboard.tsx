import type { Dashboard } from "../../../services/dashboard/dashboard.service";
import { fill, label, t } from "../../i18n";
import { KelurahanMap } from "../../map";
import type { Common } from "./shared";

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
